using System.Globalization;
using System.Net;
using System.Text;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace XRay.Models;

/// <summary>One row of a <see cref="ModelSummary"/>: a layer as it ran, its output shape (batch as -1) and own parameters.</summary>
public sealed record LayerSummary(string Name, string Type, long[] OutputShape, long Parameters)
{
    /// <summary>Keras' style: (None, 32, 253, 253).</summary>
    public string OutputShapeText => "(" + string.Join(", ", OutputShape.Select(d => d < 0 ? "None" : d.ToString(CultureInfo.InvariantCulture))) + ")";
}

/// <summary>
/// Keras' model.summary() for a module and an input shape: every leaf layer in the order it ran, its output shape and
/// parameters, then total, trainable and non-trainable counts. Counts are PyTorch parameters (as torchsummary): batch
/// norm running statistics are buffers, not counted (except for Keras' own networks, <see cref="IKerasParameterCounts"/>);
/// frozen parameters count as non-trainable.
/// </summary>
public sealed record ModelSummary(string ModelName, long[] InputShape, IReadOnlyList<LayerSummary> Layers,
    long TotalParameters, long TrainableParameters)
{
    public long NonTrainableParameters => TotalParameters - TrainableParameters;

    /// <summary>Runs one zero image of shape (C, H, W) through the model (eval mode, no gradients) and records each layer.</summary>
    public static ModelSummary Create(nn.Module<Tensor, Tensor> model, params long[] inputShape)
    {
        if (inputShape.Length != 3) throw new ArgumentException($"The input shape must be (C, H, W), got {inputShape.Length} numbers.");
        var rows = new List<LayerSummary>();
        var device = model.parameters().FirstOrDefault()?.device ?? CPU;
        using var input = zeros(new[] { 1L }.Concat(inputShape).ToArray(), device: device);
        LayerHooks.Run(model, input, null, (name, layer, output) =>
        {
            var shape = output.shape;
            shape[0] = -1;
            rows.Add(new LayerSummary(name, TypeName(layer), shape, layer.parameters(recurse: false).Sum(p => p.numel())));
        });
        var all = model.parameters().ToList();
        var total = all.Sum(p => p.numel());
        if (model is IKerasParameterCounts)
            total += model.named_buffers().Where(b => b.name.EndsWith("running_mean", StringComparison.Ordinal) || b.name.EndsWith("running_var", StringComparison.Ordinal))
                .Sum(b => b.buffer.numel()); // Keras counts moving statistics as non-trainable parameters
        return new ModelSummary(model.GetName(), inputShape, rows, total, all.Where(p => p.requires_grad).Sum(p => p.numel()));
    }

    private static string TypeName(nn.Module m) => m.GetType().Name;

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The Keras layout: a 65-column table between rules, then the totals.</summary>
    public override string ToString()
    {
        const int w1 = 29, w2 = 26;
        var rule = new string('_', 65);
        var sb = new StringBuilder();
        sb.Append("Model: \"").Append(ModelName).Append("\"\n").Append(rule).Append('\n');
        sb.Append(" Layer (type)".PadRight(w1)).Append("Output Shape".PadRight(w2)).Append("Param #\n");
        sb.Append(new string('=', 65)).Append('\n');
        for (var i = 0; i < Layers.Count; i++)
        {
            var l = Layers[i];
            sb.Append((" " + l.Name + " (" + l.Type + ")").PadRight(w1 - 1)).Append(' ')
              .Append(l.OutputShapeText.PadRight(w2 - 1)).Append(' ')
              .Append(l.Parameters.ToString(CultureInfo.InvariantCulture)).Append('\n');
            sb.Append(i == Layers.Count - 1 ? "" : "\n");
        }
        sb.Append(new string('=', 65)).Append('\n');
        sb.Append("Total params: ").Append(N(TotalParameters)).Append('\n');
        sb.Append("Trainable params: ").Append(N(TrainableParameters)).Append('\n');
        sb.Append("Non-trainable params: ").Append(N(NonTrainableParameters)).Append('\n');
        sb.Append(rule).Append('\n');
        return sb.ToString();
    }

    /// <summary>An HTML table for notebooks.</summary>
    public string ToHtml()
    {
        var sb = new StringBuilder();
        sb.Append("<table class=\"xray-model-summary\"><caption>Model: ").Append(WebUtility.HtmlEncode(ModelName)).Append("</caption>");
        sb.Append("<thead><tr><th>Layer (type)</th><th>Output Shape</th><th>Param #</th></tr></thead><tbody>");
        foreach (var l in Layers)
            sb.Append("<tr><td>").Append(WebUtility.HtmlEncode($"{l.Name} ({l.Type})")).Append("</td><td>")
              .Append(l.OutputShapeText).Append("</td><td style=\"text-align:right\">").Append(N(l.Parameters)).Append("</td></tr>");
        sb.Append("</tbody><tfoot>")
          .Append("<tr><td colspan=\"2\">Total params</td><td style=\"text-align:right\">").Append(N(TotalParameters)).Append("</td></tr>")
          .Append("<tr><td colspan=\"2\">Trainable params</td><td style=\"text-align:right\">").Append(N(TrainableParameters)).Append("</td></tr>")
          .Append("<tr><td colspan=\"2\">Non-trainable params</td><td style=\"text-align:right\">").Append(N(NonTrainableParameters)).Append("</td></tr>")
          .Append("</tfoot></table>");
        return sb.ToString();
    }
}
