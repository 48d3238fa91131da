using static XRay.Torch.torch;
using static XRay.Torch.torch.nn;

namespace XRay.Torch.Modules;

/// <summary>2-D convolution over (B, C_in, H, W); groups = C_in gives a depthwise convolution.</summary>
public sealed class Conv2d : Module<Tensor, Tensor>
{
    public Parameter weight;
    public Parameter? bias;

    public Conv2d(long in_channels, long out_channels, (long, long) kernel_size, (long, long) stride, (long, long) padding,
        (long, long) dilation, long groups = 1, bool bias = true, Device? device = null, ScalarType? dtype = null)
    {
        if (in_channels <= 0 || out_channels <= 0)
            throw new ArgumentException($"Conv2d needs positive channel counts, got in={in_channels}, out={out_channels}.");
        if (groups <= 0 || in_channels % groups != 0 || out_channels % groups != 0)
            throw new ArgumentException($"Conv2d groups={groups} must divide in_channels={in_channels} and out_channels={out_channels}.");
        (this.in_channels, this.out_channels, this.kernel_size, this.stride, this.padding, this.dilation, this.groups) =
            (in_channels, out_channels, kernel_size, stride, padding, dilation, groups);

        using var w = empty(new[] { out_channels, in_channels / groups, kernel_size.Item1, kernel_size.Item2 }, dtype, device);
        weight = new Parameter(w);
        this.bias = bias ? Layers.CreateBias(out_channels, dtype, device) : null;
        reset_parameters();
    }

    public long in_channels { get; }
    public long out_channels { get; }
    public (long, long) kernel_size { get; }
    public (long, long) stride { get; }
    public (long, long) padding { get; }
    public (long, long) dilation { get; }
    public long groups { get; }

    /// <summary>PyTorch's default: kaiming_uniform(a=√5) weights, and bias uniform in ±1/√fan_in.</summary>
    public void reset_parameters()
    {
        init.kaiming_uniform_(weight, a: Math.Sqrt(5));
        if (bias is not null) Layers.UniformByFanIn(bias, weight);
    }

    public override Tensor forward(Tensor input) =>
        functional.conv2d(input, weight, bias, stride, padding, dilation, groups);

    public override string GetName() =>
        $"Conv2d({in_channels}, {out_channels}, kernel_size={kernel_size}, stride={stride}, padding={padding}" +
        (groups != 1 ? $", groups={groups}" : "") + (bias is null ? ", bias=False" : "") + ")";
}
