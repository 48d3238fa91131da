using XRay.Training;

namespace XRay.Tests.Training;

public class ProgressReporterTests
{
    [Fact]
    public void Epoch_line_has_keras_layout()
    {
        var line = ProgressReporter.FormatEpochLine(new EpochRecord(1, 0.5713, 0.7591, 0.6968, 0.7468, 1e-4, 119.2), 177);
        Assert.Equal("177/177 [==============================] - 119s 673ms/step - loss: 0.5713 - accuracy: 0.7591 - val_loss: 0.6968 - val_accuracy: 0.7468 - lr: 1.0000e-04", line);
        Assert.Equal(" 12/177 [=>............................]", ProgressReporter.Bar(12, 177));
    }

    [Fact]
    public void Transcript_sink_keeps_one_live_text()
    {
        var updates = new List<string>();
        var sink = new TranscriptProgressSink(updates.Add);
        sink.Write("Epoch 1/2", true);
        sink.Write("1/4 [====>...]", false);
        sink.Write("2/4 [========>]", false);
        sink.Write("4/4 [=========] - loss: 1", true);
        Assert.Equal("Epoch 1/2\n4/4 [=========] - loss: 1\n", sink.Text);
        Assert.Equal("Epoch 1/2\n2/4 [========>]", updates[2]);
    }
}
