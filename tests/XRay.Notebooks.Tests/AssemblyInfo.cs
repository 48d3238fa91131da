// The kernel redirects Console and the working directory for the process while a cell runs.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
