using System.Reflection;

namespace XRay.Charts;

/// <summary>
/// plotly.js as Plotly.NET ships it (a resource inside Plotly.NET.dll, the same bytes as npm's plotly.js-dist-min of
/// that version), so charts need no CDN: notebooks get it once per kernel session and the HTML report inlines it once.
/// </summary>
public static class PlotlyJs
{
    /// <summary>The plotly.js version Plotly.NET 6 builds figures for.</summary>
    public const string Version = "2.28.0";

    /// <summary>Marks the script element that carries plotly.js, so a page that has its own copy (the report) can drop it.</summary>
    public const string ScriptMarker = "data-xray-plotly";

    /// <summary>Fired on window once plotly.js is defined; charts drawn before that wait for it.</summary>
    internal const string ReadyEvent = "xray-plotly-ready";

    private static readonly Lazy<string> source = new(() =>
    {
        var assembly = typeof(Plotly.NET.GenericChart).Assembly;
        var name = $"Plotly.NET.plotly-{Version}.min.js";
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{assembly.GetName().Name} has no resource {name}: it expects another plotly.js version.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    private static int embedded;

    /// <summary>plotly.min.js's source.</summary>
    public static string Source => source.Value;

    /// <summary>
    /// A script element defining window.Plotly (unless the page has it already), then telling waiting charts. plotly.js is
    /// a UMD bundle: where require.js is loaded (Jupyter's classic Notebook) it would register an AMD module and leave
    /// window.Plotly undefined, so define, module and exports are hidden from it.
    /// </summary>
    public static string ScriptElement() =>
        $"<script type=\"text/javascript\" {ScriptMarker}=\"{Version}\">\nif (!window.Plotly) {{ (function (define, module, exports) {{\n" +
        Source.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase) +
        $"\n}}).call(window); }}\nwindow.dispatchEvent(new Event('{ReadyEvent}'));\n</script>\n";

    /// <summary>
    /// True the first time it is asked in this process: a notebook kernel is one process per session (restarting the
    /// kernel starts a new one), so the first chart shown carries plotly.js and the later ones only draw.
    /// </summary>
    internal static bool FirstUseInSession() => Interlocked.Exchange(ref embedded, 1) == 0;

    /// <summary>Makes the next chart shown carry plotly.js again (e.g. after clearing the output that carried it).</summary>
    public static void EmbedAgain() => Interlocked.Exchange(ref embedded, 0);
}
