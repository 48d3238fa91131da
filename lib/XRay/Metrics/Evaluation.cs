using System.Globalization;
using System.Text;
using System.Text.Json;
using XRay.Data;
using static TorchSharp.torch;

namespace XRay.Metrics;

/// <summary>
/// Everything `xray evaluate` prints and writes, from one pass over the data: predictions (→ predictions.csv), the
/// confusion matrix, the classification report, ROC and precision–recall curves, sensitivity and specificity per class,
/// calibration, bootstrap intervals, and the misclassified files. <see cref="Temperature"/> is the T the probabilities were
/// scaled by (1: uncalibrated).
/// </summary>
public sealed record Evaluation(Predictions Predictions, ConfusionMatrix ConfusionMatrix, ClassificationReport Report, IReadOnlyList<RocCurve> RocCurves)
{
    public static Evaluation Run(nn.Module<Tensor, Tensor> model, IBatchSource data, Device? device = null, double temperature = 1) =>
        From(Predictions.Predict(model, data, device, temperature: temperature), temperature);

    public static Evaluation From(Predictions predictions, double temperature = 1)
    {
        var matrix = new ConfusionMatrix(predictions.Labels, predictions.Predicted, predictions.ClassNames.Count);
        return new Evaluation(predictions, matrix, new ClassificationReport(matrix, predictions.ClassNames), RocCurve.OneVsRest(predictions))
        {
            Temperature = TemperatureScaling.Check(temperature),
        };
    }

    /// <summary>The temperature the probabilities were divided by (through the logits); 1 when uncalibrated.</summary>
    public double Temperature { get; init; } = 1;

    public double Accuracy => Report.Accuracy;

    public IReadOnlyList<Misclassification> Misclassified => Predictions.Misclassified();

    // Computed on each use (one pass over the predictions) rather than cached, so `evaluation with { Predictions = ... }` stays true.

    /// <summary>ECE (15 bins), Brier and NLL of the probabilities, with the reliability diagram.</summary>
    public Calibration Calibration => Calibration.Compute(Predictions);

    public IReadOnlyList<PrecisionRecallCurve> PrecisionRecallCurves => PrecisionRecallCurve.OneVsRest(Predictions);

    /// <summary>Per class, one-vs-rest from the confusion matrix: the share of that class's images caught.</summary>
    public IReadOnlyDictionary<string, double> Sensitivity => PerClass(ConfusionMatrix.Sensitivity);

    /// <summary>Per class, one-vs-rest: the share of the other images not called that class.</summary>
    public IReadOnlyDictionary<string, double> Specificity => PerClass(ConfusionMatrix.Specificity);

    /// <summary>Percentile-bootstrap intervals of accuracy, macro F1 and per-class recall.</summary>
    public ConfidenceIntervals Intervals(BootstrapOptions? options = null) => Bootstrap.Intervals(Predictions, options);

    /// <summary>Sensitivity and specificity of <paramref name="positiveClass"/> at every threshold on its probability.</summary>
    public ThresholdCurve Thresholds(string positiveClass) => ThresholdCurve.Compute(Predictions, positiveClass);

    private Dictionary<string, double> PerClass(Func<int, double> metric) =>
        Enumerable.Range(0, Predictions.ClassNames.Count).ToDictionary(c => Predictions.ClassNames[c], metric);

