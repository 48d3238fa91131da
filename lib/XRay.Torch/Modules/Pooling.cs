using static XRay.Torch.torch;
using static XRay.Torch.torch.nn;

namespace XRay.Torch.Modules;

/// <summary>Max over kernel windows; stride defaults to the kernel size (Keras' MaxPooling2D(2, 2)).</summary>
public sealed class MaxPool2d((long, long) kernel_size, (long, long)? stride = null, (long, long)? padding = null,
    (long, long)? dilation = null, bool ceil_mode = false) : Module<Tensor, Tensor>
{
    public (long, long) kernel_size { get; } = kernel_size;
    public (long, long) stride { get; } = stride ?? kernel_size;
    public (long, long) padding { get; } = padding ?? (0, 0);
    public (long, long) dilation { get; } = dilation ?? (1, 1);
    public bool ceil_mode { get; } = ceil_mode;

    public override Tensor forward(Tensor input) =>
        functional.max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode);

    public override string GetName() => $"MaxPool2d(kernel_size={kernel_size}, stride={stride}, padding={padding})";
}

/// <summary>Mean over kernel windows.</summary>
public sealed class AvgPool2d((long, long) kernel_size, (long, long)? stride = null, (long, long)? padding = null,
    bool ceil_mode = false, bool count_include_pad = true) : Module<Tensor, Tensor>
{
    public (long, long) kernel_size { get; } = kernel_size;
    public (long, long) stride { get; } = stride ?? kernel_size;
    public (long, long) padding { get; } = padding ?? (0, 0);
    public bool ceil_mode { get; } = ceil_mode;
    public bool count_include_pad { get; } = count_include_pad;

    public override Tensor forward(Tensor input) =>
        functional.avg_pool2d(input, kernel_size, stride, padding, ceil_mode, count_include_pad);

    public override string GetName() => $"AvgPool2d(kernel_size={kernel_size}, stride={stride}, padding={padding})";
}

/// <summary>Averages each channel down to output_size; (1, 1) is global average pooling.</summary>
public sealed class AdaptiveAvgPool2d((long, long) output_size) : Module<Tensor, Tensor>
{
    public (long, long) output_size { get; } = output_size;

    public override Tensor forward(Tensor input) => functional.adaptive_avg_pool2d(input, output_size);

    public override string GetName() => $"AdaptiveAvgPool2d(output_size={output_size})";
}

/// <summary>Max of each channel over regions; (1, 1) is global max pooling (seed 001's head).</summary>
public sealed class AdaptiveMaxPool2d((long, long) output_size) : Module<Tensor, Tensor>
{
    public (long, long) output_size { get; } = output_size;

    public override Tensor forward(Tensor input) => functional.adaptive_max_pool2d(input, output_size);

    public override string GetName() => $"AdaptiveMaxPool2d(output_size={output_size})";
}
