using TorchSharp.Modules;
using XRay.IO;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace XRay.Models;

/// <summary>
/// The ImageNet ResNet that NuGet serves offline (Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0, MIT; a CNTK export
/// as ONNX), rebuilt in TorchSharp with torchvision's layer names: a 7x7 stem and stages of 2, 2, 2 and 3 basic blocks
/// (64, 128, 256, 512 channels; its last stage has one block more than torchvision's resnet18), then global pooling to
/// 512 features. Its input module (<see cref="MlnetInput"/>) turns our RGB [0, 1] into the package's BGR 0-255 minus
/// its mean image. The graph pads asymmetrically (ONNX pads 3,3,2,2 on the stem, 1,1,0,0 on the stride-2 convs and the
/// max pool); PyTorch's symmetric padding gives the same result at 224x224 (and at any size where the last window does
/// not reach the extra padding). <see cref="LoadOnnx"/> maps the package's initializers onto it.
/// </summary>
public sealed class ResNet18Mlnet : TransferModel
{
    /// <summary>Blocks per stage, as the package's graph has them (checked when loading).</summary>
    public static IReadOnlyList<int> BlocksPerStage { get; } = new[] { 2, 2, 2, 3 };

    private static readonly long[] StageChannels = { 64, 128, 256, 512 };

    public ResNet18Mlnet(ModelSpec spec) : base(nameof(ResNet18Mlnet), spec, Build(spec), 512) { }

    private static Sequential Build(ModelSpec spec)
    {
        var layers = new List<(string, Module<Tensor, Tensor>)>
        {
            ("input", new MlnetInput(spec.Height, spec.Width)),
            ("conv1", Conv2d(3, 64, 7, stride: 2, padding: 3, bias: false)),   // (B, 64, H/2, W/2)
            ("bn1", BatchNorm2d(64)),
            ("relu", ReLU()),
            ("maxpool", MaxPool2d(3, stride: 2, padding: 1)),                   // (B, 64, H/4, W/4)
        };
        long channels = 64;
        for (var stage = 0; stage < BlocksPerStage.Count; stage++)
        {
            var blocks = new List<(string, Module<Tensor, Tensor>)>();
            for (var b = 0; b < BlocksPerStage[stage]; b++)
            {
                blocks.Add((b.ToString(), new ResNetBasicBlock(channels, StageChannels[stage], b == 0 && stage > 0 ? 2 : 1)));
                channels = StageChannels[stage];
            }
            layers.Add(($"layer{stage + 1}", Sequential(blocks)));              // (B, C, H/2^(stage+2), ...)
        }
        var features = Sequential(layers);
        // torchvision's ResNet initialization: He normal (fan out) for convolutions, BN weight 1 and bias 0.
        foreach (var conv in features.modules().OfType<Conv2d>()) init.kaiming_normal_(conv.weight, mode: init.FanInOut.FanOut, nonlinearity: init.NonlinearityType.ReLU);
        return Sequential(("features", features), ("classifier", Linear(512, spec.Classes)));
    }

    protected override Tensor TorchvisionPool(Tensor maps) => functional.adaptive_avg_pool2d(maps, new long[] { 1, 1 }); // (B, 512, 1, 1)

