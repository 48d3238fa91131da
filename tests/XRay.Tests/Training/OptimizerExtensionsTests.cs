using XRay.Models;
using XRay.Runtime;
using XRay.Training;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace XRay.Tests.Training;

public class OptimizerExtensionsTests
{
    [Fact]
    public void The_learning_rate_reads_and_sets_every_group()
    {
        using var model = nn.Linear(3, 2);
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        Assert.Equal(0.1, optimizer.LearningRate);
        optimizer.LearningRate = 0.025;
        Assert.All(optimizer.ParamGroups, g => Assert.Equal(0.025, g.LearningRate));
    }

    /// <summary>Adam's moments of a channels-last model are channels-last; saving and restoring them must still be exact.</summary>
    [Fact]
    public void State_bytes_of_a_channels_last_model_restore_into_a_fresh_optimizer_and_give_the_same_next_step()
    {
        ClassifierModel Build() => ModelFactory.Create(ModelFactory.BlogCnnArch, 1, 32, 32, 2, seed: 5).ToChannelsLast();
        using var x = rand(4, 1, 32, 32, generator: new TorchSharp.torch.Generator(7)).ToChannelsLast();
        using var y = tensor(new long[] { 0, 1, 1, 0 });
        void Step(ClassifierModel m, optim.Optimizer o)
        {
            using var scope = NewDisposeScope();
            o.zero_grad();
            ClassifierOutput.Loss(m.call(x), y).backward();
            o.step();
        }

        using var a = Build();
        a.eval(); // no dropout: the steps must match exactly
        using var optA = optim.Adam(a.parameters(), 1e-3);
        Step(a, optA);
        var state = optA.StateBytes();
        var weights = a.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());

        using var b = Build();
        b.eval();
        StateDicts.Load(b, weights);
        using var optB = optim.Adam(b.parameters(), 1e-3);
        optB.LoadStateBytes(state);
        Assert.All(b.parameters().Where(p => p.ndim == 4), p => Assert.True(p.IsChannelsLast()));

        Step(a, optA);
        Step(b, optB);
        foreach (var (name, t) in a.state_dict()) Assert.True(t.allclose(b.state_dict()[name], rtol: 0, atol: 0), $"{name} differs");
        foreach (var t in weights.Values) t.Dispose();
    }

    [Fact]
    public void State_of_another_optimizer_is_refused_clearly()
    {
        using var model = nn.Linear(3, 2);
        using var adam = optim.Adam(model.parameters());
        using var sgd = optim.SGD(model.parameters(), 0.1);
        var e = Assert.Throws<InvalidDataException>(() => sgd.LoadStateBytes(adam.StateBytes()));
        Assert.Contains("does not fit", e.Message);
    }
}
