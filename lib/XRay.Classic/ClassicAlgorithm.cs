namespace XRay.Classic;

/// <summary>The ML.NET classifiers trained on CNN features.</summary>
public enum ClassicAlgorithm
{
    /// <summary>LightGBM's gradient-boosted trees, multiclass with softmax.</summary>
    LightGbm,

    /// <summary>ML.NET's FastTree boosted trees, one binary model per class (one-vs-all), probabilities normalized.</summary>
    FastTree,

    /// <summary>Multinomial logistic regression (L-BFGS maximum entropy) on standardized features.</summary>
    Linear,
}
