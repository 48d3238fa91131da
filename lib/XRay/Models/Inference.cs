using XRay.Data;
using XRay.Runtime;
using XRay.Training;
using static TorchSharp.torch;

namespace XRay.Models;

/// <summary>
/// The one inference loop: eval mode and inference mode (the model's mode restored afterwards), inputs on the model's
/// device in its layout (channels-last where that is the default), probabilities through <see cref="ClassifierOutput"/>.
/// <see cref="Trainer.Evaluate"/>, <see cref="Metrics.Predictions"/>, <see cref="Predictors.ImageClassifier"/> (`xray predict`,
/// the web app, notebook 11) all run through here, so one image gets the same probabilities everywhere.
/// </summary>
public static class Inference
{
    /// <summary>
    /// Runs <paramref name="model"/> over every batch of <paramref name="data"/>; <paramref name="onBatch"/>(batch, labels on
    /// the device, logits) runs inside that batch's dispose scope, so copy what must outlive it.
    /// </summary>
    public static void ForEachBatch(nn.Module<Tensor, Tensor> model, IBatchSource data, Device? device, bool? channelsLast,
        Action<Batch, Tensor, Tensor> onBatch) =>
        Run(model, device, channelsLast, (target, nhwc) =>
        {
            foreach (var batch in data.GetBatches(0))
                using (batch)
                using (NewDisposeScope())
                {
                    var (x, y) = batch.ToDevice(target, nhwc);
                    onBatch(batch, y, model.call(x));
                }
        });

    /// <summary>Class probabilities of a (B, C, H, W) batch of model inputs: B rows of K, the logits divided by <paramref name="temperature"/>.</summary>
    public static float[][] Probabilities(nn.Module<Tensor, Tensor> model, Tensor images, Device? device = null, bool? channelsLast = null,
        double temperature = 1)
    {
        float[][] rows = [];
        Run(model, device, channelsLast, (target, nhwc) =>
        {
            using var scope = NewDisposeScope();
            rows = Rows(model.call(ChannelsLast.ToDevice(images, target, nhwc)), temperature);
        });
        return rows;
    }

    /// <summary>
    /// (B, units) logits to B rows of K probabilities (softmax, or [1 - p, p] for a sigmoid unit), copied to the host once.
    /// A <paramref name="temperature"/> other than 1 divides the logits first (temperature scaling: the argmax stays).
    /// </summary>
    public static float[][] Rows(Tensor logits, double temperature = 1)
    {
        using var scope = NewDisposeScope();
        var scaled = temperature == 1 ? logits : logits.div(ClassifierOutput.CheckTemperature(temperature));
        var p = ClassifierOutput.Probabilities(scaled).to(ScalarType.Float32).cpu().contiguous(); // (B, K)
        var (b, k) = (checked((int)p.shape[0]), checked((int)p.shape[1]));
        var values = p.data<float>().ToArray();
        return Enumerable.Range(0, b).Select(i => values.AsSpan(i * k, k).ToArray()).ToArray();
    }

    /// <summary>The first maximum, as numpy's argmax; for a sigmoid unit's [1 - p, p] this is p &gt; 0.5.</summary>
    public static int ArgMax(ReadOnlySpan<float> row)
    {
        var best = 0;
        for (var i = 1; i < row.Length; i++) if (row[i] > row[best]) best = i;
        return best;
    }

    private static void Run(nn.Module<Tensor, Tensor> model, Device? device, bool? channelsLast, Action<Device, bool> body)
    {
        var target = device ?? model.parameters().FirstOrDefault()?.device ?? CPU;
        var nhwc = channelsLast ?? ChannelsLast.DefaultFor(target);
        using var eval = EvalMode.Enter(model);
        using var _ = inference_mode();
        body(target, nhwc);
    }
}
