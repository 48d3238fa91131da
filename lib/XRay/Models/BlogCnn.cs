using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace XRay.Models;

/// <summary>
/// Seed 002's network: 3 x [Conv 32 3x3, ReLU, MaxPool 2] with Dropout 0.2 after the 2nd and 3rd blocks, then
/// Flatten, Dropout 0.2, Dense 128 ReLU and the output layer: one sigmoid unit for 2 classes (as in the blog),
/// K softmax units otherwise (see <see cref="ClassifierModel"/> for where the sigmoid/softmax is applied).
/// At 3x255x255 it has 3,706,049 parameters with the sigmoid unit, as the blog says ("about 3.7 million").
/// The ReLUs run in place, on the fresh output of the layer before them (as torchvision's models do): at 150², batch
/// 32, that is one 90 MB activation less per training step, and faster training and inference (bench/README.md, "The
/// old engine and this one on the same machine"). Forward hooks that keep a convolution's output copy it (Activations.Capture does).
/// </summary>
public sealed class BlogCnn : ClassifierModel, IFeatureMaps
{
    private readonly Sequential features;
    private readonly Sequential classifier;

    public BlogCnn(int channels = 3, int height = 255, int width = 255, int classes = 2)
        : this(new ModelSpec(ModelFactory.BlogCnnArch, channels, height, width, classes)) { }

    public BlogCnn(ModelSpec spec) : base(nameof(BlogCnn), spec)
    {
        // new Dropout: XRay.Models.Dropout, torch.nn.Dropout with its CPU noise drawn on every core (Dropout.cs).
        // FusingSequential: each ReLU + MaxPool2d runs as one op while training on the CPU (FusingSequential.cs).
        features = new FusingSequential(
            Conv2d(spec.Channels, 32, 3), ReLU(inplace: true), MaxPool2d(2),
            Conv2d(32, 32, 3), ReLU(inplace: true), MaxPool2d(2), new Dropout(0.2),
            Conv2d(32, 32, 3), ReLU(inplace: true), MaxPool2d(2), new Dropout(0.2));
        var (h, w) = (spec.Height, spec.Width);
        for (var block = 0; block < 3; block++) (h, w) = (ShapeMath.Pool(ShapeMath.Conv(h, 3)), ShapeMath.Pool(ShapeMath.Conv(w, 3)));
        classifier = Sequential(
            Flatten(), new Dropout(0.2),
            Linear(32L * h * w, 128), ReLU(inplace: true),
            Linear(128, OutputUnits));
        RegisterComponents();
    }

    public override int OutputUnits => Spec.Classes == 2 ? 1 : Spec.Classes;

    public Tensor FeatureMaps(Tensor input)
    {
        CheckInput(input);
        return features.call(input); // (B, 32, H', W'): 255 -> 126 -> 62 -> 30
    }

    public override Tensor forward(Tensor input)
    {
        using var x = FeatureMaps(input);
        return classifier.call(x); // (B, 1) or (B, K)
    }
}
