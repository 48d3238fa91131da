using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace XRay.Models;

/// <summary>
/// Turns logits into losses, probabilities and predicted labels, for both heads: (B, 1) logits are a sigmoid unit
/// for 2 classes, (B, K) logits a softmax over K classes. Training and evaluation both go through here.
/// </summary>
public static class ClassifierOutput
{
    /// <summary>
    /// Mean loss over the batch. With class weights, each sample's loss is multiplied by its class's weight and the
    /// batch mean is taken over samples (Keras' class_weight, not PyTorch's weighted mean).
    /// </summary>
    /// <param name="logits">(B, 1) or (B, K).</param>
    /// <param name="labels">(B) int64.</param>
    /// <param name="classWeights">(K) float32 on the logits' device, or null.</param>
    public static Tensor Loss(Tensor logits, Tensor labels, Tensor? classWeights = null)
    {
        CheckShapes(logits, labels);
        using var perSample = logits.shape[1] == 1
            ? BinaryLoss(logits, labels)
            : F.cross_entropy(logits, labels, reduction: nn.Reduction.None);
        if (classWeights is null) return perSample.mean();
        using var weights = classWeights.index_select(0, labels);
        using var weighted = perSample.mul(weights);
        return weighted.mean();
    }

    private static Tensor BinaryLoss(Tensor logits, Tensor labels)
    {
        using var flat = logits.reshape(-1);          // (B)
        using var target = labels.to(logits.dtype);   // (B) 0/1
        return F.binary_cross_entropy_with_logits(flat, target, reduction: nn.Reduction.None);
    }

    /// <summary>(B, K) class probabilities: [1 - p, p] for a sigmoid unit, softmax otherwise.</summary>
    public static Tensor Probabilities(Tensor logits)
    {
        if (logits.ndim != 2) throw new ArgumentException($"Logits must be (B, units), got [{string.Join(", ", logits.shape)}].");
        if (logits.shape[1] != 1) return logits.softmax(1);
        using var p = logits.sigmoid();               // (B, 1)
        using var q = 1 - p;
        return cat(new[] { q, p }, 1);                // (B, 2)
    }

    /// <summary>(B) int64 predicted labels: logit &gt; 0 (p &gt; 0.5) for a sigmoid unit, argmax otherwise.</summary>
    public static Tensor Predict(Tensor logits)
    {
        if (logits.shape[1] != 1) return logits.argmax(1);
        using var positive = logits.reshape(-1).gt(0);
        return positive.to(ScalarType.Int64);
    }

    /// <summary>The number of classes the logits stand for.</summary>
    /// <summary>A softmax temperature as calibration fits it: positive and finite, else an exception naming the value.</summary>
    public static double CheckTemperature(double temperature) =>
        temperature > 0 && double.IsFinite(temperature) ? temperature
            : throw new ArgumentOutOfRangeException(nameof(temperature), temperature, $"A temperature must be a positive number, got {temperature}.");

    public static int ClassCount(Tensor logits) => logits.shape[1] == 1 ? 2 : checked((int)logits.shape[1]);

    private static void CheckShapes(Tensor logits, Tensor labels)
    {
        if (logits.ndim != 2 || labels.ndim != 1 || logits.shape[0] != labels.shape[0])
            throw new ArgumentException(
                $"Logits must be (B, units) and labels (B); got [{string.Join(", ", logits.shape)}] and [{string.Join(", ", labels.shape)}].");
    }
}
