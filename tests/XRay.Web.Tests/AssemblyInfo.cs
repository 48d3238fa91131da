// libtorch's thread settings are process-wide, and the process test measures its own server: no interleaving.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
