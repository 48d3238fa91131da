using XRay.Torch.Modules;

namespace XRay.Torch.Tests;

public class SequentialTests
{
    /// <summary>Seed 002's CNN: 3 x [Conv 32 3x3, ReLU, MaxPool 2], dropouts, Flatten, Dense 128, output.</summary>
    internal static Sequential BlogCnn(long channels, long size, long classes)
    {
        var features = nn.Sequential(
            nn.Conv2d(channels, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.2),
            nn.Conv2d(32, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.2),
            nn.Flatten());
        long flat;
        using (no_grad())
        using (var probe = zeros(1, channels, size, size))
        using (var output = features.call(probe))
            flat = output.shape[1];
        return nn.Sequential(("features", features), ("dropout", nn.Dropout(0.2)), ("fc", nn.Linear(flat, 128)),
            ("relu", nn.ReLU()), ("out", nn.Linear(128, classes)));
    }

    [Fact]
    public void Seed_002s_CNN_has_3706307_parameters_at_255px_with_3_classes()
    {
        using var model = BlogCnn(3, 255, 3);
        Assert.Equal(3_706_307, model.parameters().Sum(p => p.numel()));
        using var oneUnit = BlogCnn(3, 255, 1);
        Assert.Equal(3_706_049, oneUnit.parameters().Sum(p => p.numel())); // the blog's sigmoid head
    }

    [Fact]
    public void Forward_gives_one_row_per_image_and_children_are_numbered()
    {
        using var model = BlogCnn(1, 64, 3);
        using var x = randn(4, 1, 64, 64);
        using var y = model.call(x);
        Assert.Equal(new long[] { 4, 3 }, y.shape);
        Assert.Equal(new[] { "features", "dropout", "fc", "relu", "out" }, model.named_children().Select(c => c.name));
        Assert.StartsWith("features.0.weight", model.named_parameters().First().name);
        Assert.Equal(5, model.Count);
        Assert.IsType<Linear>(model[4]);
    }

    [Fact]
    public void Empty_sequential_passes_input_through()
    {
        using var model = nn.Sequential();
        using var x = ones(2);
        using var y = model.call(x);
        Assert.Equal(x.ToArray<float>(), y.ToArray<float>());
        Assert.False(ReferenceEquals(x, y));
    }

    [Fact]
    public void Duplicate_names_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => nn.Sequential(("a", nn.ReLU()), ("a", nn.ReLU())));
        Assert.Contains("'a'", e.Message);
    }
}
