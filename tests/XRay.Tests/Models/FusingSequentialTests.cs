using TorchSharp;
using XRay.Models;
using XRay.Runtime;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace XRay.Tests.Models;

public class FusingSequentialTests
{
    public static TheoryData<string, bool> Models => new()
    {
        { "blog-cnn", false },
        { "blog-cnn", true },
        { "cnn", false }, // batch norm, two convolutions a block, 'same' padding
        { "cnn", true },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void A_training_step_is_the_layer_by_layer_ones_bit_for_bit(string arch, bool bf16)
    {
        using var scope = NewDisposeScope();
        var (fused, layered) = (Build(arch), Build(arch));
        // A hook on each ReLU makes a pair run layer by layer (the hook must see the ReLU's own output).
        foreach (var relu in layered.modules().OfType<TorchSharp.Modules.ReLU>())
            relu.register_forward_hook((_, _, output) => output);
        manual_seed(9);
        var x = randn(4, 1, 28, 28).ToChannelsLast();
        var y = tensor(new float[] { 0, 1, 1, 0 });

        var before = FusingSequential.FusedCalls;
        var (fusedLogits, fusedGrads) = Step(fused, x, y, bf16);
        var fusedPairs = FusingSequential.FusedCalls - before;
        var (layeredLogits, layeredGrads) = Step(layered, x, y, bf16);

        Assert.Equal(arch == "blog-cnn" ? 3 : 2, fusedPairs);
        Assert.Equal(fusedPairs, FusingSequential.FusedCalls - before); // none from the hooked model
        Assert.True(fusedLogits.equal(layeredLogits).all().item<bool>());
        Assert.Equal(layeredGrads.Count, fusedGrads.Count);
        foreach (var (name, grad) in layeredGrads)
            Assert.True(grad.equal(fusedGrads[name]).all().item<bool>(), $"{name}'s gradient differs");
    }

    [Fact]
    public void Runs_layer_by_layer_when_not_training_or_where_the_op_does_not_apply()
    {
        using var scope = NewDisposeScope();
        manual_seed(10);
        var x = randn(2, 8, 6, 6).ToChannelsLast().requires_grad_();
        var expected = functional.max_pool2d(functional.relu(x), 2).detach();
        var cases = new (string What, Func<Tensor> Run)[]
        {
            ("eval mode", () => { var m = Pair(MaxPool2d(2)); m.eval(); return m.call(x); }),
            ("no gradients", () => { using var _ = no_grad(); return Pair(MaxPool2d(2)).call(x); }),
            ("an input that needs no gradient", () => Pair(MaxPool2d(2)).call(x.detach())),
            ("(N, C, H, W) in memory", () => Pair(MaxPool2d(2)).call(x.contiguous())),
            ("stride 1", () => Pair(MaxPool2d(2, stride: 1)).call(x)),
            ("padding", () => Pair(MaxPool2d(2, padding: 1)).call(x)),
            ("ceil mode", () => Pair(MaxPool2d(2, ceil_mode: true)).call(x)),
            ("a window that is not square", () => Pair(MaxPool2d(new long[] { 2, 1 })).call(x)),
            ("a ReLU that is not followed by max pooling", () => new FusingSequential(ReLU(), Identity(), MaxPool2d(2)).call(x)),
        };
        foreach (var (what, run) in cases)
        {
            var before = FusingSequential.FusedCalls;
            var y = run();
            Assert.True(FusingSequential.FusedCalls == before, $"{what}: ran as one op");
            if (y.shape.SequenceEqual(expected.shape)) Assert.True(y.detach().equal(expected).all().item<bool>(), what);
        }

        var fusedBefore = FusingSequential.FusedCalls;
        var fused = Pair(MaxPool2d(2)).call(x);
        Assert.Equal(fusedBefore + 1, FusingSequential.FusedCalls);
        Assert.True(fused.detach().equal(expected).all().item<bool>());
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.BFloat16)]
    public void Second_derivatives_are_the_layer_by_layers(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        manual_seed(12);
        var x = randn(2, 8, 7, 9).to(dtype).ToChannelsLast();
        var c = randn(2, 8, 7, 9).to(dtype);
        Tensor SecondOrder(FusingSequential layers, out long fusedPairs)
        {
            // A gradient penalty: d/dw of sum(c * dy/dx), where y = pool(relu(x * w)).
            var w = full(new long[] { 1 }, 1.5, dtype: dtype).requires_grad_();
            var xin = (x * w).ToChannelsLast();
            var before = FusingSequential.FusedCalls;
            var y = layers.call(xin);
            fusedPairs = FusingSequential.FusedCalls - before;
            var dx = autograd.grad(new[] { (y * y).sum() }, new[] { xin }, retain_graph: true, create_graph: true)[0];
            (dx * c).sum().backward();
            return w.grad!.clone();
        }
        var layered = Pair(MaxPool2d(2));
        ((Module<Tensor, Tensor>)layered.children().First()).register_forward_hook((_, _, output) => output);
        var fromLayers = SecondOrder(layered, out var none);
        var fromOneOp = SecondOrder(Pair(MaxPool2d(2)), out var one);
        Assert.Equal((0L, 1L), (none, one));
        Assert.True(fromLayers.ne(0).all().item<bool>());
        Assert.True(fromOneOp.equal(fromLayers).all().item<bool>(), $"{fromOneOp.to(ScalarType.Float64).item<double>()} vs {fromLayers.to(ScalarType.Float64).item<double>()}");
    }

