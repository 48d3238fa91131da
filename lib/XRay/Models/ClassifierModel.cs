using static TorchSharp.torch;

namespace XRay.Models;

/// <summary>
/// The base of this library's image classifiers: (B, C, H, W) images in, (B, OutputUnits) logits out.
/// <para>
/// Output convention: a model with <see cref="OutputUnits"/> = 1 (2 classes, the blog's sigmoid unit) gives one logit
/// per image, and the loss is binary cross-entropy on sigmoid(logit); otherwise it gives one logit per class, and the
/// loss is softmax cross-entropy. The sigmoid/softmax is applied by <see cref="ClassifierOutput"/> (in the loss, and
/// for probabilities), not in forward, because the fused log-sigmoid / log-softmax is numerically stable; the maths
/// equal Keras' Dense(1, 'sigmoid') + binary_crossentropy and Dense(K, 'softmax') + categorical_crossentropy.
/// </para>
/// </summary>
public abstract class ClassifierModel : nn.Module<Tensor, Tensor>
{
    /// <param name="name">The module's name, as TorchSharp and the model summary show it.</param>
    protected ClassifierModel(string name, ModelSpec spec) : base(name)
    {
        if (spec.Channels <= 0 || spec.Height <= 0 || spec.Width <= 0)
            throw new ArgumentException($"The input shape must be positive, got {spec.Channels}x{spec.Height}x{spec.Width}.");
        if (spec.Classes < 2) throw new ArgumentException($"A classifier needs at least 2 classes, got {spec.Classes}.");
        Spec = spec;
    }

    public ModelSpec Spec { get; }

    /// <summary>
    /// Checks that <paramref name="input"/> is (B, C, H, W) as <see cref="Spec"/> says. libtorch would fail too, but
    /// deep inside a layer ("mat1 and mat2 shapes cannot be multiplied (1x11552 and 6272x128)"); this names the
    /// expected image shape and what to do.
    /// </summary>
    protected void CheckInput(Tensor input)
    {
        var s = input.shape;
        if (s.Length != 4 || s[1] != Spec.Channels || s[2] != Spec.Height || s[3] != Spec.Width)
            throw new ArgumentException(
                $"{GetName()} expects images of shape (B, {Spec.Channels}, {Spec.Height}, {Spec.Width}), got [{string.Join(", ", s)}]. " +
                "Resize with the checkpoint's preprocessing (or build the model for this size).", nameof(input));
    }

    /// <summary>1 for two classes with a sigmoid head, else the class count.</summary>
    public virtual int OutputUnits => Spec.Classes;

}
