using System.Text.Json.Nodes;

namespace XRay.Charts;

/// <summary>One plotly.js trace; each subclass writes the same JSON Plotly.NET writes for it.</summary>
public abstract record Trace(string? Name)
{
    internal abstract JsonObject ToJson();

    internal static JsonArray Array(IEnumerable<double> values) =>
        new(values.Select(v => double.IsFinite(v) ? JsonValue.Create(v) : null).ToArray<JsonNode?>());

    internal static JsonArray Array(IEnumerable<string> values) =>
        new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}

/// <summary>A line (or markers) through (X, Y): loss and accuracy curves, ROC curves.</summary>
public sealed record LineTrace(IReadOnlyList<double> X, IReadOnlyList<double> Y, string? Name = null, string? Color = null,
    bool Dashed = false, bool Markers = false) : Trace(Name)
{
    internal override JsonObject ToJson()
    {
        var line = new JsonObject();
        if (Color is not null) line["color"] = Color;
        if (Dashed) line["dash"] = "dash";
        var json = new JsonObject
        {
            ["type"] = "scatter",
            ["mode"] = Markers ? "lines+markers" : "lines",
            ["x"] = Array(X),
            ["y"] = Array(Y),
            ["line"] = line,
        };
        if (Name is not null) json["name"] = Name;
        return json;
    }
}

/// <summary>Bars over categories: images per class.</summary>
public sealed record BarTrace(IReadOnlyList<string> Categories, IReadOnlyList<double> Values, string? Name = null, string? Color = null)
    : Trace(Name)
{
    internal override JsonObject ToJson()
    {
        var json = new JsonObject { ["type"] = "bar", ["x"] = Array(Categories), ["y"] = Array(Values) };
        if (Name is not null) json["name"] = Name;
        if (Color is not null) json["marker"] = new JsonObject { ["color"] = Color };
        return json;
    }
}

/// <summary>A matrix of cells, row 0 at the top as in a confusion matrix; Text annotates each cell.</summary>
public sealed record HeatmapTrace(IReadOnlyList<IReadOnlyList<double>> Z, IReadOnlyList<string> X, IReadOnlyList<string> Y,
    IReadOnlyList<IReadOnlyList<string>>? Text = null, string ColorScale = "Blues", string? Name = null) : Trace(Name)
{
    internal override JsonObject ToJson() => new()
    {
        ["type"] = "heatmap",
        ["z"] = new JsonArray(Z.Select(row => (JsonNode?)Array(row)).ToArray()),
        ["x"] = Array(X),
        ["y"] = Array(Y),
        ["colorscale"] = ColorScale,
        ["reversescale"] = ColorScale == "Blues",
    };
}
