using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using XRay.Data;
using XRay.Imaging;
using XRay.Metrics;
using XRay.Models;
using XRay.TestSupport;
using XRay.Training;

namespace XRay.Web.Tests;

/// <summary>The API on WebApplicationFactory's in-memory server: answers, bad input, limits, headers.</summary>
public sealed class ApiTests(WebAppFactory factory) : IClassFixture<WebAppFactory>
{
    private static TrainedCheckpoint Run => TrainedCheckpoint.Instance;

    internal static MultipartFormDataContent Form(byte[] body, string fileName, string field = "image")
    {
        var file = new ByteArrayContent(body);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return new MultipartFormDataContent { { file, field, fileName } };
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> Post(string path, HttpContent content)
    {
        using var client = factory.CreateClient();
        using var response = await client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        var type = response.Content.Headers.ContentType?.MediaType;
        if (type == "application/problem+json") Problems.AssertWellFormed(response.StatusCode, text);
        return (response.StatusCode, type is "application/json" or "application/problem+json" ? JsonNode.Parse(text) : null);
    }

    [Fact]
    public async Task Predict_answers_the_class_and_probabilities_in_class_order_the_same_as_xray_predict_and_Evaluation()
    {
        var images = Run.TestImages;
        // Evaluation's path: the test split through the DataLoader in batches.
        using var checkpoint = Checkpoint.Load(Run.Checkpoint);
        using var model = checkpoint.CreateModel();
        var loader = DataLoader.FromFolder(Run.Data, "test", checkpoint.Preprocessing, 4, shuffle: false, classOrder: checkpoint.ClassNames);
        var evaluation = Evaluation.Run(model, loader);
        var expected = Enumerable.Range(0, evaluation.Predictions.Count)
            .ToDictionary(i => evaluation.Predictions.Paths[i], i => evaluation.Predictions.Probabilities[i]);
        // `xray predict`'s path, printed with 6 decimals.
        var (code, printed, _) = TrainedCheckpoint.Cli(new[] { "predict", "--checkpoint", Run.Checkpoint }.Concat(images).ToArray());
        Assert.Equal(0, code);
        var lines = printed.TrimEnd('\n').Split('\n').ToDictionary(l => l.Split('\t')[0], l => l.Split('\t')[1..]);

        Assert.Equal(images.Length, expected.Count);
        foreach (var path in images)
        {
            var (status, body) = await Post("/api/predict", Form(await File.ReadAllBytesAsync(path), Path.GetFileName(path)));
            Assert.Equal(HttpStatusCode.OK, status);
            var probabilities = body!["probabilities"]!.AsObject();
            Assert.Equal(checkpoint.ClassNames, probabilities.Select(p => p.Key)); // class order
            var p = probabilities.Select(kv => (double)kv.Value!).ToArray();
            Assert.Equal(1.0, p.Sum(), 1e-6);
            Assert.Equal(checkpoint.ClassNames[Array.IndexOf(p, p.Max())], (string)body["class"]!);
            for (var k = 0; k < p.Length; k++) Assert.Equal(expected[path][k], p[k], 1e-6);
            Assert.Equal((string)body["class"]!, lines[path][0]);
            Assert.Equal(checkpoint.ClassNames, lines[path][1..].Select(c => c.Split('=')[0]));
            var printedP = lines[path][1..].Select(c => double.Parse(c.Split('=')[1], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            for (var k = 0; k < p.Length; k++) Assert.Equal(printedP[k], p[k], 1e-6); // printed with 6 decimals
            var m = body["model"]!;
            Assert.Equal("BlogCnn", (string)m["name"]!);
            Assert.Equal(new[] { 1, 32, 32 }, m["input"]!.AsArray().Select(v => (int)v!));
        }
    }

    [Fact]
    public async Task Every_bad_input_gets_a_json_error_naming_the_problem_and_a_good_image_still_gets_200()
    {
        var good = await File.ReadAllBytesAsync(Run.TestImages[0]);
        var png = Cv.ImEncodePng(ImageLoader.Read(Run.TestImages[0]));
        var corrupt = PngBytes.WithCorruptPixels(png);
        var bomb = PngBytes.WithSize(png, 20000, 20000);
        var notMultipart = new ByteArrayContent(good);
        notMultipart.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        var cases = new (string Name, HttpContent Content, HttpStatusCode Status, string Error)[]
        {
            ("empty", Form([], "xray.jpg"), HttpStatusCode.BadRequest, "empty file"),
            ("truncated", Form(good[..(good.Length / 2)], "xray.jpg"), HttpStatusCode.BadRequest, "truncated JPEG"),
            ("text", Form(Encoding.UTF8.GetBytes("this is not an X-ray"), "xray.jpg"), HttpStatusCode.BadRequest, "not an image"),
            ("wrong extension", Form(good, "xray.txt"), HttpStatusCode.BadRequest, "extension '.txt'"),
            ("corrupt", Form(corrupt, "xray.png"), HttpStatusCode.BadRequest, "could not decode"),
            ("pixel bomb", Form(bomb, "xray.png"), HttpStatusCode.RequestEntityTooLarge, "too large: 20000x20000"),
            ("over the size limit", Form(new byte[WebAppFactory.MaxUploadMb * 1024 * 1024 + 1], "big.jpg"), HttpStatusCode.RequestEntityTooLarge, "over the limit of 1 MB"),
            ("missing field", Form(good, "xray.jpg", field: "file"), HttpStatusCode.BadRequest, "no file field named 'image'"),
            ("not multipart", notMultipart, HttpStatusCode.BadRequest, "multipart/form-data"),
            ("path in the file name", Form(good[..100], "../../etc/passwd.jpg"), HttpStatusCode.BadRequest, "'passwd.jpg'"),
        };
        foreach (var path in new[] { "/api/predict", "/api/gradcam" })
            foreach (var (name, content, status, error) in cases)
            {
                var (got, body) = await Post(path, content);
                Assert.True(status == got, $"{path} {name}: {got} {body?.ToJsonString()}");
                Assert.Equal((int)status, (int)body!["status"]!); // an RFC 9457 problem (checked whole in Post)
                Assert.Contains(error, (string)body!["error"]!);
                var (after, _) = await Post(path, Form(good, "xray.jpg"));
                Assert.True(after == HttpStatusCode.OK, $"{path}: after {name}, a good image got {after}");
            }

        using var client = factory.CreateClient();
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/api/predict"), (HttpMethod.Put, "/api/gradcam"), (HttpMethod.Post, "/healthz") })
        {
            using var response = await client.SendAsync(new HttpRequestMessage(method, path));
            Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            Problems.AssertWellFormed(response.StatusCode, text);
            Assert.Contains("not allowed", (string)JsonNode.Parse(text)!["error"]!);
        }
        Assert.Equal(HttpStatusCode.OK, (await Post("/api/predict", Form(good, "xray.jpg"))).Status);
    }

    [Fact]
    public async Task Gradcam_answers_a_png_heatmap_at_the_model_input_size_for_the_predicted_class()
    {
        using var client = factory.CreateClient();
        var bytes = await File.ReadAllBytesAsync(Run.TestImages[1]);
        using var response = await client.PostAsync("/api/gradcam", Form(bytes, "x.jpg"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        var png = await response.Content.ReadAsByteArrayAsync();
        var header = Cv.Probe(png);
        Assert.Equal(new ImageHeader(ImageFormat.Png, 32, 32), header);
        Assert.Equal(3, Cv.ImDecode(png, 3).Channels);
        var (_, predicted) = await Post("/api/predict", Form(bytes, "x.jpg"));
        Assert.Equal((string)predicted!["class"]!, response.Headers.GetValues("X-Class").Single());
    }

    [Fact]
    public async Task The_page_health_and_model_description_are_served_with_a_strict_content_security_policy()
    {
        using var client = factory.CreateClient();
        using var health = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        using var page = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe", csp);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"/app.js\"", html);
        Assert.DoesNotContain("http", html.Replace("http-equiv", "")); // nothing from elsewhere
        Assert.DoesNotContain("<script>", html);                          // no inline script
        foreach (var asset in new[] { "/app.js", "/app.css" })
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(asset)).StatusCode);
        using var missing = await client.GetAsync("/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Problems.AssertWellFormed(missing.StatusCode, await missing.Content.ReadAsStringAsync());

        var model = JsonNode.Parse(await client.GetStringAsync("/api/model"))!;
        Assert.Equal("blog-cnn", (string)model["arch"]!);
        Assert.Equal("checkpoint.pt", (string)model["checkpoint"]!); // the file's name, not the server's folders
        Assert.Equal(3, model["classes"]!.AsArray().Count);
        Assert.Null(model["test_accuracy"]);
    }
}
