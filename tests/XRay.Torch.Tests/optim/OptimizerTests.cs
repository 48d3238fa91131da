using F = XRay.Torch.torch.nn.functional;

namespace XRay.Torch.Tests;

public class OptimizerTests
{
    private static torch.nn.Parameter Scalar(float value) => new(tensor(new[] { value }));

    // loss = (w - 3)², gradient 2(w - 3).
    private static void Step(optim.Optimizer optimizer, torch.nn.Parameter w)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        (w - 3).square().sum().backward();
        optimizer.step();
    }

    [Fact]
    public void SGD_steps_match_hand_computed_values()
    {
        using var w = Scalar(0);
        using var sgd = optim.SGD(new[] { w }, lr: 0.1);
        Step(sgd, w);
        Assert.Equal(0.6f, w.item<float>(), 6); // 0 - 0.1 * (-6)

        using var m = Scalar(0);
        using var momentum = optim.SGD(new[] { m }, lr: 0.1, momentum: 0.9);
        Step(momentum, m); // v = -6, w = 0.6
        Step(momentum, m); // v = 0.9 * -6 - 4.8 = -10.2, w = 1.62
        Assert.Equal(1.62f, m.item<float>(), 5);
        Assert.Throws<ArgumentException>(() => optim.SGD(new[] { m }, lr: 0.1, nesterov: true)); // needs momentum
    }

    [Fact]
    public void Adams_first_step_moves_by_the_learning_rate()
    {
        using var w = Scalar(0);
        using var adam = optim.Adam(new[] { w }, lr: 1e-3);
        Step(adam, w);
        Assert.Equal(1e-3f, w.item<float>(), 6);
    }

    [Theory]
    [InlineData("SGD")]
    [InlineData("SGD-nesterov")]
    [InlineData("Adam")]
    [InlineData("AdamW")]
    [InlineData("RMSprop")]
    public void Every_optimizer_minimizes_a_quadratic(string name)
    {
        using var w = Scalar(0);
        var parameters = new[] { w };
        using var optimizer = name switch
        {
            "SGD" => optim.SGD(parameters, lr: 0.1),
            "SGD-nesterov" => optim.SGD(parameters, lr: 0.05, momentum: 0.9, nesterov: true),
            "Adam" => optim.Adam(parameters, lr: 0.1),
            "AdamW" => optim.AdamW(parameters, lr: 0.1, weight_decay: 0),
            _ => optim.RMSprop(parameters, lr: 0.05),
        };
        for (var i = 0; i < 300; i++) Step(optimizer, w);
        Assert.Equal(3f, w.item<float>(), 1);
    }

    [Fact]
    public void Learning_rate_can_be_read_and_set()
    {
        using var w = Scalar(0);
        using var adam = optim.Adam(new[] { w }, lr: 0.01);
        Assert.Equal(0.01, adam.LearningRate, 12);
        adam.LearningRate = 0.005;
        Assert.Equal(0.005, adam.LearningRate, 12);
        Assert.Throws<ArgumentException>(() => adam.LearningRate = -1);
        Assert.Throws<ArgumentException>(() => optim.Adam(Array.Empty<torch.nn.Parameter>()));
    }

    [Fact]
    public void Weight_decay_shrinks_weights_without_a_gradient_signal()
    {
        using var w = Scalar(1);
        using var sgd = optim.SGD(new[] { w }, lr: 0.1, weight_decay: 0.5);
        using (NewDisposeScope())
        {
            sgd.zero_grad();
            (w * 0).sum().backward();
            sgd.step();
        }
        Assert.Equal(0.95f, w.item<float>(), 6); // 1 - 0.1 * 0.5 * 1
    }

    /// <summary>Save a model and its optimizer mid-training; the restored pair takes an identical next step.</summary>
    [Fact]
    public void Model_and_optimizer_round_trip_gives_identical_outputs_and_next_step()
    {
        var folder = TestData.TempFolder();
        manual_seed(21);
        using var model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 6 * 6, 3));
        using var optimizer = optim.Adam(model.parameters(), lr: 1e-2);
        using var x = randn(5, 1, 8, 8);
        using var y = randint(0, 3, new long[] { 5 });

        void TrainStep(torch.nn.Module<Tensor, Tensor> m, optim.Optimizer o)
        {
            using var scope = NewDisposeScope();
            o.zero_grad();
            F.cross_entropy(m.call(x), y).backward();
            o.step();
        }

        for (var i = 0; i < 3; i++) TrainStep(model, optimizer);
        model.save(Path.Combine(folder, "model.pt"));
        optimizer.save_state_dict(Path.Combine(folder, "optim.pt"));

        manual_seed(99); // a different start, to be overwritten
        using var restored = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 6 * 6, 3));
        restored.load(Path.Combine(folder, "model.pt"));
        using var restoredOptimizer = optim.Adam(restored.parameters(), lr: 1e-2);
        restoredOptimizer.load_state_dict(Path.Combine(folder, "optim.pt"));

        using (var a = model.call(x))
        using (var b = restored.call(x))
            Assert.True(a.equal(b));

        TrainStep(model, optimizer);
        TrainStep(restored, restoredOptimizer);
        foreach (var (p, q) in model.parameters().Zip(restored.parameters()))
            Assert.True(p.equal(q), "parameters differ after the next step");

        // Without the optimizer state (fresh Adam moments) the next step would differ.
        using var fresh = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 6 * 6, 3));
        fresh.load(Path.Combine(folder, "model.pt"));
        using var freshOptimizer = optim.Adam(fresh.parameters(), lr: 1e-2);
        TrainStep(fresh, freshOptimizer);
        Assert.Contains(fresh.parameters().Zip(restored.parameters()), pair => !pair.First.allclose(pair.Second));
    }

    [Fact]
    public void Corrupt_optimizer_state_is_refused()
    {
        using var w = Scalar(0);
        using var adam = optim.Adam(new[] { w });
        Assert.ThrowsAny<Exception>(() => adam.load_state_dict(new byte[] { 1, 2, 3, 4 }));
        Assert.Throws<ArgumentException>(() => adam.load_state_dict(ReadOnlySpan<byte>.Empty));
        Step(adam, w); // still usable
    }
}
