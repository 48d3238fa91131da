using TorchSharp;
using XRay.Data;
using XRay.Imaging;
using XRay.Models;
using XRay.Predictors;
using XRay.Training;

namespace XRay.Tests.Predictors;

public class ImageClassifierTests
{
    /// <summary>
    /// What the web app runs per request: every tensor a prediction makes is released when it returns (the decoded image
    /// once leaked under its unsqueezed view, one native tensor per request, freed only by the finalizer).
    /// </summary>
    [Fact]
    public void Predictions_from_bytes_and_files_release_every_tensor_they_make()
    {
        var folder = TestFiles.TempFolder();
        try
        {
            var path = Path.Combine(folder, "checkpoint.pt");
            using (var model = ModelFactory.Create("blog-cnn", 1, 32, 32, 3, seed: 1))
                Checkpoint.Save(path, model, null, 1, new History(), new[] { "NORMAL", "COVID19", "PNEUMONIA" }, new Preprocessing(32, 32, ColorMode.Grayscale));
            var png = Cv.ImEncodePng(new PixelImage(48, 40, 1, Enumerable.Range(0, 48 * 40).Select(i => (byte)(i * 7)).ToArray()));
            var file = Path.Combine(folder, "x.png");
            File.WriteAllBytes(file, png);
            using var classifier = ImageClassifier.Load(path);
            var first = classifier.Predict(png, "x.png"); // warm-up: whatever is made once stays out of the count
            classifier.Predict(file);

            var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            for (var i = 0; i < 20; i++)
            {
                Assert.Equal(first.Probabilities, classifier.Predict(png, "x.png").Probabilities);
                classifier.Predict(file);
                using var input = classifier.Input(png, "x.png");
                classifier.GradCam(input);
            }
            Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
