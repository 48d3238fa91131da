using System.Reflection;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace XRay.Training;

/// <summary>
/// What Keras' optimizer gives and TorchSharp's base Optimizer type lacks: one learning rate to read and set, and the
/// state as bytes (for checkpoints). Every optimizer this library makes derives from OptimizerHelper.
/// </summary>
public static class OptimizerExtensions
{
    extension(optim.Optimizer optimizer)
    {
        /// <summary>The learning rate (of the first parameter group; setting it sets every group's).</summary>
        public double LearningRate
        {
            get => optimizer.ParamGroups.First().LearningRate;
            set
            {
                foreach (var group in optimizer.ParamGroups) group.LearningRate = value;
            }
        }

        /// <summary>The optimizer's state (moments, step counts, options) in TorchSharp's binary format.</summary>
        public byte[] StateBytes()
        {
            using var stream = new MemoryStream();
            using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
                WithContiguousState(optimizer, loading: false, () => Helper(optimizer).save_state_dict(writer));
            return stream.ToArray();
        }

        /// <summary>Restores what <see cref="StateBytes"/> returned, into an optimizer of the same kind over the same parameters.</summary>
        public void LoadStateBytes(byte[] state)
        {
            using var reader = new BinaryReader(new MemoryStream(state, writable: false));
            try
            {
                WithContiguousState(optimizer, loading: true, () => Helper(optimizer).load_state_dict(reader));
            }
            catch (Exception e) when (e is EndOfStreamException or IOException or ArgumentException or InvalidOperationException or InvalidDataException)
            {
                throw new InvalidDataException(
                    $"The saved optimizer state does not fit this {optimizer.GetType().Name} ({e.Message}). It was saved by " +
                    "another optimizer or for other parameters (a different architecture, or different layers frozen).", e);
            }
        }
    }

    /// <summary>
    /// TorchSharp writes and reads optimizer state through each tensor's raw bytes, which it refuses for a non-contiguous
    /// tensor ("Bytes() called on non-contiguous tensor"), and a channels-last model's moments are channels-last
    /// (zeros_like keeps the layout). So for the duration, each non-contiguous state tensor is swapped for a contiguous
    /// copy; afterwards the original is put back, holding the loaded values when loading.
    /// </summary>
    private static void WithContiguousState(optim.Optimizer optimizer, bool loading, Action action)
    {
        var swapped = new List<(object State, FieldInfo Field, Tensor Original, Tensor Copy)>();
        foreach (var state in Helper(optimizer).state_dict().State)
            foreach (var field in state.GetType().GetFields(BindingFlags.Public | BindingFlags.Instance).Where(f => f.FieldType == typeof(Tensor)))
                if (field.GetValue(state) is Tensor t && !t.is_contiguous())
                {
                    var copy = t.contiguous();
                    field.SetValue(state, copy);
                    swapped.Add((state, field, t, copy));
                }
        try
        {
            action();
        }
        finally
        {
            foreach (var (state, field, original, copy) in swapped)
            {
                if (loading && field.GetValue(state) is Tensor loaded)
                    using (no_grad()) original.copy_(loaded);
                if (!ReferenceEquals(field.GetValue(state), copy)) (field.GetValue(state) as Tensor)?.Dispose();
                field.SetValue(state, original);
                copy.Dispose();
            }
        }
    }

    private static OptimizerHelper Helper(optim.Optimizer optimizer) =>
        optimizer as OptimizerHelper ?? throw new NotSupportedException($"{optimizer.GetType().Name} cannot save its state.");
}
