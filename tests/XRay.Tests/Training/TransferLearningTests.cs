using XRay.Data;
using XRay.Models;
using XRay.Synthetic;
using XRay.TestSupport;
using XRay.Training;
using XRay.Weights;
using static TorchSharp.torch;

namespace XRay.Tests.Training;

public class TransferLearningTests
{
    private static readonly TrainingOptions Cpu = new() { Epochs = 4, LearningRate = 1e-4, Device = CPU, Seed = 7, BatchSize = 16 };

    /// <summary>RGB loaders on a small synthetic set at 32 px: training and the validation held out of it.</summary>
    private static (DataLoader Train, DataLoader Val) Loaders(int perClass)
    {
        var root = SyntheticChestXray.Generate(TestFiles.TempFolder(), new SyntheticOptions { PerClass = perClass, TestPerClass = 1, Size = 32, Seed = 5 }).Root;
        var dataset = ImageDataset.OpenInBlogOrder(root, seed: 42);
        var rgb = new Preprocessing(32, 32, ColorMode.Rgb);
        var options = new DataLoaderOptions { BatchSize = 16, Seed = 42 };
        return (DataLoader.FromImageFolder(dataset.Train!, rgb, options), DataLoader.FromImageFolder(dataset.Val!, rgb, options with { Shuffle = false }));
    }

    /// <summary>Records the features' first convolution kernel and a batch norm's running mean when a phase ends.</summary>
    private sealed class FeatureSnapshot : Callback
    {
        public Tensor? Kernel;
        public Tensor? RunningMean;

        public override void OnFitEnd(TrainingContext context)
        {
            var state = context.Model.state_dict();
            Kernel = state["features.conv1.weight"].detach().clone();
            RunningMean = state["features.conv1_bn.running_mean"].detach().clone();
        }
    }

    [Fact]
    public void Two_phase_trains_the_head_alone_first_then_the_whole_network_at_the_lower_rate()
    {
        var (train, val) = Loaders(perClass: 20);
        using var model = (TransferModel)ModelFactory.Create("mobilenet", 3, 32, 32, 3, seed: 3);
        using var kernel0 = model.state_dict()["features.conv1.weight"].detach().clone();
        using var mean0 = model.state_dict()["features.conv1_bn.running_mean"].detach().clone();
        using var head0 = model.state_dict()["classifier.0.weight"].detach().clone();
        var afterHead = new FeatureSnapshot();

        var history = TransferLearning.FitTwoPhase(model, train, val, Cpu, headEpochs: 1, headLearningRate: 1e-3, headCallbacks: new[] { afterHead });

        // Phase 1: the features and their batch-norm statistics stay as loaded; the head learns.
        Assert.True(afterHead.Kernel!.eq(kernel0).all().item<bool>(), "the frozen features changed during the head phase");
        Assert.True(afterHead.RunningMean!.eq(mean0).all().item<bool>(), "the frozen batch norms updated their statistics during the head phase");
        // Phase 2: everything learns, and the model is left unfrozen.
        Assert.False(model.state_dict()["features.conv1.weight"].eq(kernel0).all().item<bool>());
        Assert.False(model.state_dict()["classifier.0.weight"].eq(head0).all().item<bool>());
        Assert.False(model.FeaturesFrozen);
        Assert.Equal(new[] { 1, 2, 3, 4 }, history.Epochs.Select(e => e.Epoch)); // Keras's 1-based epochs, numbered on across the phases
        Assert.Equal(new[] { 1e-3, 1e-4, 1e-4, 1e-4 }, history.Epochs.Select(e => e.LearningRate));
        afterHead.Kernel.Dispose();
        afterHead.RunningMean!.Dispose();
    }

    [Fact]
    public void Two_phase_fine_tunes_at_least_one_epoch_and_rejects_a_headless_plan()
    {
        var (train, _) = Loaders(perClass: 8);
        using var model = (TransferModel)ModelFactory.Create("mobilenet", 3, 32, 32, 3, seed: 3);
        var history = TransferLearning.FitTwoPhase(model, train, null, Cpu with { Epochs = 1 }, headEpochs: 1, headLearningRate: 1e-3);
        Assert.Equal(2, history.Epochs.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => TransferLearning.FitTwoPhase(model, train, null, Cpu, headEpochs: 0, headLearningRate: 1e-3));
    }

    [Fact]
    public void Seed001_callbacks_are_its_reduce_lr_on_plateau_and_a_best_val_accuracy_checkpoint()
    {
        var callbacks = TransferLearning.Seed001Callbacks("/runs/x");
        var reduce = Assert.IsType<ReduceLROnPlateau>(callbacks[0]);
        Assert.Equal((0.1, 6, 5e-9), (reduce.Factor, reduce.Patience, reduce.MinLr));
        var checkpoint = Assert.IsType<ModelCheckpoint>(callbacks[1]);
        Assert.Equal(Path.Combine("/runs/x", "best.pt"), checkpoint.Path);
        Assert.True(checkpoint.SaveBestOnly);
        Assert.Contains("val_accuracy", checkpoint.StateKey);
    }

    /// <summary>
    /// What 07-transfer-learning claims, on a small synthetic set: seed 001's recipe (whole network, Adam 1e-4) from the
    /// ImageNet ResNet that works offline reaches a higher validation accuracy than the same network from scratch.
    /// </summary>
    [Fact]
    [Trait("Category", TestCategories.Slow)]
    public void Seed001s_recipe_from_imagenet_beats_the_same_network_from_scratch()
    {
        var root = SyntheticChestXray.Generate(TestFiles.TempFolder(), new SyntheticOptions { PerClass = 60, TestPerClass = 1, Size = 64, Seed = 5 }).Root;
        var dataset = ImageDataset.OpenInBlogOrder(root, seed: 42);
        var rgb = new Preprocessing(64, 64, ColorMode.Rgb);
        double Best(string weights)
        {
            var input = PretrainedWeights.PreprocessingFor(weights, ModelFactory.ResNet18MlnetArch, rgb);
            var options = new DataLoaderOptions { BatchSize = 16, Seed = 42 };
            var train = DataLoader.FromImageFolder(dataset.Train!, input, options);
            var val = DataLoader.FromImageFolder(dataset.Val!, input, options with { Shuffle = false });
            using var model = XRay.Weights.PretrainedWeights.CreateModel(new ModelSpec(ModelFactory.ResNet18MlnetArch, 3, 64, 64, 3), weights, seed: 42);
            var history = Trainer.Fit(model, train, val, Cpu with { Epochs = 6 }, new Callback[] { ReduceLROnPlateau.Seed001() });
            return history.Epochs.Max(e => e.ValAccuracy ?? 0);
        }
        var pretrained = Best(WeightCatalog.ImageNet);
        var scratch = Best(WeightCatalog.None);
        Assert.True(pretrained > scratch + 0.05, $"ImageNet {pretrained:F3} against scratch {scratch:F3}");
    }
}
