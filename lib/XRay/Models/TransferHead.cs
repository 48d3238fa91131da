namespace XRay.Models;

/// <summary>The classifier a transfer model (MobileNetV2, VGG19) puts on top of its feature extractor.</summary>
public enum TransferHead
{
    /// <summary>
    /// Seed 001's head: global max pooling, Dense 512 ReLU, Dropout 0.5, Dense 512 ReLU, BatchNorm, Dense 16 ReLU,
    /// Dense classes. This is what the notebooks train.
    /// </summary>
    Seed001,

    /// <summary>torchvision's own classifier (for loading a complete torchvision state dict, e.g. parity checks).</summary>
    Torchvision,
}
