using Microsoft.Data.Analysis;
using XRay.Display;

namespace XRay.Tests.Display;

public class TableTests
{
    [Fact]
    public void Small_values_such_as_learning_rates_keep_their_digits_and_others_get_four_decimals()
    {
        var frame = new DataFrame(new DoubleDataFrameColumn("lr", new[] { 1e-3, 2.5e-4, 1.25e-5, 0, 0.912345 }));
        var html = frame.AsTable().ToHtml();
        foreach (var cell in new[] { "<td>0.001</td>", "<td>2.5e-4</td>", "<td>1.25e-5</td>", "<td>0</td>", "<td>0.9123</td>" })
            Assert.Contains(cell, html);
        Assert.DoesNotContain("0.0003", html);
    }
}
