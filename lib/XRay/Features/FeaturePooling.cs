namespace XRay.Features;

/// <summary>How a model's feature maps (B, F, h, w) become one vector per image.</summary>
public enum FeaturePooling
{
    /// <summary>(B, F·h·w): exactly what the blog CNN's dense head sees after Flatten.</summary>
    Flatten,

    /// <summary>(B, F): global average pooling, as torchvision's MobileNetV2 pools before its classifier.</summary>
    Average,

    /// <summary>(B, F): global max pooling, as seed 001's Keras head (GlobalMaxPooling2D).</summary>
    Max,
}