    /// <summary>
    /// Loads the package's ResNet18.onnx (and the mean image from ResNetPreprocess.onnx in the sibling ResNetPrepOnnx
    /// folder, when <paramref name="preprocessPath"/> is null). Convolutions and the batch norms after them are matched
    /// through the graph: the first is the stem, 1x1 ones are the stages' shortcuts, the 3x3 ones come in pairs per
    /// block; the stage layout is checked against the graph's Add nodes.
    /// </summary>
    public void LoadOnnx(string resnetPath, string? preprocessPath = null)
    {
        preprocessPath ??= Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(resnetPath)))!, "ResNetPrepOnnx", "ResNetPreprocess.onnx");
        using var graph = OnnxGraph.Load(resnetPath);
        var state = MapGraph(graph, resnetPath);
        using (var prep = OnnxGraph.Load(preprocessPath))
        {
            if (!prep.Initializers.TryGetValue("MeanImage", out var mean) || mean.ndim != 4)
                throw new InvalidDataException($"'{preprocessPath}' has no MeanImage (1, 3, H, W) initializer.");
            var input = (MlnetInput)Features.named_children().First(c => c.name == "input").module;
            input.SetMean(mean);
        }
        var unmapped = state_dict().Keys.Where(k => k.StartsWith("features.", StringComparison.Ordinal) && !state.ContainsKey(k)
                                                    && !k.EndsWith("num_batches_tracked", StringComparison.Ordinal) && k != "features.input.mean_image").ToList();
        if (unmapped.Count > 0)
            throw new InvalidDataException($"'{resnetPath}' left {unmapped.Count} weights unset (first: {unmapped[0]}).");
        StateDicts.Load(this, state, strict: false, source: resnetPath);
    }

    private static Dictionary<string, Tensor> MapGraph(OnnxGraph graph, string source)
    {
        var nodes = graph.Nodes;
        Tensor Init(string name) => graph.Initializers.TryGetValue(name, out var t) ? t
            : throw new InvalidDataException($"'{source}': initializer {name} is missing.");
        var state = new Dictionary<string, Tensor>();
        void Conv(OnnxGraph.Node conv, string prefix, string bnPrefix)
        {
            state[$"{prefix}.weight"] = Init(conv.Inputs[1]);
            var bn = nodes.FirstOrDefault(n => n.OpType == "BatchNormalization" && n.Inputs[0] == conv.Outputs[0])
                     ?? throw new InvalidDataException($"'{source}': no batch norm after the convolution {conv.Outputs[0]}.");
            state[$"{bnPrefix}.weight"] = Init(bn.Inputs[1]);
            state[$"{bnPrefix}.bias"] = Init(bn.Inputs[2]);
            state[$"{bnPrefix}.running_mean"] = Init(bn.Inputs[3]);
            state[$"{bnPrefix}.running_var"] = Init(bn.Inputs[4]);
        }

        var convs = nodes.Where(n => n.OpType == "Conv").ToList();
        bool Kernel(OnnxGraph.Node n, long k) => n.Ints.TryGetValue("kernel_shape", out var ks) && ks.All(v => v == k);
        // The graph's layout: a new stage starts at each 1x1 shortcut; each block ends in one Add.
        var blocks = new List<int> { 0 };
        foreach (var n in nodes)
        {
            if (n.OpType == "Conv" && Kernel(n, 1)) blocks.Add(0);
            if (n.OpType == "Add") blocks[^1]++;
        }
        if (!blocks.SequenceEqual(BlocksPerStage) || !Kernel(convs[0], 7))
            throw new InvalidDataException(
                $"'{source}' is not the ResNet this model rebuilds: its stages have {string.Join(", ", blocks)} blocks, expected {string.Join(", ", BlocksPerStage)}.");

        Conv(convs[0], "features.conv1", "features.bn1");
        var pairs = convs.Skip(1).Where(n => Kernel(n, 3)).ToList();
        var shortcuts = convs.Where(n => Kernel(n, 1)).ToList();
        var block = 0;
        for (var stage = 0; stage < BlocksPerStage.Count; stage++)
            for (var b = 0; b < BlocksPerStage[stage]; b++, block++)
            {
                var prefix = $"features.layer{stage + 1}.{b}";
                Conv(pairs[2 * block], $"{prefix}.conv1", $"{prefix}.bn1");
                Conv(pairs[2 * block + 1], $"{prefix}.conv2", $"{prefix}.bn2");
                if (b == 0 && stage > 0) Conv(shortcuts[stage - 1], $"{prefix}.downsample.0", $"{prefix}.downsample.1");
            }
        return state;
    }
}
