using XRay.Data;

namespace XRay.Tests.Data;

public class DataLocationsTests
{
    [Fact]
    public void Kaggle_data_is_preferred_over_the_synthetic_set_and_found_from_below()
    {
        var root = TestFiles.TempFolder("xray-loc-");
        var notebooks = Directory.CreateDirectory(Path.Combine(root, "notebooks")).FullName;
        Directory.CreateDirectory(Path.Combine(root, "data", "synthetic"));
        Assert.True(DataLocations.Resolve("", notebooks).IsSynthetic);
        Directory.CreateDirectory(Path.Combine(root, "data", "chest-xray-covid19-pneumonia"));
        var found = DataLocations.Resolve("", notebooks);
        Assert.Equal("chest-xray-covid19-pneumonia", found.Name);
        Assert.False(found.IsSynthetic);
        Assert.Equal(Path.Combine(root, "data", "synthetic"), DataLocations.Resolve("../data/synthetic", notebooks).Path);
    }

    [Fact]
    public void Missing_data_says_how_to_get_some()
    {
        var empty = TestFiles.TempFolder("xray-loc-");
        var e = Assert.Throws<DirectoryNotFoundException>(() => DataLocations.Resolve("nope", empty));
        Assert.Contains("synthetic.sh", e.Message);
    }

    /// <summary>Issue 11: a notebook on a fresh clone draws the synthetic set itself, next to notebooks/, and says so.</summary>
    [Fact]
    public void With_no_data_the_synthetic_set_is_drawn_beside_notebooks_and_found_next_time()
    {
        var root = TestFiles.TempFolder("xray-loc-");
        try
        {
            var notebooks = Directory.CreateDirectory(Path.Combine(root, "notebooks")).FullName;
            Directory.CreateDirectory(Path.Combine(root, "data-scripts"));
            var small = new XRay.Synthetic.SyntheticOptions { PerClass = 4, Size = 32, Seed = 1 };
            var drawn = DataLocations.Resolve("", notebooks, small);
            Assert.True(drawn.DrawnNow);
            Assert.Equal(Path.Combine(root, "data", "synthetic"), drawn.Path);
            Assert.Contains("drawn just now", drawn.ToString());
            Assert.Equal(4, Directory.GetFiles(Path.Combine(drawn.Path, "train", "NORMAL")).Length);
            var again = DataLocations.Resolve("", notebooks, small);
            Assert.False(again.DrawnNow);
            Assert.True(again.IsSynthetic);
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }
}
