namespace XRay.Charts;

/// <summary>Plotly's default palette, and which text colour reads on a cell of the "Blues" scale.</summary>
internal static class Colors
{
    private static readonly string[] Palette =
        { "#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3", "#FF6692", "#B6E880" };

    // plotly.js's "Blues", light to dark (Plotly.NET names no such scale, so it is spelled out).
    public static readonly Plotly.NET.StyleParam.Colorscale Blues = Plotly.NET.StyleParam.Colorscale.NewCustom(new[]
    {
        Tuple.Create(0.0, Plotly.NET.Color.fromHex("#f7fbff")), Tuple.Create(0.35, Plotly.NET.Color.fromHex("#c6dbef")),
        Tuple.Create(0.6, Plotly.NET.Color.fromHex("#6baed6")), Tuple.Create(0.85, Plotly.NET.Color.fromHex("#2171b5")),
        Tuple.Create(1.0, Plotly.NET.Color.fromHex("#08306b")),
    });

    public static Plotly.NET.Color Color(int index) => Plotly.NET.Color.fromHex(Palette[index % Palette.Length]);

    /// <summary>White text on dark cells, black on light ones (the scale runs light to dark from min to max).</summary>
    public static string TextOn(double value, double min, double max) =>
        max > min && (value - min) / (max - min) > 0.55 ? "white" : "black";
}
