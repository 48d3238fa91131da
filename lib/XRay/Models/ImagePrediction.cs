namespace XRay.Models;

/// <summary>One image's class: the predicted class and every class's probability, in class order (they sum to 1).</summary>
public sealed record ImagePrediction(IReadOnlyList<string> ClassNames, float[] Probabilities)
{
    public int ClassIndex => Inference.ArgMax(Probabilities);

    public string ClassName => ClassNames[ClassIndex];
}
