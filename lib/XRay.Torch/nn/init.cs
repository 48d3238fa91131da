namespace XRay.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>Weight initializers, as torch.nn.init; each fills the tensor in place without recording gradients.</summary>
        public static class init
        {
            /// <summary>(fan_in, fan_out) of a Linear (out, in) or Conv (out, in/groups, kh, kw) weight.</summary>
            public static (long fan_in, long fan_out) calculate_fan_in_and_fan_out(Tensor tensor)
            {
                var shape = tensor.shape;
                if (shape.Length < 2)
                    throw new ArgumentException($"Fan in and fan out need at least 2 dimensions, got [{string.Join(", ", shape)}].");
                long receptive = 1;
                for (var i = 2; i < shape.Length; i++) receptive *= shape[i];
                return (shape[1] * receptive, shape[0] * receptive);
            }

            public static double calculate_gain(string nonlinearity, double? param = null) => nonlinearity switch
            {
                "linear" or "conv2d" or "sigmoid" => 1.0,
                "tanh" => 5.0 / 3,
                "relu" => Math.Sqrt(2.0),
                "leaky_relu" => Math.Sqrt(2.0 / (1 + Math.Pow(param ?? 0.01, 2))),
                "selu" => 3.0 / 4,
                _ => throw new ArgumentException($"Unknown nonlinearity '{nonlinearity}'.", nameof(nonlinearity)),
            };

            public static Tensor uniform_(Tensor tensor, double a = 0, double b = 1)
            {
                using (no_grad()) return tensor.uniform_(a, b);
            }

            public static Tensor normal_(Tensor tensor, double mean = 0, double std = 1)
            {
                using (no_grad()) return tensor.normal_(mean, std);
            }

            public static Tensor constant_(Tensor tensor, Scalar value)
            {
                using (no_grad()) return tensor.fill_(value);
            }

            public static Tensor zeros_(Tensor tensor) => constant_(tensor, 0);

            public static Tensor ones_(Tensor tensor) => constant_(tensor, 1);

            /// <summary>He uniform; PyTorch's default for Linear and Conv2d weights is a = √5 with fan_in.</summary>
            public static Tensor kaiming_uniform_(Tensor tensor, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu")
            {
                var std = calculate_gain(nonlinearity, a) / Math.Sqrt(Fan(tensor, mode));
                var bound = Math.Sqrt(3.0) * std;
                return uniform_(tensor, -bound, bound);
            }

            public static Tensor kaiming_normal_(Tensor tensor, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu") =>
                normal_(tensor, 0, calculate_gain(nonlinearity, a) / Math.Sqrt(Fan(tensor, mode)));

            /// <summary>Glorot uniform: Keras' default kernel initializer.</summary>
            public static Tensor xavier_uniform_(Tensor tensor, double gain = 1.0)
            {
                var (fanIn, fanOut) = calculate_fan_in_and_fan_out(tensor);
                var bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
                return uniform_(tensor, -bound, bound);
            }

            public static Tensor xavier_normal_(Tensor tensor, double gain = 1.0)
            {
                var (fanIn, fanOut) = calculate_fan_in_and_fan_out(tensor);
                return normal_(tensor, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)));
            }

            private static long Fan(Tensor tensor, string mode)
            {
                var (fanIn, fanOut) = calculate_fan_in_and_fan_out(tensor);
                return mode switch
                {
                    "fan_in" => fanIn,
                    "fan_out" => fanOut,
                    _ => throw new ArgumentException($"mode must be \"fan_in\" or \"fan_out\", got \"{mode}\".", nameof(mode)),
                };
            }
        }
    }
}
