using System.IO.Compression;
using XRay.Kaggle;

namespace XRay.Tests.Kaggle;

public class SafeZipTests
{
    [Fact]
    public void Absolute_and_parent_entries_are_refused_others_extracted()
    {
        var dir = TestFiles.TempFolder();
        var zipPath = Path.Combine(dir, "x.zip");
        using (var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create))
        {
            foreach (var name in new[] { "ok/a.txt", "/tmp/abs.txt", "ok/../../escape.txt", "ok/../inside.txt" })
                using (var w = new StreamWriter(zip.CreateEntry(name).Open()))
                    w.Write(name);
        }
        var target = Path.Combine(dir, "target");
        var (extracted, refused) = SafeZip.Extract(zipPath, target);
        Assert.Equal(2, extracted);
        Assert.Equal(new[] { "/tmp/abs.txt", "ok/../../escape.txt" }, refused);
        Assert.True(File.Exists(Path.Combine(target, "inside.txt")));
        Assert.False(File.Exists(Path.Combine(dir, "escape.txt")));

        File.WriteAllText(Path.Combine(dir, "bad.zip"), "not a zip");
        Assert.Contains("not a valid zip", Assert.Throws<DownloadException>(() => SafeZip.Extract(Path.Combine(dir, "bad.zip"), target)).Message);
    }
}
