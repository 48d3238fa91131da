using System.Diagnostics;
using TorchSharp;
using XRay.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace XRay.Tests.Runtime;

/// <summary>How this library uses TorchSharp: every step in a dispose scope, no native growth, libtorch's errors as .NET exceptions.</summary>
public class TorchUsageTests
{
    [Fact]
    public void A_training_step_in_a_scope_leaves_no_live_temporaries()
    {
        manual_seed(0);
        using var model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 6 * 6, 2));
        using var optimizer = optim.Adam(model.parameters());
        using var x = randn(8, 1, 8, 8);
        using var y = randint(0, 2, new long[] { 8 });
        Tensor loss;
        using (var scope = NewDisposeScope())
        {
            optimizer.zero_grad();
            loss = F.cross_entropy(model.call(x), y);
            loss.backward();
            optimizer.step();
        }
        Assert.True(loss.IsInvalid, "the loss was disposed with its scope");
        Assert.All(model.parameters(), p => Assert.False(p.IsInvalid)); // parameters are not the scope's
    }

    /// <summary>2,000 training steps inside scopes keep the process's memory flat.</summary>
    [Fact]
    [Trait("Category", TestCategories.Slow)]
    public void Two_thousand_training_steps_keep_rss_flat()
    {
        manual_seed(3);
        using var model = nn.Sequential(nn.Conv2d(1, 8, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8 * 8 * 8, 2));
        using var optimizer = optim.Adam(model.parameters(), lr: 1e-3);
        using var x = randn(16, 1, 16, 16);
        using var y = randint(0, 2, new long[] { 16 });

        void Step()
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = F.cross_entropy(model.call(x), y);
            loss.backward();
            optimizer.step();
        }

        for (var i = 0; i < 100; i++) Step();
        var baseline = Rss();
        for (var i = 0; i < 1900; i++) Step();
        var after = Rss();
        Assert.True(after <= baseline * 1.10 + 8e6,
            $"RSS grew from {baseline / 1e6:F1} MB after 100 steps to {after / 1e6:F1} MB after 2000 steps");
    }

    private static long Rss()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    [Fact]
    public void Libtorch_errors_surface_as_dotnet_exceptions_with_libtorchs_message_and_the_process_goes_on()
    {
        using var a = rand(2, 3);
        using var b = rand(4, 5);
        Assert.Contains("The size of tensor a (3) must match the size of tensor b (5)", Assert.ThrowsAny<Exception>(() => a.add(b)).Message);
        Assert.Contains("shape '[7]' is invalid for input of size 6", Assert.ThrowsAny<Exception>(() => a.view(7)).Message);
        Assert.Contains("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)", Assert.ThrowsAny<Exception>(() => a.mm(b)).Message);
        using var linear = nn.Linear(5, 2);
        Assert.Contains("mat1 and mat2 shapes cannot be multiplied", Assert.ThrowsAny<Exception>(() => linear.call(a)).Message);
        // (Tensor.matmul is the exception: TorchSharp 0.107 does not catch its errors, see environment.md.)
        using var c = a.mm(rand(3, 4));
        Assert.Equal(new long[] { 2, 4 }, c.shape);
    }

    [Theory]
    [InlineData(ModelFactory.BlogCnnArch)]
    [InlineData(ModelFactory.MlpArch)]
    [InlineData(ModelFactory.CnnArch)]
    [InlineData(ModelFactory.MobileNetV2Arch)]
    public void A_model_fed_the_wrong_input_shape_says_what_it_expects(string arch)
    {
        using var model = ModelFactory.Create(arch, 1, 64, 64, 2, seed: 0);
        using var wrong = rand(1, 1, 80, 80);
        var e = Assert.Throws<ArgumentException>(() => model.call(wrong));
        Assert.Contains("expects images of shape (B, 1, 64, 64), got [1, 1, 80, 80]", e.Message);
        using var three = rand(2, 3, 64, 64);
        Assert.Throws<ArgumentException>(() => model.call(three));
        using var right = rand(2, 1, 64, 64);
        using var output = model.call(right);
        Assert.Equal(2, output.shape[0]);
    }
}
