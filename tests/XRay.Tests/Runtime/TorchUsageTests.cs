using System.Diagnostics;
using TorchSharp;
using XRay.Data;
using XRay.Models;
using XRay.Synthetic;
using XRay.Training;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace XRay.Tests.Runtime;

/// <summary>How this library uses TorchSharp: every step in a dispose scope, no native growth, libtorch's errors as .NET exceptions.</summary>
public class TorchUsageTests
{
    [Fact]
    public void A_training_step_in_a_scope_leaves_no_live_temporaries()
    {
        manual_seed(0);
        using var model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 6 * 6, 2));
        using var optimizer = optim.Adam(model.parameters());
        using var x = randn(8, 1, 8, 8);
        using var y = randint(0, 2, new long[] { 8 });
        Tensor loss;
        using (var scope = NewDisposeScope())
        {
            optimizer.zero_grad();
            loss = F.cross_entropy(model.call(x), y);
            loss.backward();
            optimizer.step();
        }
        Assert.True(loss.IsInvalid, "the loss was disposed with its scope");
        Assert.All(model.parameters(), p => Assert.False(p.IsInvalid)); // parameters are not the scope's
    }

    /// <summary>
    /// 2,000 training steps of the real loader and Trainer keep the process's memory flat: the synthetic set decoded and
    /// cached once, then every epoch shuffled, gathered, converted and fed to Fit with validation and its callbacks. After a
    /// warm-up of 100 steps, RSS may grow by 10 % + 8 MB at most over the next 1,900, as the toy loop this replaced allowed.
    /// Memory, not time: it holds however busy the machine is.
    /// </summary>
    [Fact]
    [Trait("Category", TestCategories.Slow)]
    public void Two_thousand_training_steps_keep_rss_flat()
    {
        var root = TestFiles.TempFolder("synthetic-");
        SyntheticChestXray.Generate(root, new SyntheticOptions { Classes = 2, PerClass = 16, ValPerClass = 4, TestPerClass = 0, Size = 32, Seed = 3 });
        var loader = new DataLoaderOptions { BatchSize = 4, Seed = 3, Cache = CacheMode.Memory, Workers = 2 };
        var train = DataLoader.FromFolder(root, "train", new Preprocessing(24, 24), batchSize: 4, seed: 3, options: loader);
        var val = DataLoader.FromFolder(root, "val", new Preprocessing(24, 24), batchSize: 4, shuffle: false, seed: 3, options: loader);
        Assert.Equal(8, train.BatchCount); // 250 epochs of 8 steps: 2,000 steps
        using var model = ModelFactory.Create(new ModelSpec("cnn", 1, 24, 24, 2) { Cnn = new CnnOptions { Filters = new[] { 4, 8 }, Dense = new[] { 8 } } }, seed: 3);
        var rss = new RssAtEpochs(warmupEpochs: 100 / 8);

        var history = Trainer.Fit(model, train, val, new TrainingOptions { Epochs = 250, BatchSize = 4, LearningRate = 1e-3, Device = CPU, Seed = 3 }, [rss]);

        Assert.Equal(250, history.Epochs.Count);
        Assert.True(rss.After <= rss.Baseline * 1.10 + 8e6,
            $"RSS grew from {rss.Baseline / 1e6:F1} MB after 100 steps to {rss.After / 1e6:F1} MB after 2000 steps");
    }

    /// <summary>RSS (after a full collection) when epoch <c>warmupEpochs</c> starts and when the fit ends.</summary>
    private sealed class RssAtEpochs(int warmupEpochs) : Callback
    {
        public long Baseline { get; private set; }
        public long After { get; private set; }

        public override void OnEpochStart(TrainingContext context, int epoch)
        {
            if (epoch == warmupEpochs) Baseline = Rss();
        }

        public override void OnFitEnd(TrainingContext context) => After = Rss();
    }

    private static long Rss()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    [Fact]
    public void Libtorch_errors_surface_as_dotnet_exceptions_with_libtorchs_message_and_the_process_goes_on()
    {
        using var a = rand(2, 3);
        using var b = rand(4, 5);
        Assert.Contains("The size of tensor a (3) must match the size of tensor b (5)", Assert.ThrowsAny<Exception>(() => a.add(b)).Message);
        Assert.Contains("shape '[7]' is invalid for input of size 6", Assert.ThrowsAny<Exception>(() => a.view(7)).Message);
        Assert.Contains("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)", Assert.ThrowsAny<Exception>(() => a.mm(b)).Message);
        using var linear = nn.Linear(5, 2);
        Assert.Contains("mat1 and mat2 shapes cannot be multiplied", Assert.ThrowsAny<Exception>(() => linear.call(a)).Message);
        // (Tensor.matmul is the exception: TorchSharp 0.107 does not catch its errors, see environment.md.)
        using var c = a.mm(rand(3, 4));
        Assert.Equal(new long[] { 2, 4 }, c.shape);
    }

    [Theory]
    [InlineData(ModelFactory.BlogCnnArch)]
    [InlineData(ModelFactory.MlpArch)]
    [InlineData(ModelFactory.CnnArch)]
    [InlineData(ModelFactory.MobileNetV2Arch)]
    public void A_model_fed_the_wrong_input_shape_says_what_it_expects(string arch)
    {
        using var model = ModelFactory.Create(arch, 1, 64, 64, 2, seed: 0);
        using var wrong = rand(1, 1, 80, 80);
        var e = Assert.Throws<ArgumentException>(() => model.call(wrong));
        Assert.Contains("expects images of shape (B, 1, 64, 64), got [1, 1, 80, 80]", e.Message);
        using var three = rand(2, 3, 64, 64);
        Assert.Throws<ArgumentException>(() => model.call(three));
        using var right = rand(2, 1, 64, 64);
        using var output = model.call(right);
        Assert.Equal(2, output.shape[0]);
    }
}
