using XRay.Models;
using static TorchSharp.torch;

namespace XRay.Tests.Models;

public class ModelFactoryTests
{
    [Theory]
    [InlineData("blog-cnn", 2, 1)]
    [InlineData("blog-cnn", 3, 3)]
    [InlineData("mlp", 2, 2)]
    [InlineData("cnn", 3, 3)]
    [InlineData("mobilenet-v2", 3, 3)]
    [InlineData("vgg19", 2, 2)]
    public void Every_architecture_maps_images_to_logits(string arch, int classes, int units)
    {
        using var model = ModelFactory.Create(arch, 1, 32, 32, classes, seed: 1);
        model.eval();
        using var x = rand(2, 1, 32, 32);
        using var y = model.call(x);
        Assert.Equal(new long[] { 2, units }, y.shape);
        Assert.Equal(arch, model.Spec.Arch);
    }

    [Fact]
    public void Same_seed_same_weights_and_unknown_names_are_refused()
    {
        using var a = ModelFactory.Create("cnn", 1, 16, 16, 2, seed: 5);
        using var b = ModelFactory.Create("cnn", 1, 16, 16, 2, seed: 5);
        foreach (var (name, t) in a.state_dict()) Assert.True(t.allclose(b.state_dict()[name], rtol: 0, atol: 0), name);
        Assert.Contains("blog-cnn, mlp, cnn, mobilenet-v2, vgg19", Assert.Throws<ArgumentException>(() => ModelFactory.Create("resnet", 1, 16, 16, 2)).Message);
        Assert.Equal((3, 224, 200), ModelFactory.ParseInputShape("3x224x200"));
        Assert.Throws<ArgumentException>(() => ModelFactory.ParseInputShape("224x224"));
    }

    [Fact]
    public void Spec_round_trips_through_json()
    {
        var spec = new ModelSpec("cnn", 1, 64, 64, 3) { Cnn = new CnnOptions { Filters = new[] { 8, 16 }, BatchNorm = true, L2 = 5e-7 } };
        var back = ModelSpec.FromJson(spec.ToJson());
        Assert.Equal(new[] { 8, 16 }, back.Cnn!.Filters);
        Assert.True(back.Cnn.BatchNorm);
        Assert.Equal(5e-7, back.Cnn.L2);
    }
}
