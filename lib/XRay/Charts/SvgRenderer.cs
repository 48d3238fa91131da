using System.Globalization;
using System.Security;
using System.Text;

namespace XRay.Charts;

/// <summary>
/// Draws a <see cref="Chart"/> as a self-contained SVG: axes with ticks, lines, bars, annotated heatmap cells,
/// a legend and titles. No script, so it shows offline and on GitHub.
/// </summary>
internal static class SvgRenderer
{
    private const double Left = 70, Right = 150, Top = 50, Bottom = 60;

    public static string Render(Chart chart)
    {
        var svg = new StringBuilder();
        var (w, h) = (chart.Width, chart.Height);
        svg.Append(F($"""<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="12">"""));
        svg.Append(F($"""<rect width="{w}" height="{h}" fill="white"/>"""));
        if (chart.Title is not null)
            svg.Append(F($"""<text x="{w / 2.0}" y="24" text-anchor="middle" font-size="16">{E(chart.Title)}</text>"""));
        var heatmap = chart.Traces.OfType<HeatmapTrace>().FirstOrDefault();
        // Room for the longest row label (about 7 px a character at 12 px).
        var left = heatmap is null ? Left : Math.Max(Left, 7.5 * heatmap.Y.Max(l => l.Length) + 36);
        var plot = (x: left, y: Top, w: w - left - Right, h: h - Top - Bottom);

        var bottom = heatmap is not null ? DrawHeatmap(svg, heatmap, plot) : DrawXY(svg, chart, plot);

        if (chart.XTitle is not null)
            svg.Append(F($"""<text x="{plot.x + (heatmap is null ? plot.w / 2 : (bottom.right - plot.x) / 2)}" y="{bottom.y + 40}" text-anchor="middle">{E(chart.XTitle)}</text>"""));
        if (chart.YTitle is not null)
            svg.Append(F($"""<text x="16" y="{plot.y + plot.h / 2}" text-anchor="middle" transform="rotate(-90 16 {plot.y + plot.h / 2})">{E(chart.YTitle)}</text>"""));
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>Draws axes and traces; returns where the plot area ends (bottom edge, right edge).</summary>
    private static (double y, double right) DrawXY(StringBuilder svg, Chart chart, (double x, double y, double w, double h) plot)
    {
        var lines = chart.Traces.OfType<LineTrace>().ToList();
        var bars = chart.Traces.OfType<BarTrace>().ToList();
        var ys = lines.SelectMany(l => l.Y).Concat(bars.SelectMany(b => b.Values)).Where(double.IsFinite).ToList();
        var (yMin, yMax) = chart.YRange ?? (ys.Count == 0 ? (0, 1) : (Math.Min(0, ys.Min()), ys.Max()));
        if (bars.Count > 0) yMin = Math.Min(0, yMin);
        if (yMax <= yMin) yMax = yMin + 1;
        double Y(double v) => plot.y + plot.h - (v - yMin) / (yMax - yMin) * plot.h;

        // Grid and y ticks.
        foreach (var t in Ticks(yMin, yMax))
        {
            svg.Append(F($"""<line x1="{plot.x}" y1="{Y(t)}" x2="{plot.x + plot.w}" y2="{Y(t)}" stroke="#e5e5e5"/>"""));
            svg.Append(F($"""<text x="{plot.x - 6}" y="{Y(t) + 4}" text-anchor="end">{Num(t)}</text>"""));
        }
        svg.Append(F($"""<line x1="{plot.x}" y1="{plot.y + plot.h}" x2="{plot.x + plot.w}" y2="{plot.y + plot.h}" stroke="#444"/>"""));
        svg.Append(F($"""<line x1="{plot.x}" y1="{plot.y}" x2="{plot.x}" y2="{plot.y + plot.h}" stroke="#444"/>"""));

        var legend = new List<(string name, string color)>();
        if (bars.Count > 0)
        {
            var categories = bars[0].Categories;
            var slot = plot.w / Math.Max(1, categories.Count);
            var width = slot * 0.8 / bars.Count;
            for (var b = 0; b < bars.Count; b++)
            {
                var color = bars[b].Color ?? Colors.Palette[b % Colors.Palette.Length];
                for (var i = 0; i < bars[b].Values.Count && i < categories.Count; i++)
                {
                    var v = bars[b].Values[i];
                    var x = plot.x + slot * i + slot * 0.1 + width * b;
                    var top = Math.Min(Y(v), Y(0));
                    svg.Append(F($"""<rect class="bar" x="{x}" y="{top}" width="{width}" height="{Math.Abs(Y(0) - Y(v))}" fill="{color}"/>"""));
                }
                if (bars[b].Name is { } n) legend.Add((n, color));
            }
            for (var i = 0; i < categories.Count; i++)
                svg.Append(F($"""<text x="{plot.x + slot * (i + 0.5)}" y="{plot.y + plot.h + 18}" text-anchor="middle">{E(categories[i])}</text>"""));
        }
        else
        {
            var xs = lines.SelectMany(l => l.X).Where(double.IsFinite).ToList();
            var (xMin, xMax) = xs.Count == 0 ? (0, 1) : (xs.Min(), xs.Max());
            if (xMax <= xMin) xMax = xMin + 1;
            double X(double v) => plot.x + (v - xMin) / (xMax - xMin) * plot.w;
            foreach (var t in Ticks(xMin, xMax))
                svg.Append(F($"""<text x="{X(t)}" y="{plot.y + plot.h + 18}" text-anchor="middle">{Num(t)}</text>"""));
            for (var i = 0; i < lines.Count; i++)
            {
                var line = lines[i];
                var color = line.Color ?? Colors.Palette[i % Colors.Palette.Length];
                var points = string.Join(" ", line.X.Zip(line.Y).Where(p => double.IsFinite(p.Second)).Select(p => F($"{X(p.First)},{Y(p.Second)}")));
                var dash = line.Dashed ? " stroke-dasharray=\"6 4\"" : "";
                svg.Append(F($"""<polyline class="trace" points="{points}" fill="none" stroke="{color}" stroke-width="2"{dash}/>"""));
                if (line.Markers)
                    foreach (var (x, y) in line.X.Zip(line.Y).Where(p => double.IsFinite(p.Second)))
                        svg.Append(F($"""<circle cx="{X(x)}" cy="{Y(y)}" r="3" fill="{color}"/>"""));
                if (line.Name is { } n) legend.Add((n, color));
            }
        }

        for (var i = 0; i < legend.Count; i++)
        {
            var ly = plot.y + 10 + 20 * i;
            var lx = plot.x + plot.w + 12;
            svg.Append(F($"""<rect x="{lx}" y="{ly - 8}" width="14" height="4" fill="{legend[i].color}"/>"""));
            svg.Append(F($"""<text x="{lx + 20}" y="{ly - 2}">{E(legend[i].name)}</text>"""));
        }
        return (plot.y + plot.h, plot.x + plot.w);
    }

    private static (double y, double right) DrawHeatmap(StringBuilder svg, HeatmapTrace heatmap, (double x, double y, double w, double h) plot)
    {
        var (rows, cols) = (heatmap.Y.Count, heatmap.X.Count);
        var side = Math.Min(plot.w / Math.Max(1, cols), plot.h / Math.Max(1, rows));
        var (min, max) = Chart.Range(heatmap.Z);
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < cols; j++)
            {
                var (x, y) = (plot.x + j * side, plot.y + i * side);
                var v = heatmap.Z[i][j];
                svg.Append(F($"""<rect class="cell" x="{x}" y="{y}" width="{side}" height="{side}" fill="{Colors.Blue(v, min, max)}" stroke="white"/>"""));
                if (heatmap.Text is not null)
                    svg.Append(F($"""<text x="{x + side / 2}" y="{y + side / 2 + 4}" text-anchor="middle" fill="{Colors.TextOn(v, min, max)}">{E(heatmap.Text[i][j])}</text>"""));
            }
            svg.Append(F($"""<text x="{plot.x - 6}" y="{plot.y + i * side + side / 2 + 4}" text-anchor="end">{E(heatmap.Y[i])}</text>"""));
        }
        for (var j = 0; j < cols; j++)
            svg.Append(F($"""<text x="{plot.x + j * side + side / 2}" y="{plot.y + rows * side + 18}" text-anchor="middle">{E(heatmap.X[j])}</text>"""));
        return (plot.y + rows * side, plot.x + cols * side);
    }

    /// <summary>About five round tick values covering [min, max].</summary>
    internal static IEnumerable<double> Ticks(double min, double max)
    {
        var raw = (max - min) / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        for (var t = Math.Ceiling(min / step) * step; t <= max + step * 1e-9; t += step)
            yield return Math.Round(t, 10);
    }

    private static string Num(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    private static string E(string text) => SecurityElement.Escape(text) ?? "";

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
