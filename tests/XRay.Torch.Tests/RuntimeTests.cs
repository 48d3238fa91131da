namespace XRay.Torch.Tests;

public class RuntimeTests
{
    [Fact]
    public void Version_names_libtorch()
    {
        Assert.Matches(@"^\d+\.\d+", __version__);
        Assert.Contains("ATen", parallel_info());
    }

    [Fact]
    public void Threads_default_to_every_core_and_can_be_set()
    {
        var before = get_num_threads();
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OMP_NUM_THREADS")))
            Assert.Equal(Environment.ProcessorCount, before);
        try
        {
            set_num_threads(1);
            Assert.Equal(1, get_num_threads());
        }
        finally
        {
            set_num_threads(before);
        }
        Assert.Throws<ArgumentException>(() => set_num_threads(0));
    }
}
