// The smoke run times and sizes processes on a 2-core machine: nothing else in this assembly should run beside it.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
