using XRay.Charts;
using XRay.TestSupport;

namespace XRay.Tests.Charts;

public class PlotlyJsTests
{
    /// <summary>The npm pin (package.json) and Plotly.NET's resource are the same plotly.js: the report and notebooks draw alike.</summary>
    [Fact]
    public void Plotly_net_ships_the_same_plotly_js_bytes_as_the_npm_pin()
    {
        var npm = Path.Combine(Repository.Root(), "node_modules", "plotly.js-dist-min", "plotly.min.js");
        Assert.True(File.Exists(npm), $"{npm} is missing: run ./build.sh test (it installs the npm pin).");
        Assert.Equal(File.ReadAllText(npm), PlotlyJs.Source);
        Assert.StartsWith($"/**\n* plotly.js v{PlotlyJs.Version}", PlotlyJs.Source);
    }

    [Fact]
    public void The_package_json_pins_the_version_plotly_net_expects()
    {
        var packageJson = File.ReadAllText(Path.Combine(Repository.Root(), "package.json"));
        Assert.Contains($"\"plotly.js-dist-min\": \"{PlotlyJs.Version}\"", packageJson);
    }

    [Fact]
    public void The_script_defines_window_plotly_even_where_require_js_is_loaded()
    {
        var script = PlotlyJs.ScriptElement();
        Assert.StartsWith($"<script type=\"text/javascript\" {PlotlyJs.ScriptMarker}=\"{PlotlyJs.Version}\">", script);
        Assert.Contains("(function (define, module, exports) {", script); // hidden from the UMD wrapper
        Assert.Equal(1, script.Split("</script>").Length - 1);
    }
}
