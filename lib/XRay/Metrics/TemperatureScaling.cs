using XRay.Models;
namespace XRay.Metrics;

/// <summary>
/// Temperature scaling (Guo et al., 2017): one number T divides the logits, softmax(z / T), fitted on held-out images by
/// minimizing the negative log-likelihood. T &gt; 1 softens over-confident probabilities, T &lt; 1 sharpens them, and the
/// predicted class never changes, since dividing by a positive number keeps the order of the logits.
/// <para>
/// It works from probabilities: softmax(log p / T) equals softmax(z / T), because log p is z less a per-row constant
/// (for a sigmoid unit's [1 − p, p] it is sigmoid(z / T)). The NLL is convex in 1 / T, so a bisection on its derivative
/// finds the minimum; T is kept within [<see cref="MinTemperature"/>, <see cref="MaxTemperature"/>], which only binds when
/// every held-out image is right (the NLL then falls all the way to T → 0).
/// </para>
/// </summary>
public static class TemperatureScaling
{
    public const double MinTemperature = 0.01;
    public const double MaxTemperature = 100;

    // log(float.Epsilon): a float32 probability that underflowed to 0 is at most this likely, not impossible.
    private const double LogFloor = -103.28;

    /// <summary>The T that minimizes the mean NLL of <paramref name="probabilities"/> (uncalibrated, T = 1) against <paramref name="labels"/>.</summary>
    public static double Fit(IReadOnlyList<int> labels, IReadOnlyList<double[]> probabilities)
    {
        Probabilities.Check(labels, probabilities);
        if (labels.Count == 0) throw new ArgumentException("Temperature scaling needs at least one image to fit on.");
        var logs = probabilities.Select(LogOf).ToArray();
        // d NLL / d beta (beta = 1 / T) = mean(E_q[log p] - log p_true), q = softmax(beta log p): increasing in beta.
        double Slope(double beta)
        {
            double total = 0;
            for (var i = 0; i < logs.Length; i++)
            {
                var q = Softmax(logs[i], beta);
                double expected = 0;
                for (var k = 0; k < q.Length; k++) expected += q[k] * logs[i][k];
                total += expected - logs[i][labels[i]];
            }
            return total / logs.Length;
        }
        double lo = Math.Log(1 / MaxTemperature), hi = Math.Log(1 / MinTemperature);
        if (Slope(Math.Exp(lo)) >= 0) return MaxTemperature;
        if (Slope(Math.Exp(hi)) <= 0) return MinTemperature;
        for (var i = 0; i < 100 && hi - lo > 1e-13; i++)
        {
            var mid = (lo + hi) / 2;
            if (Slope(Math.Exp(mid)) < 0) lo = mid; else hi = mid;
        }
        return 1 / Math.Exp((lo + hi) / 2);
    }

    public static double Fit(Predictions predictions) => Fit(predictions.Labels, Probabilities.ToDouble(predictions.Probabilities));

    /// <summary>Fits T on <paramref name="uncalibrated"/> (held-out predictions at T = 1) and measures NLL and ECE before and after.</summary>
    public static TemperatureFit Calibrate(Predictions uncalibrated)
    {
        var rows = Probabilities.ToDouble(uncalibrated.Probabilities);
        var t = Fit(uncalibrated.Labels, rows);
        var before = Calibration.Compute(uncalibrated.Labels, rows);
        var after = Calibration.Compute(uncalibrated.Labels, rows.Select(p => Apply(p, t)).ToArray()); // in double, not rounded to float
        return new TemperatureFit(t, before.Nll, after.Nll, before.Ece, after.Ece, uncalibrated.Count);
    }

    /// <summary>softmax(log p / T) of one row.</summary>
    public static double[] Apply(double[] probabilities, double temperature) =>
        Softmax(LogOf(probabilities), 1 / Check(temperature));

    /// <summary>The same predictions with every row rescaled by T; the predicted classes stay as they are.</summary>
    public static Predictions Apply(Predictions predictions, double temperature)
    {
        Check(temperature);
        if (temperature == 1) return predictions;
        var rows = predictions.Probabilities
            .Select(p => Array.ConvertAll(Apply(Array.ConvertAll(p, v => (double)v), temperature), v => (float)v)).ToArray();
        return predictions with { Probabilities = rows };
    }

    /// <summary>A stored temperature must be a positive, finite number.</summary>
    public static double Check(double temperature) => ClassifierOutput.CheckTemperature(temperature);

    private static double[] LogOf(double[] p) => Array.ConvertAll(p, v => v > 0 ? Math.Max(Math.Log(v), LogFloor) : LogFloor);

    private static double[] Softmax(double[] logs, double beta)
    {
        var max = logs.Max() * beta;
        var e = Array.ConvertAll(logs, l => Math.Exp(l * beta - max));
        var sum = e.Sum();
        return Array.ConvertAll(e, v => v / sum);
    }
}