    /// <summary>
    /// `xray evaluate --json`: {"classes","report","confusion_matrix","accuracy","auc","sensitivity","specificity",
    /// "calibration":{"ece","brier","nll","bins"},"ci":{"accuracy":[lo,hi],"macro_f1":[lo,hi],"recall":{class:[lo,hi]}},"temperature"}.
    /// Undefined values (an AUC without positives) are null. With <paramref name="positiveClass"/> it adds
    /// "operating_point": {"class","target_sensitivity","threshold","sensitivity","specificity","precision"} (null
    /// values when no threshold reaches the target).
    /// </summary>
    public string ToJson(BootstrapOptions? bootstrap = null, string? positiveClass = null, double targetSensitivity = DefaultTargetSensitivity)
    {
        var calibration = Calibration;
        var json = new Dictionary<string, object?>
        {
            ["classes"] = Predictions.ClassNames,
            ["report"] = Report.ToDictionary(),
            ["confusion_matrix"] = ConfusionMatrix.ToArray(),
            ["accuracy"] = Accuracy,
            ["auc"] = RocCurves.ToDictionary(c => c.ClassName, c => NullIfNaN(c.Auc)),
            ["sensitivity"] = Sensitivity,
            ["specificity"] = Specificity,
            ["calibration"] = new Dictionary<string, object?>
            {
                ["ece"] = NullIfNaN(calibration.Ece), ["brier"] = NullIfNaN(calibration.Brier), ["nll"] = NullIfNaN(calibration.Nll), ["bins"] = calibration.Bins,
            },
            ["ci"] = Intervals(bootstrap),
            ["temperature"] = Temperature,
        };
        if (positiveClass is not null)
        {
            var (name, point) = OperatingPoint(positiveClass, targetSensitivity);
            json["operating_point"] = new Dictionary<string, object?>
            {
                ["class"] = name, ["target_sensitivity"] = targetSensitivity, ["threshold"] = point?.Threshold,
                ["sensitivity"] = point?.Sensitivity, ["specificity"] = point?.Specificity, ["precision"] = point?.Precision,
            };
        }
        return JsonSerializer.Serialize(json);
    }

    /// <summary>The usual screening target: miss at most 1 in 20 of the diseased.</summary>
    public const double DefaultTargetSensitivity = 0.95;

    /// <summary>The class's name as the predictions spell it, and the highest threshold on its probability that reaches the target sensitivity (null if none does).</summary>
    public (string ClassName, OperatingPoint? Point) OperatingPoint(string positiveClass, double targetSensitivity = DefaultTargetSensitivity)
    {
        var curve = Thresholds(positiveClass);
        return (curve.ClassName, curve.AtSensitivity(targetSensitivity));
    }

    private static double? NullIfNaN(double v) => double.IsNaN(v) ? null : v;

    /// <summary>The report, then the confusion matrix, as seed 001 prints them.</summary>
    public override string ToString() => Report + "\n" + ConfusionMatrix + "\n";

    /// <summary>
    /// What a clinician asks, in words: sensitivity and specificity per class, the intervals, and how far the
    /// probabilities can be trusted. `xray evaluate` prints it after the report.
    /// </summary>
    public string ClinicalSummary(BootstrapOptions? bootstrap = null, string? positiveClass = null, double targetSensitivity = DefaultTargetSensitivity)
    {
        var ci = Intervals(bootstrap);
        var calibration = Calibration;
        var width = Math.Max(Predictions.ClassNames.Max(n => n.Length), 5);
        var text = new StringBuilder();
        text.AppendLine(Invariant($"{"class".PadLeft(width)}  sensitivity  specificity  recall 95 % CI"));
        foreach (var name in Predictions.ClassNames)
            text.AppendLine(Invariant($"{name.PadLeft(width)}  {Sensitivity[name],11:0.000}  {Specificity[name],11:0.000}  {ci.Recall[name]}"));
        text.AppendLine();
        var level = ci.Options.Level * 100;
        text.AppendLine(Invariant($"accuracy {Accuracy:0.000}, {level:0.#} % CI {ci.Accuracy}; macro F1 {Report.MacroAverage.F1:0.000}, {level:0.#} % CI {ci.MacroF1}"));
        text.AppendLine(Invariant($"  (percentile bootstrap over the {Predictions.Count} images: {ci.Options.Resamples} resamples, seed {ci.Options.Seed})"));
        text.AppendLine(Invariant($"calibration: ECE {calibration.Ece:0.0000} ({calibration.Bins} bins), Brier {calibration.Brier:0.0000}, NLL {calibration.Nll:0.0000}; temperature {Temperature:0.####}{(Temperature == 1 ? " (uncalibrated)" : "")}"));
        text.AppendLine(Invariant($"  (ECE: when the model says p, it is right p of the time give or take {calibration.Ece:P1} on average)"));
        if (positiveClass is not null)
        {
            var (name, point) = OperatingPoint(positiveClass, targetSensitivity);
            text.AppendLine(point is null
                ? Invariant($"operating point: no threshold on p({name}) reaches a sensitivity of {targetSensitivity:0.###} (no {name} images?)")
                : Invariant($"operating point for {name} at sensitivity >= {targetSensitivity:0.###}: flag when p({name}) >= {point.Threshold:0.####}: sensitivity {point.Sensitivity:0.000}, specificity {point.Specificity:0.000}, precision {point.Precision:0.000}"));
        }
        return text.ToString();
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