    [Fact]
    public void A_hook_on_either_layer_sees_that_layers_output()
    {
        using var scope = NewDisposeScope();
        var x = randn(2, 8, 6, 6).ToChannelsLast().requires_grad_();
        foreach (var hooked in new[] { 0, 1 })
        {
            var layers = Pair(MaxPool2d(2));
            Tensor? seen = null;
            ((Module<Tensor, Tensor>)layers.children().ElementAt(hooked)).register_forward_hook((_, _, output) =>
            {
                seen = output.detach().clone();
                return output;
            });
            var before = FusingSequential.FusedCalls;
            var y = layers.call(x);
            Assert.Equal(before, FusingSequential.FusedCalls);
            Assert.NotNull(seen);
            Assert.Equal(hooked == 0 ? x.shape : y.shape, seen!.shape);
        }
    }

    [Fact]
    public void Has_the_names_and_parameters_of_a_Sequential_with_the_same_layers()
    {
        using var scope = NewDisposeScope();
        var layers = new Module<Tensor, Tensor>[] { Conv2d(1, 4, 3), ReLU(inplace: true), MaxPool2d(2), Conv2d(4, 4, 3) };
        using var fused = new FusingSequential(layers);
        using var plain = Sequential(layers);
        Assert.Equal(plain.named_parameters().Select(p => p.name), fused.named_parameters().Select(p => p.name));
        Assert.Equal(new[] { "0.weight", "0.bias", "3.weight", "3.bias" }, fused.state_dict().Keys);
        using var model = new BlogCnn(1, 40, 40);
        Assert.Contains("features.7.weight", model.state_dict().Keys); // the third convolution keeps its place
    }

    private static FusingSequential Pair(Module<Tensor, Tensor> pool)
    {
        var pair = new FusingSequential(ReLU(), pool);
        pair.train();
        return pair;
    }

    private static ClassifierModel Build(string arch)
    {
        manual_seed(8);
        var spec = new ModelSpec(arch, 1, 28, 28, 2)
        {
            Cnn = new CnnOptions { Filters = new[] { 8, 16 }, ConvsPerBlock = 2, BatchNorm = true, Dense = new[] { 16 } },
        };
        var model = ModelFactory.Create(spec).ToChannelsLast();
        model.train();
        return model;
    }

    private static (Tensor Logits, Dictionary<string, Tensor> Grads) Step(ClassifierModel model, Tensor x, Tensor y, bool bf16)
    {
        manual_seed(11); // the same dropout noise for both models
        Tensor logits;
        using (Autocast.Enter(x.device, bf16 ? ScalarType.BFloat16 : null))
            logits = model.call(x);
        var flat = logits.to(ScalarType.Float32).reshape(-1, logits.shape[^1]);
        var loss = flat.shape[1] == 1
            ? functional.binary_cross_entropy_with_logits(flat.squeeze(1), y)
            : functional.cross_entropy(flat, y.to(ScalarType.Int64));
        loss.backward();
        return (logits.detach(), model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone()));
    }
}
