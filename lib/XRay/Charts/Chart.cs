using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using XRay.Display;

namespace XRay.Charts;

/// <summary>
/// A plotly.js figure (data, layout, config) built through a small typed API, in the JSON schema Plotly.NET
/// emits. It renders as HTML that loads plotly.js (from its CDN by default, as Plotly.NET does) and as a
/// static SVG that needs no script (offline, GitHub).
/// </summary>
[TypeFormatterSource(typeof(ChartFormatterSource))]
public sealed record Chart(IReadOnlyList<Trace> Traces, string? Title = null, string? XTitle = null, string? YTitle = null,
    int Width = 640, int Height = 420)
{
    /// <summary>The CDN build Plotly.NET references.</summary>
    public const string PlotlyCdn = "https://cdn.plot.ly/plotly-2.27.1.min.js";

    /// <summary>Annotated heatmaps put the row labels top-down and the column labels along the top, like sklearn.</summary>
    public bool HeatmapAxesLikeMatrix { get; init; } = true;

    /// <summary>Fixed y range, e.g. (0, 1) for accuracy.</summary>
    public (double min, double max)? YRange { get; init; }

    public JsonObject Layout()
    {
        var layout = new JsonObject
        {
            ["width"] = Width,
            ["height"] = Height,
            ["xaxis"] = new JsonObject(),
            ["yaxis"] = new JsonObject(),
        };
        if (Title is not null) layout["title"] = new JsonObject { ["text"] = Title };
        if (XTitle is not null) layout["xaxis"]!["title"] = new JsonObject { ["text"] = XTitle };
        if (YTitle is not null) layout["yaxis"]!["title"] = new JsonObject { ["text"] = YTitle };
        if (YRange is { } r) layout["yaxis"]!["range"] = new JsonArray(r.min, r.max);
        var annotations = new JsonArray();
        foreach (var heatmap in Traces.OfType<HeatmapTrace>())
        {
            if (HeatmapAxesLikeMatrix) layout["yaxis"]!["autorange"] = "reversed";
            if (heatmap.Text is null) continue;
            var (min, max) = Range(heatmap.Z);
            for (var i = 0; i < heatmap.Y.Count; i++)
                for (var j = 0; j < heatmap.X.Count; j++)
                    annotations.Add(new JsonObject
                    {
                        ["x"] = heatmap.X[j],
                        ["y"] = heatmap.Y[i],
                        ["text"] = heatmap.Text[i][j],
                        ["showarrow"] = false,
                        ["font"] = new JsonObject { ["color"] = Colors.TextOn(heatmap.Z[i][j], min, max) },
                    });
        }
        if (annotations.Count > 0) layout["annotations"] = annotations;
        return layout;
    }

    /// <summary>{"data": [...], "layout": {...}, "config": {...}}, what Plotly.newPlot takes.</summary>
    public JsonObject ToFigure() => new()
    {
        ["data"] = new JsonArray(Traces.Select(t => (JsonNode?)t.ToJson()).ToArray()),
        ["layout"] = Layout(),
        ["config"] = new JsonObject { ["responsive"] = true },
    };

    public string ToJson() => ToFigure().ToJsonString(new JsonSerializerOptions { WriteIndented = false });

    /// <summary>
    /// A div and a script that draws the figure. plotly.js comes from <paramref name="plotlyUrl"/> (the CDN by
    /// default); when the page already has window.Plotly (the HTML report inlines it), no download happens.
    /// </summary>
    public string ToHtml(string? plotlyUrl = PlotlyCdn)
    {
        var id = "xray-" + Guid.NewGuid().ToString("N");
        var figure = ToJson();
        var src = JsonSerializer.Serialize(plotlyUrl ?? PlotlyCdn);
        return string.Create(CultureInfo.InvariantCulture, $$"""
            <div id="{{id}}" style="width: {{Width}}px; height: {{Height}}px;"></div>
            <script type="text/javascript">
            (function () {
              var figure = {{figure}};
              var draw = function () { Plotly.newPlot('{{id}}', figure.data, figure.layout, figure.config); };
              if (window.Plotly) { draw(); return; }
              if (typeof require === 'function' && typeof requirejs === 'function') {
                requirejs.config({ paths: { plotly: {{src}}.replace(/\.js$/, '') } });
                require(['plotly'], function (p) { window.Plotly = p; draw(); });
                return;
              }
              var s = document.createElement('script');
              s.src = {{src}};
              s.onload = draw;
              document.head.appendChild(s);
            })();
            </script>
            """);
    }

    /// <summary>The same figure drawn as a static SVG document (no script).</summary>
    public string ToSvg() => SvgRenderer.Render(this);

    internal static (double min, double max) Range(IReadOnlyList<IReadOnlyList<double>> z)
    {
        var values = z.SelectMany(r => r).Where(double.IsFinite).ToArray();
        return values.Length == 0 ? (0, 1) : (values.Min(), values.Max());
    }

    // ---- the blog's charts ----------------------------------------------------------------------------

    /// <summary>Curves over epochs, e.g. loss and val_loss (epochs numbered from 1, as Keras prints them).</summary>
    public static Chart Curves(IReadOnlyDictionary<string, IReadOnlyList<double>> series, string title, string yTitle,
        (double, double)? yRange = null)
    {
        var palette = Colors.Palette;
        var traces = series.Select((s, i) => (Trace)new LineTrace(
            Enumerable.Range(1, s.Value.Count).Select(e => (double)e).ToArray(), s.Value, s.Key, palette[i % palette.Length],
            Markers: s.Value.Count <= 30)).ToList();
        return new Chart(traces, title, "epoch", yTitle) { YRange = yRange };
    }

    /// <summary>Bars: images per class.</summary>
    public static Chart Bars(IReadOnlyList<string> categories, IReadOnlyList<double> values, string title, string yTitle = "images") =>
        new(new Trace[] { new BarTrace(categories, values, Color: Colors.Palette[0]) }, title, null, yTitle);

    /// <summary>An annotated heatmap: rows are true labels, columns predicted labels, as sklearn's confusion_matrix.</summary>
    public static Chart Heatmap(IReadOnlyList<IReadOnlyList<double>> matrix, IReadOnlyList<string> columns, IReadOnlyList<string> rows,
        string title, string xTitle = "predicted", string yTitle = "true", string format = "0.##")
    {
        if (matrix.Count != rows.Count || matrix.Any(r => r.Count != columns.Count))
            throw new ArgumentException($"A {rows.Count}x{columns.Count} heatmap needs a {rows.Count}x{columns.Count} matrix.");
        var text = matrix.Select(r => (IReadOnlyList<string>)r.Select(v => v.ToString(format, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        return new Chart(new Trace[] { new HeatmapTrace(matrix, columns, rows, text) }, title, xTitle, yTitle,
            Width: Math.Max(420, 110 * columns.Count + 200), Height: Math.Max(380, 100 * rows.Count + 160));
    }

    /// <summary>ROC curves (false positive rate, true positive rate) with the chance diagonal.</summary>
    public static Chart Roc(IReadOnlyList<(string name, IReadOnlyList<double> fpr, IReadOnlyList<double> tpr, double auc)> curves,
        string title = "ROC")
    {
        var palette = Colors.Palette;
        var traces = curves.Select((c, i) => (Trace)new LineTrace(c.fpr, c.tpr,
            string.Create(CultureInfo.InvariantCulture, $"{c.name} (AUC {c.auc:0.000})"), palette[i % palette.Length])).ToList();
        traces.Add(new LineTrace(new double[] { 0, 1 }, new double[] { 0, 1 }, "chance", "#999999", Dashed: true));
        return new Chart(traces, title, "false positive rate", "true positive rate") { YRange = (0, 1) };
    }
}
