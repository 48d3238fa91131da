using System.Globalization;

namespace XRay.Charts;

/// <summary>Plotly's default palette and the "Blues" scale, shared by the HTML and SVG renderings.</summary>
internal static class Colors
{
    public static readonly string[] Palette =
        { "#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3", "#FF6692", "#B6E880" };

    // Plotly's "Blues", light to dark.
    private static readonly (double at, (int r, int g, int b) rgb)[] Blues =
    {
        (0.0, (247, 251, 255)), (0.35, (198, 219, 239)), (0.6, (107, 174, 214)), (0.85, (33, 113, 181)), (1.0, (8, 48, 107)),
    };

    public static string Blue(double value, double min, double max)
    {
        var t = max > min ? Math.Clamp((value - min) / (max - min), 0, 1) : 0;
        for (var i = 1; i < Blues.Length; i++)
        {
            if (t > Blues[i].at) continue;
            var (a, ca) = Blues[i - 1];
            var (b, cb) = Blues[i];
            var u = (t - a) / (b - a);
            int Mix(int x, int y) => (int)Math.Round(x + (y - x) * u);
            return string.Create(CultureInfo.InvariantCulture, $"#{Mix(ca.r, cb.r):x2}{Mix(ca.g, cb.g):x2}{Mix(ca.b, cb.b):x2}");
        }
        return "#08306b";
    }

    /// <summary>White text on dark cells, black on light ones.</summary>
    public static string TextOn(double value, double min, double max) =>
        max > min && (value - min) / (max - min) > 0.55 ? "white" : "black";
}
