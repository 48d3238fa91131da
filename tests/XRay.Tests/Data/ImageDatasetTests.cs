using XRay.Data;

namespace XRay.Tests.Data;

public class ImageDatasetTests
{
    [Fact]
    public void Mooney_layout_with_a_tiny_val_is_resplit_stratified_and_seeded()
    {
        var root = TestFiles.TempFolder();
        var baseDir = Path.Combine(root, "chest_xray");
        for (var i = 0; i < 40; i++) TestFiles.WriteJpeg(Path.Combine(baseDir, "train", "NORMAL", $"n{i:D2}.jpeg"), i);
        for (var i = 0; i < 60; i++) TestFiles.WriteJpeg(Path.Combine(baseDir, "train", "PNEUMONIA", $"p{i:D2}.jpeg"), i);
        TestFiles.WriteJpeg(Path.Combine(baseDir, "val", "NORMAL", "v0.jpeg"), 1);
        TestFiles.WriteJpeg(Path.Combine(baseDir, "val", "PNEUMONIA", "v1.jpeg"), 2);
        TestFiles.WriteJpeg(Path.Combine(baseDir, "test", "NORMAL", "t0.jpeg"), 3);
        TestFiles.WriteJpeg(Path.Combine(baseDir, "test", "PNEUMONIA", "t1.jpeg"), 4);

        var a = ImageDataset.Open(root, seed: 7);
        var b = ImageDataset.Open(root, seed: 7);
        var c = ImageDataset.Open(root, seed: 8);

        Assert.Equal(Path.GetFullPath(baseDir), a.Layout.Root);
        // 102 images; 20% of each class (41 NORMAL -> 8, 61 PNEUMONIA -> 12) goes to val, nothing is lost.
        Assert.Equal(new[] { 8, 12 }, a.Val!.ClassCounts());
        Assert.Equal(102, a.Train!.Count + a.Val.Count);
        Assert.Equal(a.Val.Samples, b.Val!.Samples);
        Assert.NotEqual(a.Val.Samples, c.Val!.Samples);
        Assert.Empty(a.Train.Samples.Intersect(a.Val.Samples));
        Assert.Contains("val/ has only 2 images", Assert.Single(a.Notes));
        Assert.Equal(2, a.Test!.Count);
    }

    [Fact]
    public void Prashant_layout_without_val_gets_one_from_train()
    {
        var root = TestFiles.TempFolder();
        foreach (var cls in new[] { "COVID19", "NORMAL", "PNEUMONIA" })
        {
            for (var i = 0; i < 5; i++) TestFiles.WriteJpeg(Path.Combine(root, "Data", "train", cls, $"{i}.jpg"), i);
            TestFiles.WriteJpeg(Path.Combine(root, "Data", "test", cls, "0.jpg"), 9);
        }
        var ds = ImageDataset.Open(root, new[] { "NORMAL", "COVID19", "PNEUMONIA" });
        Assert.Equal(new[] { "NORMAL", "COVID19", "PNEUMONIA" }, ds.ClassNames);
        Assert.Equal(new[] { 1, 1, 1 }, ds.Val!.ClassCounts());
        Assert.Equal(new[] { 4, 4, 4 }, ds.Train!.ClassCounts());
        Assert.Contains("no val/ folder", Assert.Single(ds.Notes));
    }

    [Fact]
    public void A_folder_without_splits_says_what_layout_is_expected()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => ImageDataset.Open(TestFiles.TempFolder()));
        Assert.Contains("Data/train/NORMAL", e.Message);
    }
}
