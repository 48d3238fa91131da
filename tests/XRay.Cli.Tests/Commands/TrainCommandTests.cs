using System.Text.Json;
using System.Text.RegularExpressions;
using XRay.Training;

namespace XRay.Cli.Tests.Commands;

public class TrainCommandTests
{
    private static double[] Series(string historyJson, string key)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(historyJson));
        return doc.RootElement.GetProperty(key).EnumerateArray().Select(e => e.GetDouble()).ToArray();
    }

    [Fact]
    public void Train_writes_checkpoint_history_and_run_log_and_prints_keras_progress()
    {
        var run = TrainedSyntheticRun.Instance;

        Assert.True(run.Code == 0, run.Stderr);
        // 60 images, 20% held out per class for validation.
        Assert.Contains("train: found 48 images belonging to 3 classes (COVID19 16, NORMAL 16, PNEUMONIA 16).", run.Stdout);
        Assert.Contains("val: found 12 images belonging to 3 classes", run.Stdout);
        Assert.Contains("Epoch 1/2\n", run.Stdout);
        // No --precision: auto, which this machine's CPU and the input's one channel decide, printed with why.
        var auto = MixedPrecision.Resolve(TrainingPrecision.Auto, TorchSharp.torch.CPU, inputChannels: 1);
        Assert.Contains($"Precision: {auto.Name} (auto: ", run.Stdout);
        Assert.Matches(new Regex(@"^3/3 \[={30}\] - \d+s \d+m?s/step - loss: \d\.\d{4} - accuracy: \d\.\d{4} - precision: \d\.\d{4}(e[+-]\d\d)? - recall: \d\.\d{4}(e[+-]\d\d)? - f1: \d\.\d{4}(e[+-]\d\d)?" +
            @" - val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4} - val_precision: \d\.\d{4}(e[+-]\d\d)? - val_recall: \d\.\d{4}(e[+-]\d\d)? - val_f1: \d\.\d{4}(e[+-]\d\d)? - lr: 1\.0000e-03$",
            RegexOptions.Multiline), run.Stdout);
        Assert.Equal(new[] { 1.0, 2.0 }, Series(Path.Combine(run.Output, "history.json"), "epoch"));
        Assert.All(Series(Path.Combine(run.Output, "history.json"), "loss"), l => Assert.True(double.IsFinite(l) && l > 0));
        using (var checkpoint = Checkpoint.Load(run.Checkpoint))
        {
            Assert.Equal(2, checkpoint.Epoch);
            Assert.Equal(new[] { "COVID19", "NORMAL", "PNEUMONIA" }, checkpoint.ClassNames);
            Assert.Equal((64, 64, 1), (checkpoint.Preprocessing.Height, checkpoint.Preprocessing.Width, checkpoint.Preprocessing.Channels));
            Assert.Equal("blog-cnn", checkpoint.ModelSpec!.Arch);
        }
        using var log = RunLog.Open(Path.Combine(run.Output, RunLog.FileName));
        var logged = Assert.Single(log.Runs());
        Assert.Equal("completed", logged.Status);
        Assert.Equal(2, logged.EpochsCompleted);
    }

    [Fact]
    public void Resume_continues_with_the_loss_an_uninterrupted_run_has()
    {
        var run = TrainedSyntheticRun.Instance;
        var full = TestFiles.TempFolder();
        var resumed = TestFiles.TempFolder();

        var (fullCode, _, fullErr) = CliRunner.Run(run.TrainArgs(full, epochs: 3));
        var (code, output, error) = CliRunner.Run(run.TrainArgs(resumed, epochs: 3, "--resume", run.Checkpoint));

        Assert.True(fullCode == 0, fullErr);
        Assert.True(code == 0, error);
        Assert.DoesNotContain("Epoch 1/3", output);
        Assert.Contains("Epoch 3/3", output);
        var history = Path.Combine(resumed, "history.json");
        Assert.Equal(new[] { 1.0, 2.0, 3.0 }, Series(history, "epoch"));
        Assert.Equal(Series(Path.Combine(run.Output, "history.json"), "loss"), Series(history, "loss")[..2]);
        Assert.Equal(Series(Path.Combine(full, "history.json"), "loss"), Series(history, "loss"));
        Assert.Equal(Series(Path.Combine(full, "history.json"), "val_loss"), Series(history, "val_loss"));
    }

    [Fact]
    public void Callback_options_schedule_the_rate_and_save_the_best_checkpoint()
    {
        var run = TrainedSyntheticRun.Instance;
        var output = TestFiles.TempFolder();

        var (code, stdout, error) = CliRunner.Run(run.TrainArgs(output, epochs: 2, "--halve-lr-every", "1", "--early-stopping-patience", "3",
            "--monitor", "val_accuracy", "--save-best", "--reduce-lr-on-plateau", "--augment", "--class-weights", "--val-split", "0.25"));

        Assert.True(code == 0, error);
        Assert.Contains("train: found 45 images", stdout);
        // Seed 002's schedule halves at epoch 0 too, as Keras' LearningRateScheduler does.
        Assert.Equal(new[] { 5e-4, 2.5e-4 }, Series(Path.Combine(output, "history.json"), "lr"));
        using var best = Checkpoint.Load(Path.Combine(output, "best.pt"));
        Assert.InRange(best.Epoch, 1, 2);
    }

    /// <summary>Issue 14: recall is monitored end to end, upwards: best.pt is the epoch with the highest val_recall.</summary>
    [Fact]
    public void Monitor_val_recall_keeps_the_epoch_with_the_best_recall()
    {
        var run = TrainedSyntheticRun.Instance;
        var output = TestFiles.TempFolder();

        var (code, stdout, error) = CliRunner.Run(run.TrainArgs(output, epochs: 3, "--monitor", "val_recall", "--save-best",
            "--early-stopping-patience", "5"));

        Assert.True(code == 0, error);
        Assert.Contains(" - val_recall: ", stdout);
        var recalls = Series(Path.Combine(output, "history.json"), "val_recall");
        Assert.Equal(3, recalls.Length);
        using var best = Checkpoint.Load(Path.Combine(output, "best.pt"));
        // The first epoch with the highest recall (a tie is no improvement), 1-based.
        Assert.Equal(Array.IndexOf(recalls, recalls.Max()) + 1, best.Epoch);
        using var log = RunLog.Open(Path.Combine(output, RunLog.FileName));
        Assert.Equal(recalls, log.Epochs(log.Runs()[0].Id).Select(e => e.ValRecall!.Value));
    }

    [Fact]
    public void Early_stopping_with_patience_0_on_a_flat_metric_stops_after_epoch_2()
    {
        var run = TrainedSyntheticRun.Instance;
        var output = TestFiles.TempFolder();

        // A zero learning rate leaves val_loss exactly where it was: no improvement, so patience 0 stops at once.
        var (code, stdout, error) = CliRunner.Run(run.TrainArgs(output, epochs: 5, "--early-stopping-patience", "0", "--optimizer", "sgd", "--lr", "1e-30"));

        Assert.True(code == 0, error);
        Assert.Contains("Epoch 2: early stopping", stdout);
        Assert.Equal(2, Series(Path.Combine(output, "history.json"), "epoch").Length);
    }

    [Fact]
    public void Precision_fp16_on_the_cpu_and_unknown_precisions_are_refused_and_the_chosen_one_is_printed()
    {
        var run = TrainedSyntheticRun.Instance;
        var fp16 = CliRunner.AssertRefused(run.TrainArgs(TestFiles.TempFolder(), 1, "--precision", "fp16"));
        Assert.Contains("fp16 runs on CUDA only", fp16);
        Assert.Contains("--precision 'fp8' is not one of: auto, fp32, bf16, fp16",
            CliRunner.AssertRefused(run.TrainArgs(TestFiles.TempFolder(), 1, "--precision", "fp8")));

        var (code, stdout, error) = CliRunner.Run(run.TrainArgs(TestFiles.TempFolder(), 1, "--precision", "fp32"));
        Assert.True(code == 0, error);
        Assert.Contains("Precision: fp32 (fp32 as asked).", stdout);
    }

    [Fact]
    public void Bad_input_is_refused_with_one_clear_line()
    {
        var run = TrainedSyntheticRun.Instance;
        string Refused(params string[] more) => CliRunner.AssertRefused(run.TrainArgs(TestFiles.TempFolder(), 1, more));

        Assert.Contains("does not exist", CliRunner.AssertRefused("train", "--data", "/nonexistent/xray", "--out", TestFiles.TempFolder()));
        var empty = TestFiles.TempFolder();
        Directory.CreateDirectory(Path.Combine(empty, "train", "NORMAL"));
        File.WriteAllBytes(Path.Combine(empty, "train", "NORMAL", "broken.jpg"), new byte[] { 1, 2, 3 });
        Assert.Contains("No usable training images", CliRunner.AssertRefused("train", "--data", empty, "--out", TestFiles.TempFolder(), "--cache", "none"));
        Assert.Contains("Unknown architecture 'resnet'", Refused("--arch", "resnet"));
        Assert.Contains("too small", Refused("--size", "8"));
        Assert.Contains("--channels must be 1 (grayscale) or 3 (RGB), got 2", Refused("--channels", "2"));
        Assert.Contains("--epochs must be a positive number, got 0", Refused("--epochs", "0"));
        Assert.Contains("--batch must be a positive number, got -4", Refused("--batch", "-4"));
        Assert.Contains("--lr must be a positive number", Refused("--lr", "0"));
        Assert.Contains("--optimizer 'adagrad' is not one of: adam, adamw, sgd, rmsprop", Refused("--optimizer", "adagrad"));
        Assert.Contains("--monitor 'val_auc'", Refused("--monitor", "val_auc"));
        Assert.Contains("--val-split", Refused("--val-split", "1.5"));
        Assert.Contains("trained with --size 64", Refused("--size", "96", "--resume", run.Checkpoint));
        var truncated = Path.Combine(TestFiles.TempFolder(), "cut.pt");
        File.WriteAllBytes(truncated, File.ReadAllBytes(run.Checkpoint)[..1000]);
        Assert.Contains("cannot be used", Refused("--resume", truncated));
    }

    [Fact]
    public void Imagenet_weights_with_frozen_features_train_the_head_only_and_the_checkpoint_records_their_input()
    {
        var run = TrainedSyntheticRun.Instance;
        var output = TestFiles.TempFolder();
        var (code, stdout, stderr) = CliRunner.Run(run.TrainArgs(output, epochs: 1, "--arch", "resnet18-mlnet", "--weights", "imagenet", "--freeze-features"));
        Assert.True(code == 0, stderr);
        Assert.Contains("decoded with 3 channels", stdout); // --channels 1 was asked for: pretrained weights take RGB
        Assert.Contains("Pretrained weights: resnet18-mlnet.imagenet", stdout);

        using var checkpoint = Checkpoint.Load(Path.Combine(output, "checkpoint.pt"));
        Assert.Equal(3, checkpoint.Preprocessing.Channels);
        Assert.Equal("resnet18-mlnet.imagenet", checkpoint.Preprocessing.Weights);
        Assert.Equal(new[] { 1.0, 1.0, 1.0 }, checkpoint.Preprocessing.Stds);
        using var package = XRay.Weights.PretrainedWeights.CreateModel(checkpoint.ModelSpec!, "imagenet", seed: 0);
        var expected = package.state_dict();
        foreach (var key in new[] { "features.conv1.weight", "features.layer4.2.conv2.weight", "features.layer2.0.bn1.running_mean" })
            Assert.True(checkpoint.ModelState[key].eq(expected[key]).all().item<bool>(), $"{key} changed although the features were frozen");
        Assert.False(checkpoint.ModelState["classifier.0.weight"].eq(expected["classifier.0.weight"]).all().item<bool>(), "the head did not train");
    }

    [Fact]
    [Trait("Category", TestCategories.Parity)]
    public void Torchvision_imagenet_normalization_is_recorded_and_predict_reproduces_it()
    {
        // torchvision's DEFAULT file for mobilenet-v2, here random weights Python saved under its name in a temp TORCH_HOME.
        var home = TestFiles.TempFolder();
        var file = Path.Combine(home, "hub", "checkpoints", "mobilenet_v2-7ebf99e0.pth");
        XRay.TestSupport.PythonReference.Run(
            "import os, sys, torch, torchvision\nos.makedirs(os.path.dirname(sys.argv[1]), exist_ok=True)\n" +
            "torch.save(torchvision.models.mobilenet_v2().state_dict(), sys.argv[1])", file);
        var run = TrainedSyntheticRun.Instance;
        var output = TestFiles.TempFolder();
        var saved = Environment.GetEnvironmentVariable("TORCH_HOME");
        Environment.SetEnvironmentVariable("TORCH_HOME", home);
        try
        {
            var (code, _, stderr) = CliRunner.Run(run.TrainArgs(output, epochs: 1, "--arch", "mobilenet-v2", "--size", "32", "--weights", "imagenet"));
            Assert.True(code == 0, stderr);
        }
        finally
        {
            Environment.SetEnvironmentVariable("TORCH_HOME", saved);
        }

        using var classifier = XRay.Predictors.ImageClassifier.Load(Path.Combine(output, "checkpoint.pt"));
        Assert.Equal("mobilenet-v2.IMAGENET1K_V2", classifier.Preprocessing.Weights);
        var image = Directory.EnumerateFiles(Path.Combine(run.Data, "test"), "*.*", SearchOption.AllDirectories).First();
        using var input = classifier.Input(image);                                     // (1, 3, 32, 32), as predict and serve make it
        using var raw = XRay.Data.ImageLoader.Load(image, new XRay.Data.Preprocessing(32, 32, XRay.Data.ColorMode.Rgb)); // [0, 1]
        double[] mean = { 0.485, 0.456, 0.406 }, std = { 0.229, 0.224, 0.225 };
        for (var c = 0; c < 3; c++)
        {
            var expected = (raw[c] - mean[c]) / std[c];
            Assert.True((input[0, c] - expected).abs().max().item<float>() < 1e-5, $"channel {c} is not ImageNet-normalized");
        }
        var (predictCode, predicted, predictError) = CliRunner.Run("predict", "--checkpoint", Path.Combine(output, "checkpoint.pt"), image);
        Assert.True(predictCode == 0, predictError);
        Assert.StartsWith(image, predicted);
    }

    [Fact]
    public void Weights_for_an_arch_without_them_and_freezing_a_plain_cnn_are_refused()
    {
        var run = TrainedSyntheticRun.Instance;
        Assert.Contains("no pretrained weights for arch 'blog-cnn'", CliRunner.AssertRefused(run.TrainArgs(TestFiles.TempFolder(), 1, "--weights", "imagenet")));
        Assert.Contains("--arch vgg19", CliRunner.AssertRefused(run.TrainArgs(TestFiles.TempFolder(), 1, "--arch", "mobilenet-v2", "--weights", "vgg19.IMAGENET1K_V1")));
        Assert.Contains("--freeze-features", CliRunner.AssertRefused(run.TrainArgs(TestFiles.TempFolder(), 1, "--freeze-features")));
        Assert.Contains("neither none, imagenet", CliRunner.AssertRefused(run.TrainArgs(TestFiles.TempFolder(), 1, "--arch", "vgg19", "--weights", "/no/such.pth")));
    }
}
