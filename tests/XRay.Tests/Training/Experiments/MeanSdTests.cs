using System.Globalization;
using XRay.TestSupport;
using XRay.Training.Experiments;

namespace XRay.Tests.Training.Experiments;

public class MeanSdTests
{
    [Fact]
    [Trait("Category", TestCategories.Parity)]
    public void Mean_and_sd_equal_numpys_mean_and_std_with_ddof_1()
    {
        var values = new[] { 0.91, 0.87, 0.955, 0.6 };
        var printed = PythonReference.Run("""
            import sys, numpy as np
            v = np.array([float(x) for x in sys.argv[1:]])
            print(repr(float(v.mean())), repr(float(v.std(ddof=1))))
            """, values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)).ToArray()).Split(' ');
        var stat = MeanSd.Of(values);
        Assert.Equal(double.Parse(printed[0], CultureInfo.InvariantCulture), stat.Mean, 12);
        Assert.Equal(double.Parse(printed[1], CultureInfo.InvariantCulture), stat.Sd, 12);
        Assert.Equal(4, stat.Count);
    }

    [Fact]
    public void One_value_has_no_sd_and_prints_without_one()
    {
        var stat = MeanSd.Of(new[] { 0.5 });
        Assert.True(double.IsNaN(stat.Sd));
        Assert.Equal("0.500 (n=1)", stat.ToString());
        Assert.Equal("0.750 ± 0.354 (n=2)", MeanSd.Of(new[] { 0.5, 1.0 }).ToString());
        Assert.Throws<ArgumentException>(() => MeanSd.Of(Array.Empty<double>()));
    }
}
