using XRay.Weights;

namespace XRay.Tests.Weights;

public class WeightCatalogTests
{
    [Fact]
    public void Torchvisions_files_have_torchvisions_urls_and_hash_prefixes()
    {
        var v1 = WeightCatalog.Find("mobilenet-v2.IMAGENET1K_V1")!;
        Assert.Equal("https://download.pytorch.org/models/mobilenet_v2-b0353104.pth", v1.Url.ToString());
        Assert.Equal("b0353104", v1.HashPrefix);
        Assert.Equal("https://download.pytorch.org/models/vgg19-dcbb9e9d.pth", WeightCatalog.Find("vgg19.IMAGENET1K_V1")!.Url.ToString());
        Assert.Equal("7ebf99e0", WeightCatalog.DefaultFor("mobilenet-v2")!.HashPrefix); // torchvision's DEFAULT is V2
        Assert.Equal(new[] { 0.485, 0.456, 0.406 }, v1.Transforms.Mean);
        Assert.Equal(new[] { 0.229, 0.224, 0.225 }, v1.Transforms.Std);
        Assert.Null(WeightCatalog.Find("mobilenet.keras")!.HashPrefix); // Keras' names carry no hash
    }

    [Theory]
    [InlineData("resnet18-f37072fd.pth", "f37072fd")]
    [InlineData("efficientnet_b0_rwightman-7f5810bc.pth", "7f5810bc")]
    [InlineData("mobilenet_1_0_224_tf_no_top.h5", null)]
    [InlineData("my-model-NOTHEX.pth", null)]
    public void The_hash_prefix_is_the_hex_after_the_last_dash(string name, string? prefix) =>
        Assert.Equal(prefix, HashPrefix.FromFileName(name));

    [Fact]
    public void Imagenet_resolves_per_arch_and_a_name_must_fit_the_arch()
    {
        Assert.True(WeightCatalog.TryResolve("imagenet", "vgg19", out var vgg));
        Assert.Equal("vgg19.IMAGENET1K_V1", vgg!.Name);
        Assert.True(WeightCatalog.TryResolve("none", "vgg19", out var none));
        Assert.Null(none);
        Assert.False(WeightCatalog.TryResolve("/tmp/w.pt", "vgg19", out _));
        Assert.Contains("blog-cnn", Assert.Throws<ArgumentException>(() => WeightCatalog.TryResolve("imagenet", "blog-cnn", out _)).Message);
        Assert.Contains("--arch vgg19", Assert.Throws<ArgumentException>(() => WeightCatalog.TryResolve("vgg19.IMAGENET1K_V1", "mobilenet-v2", out _)).Message);
    }
}
