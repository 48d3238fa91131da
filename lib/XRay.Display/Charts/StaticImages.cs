using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.ImageExport;

namespace XRay.Charts;

/// <summary>
/// Figures as static SVG or PNG (for GitHub, slides, print), through Plotly.NET.ImageExport driving Debian's Chromium
/// with plotly.js inlined: no download of a browser or of plotly.js. ImageExport starts a browser per image (seconds
/// each: bench/README.md, "Figures the library's comments point to"), so render what you need once and save the files.
/// </summary>
public static class StaticImages
{
    public const string Chromium = "/usr/bin/chromium";

    private static readonly object Gate = new();

    public static async Task<string> SvgAsync(Figure figure)
    {
        var chart = Prepare(figure);
        return await Renderer().RenderSVGAsync(figure.Width, figure.Height, 1.0, chart);
    }

    /// <summary>PNG bytes at <paramref name="scale"/> times the figure's size.</summary>
    public static async Task<byte[]> PngAsync(Figure figure, double scale = 1.0)
    {
        var chart = Prepare(figure);
        var base64 = await Renderer().RenderPNGAsync(figure.Width, figure.Height, scale, chart);
        return Convert.FromBase64String(base64[(base64.IndexOf(',') + 1)..]);
    }

    /// <summary>Writes each figure as an .svg or .png file (by the path's extension), one after another.</summary>
    public static async Task SaveAsync(IEnumerable<(Figure Figure, string Path)> figures)
    {
        foreach (var (figure, path) in figures)
        {
            var full = System.IO.Path.GetFullPath(path);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            if (full.EndsWith(".png", StringComparison.OrdinalIgnoreCase)) await File.WriteAllBytesAsync(full, await PngAsync(figure));
            else if (full.EndsWith(".svg", StringComparison.OrdinalIgnoreCase)) await File.WriteAllTextAsync(full, await SvgAsync(figure));
            else throw new ArgumentException($"{path}: give a .svg or .png file name.");
        }
    }

    private static IGenericChartRenderer Renderer()
    {
        if (!File.Exists(Chromium))
            throw new InvalidOperationException($"Static images need Debian's Chromium at {Chromium} (apt-get install chromium); the interactive figure needs nothing.");
        lock (Gate)
        {
            PuppeteerSharpRendererOptions.localBrowserExecutablePath = FSharpOption<string>.Some(Chromium);
            var launch = PuppeteerSharpRendererOptions.launchOptions;
            launch.Headless = true;
            launch.Args = new[] { "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run" };
        }
        return new PuppeteerSharpRenderer();
    }

    // plotly.js inline, from Plotly.NET's own copy: the page the browser renders asks for nothing outside.
    private static GenericChart Prepare(Figure figure) =>
        Plotly.NET.Chart.withDisplayOptions(DisplayOptions.init(null, null, null, null, null, null, PlotlyJSReference.Full)).Invoke(figure.Chart);
}
