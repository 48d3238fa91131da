using TorchSharp.Modules;
using XRay.IO;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace XRay.Models;

/// <summary>
/// Seed 001's base network as Keras builds it: tf.keras.applications.MobileNet (V1, alpha 1.0, depth multiplier 1,
/// include_top=False), here with seed 001's head on its global max pooling (pooling='max'). Layer names are Keras'
/// (features.conv1, conv1_bn, conv_dw_1, conv_dw_1_bn, conv_pw_1, conv_pw_1_bn, ... conv_pw_13_bn), so Keras' ImageNet
/// file (mobilenet_1_0_224_tf_no_top.h5) maps one to one (<see cref="LoadKeras"/>). As Keras: ReLU6; batch norms with
/// eps 1e-3 and momentum 0.99 (PyTorch 0.01); the stride-2 convolutions pad (0, 1) on each side's bottom/right
/// (ZeroPadding2D(((0, 1), (0, 1)))) and then use 'valid'; glorot-uniform kernels. Keras counts 3,228,864 parameters
/// (21,888 of them batch-norm moving statistics, buffers here; see <see cref="IKerasParameterCounts"/>).
/// </summary>
public sealed class MobileNetV1 : TransferModel, IKerasParameterCounts
{
    /// <summary>Output channels and stride of the 13 depthwise-separable blocks.</summary>
    private static readonly (long Channels, long Stride)[] Blocks =
    {
        (64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1),
    };

    public MobileNetV1(ModelSpec spec) : base(nameof(MobileNetV1), spec, Build(spec), 1024) { }

    private static BatchNorm2d Bn(long channels) => BatchNorm2d(channels, eps: 1e-3, momentum: 0.01);

    private static Sequential Build(ModelSpec spec)
    {
        var layers = new List<(string, Module<Tensor, Tensor>)>
        {
            ("conv1_pad", ZeroPad2d((0, 1, 0, 1))),
            ("conv1", Conv2d(3, 32, 3, stride: 2, bias: false)),                    // (B, 32, H/2, W/2)
            ("conv1_bn", Bn(32)),
            ("conv1_relu", ReLU6()),
        };
        long channels = 32;
        for (var i = 0; i < Blocks.Length; i++)
        {
            var (outChannels, stride) = Blocks[i];
            var id = i + 1;
            if (stride == 2) layers.Add(($"conv_pad_{id}", ZeroPad2d((0, 1, 0, 1))));
            layers.Add(($"conv_dw_{id}", Conv2d(channels, channels, 3, stride: stride, padding: stride == 1 ? 1 : 0, groups: channels, bias: false)));
            layers.Add(($"conv_dw_{id}_bn", Bn(channels)));
            layers.Add(($"conv_dw_{id}_relu", ReLU6()));
            layers.Add(($"conv_pw_{id}", Conv2d(channels, outChannels, 1, bias: false))); // (B, C', H/s, W/s)
            layers.Add(($"conv_pw_{id}_bn", Bn(outChannels)));
            layers.Add(($"conv_pw_{id}_relu", ReLU6()));
            channels = outChannels;
        }
        var features = Sequential(layers);                                            // (B, 1024, H/32, W/32)
        foreach (var conv in features.modules().OfType<Conv2d>()) init.xavier_uniform_(conv.weight);
        return Sequential(("features", features), ("classifier", Linear(1024, spec.Classes)));
    }

    protected override Tensor TorchvisionPool(Tensor maps) => functional.adaptive_avg_pool2d(maps, new long[] { 1, 1 }); // (B, 1024, 1, 1)

    /// <summary>
    /// Loads Keras' MobileNet weights (HDF5): kernels HWIO to OIHW, depthwise kernels (3, 3, C, 1) to (C, 1, 3, 3),
    /// batch norm gamma/beta/moving_mean/moving_variance to weight/bias/running_mean/running_var. Every feature weight
    /// must be in the file.
    /// </summary>
    public void LoadKeras(string path)
    {
        var keras = KerasWeightsFile.Load(path);
        try
        {
            var state = new Dictionary<string, Tensor>();
            var own = state_dict();
            foreach (var (key, value) in keras)
            {
                var slash = key.LastIndexOf('/');
                var (layer, weight) = (key[..slash], key[(slash + 1)..]);
                var name = weight switch
                {
                    "kernel" => "weight",
                    "depthwise_kernel" => "weight",
                    "gamma" => "weight",
                    "beta" => "bias",
                    "moving_mean" => "running_mean",
                    "moving_variance" => "running_var",
                    _ => null,
                };
                if (name is null || !own.ContainsKey($"features.{layer}.{name}")) continue; // not one of MobileNet's layers
                if (weight.EndsWith("kernel", StringComparison.Ordinal) && value.ndim != 4)
                    throw new InvalidDataException($"'{path}': {key} has shape [{string.Join(", ", value.shape)}], not a 4-D Keras kernel.");
                var converted = weight switch
                {
                    "kernel" => value.permute(3, 2, 0, 1).contiguous(),           // (H, W, I, O) -> (O, I, H, W)
                    "depthwise_kernel" => value.permute(2, 3, 0, 1).contiguous(), // (H, W, C, 1) -> (C, 1, H, W)
                    _ => value,
                };
                state[$"features.{layer}.{name}"] = converted;
            }
            var missing = own.Keys.Where(k => k.StartsWith("features.", StringComparison.Ordinal)
                                                       && !k.EndsWith("num_batches_tracked", StringComparison.Ordinal) && !state.ContainsKey(k)).ToList();
            if (missing.Count > 0)
                throw new InvalidDataException(
                    $"'{path}' lacks {missing.Count} of MobileNet's weights (first: {missing[0]}). Is it Keras' mobilenet_1_0_224_tf_no_top.h5?");
            StateDicts.Load(this, state, strict: false, source: path);
        }
        finally
        {
            foreach (var t in keras.Values) t.Dispose();
        }
    }
}
