using XRay.Torch.Interop;

namespace XRay.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>The layers and losses as functions, as in torch.nn.functional.</summary>
        public static class functional
        {
            private static Tensor From(int status, TensorHandle result) => Tensor.From(status, result);

            private static TensorHandle Optional(Tensor? t) => t?.Handle ?? TensorHandle.Null;

            public static unsafe Tensor conv2d(Tensor input, Tensor weight, Tensor? bias = null, (long, long)? stride = null,
                (long, long)? padding = null, (long, long)? dilation = null, long groups = 1)
            {
                var (s, p, d) = (stride ?? (1, 1), padding ?? (0, 0), dilation ?? (1, 1));
                long* sp = stackalloc long[] { s.Item1, s.Item2 };
                long* pp = stackalloc long[] { p.Item1, p.Item2 };
                long* dp = stackalloc long[] { d.Item1, d.Item2 };
                return From(NativeMethods.xr_nn_conv2d(input.Handle, weight.Handle, Optional(bias), sp, pp, dp, groups, out var r), r);
            }

            /// <summary>input · weightᵀ + bias.</summary>
            public static Tensor linear(Tensor input, Tensor weight, Tensor? bias = null) =>
                From(NativeMethods.xr_nn_linear(input.Handle, weight.Handle, Optional(bias), out var r), r);

            /// <summary>Max over windows; stride defaults to the kernel size.</summary>
            public static unsafe Tensor max_pool2d(Tensor input, (long, long) kernel_size, (long, long)? stride = null,
                (long, long)? padding = null, (long, long)? dilation = null, bool ceil_mode = false)
            {
                var (s, p, d) = (stride ?? kernel_size, padding ?? (0, 0), dilation ?? (1, 1));
                long* kp = stackalloc long[] { kernel_size.Item1, kernel_size.Item2 };
                long* sp = stackalloc long[] { s.Item1, s.Item2 };
                long* pp = stackalloc long[] { p.Item1, p.Item2 };
                long* dp = stackalloc long[] { d.Item1, d.Item2 };
                return From(NativeMethods.xr_nn_max_pool2d(input.Handle, kp, sp, pp, dp, ceil_mode ? 1 : 0, out var r), r);
            }

            public static Tensor max_pool2d(Tensor input, long kernel_size) => max_pool2d(input, (kernel_size, kernel_size));

            public static unsafe Tensor avg_pool2d(Tensor input, (long, long) kernel_size, (long, long)? stride = null,
                (long, long)? padding = null, bool ceil_mode = false, bool count_include_pad = true)
            {
                var (s, p) = (stride ?? kernel_size, padding ?? (0, 0));
                long* kp = stackalloc long[] { kernel_size.Item1, kernel_size.Item2 };
                long* sp = stackalloc long[] { s.Item1, s.Item2 };
                long* pp = stackalloc long[] { p.Item1, p.Item2 };
                return From(NativeMethods.xr_nn_avg_pool2d(input.Handle, kp, sp, pp, ceil_mode ? 1 : 0, count_include_pad ? 1 : 0, out var r), r);
            }

            public static Tensor avg_pool2d(Tensor input, long kernel_size) => avg_pool2d(input, (kernel_size, kernel_size));

            public static unsafe Tensor adaptive_avg_pool2d(Tensor input, (long, long) output_size)
            {
                long* op = stackalloc long[] { output_size.Item1, output_size.Item2 };
                return From(NativeMethods.xr_nn_adaptive_avg_pool2d(input.Handle, op, out var r), r);
            }

            public static unsafe Tensor adaptive_max_pool2d(Tensor input, (long, long) output_size)
            {
                long* op = stackalloc long[] { output_size.Item1, output_size.Item2 };
                return From(NativeMethods.xr_nn_adaptive_max_pool2d(input.Handle, op, out var r), r);
            }

            /// <summary>Normalizes over the batch; in training it updates running_mean / running_var in place.</summary>
            public static Tensor batch_norm(Tensor input, Tensor? running_mean, Tensor? running_var, Tensor? weight = null,
                Tensor? bias = null, bool training = false, double momentum = 0.1, double eps = 1e-5) =>
                From(NativeMethods.xr_nn_batch_norm(input.Handle, Optional(weight), Optional(bias), Optional(running_mean),
                    Optional(running_var), training ? 1 : 0, momentum, eps, out var r), r);

            public static Tensor dropout(Tensor input, double p = 0.5, bool training = true) =>
                From(NativeMethods.xr_nn_dropout(input.Handle, p, training ? 1 : 0, out var r), r);

            public static Tensor relu(Tensor input) => input.relu();

            /// <summary>min(max(x, 0), 6), MobileNet's activation.</summary>
            public static Tensor relu6(Tensor input) => input.relu6();

            /// <summary>x·Φ(x); approximate "tanh" uses the tanh approximation.</summary>
            public static Tensor gelu(Tensor input, string approximate = "none") =>
                From(NativeMethods.xr_nn_gelu(input.Handle, approximate switch
                {
                    "none" => 0,
                    "tanh" => 1,
                    _ => throw new ArgumentException($"approximate must be \"none\" or \"tanh\", got \"{approximate}\"", nameof(approximate)),
                }, out var r), r);

            public static Tensor leaky_relu(Tensor input, double negative_slope = 0.01) =>
                From(NativeMethods.xr_nn_leaky_relu(input.Handle, negative_slope, out var r), r);

            public static Tensor sigmoid(Tensor input) => input.sigmoid();

            public static Tensor tanh(Tensor input) => input.tanh();

            public static Tensor softmax(Tensor input, long dim) => input.softmax(dim);

            public static Tensor log_softmax(Tensor input, long dim) => input.log_softmax(dim);

            public static Tensor flatten(Tensor input, long start_dim = 0, long end_dim = -1) => input.flatten(start_dim, end_dim);

            /// <summary>log_softmax + nll_loss over class logits (B, C) and int64 targets (B), optionally class-weighted.</summary>
            public static Tensor cross_entropy(Tensor input, Tensor target, Tensor? weight = null, long ignore_index = -100,
                Reduction reduction = Reduction.Mean, double label_smoothing = 0.0) =>
                From(NativeMethods.xr_nn_cross_entropy(input.Handle, target.Handle, Optional(weight), (int)reduction, ignore_index,
                    label_smoothing, out var r), r);

            public static Tensor nll_loss(Tensor input, Tensor target, Tensor? weight = null, long ignore_index = -100,
                Reduction reduction = Reduction.Mean) =>
                From(NativeMethods.xr_nn_nll_loss(input.Handle, target.Handle, Optional(weight), (int)reduction, ignore_index, out var r), r);

            /// <summary>Binary cross-entropy on probabilities in [0, 1] (Keras' binary_crossentropy after a sigmoid).</summary>
            public static Tensor binary_cross_entropy(Tensor input, Tensor target, Tensor? weight = null,
                Reduction reduction = Reduction.Mean) =>
                From(NativeMethods.xr_nn_binary_cross_entropy(input.Handle, target.Handle, Optional(weight), (int)reduction, out var r), r);

            /// <summary>Sigmoid + binary cross-entropy in one numerically stable step.</summary>
            public static Tensor binary_cross_entropy_with_logits(Tensor input, Tensor target, Tensor? weight = null,
                Reduction reduction = Reduction.Mean, Tensor? pos_weight = null) =>
                From(NativeMethods.xr_nn_binary_cross_entropy_with_logits(input.Handle, target.Handle, Optional(weight),
                    Optional(pos_weight), (int)reduction, out var r), r);

            public static Tensor mse_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
                From(NativeMethods.xr_nn_mse_loss(input.Handle, target.Handle, (int)reduction, out var r), r);
        }
    }
}
