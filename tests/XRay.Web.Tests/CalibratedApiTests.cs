using System.Net.Http.Json;
using System.Text.Json.Nodes;
using XRay.Metrics;
using XRay.Models;
using XRay.Predictors;
using XRay.Training;

namespace XRay.Web.Tests;

/// <summary>A checkpoint with a stored temperature: /api/predict answers calibrated probabilities and the model info says so.</summary>
public sealed class CalibratedApiTests
{
    [Fact]
    public async Task Predict_answers_temperature_scaled_probabilities_and_the_model_info_says_calibrated()
    {
        var run = TrainedCheckpoint.Instance;
        var calibrated = Path.Combine(TestFiles.TempFolder("xray-web-calibrated-"), "checkpoint.pt");
        File.Copy(run.Checkpoint, calibrated);
        const double t = 2.5;
        Checkpoint.SaveTemperature(calibrated, t);
        using var plain = ImageClassifier.Load(run.Checkpoint);
        using var factory = new WebAppFactory(calibrated);
        using var client = factory.CreateClient();

        foreach (var path in run.TestImages.Take(3))
        {
            using var response = await client.PostAsync("/api/predict", ApiTests.Form(await File.ReadAllBytesAsync(path), Path.GetFileName(path)));
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            var uncalibrated = plain.Predict(path);
            var expected = TemperatureScaling.Apply(uncalibrated.Probabilities.Select(v => (double)v).ToArray(), t);
            var p = body["probabilities"]!.AsObject().Select(kv => (double)kv.Value!).ToArray();
            for (var k = 0; k < p.Length; k++) Assert.Equal(expected[k], p[k], 1e-5);
            Assert.Equal(uncalibrated.ClassName, (string)body["class"]!); // the temperature never changes the class
            Assert.True((bool)body["model"]!["calibrated"]!);
            Assert.Equal(t, (double)body["model"]!["temperature"]!);
        }

        var info = await client.GetFromJsonAsync<JsonObject>("/api/model");
        Assert.True((bool)info!["calibrated"]!);
        Assert.Equal(t, (double)info["temperature"]!);
        using var uncalibratedApp = new WebAppFactory();
        using var uncalibratedClient = uncalibratedApp.CreateClient();
        var plainInfo = await uncalibratedClient.GetFromJsonAsync<JsonObject>("/api/model");
        Assert.False((bool)plainInfo!["calibrated"]!);
        Assert.Equal(1.0, (double)plainInfo["temperature"]!);
    }
}
