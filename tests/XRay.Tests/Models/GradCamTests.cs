using XRay.Data;
using XRay.Imaging;
using XRay.Models;
using XRay.Training;
using static TorchSharp.torch;

namespace XRay.Tests.Models;

public class GradCamTests
{
    private const int Size = 32;
    private const int Blob = 6;

    /// <summary>Gray noise; class 1 ("BLOB") adds a bright square at <paramref name="at"/> (its top-left corner), class 0 has none.</summary>
    private static float[] Image(Random random, (int Row, int Col)? at)
    {
        var pixels = new float[Size * Size];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = (float)Math.Clamp(0.4 + 0.1 * (random.NextDouble() * 2 - 1), 0, 1);
        if (at is { } a)
            for (var y = a.Row; y < a.Row + Blob; y++)
                for (var x = a.Col; x < a.Col + Blob; x++)
                    pixels[y * Size + x] += 0.5f;
        return pixels;
    }

    /// <summary>Seed 002's CNN trained until it tells a bright square (anywhere) from plain noise.</summary>
    private static ClassifierModel TrainBlobDetector()
    {
        var random = new Random(5);
        const int count = 160;
        var pixels = new float[count * Size * Size];
        var labels = new long[count];
        for (var n = 0; n < count; n++)
        {
            labels[n] = n % 2;
            (int, int)? at = n % 2 == 1 ? (random.Next(0, Size - Blob), random.Next(0, Size - Blob)) : null;
            Image(random, at).CopyTo(pixels, n * Size * Size);
        }
        using var images = tensor(pixels, new long[] { count, 1, Size, Size });
        using var y = tensor(labels, new long[] { count });
        using var data = new TensorBatchSource(images, y, new[] { "PLAIN", "BLOB" }, 32, shuffle: true, seed: 1);
        var model = ModelFactory.Create("blog-cnn", 1, Size, Size, 2, seed: 3);
        Trainer.Fit(model, data, null, new TrainingOptions { Epochs = 6, LearningRate = 2e-3, Device = CPU, Seed = 4 });
        var (_, accuracy) = Trainer.Evaluate(model, data);
        Assert.True(accuracy > 0.95, $"the detector learned only {accuracy:P0}");
        return model;
    }

    [Fact]
    public void The_heatmap_has_the_input_size_values_in_0_1_and_peaks_where_the_pattern_is()
    {
        using var model = TrainBlobDetector();
        var random = new Random(9);
        foreach (var at in new[] { (Row: 3, Col: 4), (Row: 23, Col: 24), (Row: 4, Col: 23), (Row: 24, Col: 3) })
        {
            using var x = tensor(Image(random, at), new long[] { 1, 1, Size, Size });
            var map = GradCam.Compute(model, x);

            Assert.Equal(1, map.ClassIndex); // predicted: the blob
            Assert.Equal((Size, Size), (map.Height, map.Width));
            Assert.Equal(Size * Size, map.Heat.Length);
            Assert.All(map.Heat, h => Assert.InRange(h, 0f, 1f));
            Assert.Equal(1f, map.Heat.Max());
            var (row, col) = map.Peak();
            var (centreRow, centreCol) = (at.Row + Blob / 2.0, at.Col + Blob / 2.0);
            // The last feature maps are 2x2 (one cell per quadrant): the peak must be in the blob's quadrant, near it.
            Assert.True(Math.Abs(row - centreRow) <= 12 && Math.Abs(col - centreCol) <= 12,
                $"blob centred at ({centreRow}, {centreCol}), heatmap peak at ({row}, {col})");
        }
    }

    [Fact]
    public void It_leaves_the_model_as_it_was_and_answers_for_either_class_of_a_sigmoid_unit()
    {
        using var model = ModelFactory.Create("blog-cnn", 1, Size, Size, 2, seed: 1);
        model.train();
        var before = model.parameters().Select(p => p.detach().clone()).ToList();
        using var x = rand(1, 1, Size, Size);

        var one = GradCam.Compute(model, x, classIndex: 1);
        var zero = GradCam.Compute(model, x, classIndex: 0);

        Assert.Equal((1, 0), (one.ClassIndex, zero.ClassIndex));
        Assert.True(model.training);
        Assert.All(model.parameters().Zip(before), p => Assert.True(p.First.equal(p.Second).all().item<bool>() && p.First.grad is null));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradCam.Compute(model, x, classIndex: 2));
        Assert.Throws<ArgumentException>(() => GradCam.Compute(model, rand(2, 1, Size, Size)));
        foreach (var t in before) t.Dispose();
    }

    [Fact]
    public void A_frozen_transfer_model_gets_a_heatmap_and_a_model_without_feature_maps_is_refused()
    {
        using var mobilenet = (TransferModel)ModelFactory.Create("mobilenet-v2", 1, 32, 32, 3, seed: 2);
        mobilenet.FreezeFeatures();
        using var x = rand(1, 1, 32, 32);
        var map = GradCam.Compute(mobilenet, x);
        Assert.Equal((32, 32), (map.Height, map.Width));
        Assert.All(map.Heat, h => Assert.InRange(h, 0f, 1f));

        using var mlp = ModelFactory.Create("mlp", 1, 32, 32, 3, seed: 2);
        Assert.Contains("'features'", Assert.Throws<ArgumentException>(() => GradCam.Compute(mlp, x)).Message);
    }

    [Fact]
    public void The_overlay_is_rgb_at_the_image_size_hot_red_and_cold_blue()
    {
        var heat = new float[4 * 4];
        heat[0] = 1f; // top-left hot, the rest cold
        var map = new GradCamMap(0, heat, 4, 4);
        var gray = new PixelImage(4, 4, 1);
        Array.Fill(gray.Data, (byte)128);

        var overlay = GradCam.Overlay(gray, map, alpha: 1);
        Assert.Equal((4, 4, 3), (overlay.Rows, overlay.Cols, overlay.Channels));
        Assert.True(overlay[0, 0, 0] > 100 && overlay[0, 0, 2] < 50, "hot is red"); // RGB
        Assert.True(overlay[3, 3, 2] > 100 && overlay[3, 3, 0] < 50, "cold is blue");
        var half = GradCam.Overlay(gray, map, alpha: 0.5);
        Assert.InRange(half[3, 3, 0], 60, 68); // (128 + ~0) / 2

        var larger = GradCam.Overlay(new PixelImage(12, 8, 3), map);
        Assert.Equal((12, 8, 3), (larger.Rows, larger.Cols, larger.Channels));
        Assert.Equal(new ImageHeader(ImageFormat.Png, 8, 12), Cv.Probe(Cv.ImEncodePng(larger)));
    }
}
