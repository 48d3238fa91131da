namespace XRay.Torch.Tests;

public class cudaTests
{
    [Fact]
    public void Queries_agree_with_each_other()
    {
        var available = cuda.is_available();
        var count = cuda.device_count();
        Assert.Equal(available, count > 0);
        Assert.Equal(available ? Device.CUDA(0) : Device.CPU, Device.Default);
    }

    [Fact]
    public void Asking_for_CUDA_without_CUDA_raises_libtorchs_error_and_the_process_survives()
    {
        if (cuda.is_available()) return; // the GPU path is exercised on a CUDA machine instead
        var e = Assert.ThrowsAny<Exception>(() => zeros(new long[] { 2 }, device: Device.CUDA(0)));
        Assert.IsType<TorchException>(e);
        Assert.Contains("CUDA", e.Message);
        using var t = ones(2);
        Assert.ThrowsAny<TorchException>(() => t.cuda());
        Assert.Throws<ArgumentException>(() => cuda.synchronize());
        using var fine = t + 1; // still working
        Assert.Equal(new float[] { 2, 2 }, fine.ToArray<float>());
    }

    [Fact]
    public void Device_parsing_and_names()
    {
        Assert.Equal(Device.CPU, new Device("cpu"));
        Assert.Equal(Device.CUDA(1), new Device("cuda:1"));
        Assert.Equal("cuda:0", Device.CUDA(0).ToString());
        Assert.Throws<ArgumentException>(() => new Device("tpu"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Device.CUDA(-1));
    }
}
