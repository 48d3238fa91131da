using TorchSharp.Modules;
using XRay.Models;
using XRay.Runtime;
using XRay.Training;
using static TorchSharp.torch;

namespace XRay.Tests.Training;

/// <summary>Trainer.Fit with TrainingOptions.Precision: what runs in bf16, what stays fp32, and what bf16 costs in accuracy.</summary>
public class TrainerPrecisionTests
{
    private static readonly TrainingOptions Cpu = new() { LearningRate = 1e-3, Device = CPU, Seed = 7, BatchSize = 32 };

    private static (double Accuracy, History History) TrainAndTest(ClassifierModel model, TrainingOptions options)
    {
        using var train = PatternData.Create(192, 24, 3, seed: 1);
        using var val = PatternData.Create(96, 24, 3, seed: 2, shuffle: false);
        using var test = PatternData.Create(150, 24, 3, seed: 3, shuffle: false);
        var history = Trainer.Fit(model, train, val, options);
        return (Trainer.Evaluate(model, test).Accuracy, history);
    }

    [Fact]
    [Trait("Category", TestCategories.Slow)]
    public void Bf16_training_runs_convolutions_and_linears_in_bf16_keeps_fp32_weights_and_checkpoint_and_matches_fp32_accuracy()
    {
        var output = TestFiles.TempFolder();
        var bf16 = Cpu with { Epochs = 8, Precision = TrainingPrecision.Bf16, OutputDirectory = output };
        using var model = ModelFactory.Create("blog-cnn", 1, 24, 24, 3, seed: 11);
        if (!CpuFlags.Current.HasBf16)
        {
            // Documented behaviour where the CPU lacks the instructions: refused before training, naming them.
            Assert.Contains("avx512_bf16", Assert.Throws<ArgumentException>(() => TrainAndTest(model, bf16)).Message);
            return;
        }

        var seen = new List<(string Layer, bool Training, ScalarType Dtype)>();
        foreach (var conv in model.modules().OfType<Conv2d>())
        {
            var layer = conv.weight!.shape[1] == 1 ? "first conv" : "conv"; // the 1-channel input's, in bf16 like the rest
            conv.register_forward_hook((m, _, output) => { seen.Add((layer, m.training, output.dtype)); return output; });
        }
        foreach (var linear in model.modules().OfType<Linear>())
            linear.register_forward_hook((m, _, output) => { seen.Add(("linear", m.training, output.dtype)); return output; });

        using var train = PatternData.Create(192, 24, 3, seed: 1);
        using var val = PatternData.Create(96, 24, 3, seed: 2, shuffle: false);
        var history = Trainer.Fit(model, train, val, bf16);
        var duringFit = seen.ToList();
        using var test = PatternData.Create(150, 24, 3, seed: 3, shuffle: false);
        var accuracy = Trainer.Evaluate(model, test).Accuracy;
        using var fp32Model = ModelFactory.Create("blog-cnn", 1, 24, 24, 3, seed: 11);
        var (fp32Accuracy, _) = TrainAndTest(fp32Model, Cpu with { Epochs = 8, Precision = TrainingPrecision.Fp32 });

        // Training steps ran every conv and linear in bf16; validation during fit and Evaluate after it ran in fp32, so the
        // logged val metrics are what the fp32 checkpoint gives anywhere.
        var training = duringFit.Where(s => s.Training).ToList();
        Assert.Contains(training, s => s.Layer == "conv");
        Assert.Contains(training, s => s.Layer == "linear");
        Assert.Contains(training, s => s.Layer == "first conv");
        Assert.All(training, s => Assert.Equal(ScalarType.BFloat16, s.Dtype));
        Assert.Contains(duringFit, s => !s.Training);
        Assert.All(duringFit.Where(s => !s.Training), s => Assert.Equal(ScalarType.Float32, s.Dtype));
        Assert.All(seen.Skip(duringFit.Count), s => Assert.Equal(ScalarType.Float32, s.Dtype));
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));

        Assert.True(accuracy > 0.8, $"bf16 test accuracy {accuracy:F3}; val: {string.Join(", ", history.Epochs.Select(e => e.ValAccuracy))}");
        Assert.True(Math.Abs(accuracy - fp32Accuracy) <= 0.05, $"bf16 {accuracy:F3} vs fp32 {fp32Accuracy:F3}");

        // The checkpoint is fp32 and loads into an ordinary fp32 model, which predicts as the trained one does in fp32.
        using var checkpoint = Checkpoint.Load(Path.Combine(output, "checkpoint.pt"));
        Assert.Equal(TrainingPrecision.Bf16, checkpoint.Options!.Precision);
        using var loaded = checkpoint.CreateModel(CPU);
        Assert.All(loaded.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        Assert.All(checkpoint.ModelState.Values, t => Assert.Contains(t.dtype, new[] { ScalarType.Float32, ScalarType.Int64 }));
        Assert.Equal(Trainer.Evaluate(model, test).Accuracy, Trainer.Evaluate(loaded, test).Accuracy);
    }

    [Fact]
    public void Fp16_on_the_cpu_is_refused_before_training_starts()
    {
        using var model = ModelFactory.Create("blog-cnn", 1, 24, 24, 3, seed: 11);
        var before = model.parameters().First().clone();
        var e = Assert.Throws<ArgumentException>(() => TrainAndTest(model, Cpu with { Epochs = 1, Precision = TrainingPrecision.Fp16 }));
        Assert.Contains("fp16 runs on CUDA only", e.Message);
        Assert.True(before.equal(model.parameters().First()).all().item<bool>());
    }
}
