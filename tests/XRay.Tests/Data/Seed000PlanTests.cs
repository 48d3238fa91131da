using XRay.Data;
using XRay.Synthetic;

namespace XRay.Tests.Data;

public class Seed000PlanTests
{
    // Folders with the Kaggle set's counts (train 1266/460/3418, test 317/116/855), made of paths only.
    private static (ImageFolder Train, ImageFolder Test) KaggleShaped(string root)
    {
        SyntheticChestXray.Generate(root, new SyntheticOptions { PerClass = 2, TestPerClass = 1, Size = 32, Seed = 1 });
        ImageFolder With(ImageFolder folder, string split, int[] counts) => folder.WithSamples(
            counts.SelectMany((n, label) => Enumerable.Range(0, n).Select(i => new ImageSample($"{split}/{folder.ClassNames[label]}/{i}.jpg", label))).ToList());
        var blog = new ImageFolder(Path.Combine(root, "train"), ImageDataset.BlogClassOrder);
        return (With(blog, "train", new[] { 1266, 460, 3418 }), With(blog, "test", new[] { 317, 116, 855 }));
    }

    [Fact]
    public void On_the_kaggle_counts_it_takes_the_seeds_numbers_and_leaks_the_reshuffled_covid_images()
    {
        var root = TestFiles.TempFolder();
        try
        {
            var (train, test) = KaggleShaped(root);
            var plan = Seed000Plan.Make(train, test, seed: 0);
            var covid = plan.Classes.Single(c => c.ClassName == "COVID19");
            Assert.Equal((300, 1800, 116, 160, 276), (covid.TrainTaken, covid.TrainImages, covid.TestTaken, covid.MovedToTest, covid.TestImages));
            var (normal, pneumonia) = (plan.Classes.Single(c => c.ClassName == "NORMAL"), plan.Classes.Single(c => c.ClassName == "PNEUMONIA"));
            Assert.Equal((1266, 317), (normal.TrainImages, normal.TestImages));
            Assert.Equal((1800, 400), (pneumonia.TrainImages, pneumonia.TestImages));
            Assert.Equal((4866, 993), (plan.TrainImages, plan.TestImages));
            Assert.Equal((4866, 993), Seed000Plan.OnTheKaggleSet);
            // 160 files drawn at random from 460, of which 300 are in training: about 104 are, and as many files go unused.
            Assert.InRange(plan.Leaked.Count, 80, 128);
            Assert.Equal(plan.Leaked.Count, plan.Unused.Count);
            Assert.All(plan.Leaked, f => Assert.StartsWith("train/COVID19/", f));

            var meant = Seed000Plan.Make(train, test, seed: 0, shuffleTwice: false);
            Assert.Empty(meant.Leaked);
            Assert.Empty(meant.Unused);
            Assert.Equal((4866, 993), (meant.TrainImages, meant.TestImages));
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    [Fact]
    public void A_two_class_dataset_is_refused_with_the_classes_it_lacks()
    {
        var root = TestFiles.TempFolder();
        try
        {
            SyntheticChestXray.Generate(root, new SyntheticOptions { Classes = 2, PerClass = 2, TestPerClass = 1, Size = 32, Seed = 1 });
            var dataset = ImageDataset.Open(root);
            var e = Assert.Throws<ArgumentException>(() => Seed000Plan.Make(dataset.Split("train"), dataset.Split("test"), 0));
            Assert.Contains("COVID19", e.Message);
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }
}
