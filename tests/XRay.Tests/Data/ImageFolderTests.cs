using XRay.Data;

namespace XRay.Tests.Data;

public class ImageFolderTests
{
    [Fact]
    public void A_folder_with_each_kind_of_bad_file_loads_the_good_ones_and_reports_the_bad()
    {
        var dir = TestFiles.TempFolder();
        TestFiles.WriteJpeg(Path.Combine(dir, "NORMAL", "a.jpg"), 10);
        TestFiles.WriteJpeg(Path.Combine(dir, "NORMAL", "b.jpg"), 20);
        TestFiles.WriteJpeg(Path.Combine(dir, "PNEUMONIA", "c.jpeg"), 30);
        File.WriteAllBytes(Path.Combine(dir, "PNEUMONIA", "empty.jpg"), Array.Empty<byte>());
        var jpeg = File.ReadAllBytes(Path.Combine(dir, "NORMAL", "a.jpg"));
        File.WriteAllBytes(Path.Combine(dir, "PNEUMONIA", "cut.jpg"), jpeg[..(jpeg.Length - 40)]);
        File.WriteAllText(Path.Combine(dir, "NORMAL", "readme.jpg"), "text");
        File.WriteAllText(Path.Combine(dir, "NORMAL", ".DS_Store"), "hidden files are ignored");

        var folder = new ImageFolder(dir);

        Assert.Equal(new[] { "NORMAL", "PNEUMONIA" }, folder.ClassNames);
        Assert.Equal(new[] { "a.jpg", "b.jpg", "c.jpeg" }, folder.Samples.Select(s => Path.GetFileName(s.Path)));
        Assert.Equal(new[] { 0, 0, 1 }, folder.Samples.Select(s => s.Label));
        var reasons = folder.Skipped.ToDictionary(s => Path.GetFileName(s.Path), s => s.Reason);
        Assert.Equal(3, reasons.Count);
        Assert.Contains("empty", reasons["empty.jpg"]);
        Assert.Contains("truncated", reasons["cut.jpg"]);
        Assert.Contains("not an image", reasons["readme.jpg"]);
    }

    [Fact]
    public void Explicit_class_order_sets_the_labels_and_counts_print_the_blogs_way()
    {
        var dir = TestFiles.TempFolder();
        foreach (var (cls, n) in new[] { ("COVID19", 2), ("NORMAL", 1), ("PNEUMONIA", 3) })
            for (var i = 0; i < n; i++)
                TestFiles.WriteJpeg(Path.Combine(dir, cls, $"{i}.jpg"), i);

        var folder = new ImageFolder(dir, new[] { "NORMAL", "COVID19", "PNEUMONIA" });

        Assert.Equal(new[] { 1, 2, 3 }, folder.ClassCounts());
        Assert.Equal(
            string.Join(Environment.NewLine, "Training Normal Images:  1", "Training Covid Images:  2", "Training Pneumonia Images:  3"),
            folder.FormatCounts("Training"));
        var e = Assert.Throws<DirectoryNotFoundException>(() => new ImageFolder(dir, new[] { "NORMAL", "TB" }));
        Assert.Contains("TB", e.Message);
    }
}
