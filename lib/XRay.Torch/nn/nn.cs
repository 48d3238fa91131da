using M = XRay.Torch.Modules;

namespace XRay.Torch;

public static partial class torch
{
    /// <summary>Layer factories with PyTorch's names and defaults: <c>nn.Conv2d(3, 32, 3)</c>.</summary>
    public static partial class nn
    {
        public static M.Conv2d Conv2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0,
            long dilation = 1, long groups = 1, bool bias = true, Device? device = null, ScalarType? dtype = null) =>
            new(in_channels, out_channels, (kernel_size, kernel_size), (stride, stride), (padding, padding), (dilation, dilation),
                groups, bias, device, dtype);

        public static M.Conv2d Conv2d(long in_channels, long out_channels, (long, long) kernel_size, (long, long)? stride = null,
            (long, long)? padding = null, (long, long)? dilation = null, long groups = 1, bool bias = true, Device? device = null,
            ScalarType? dtype = null) =>
            new(in_channels, out_channels, kernel_size, stride ?? (1, 1), padding ?? (0, 0), dilation ?? (1, 1), groups, bias, device, dtype);

        public static M.Linear Linear(long in_features, long out_features, bool hasBias = true, Device? device = null,
            ScalarType? dtype = null) => new(in_features, out_features, hasBias, device, dtype);

        public static M.BatchNorm1d BatchNorm1d(long num_features, double eps = 1e-5, double? momentum = 0.1, bool affine = true,
            bool track_running_stats = true, Device? device = null, ScalarType? dtype = null) =>
            new(num_features, eps, momentum, affine, track_running_stats, device, dtype);

        public static M.BatchNorm2d BatchNorm2d(long num_features, double eps = 1e-5, double? momentum = 0.1, bool affine = true,
            bool track_running_stats = true, Device? device = null, ScalarType? dtype = null) =>
            new(num_features, eps, momentum, affine, track_running_stats, device, dtype);

        public static M.MaxPool2d MaxPool2d(long kernel_size, long? stride = null, long padding = 0, long dilation = 1,
            bool ceil_mode = false) =>
            new((kernel_size, kernel_size), stride is { } s ? (s, s) : null, (padding, padding), (dilation, dilation), ceil_mode);

        public static M.MaxPool2d MaxPool2d((long, long) kernel_size, (long, long)? stride = null, (long, long)? padding = null,
            (long, long)? dilation = null, bool ceil_mode = false) => new(kernel_size, stride, padding, dilation, ceil_mode);

        public static M.AvgPool2d AvgPool2d(long kernel_size, long? stride = null, long padding = 0, bool ceil_mode = false,
            bool count_include_pad = true) =>
            new((kernel_size, kernel_size), stride is { } s ? (s, s) : null, (padding, padding), ceil_mode, count_include_pad);

        public static M.AvgPool2d AvgPool2d((long, long) kernel_size, (long, long)? stride = null, (long, long)? padding = null,
            bool ceil_mode = false, bool count_include_pad = true) => new(kernel_size, stride, padding, ceil_mode, count_include_pad);

        public static M.AdaptiveAvgPool2d AdaptiveAvgPool2d(long output_size) => new((output_size, output_size));

        public static M.AdaptiveAvgPool2d AdaptiveAvgPool2d((long, long) output_size) => new(output_size);

        public static M.AdaptiveMaxPool2d AdaptiveMaxPool2d(long output_size) => new((output_size, output_size));

        public static M.AdaptiveMaxPool2d AdaptiveMaxPool2d((long, long) output_size) => new(output_size);

        public static M.ReLU ReLU() => new();

        public static M.ReLU6 ReLU6() => new();

        public static M.LeakyReLU LeakyReLU(double negative_slope = 0.01) => new(negative_slope);

        public static M.GELU GELU(string approximate = "none") => new(approximate);

        public static M.Sigmoid Sigmoid() => new();

        public static M.Tanh Tanh() => new();

        public static M.Softmax Softmax(long dim) => new(dim);

        public static M.LogSoftmax LogSoftmax(long dim) => new(dim);

        public static M.Identity Identity() => new();

        public static M.Dropout Dropout(double p = 0.5) => new(p);

        public static M.Flatten Flatten(long start_dim = 1, long end_dim = -1) => new(start_dim, end_dim);

        public static M.Sequential Sequential() => new();

        public static M.Sequential Sequential(params Module<Tensor, Tensor>[] modules) => new(modules);

        public static M.Sequential Sequential(params (string name, Module<Tensor, Tensor> module)[] modules) => new(modules);

        public static M.ModuleList<T> ModuleList<T>(params T[] modules) where T : Module => new(modules);
    }
}
