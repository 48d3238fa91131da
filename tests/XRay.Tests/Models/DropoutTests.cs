using TorchSharp;
using XRay.Models;
using XRay.Runtime;
using static TorchSharp.torch;

namespace XRay.Tests.Models;

public class DropoutTests
{
    [Theory]
    [InlineData(ScalarType.Float32, 0.2, 1.25)]
    [InlineData(ScalarType.BFloat16, 0.2, 1.25)]
    [InlineData(ScalarType.Float16, 0.5, 2.0)]
    [InlineData(ScalarType.Float64, 0.05, 1 / 0.95)]
    [InlineData(ScalarType.BFloat16, 0.3, 1.4296875)] // 1 / 0.7 = 1.42857... rounded to bfloat16's 8 bits
    public void Keeps_a_share_of_one_minus_p_and_scales_what_it_keeps(ScalarType dtype, double p, double scale)
    {
        using var scope = NewDisposeScope();
        using var dropout = new Dropout(p);
        dropout.train();
        var x = ones(600_000, dtype: dtype);
        var y = dropout.call(x).to(ScalarType.Float64);

        var kept = y.ne(0);
        var share = kept.to(ScalarType.Float64).mean().item<double>();
        var sd = Math.Sqrt(p * (1 - p) / 600_000);
        Assert.InRange(share, 1 - p - 5 * sd, 1 - p + 5 * sd);
        // Every value is 0 or exactly the scale in the input's dtype.
        var expected = tensor(scale, ScalarType.Float64).to(dtype).to(ScalarType.Float64).item<double>();
        Assert.Equal(expected, scale, 6);
        Assert.True(y.masked_select(kept).eq(expected).all().item<bool>());
        // Both halves of each 64-bit draw decide values: even and odd positions each keep 1 - p.
        foreach (var offset in new[] { 0L, 1L })
        {
            var half = kept[TensorIndex.Slice(offset, null, 2)].to(ScalarType.Float64).mean().item<double>();
            Assert.InRange(half, 1 - p - 8 * sd, 1 - p + 8 * sd);
        }
    }

    [Fact]
    public void Noise_has_the_inputs_layout_and_the_output_its_strides()
    {
        using var scope = NewDisposeScope();
        using var dropout = new Dropout(0.2);
        dropout.train();
        var x = (rand(4, 3, 9, 7) + 1).ToChannelsLast();
        var y = dropout.call(x);
        Assert.Equal(x.stride(), y.stride());
        Assert.Equal(x.stride(), DropoutNoise.Draw(x, 0.2).stride());
        // Each output value is 0 or its own input times 1.25: the noise lines up with the input, position by position.
        var ratio = y / x;
        Assert.True((ratio.eq(0) | ratio.sub(1.25).abs().lt(1e-6)).all().item<bool>());
        Assert.True(y.eq(0).any().item<bool>());
    }

    [Fact]
    public void The_gradient_is_the_noise()
    {
        using var scope = NewDisposeScope();
        using var dropout = new Dropout(0.25);
        dropout.train();
        var x = (rand(8, 16, 5, 5) + 0.5).to(ScalarType.BFloat16).ToChannelsLast().requires_grad_();
        var y = dropout.call(x);
        y.to(ScalarType.Float32).sum().backward();
        var grad = x.grad!.to(ScalarType.Float32);
        var expected = y.detach().ne(0).to(ScalarType.Float32) * (4f / 3f);
        Assert.True(grad.sub(expected).abs().max().item<float>() < 0.01f);
    }

    [Fact]
    public void Eval_mode_p_0_and_p_1_and_in_place()
    {
        using var scope = NewDisposeScope();
        var x = rand(64, 10) + 1;
        using (var dropout = new Dropout(0.5))
        {
            dropout.eval();
            Assert.True(dropout.call(x).equal(x).all().item<bool>());
        }
        using (var none = new Dropout(0))
        {
            none.train();
            Assert.True(none.call(x).equal(x).all().item<bool>());
        }
        using (var all = new Dropout(1))
        {
            all.train();
            Assert.Equal(0, all.call(x).abs().sum().item<float>());
        }
        using (var inPlace = new Dropout(0.5, inplace: true))
        {
            inPlace.train();
            var copy = x.clone();
            var y = inPlace.call(copy);
            Assert.True(copy.equal(y).all().item<bool>());
            Assert.True(copy.eq(0).any().item<bool>());
        }
    }

    [Fact]
    public void Works_inside_Sequential_in_place_or_not_in_both_modes()
    {
        // Sequential disposes each layer's input once the layer has run, so a layer must never return its input object.
        using var scope = NewDisposeScope();
        using var model = nn.Sequential(nn.Linear(6, 8), new Dropout(0.5, inplace: true), nn.ReLU(), new Dropout(0.5), nn.Linear(8, 2));
        var x = rand(5, 6);
        foreach (var training in new[] { true, false })
        {
            model.train(training);
            var y = model.call(x);
            Assert.Equal(new long[] { 5, 2 }, y.shape);
            Assert.True(y.isfinite().all().item<bool>());
        }
    }

    [Fact]
    public void Tensors_it_does_not_draw_for_go_to_libtorchs_dropout()
    {
        using var scope = NewDisposeScope();
        var strided = ones(400, 600)[TensorIndex.Colon, TensorIndex.Slice(0, null, 2)]; // every other column: not dense
        Assert.False(DropoutNoise.Handles(strided));
        Assert.False(DropoutNoise.Handles(ones(10, dtype: ScalarType.Int32)));
        Assert.True(DropoutNoise.Handles(ones(4, 3, 5, 5).ToChannelsLast()));
        Assert.True(DropoutNoise.Handles(ones(4, 1, 5, 5).ToChannelsLast())); // one channel: size-1 dims have any stride
        using var dropout = new Dropout(0.5);
        dropout.train();
        var share = dropout.call(strided).ne(0).to(ScalarType.Float64).mean().item<double>();
        Assert.InRange(share, 0.48, 0.52);
        var error = Assert.Throws<ArgumentException>(() => DropoutNoise.Draw(strided, 0.5));
        Assert.Contains("strides", error.Message);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_probability_outside_0_to_1_is_refused(double p)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(p));
        Assert.Contains("between 0 and 1", error.Message);
    }

    [Fact]
    public void The_models_use_it_and_summaries_still_say_Dropout()
    {
        using var model = new BlogCnn(1, 48, 48);
        Assert.Equal(3, model.modules().OfType<Dropout>().Count());
        Assert.Empty(model.modules().OfType<TorchSharp.Modules.Dropout>());
        Assert.Equal(3, ModelSummary.Create(model, 1, 48, 48).Layers.Count(l => l.Type == "Dropout"));
    }
}
