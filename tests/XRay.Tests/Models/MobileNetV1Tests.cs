using XRay.IO;
using XRay.Models;
using XRay.TestSupport;
using XRay.Weights;
using static TorchSharp.torch;

namespace XRay.Tests.Models;

/// <summary>
/// Seed 001's Keras MobileNet: Keras' parameter counts, and Keras' HDF5 weights. h5py writes a file in Keras' layout
/// (layer_names, weight_names, HWIO kernels, (3, 3, C, 1) depthwise kernels) with random weights; a NumPy forward pass
/// written in Keras' own terms (NHWC, ZeroPadding2D((0, 1), (0, 1)) + 'valid' on stride 2, 'same' otherwise, BN eps
/// 1e-3, ReLU6, global max pooling) is the reference our model must match.
/// </summary>
public class MobileNetV1Tests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string KerasFile = """
        import sys, os, h5py, numpy as np, torch
        path, out = sys.argv[1], sys.argv[2]
        rng = np.random.default_rng(0)
        blocks = [(64,1),(128,2),(128,1),(256,2),(256,1),(512,2)] + [(512,1)]*5 + [(1024,2),(1024,1)]
        W, names = {}, ['input_1', 'conv1_pad']
        def conv(name, shape): W[name] = {'kernel': (rng.standard_normal(shape) * np.sqrt(2.0 / np.prod(shape[:-1]))).astype('f4')}
        def bn(name, c): W[name] = {'gamma': rng.uniform(0.5, 1.5, c).astype('f4'), 'beta': rng.uniform(-0.2, 0.2, c).astype('f4'),
                                    'moving_mean': rng.uniform(-0.2, 0.2, c).astype('f4'), 'moving_variance': rng.uniform(0.5, 2.0, c).astype('f4')}
        conv('conv1', (3,3,3,32)); bn('conv1_bn', 32); names += ['conv1', 'conv1_bn', 'conv1_relu']
        c = 32
        for i, (o, s) in enumerate(blocks, 1):
            if s == 2: names.append(f'conv_pad_{i}')
            W[f'conv_dw_{i}'] = {'depthwise_kernel': (rng.standard_normal((3,3,c,1)) * np.sqrt(2.0 / 9)).astype('f4')}
            bn(f'conv_dw_{i}_bn', c); conv(f'conv_pw_{i}', (1,1,c,o)); bn(f'conv_pw_{i}_bn', o)
            names += [f'conv_dw_{i}', f'conv_dw_{i}_bn', f'conv_dw_{i}_relu', f'conv_pw_{i}', f'conv_pw_{i}_bn', f'conv_pw_{i}_relu']
            c = o
        names.append('global_max_pooling2d')
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with h5py.File(path, 'w') as f:
            f.attrs['layer_names'] = np.array([n.encode() for n in names])
            f.attrs['backend'] = b'tensorflow'; f.attrs['keras_version'] = b'2.2.4'
            for n in names:
                g = f.create_group(n)
                ws = W.get(n, {})
                g.attrs['weight_names'] = np.array([f'{n}/{k}:0'.encode() for k in ws], dtype='S64')
                for k, v in ws.items(): g.create_dataset(f'{n}/{k}:0', data=v)
        # Keras' forward pass, NHWC.
        def full(x, k, stride): # Conv2D
            kh = k.shape[0]
            x = np.pad(x, ((0,0),(0,1),(0,1),(0,0))) if stride == 2 else (np.pad(x, ((0,0),(1,1),(1,1),(0,0))) if kh == 3 else x)
            ho, wo = (x.shape[1] - kh) // stride + 1, (x.shape[2] - kh) // stride + 1
            return sum(np.einsum('nhwc,co->nhwo', x[:, dy:dy + stride*(ho-1)+1:stride, dx:dx + stride*(wo-1)+1:stride, :], k[dy, dx])
                       for dy in range(kh) for dx in range(kh))
        def depthwise(x, k, stride): # DepthwiseConv2D, depth multiplier 1
            x = np.pad(x, ((0,0),(0,1),(0,1),(0,0))) if stride == 2 else np.pad(x, ((0,0),(1,1),(1,1),(0,0)))
            ho, wo = (x.shape[1] - 3) // stride + 1, (x.shape[2] - 3) // stride + 1
            return sum(x[:, dy:dy + stride*(ho-1)+1:stride, dx:dx + stride*(wo-1)+1:stride, :] * k[dy, dx, :, 0]
                       for dy in range(3) for dx in range(3))
        def bnorm(x, p): return (x - p['moving_mean']) / np.sqrt(p['moving_variance'] + 1e-3) * p['gamma'] + p['beta']
        relu6 = lambda x: np.clip(x, 0, 6)
        x = rng.uniform(-1, 1, (2, 64, 64, 3)).astype('f8')
        y = relu6(bnorm(full(x, W['conv1']['kernel'].astype('f8'), 2), W['conv1_bn']))
        for i, (o, s) in enumerate(blocks, 1):
            y = relu6(bnorm(depthwise(y, W[f'conv_dw_{i}']['depthwise_kernel'].astype('f8'), s), W[f'conv_dw_{i}_bn']))
            y = relu6(bnorm(full(y, W[f'conv_pw_{i}']['kernel'].astype('f8'), 1), W[f'conv_pw_{i}_bn']))
        pooled = y.max(axis=(1, 2))  # GlobalMaxPooling2D: (2, 1024)
        torch.save({'x': torch.from_numpy(x.transpose(0, 3, 1, 2).astype('f4')).contiguous(), 'y': torch.from_numpy(pooled.astype('f4'))}, out)
        """;

    [Fact]
    [Trait("Category", TestCategories.Parity)]
    public void Keras_hdf5_weights_from_the_keras_cache_give_keras_outputs()
    {
        var home = TestFiles.TempFolder();
        var file = Path.Combine(home, "models", "mobilenet_1_0_224_tf_no_top.h5");
        var io = Path.Combine(home, "xy.pt");
        PythonReference.Run(KerasFile, file, io);
        var keras = KerasWeightsFile.Load(file);
        Assert.Equal(new long[] { 3, 3, 512, 1 }, keras["conv_dw_7/depthwise_kernel"].shape);
        Assert.Equal(new long[] { 3, 3, 3, 32 }, keras["conv1/kernel"].shape);

        // "imagenet" for mobilenet is Keras' file in $KERAS_HOME/models; a file there is used as is.
        using var downloader = new WeightDownloader(new WeightCache(home, home, home, "http://127.0.0.1:9/"));
        using var model = (MobileNetV1)XRay.Weights.PretrainedWeights.CreateModel(new ModelSpec("mobilenet", 3, 64, 64, 3), "imagenet", seed: 0, downloader);
        model.eval();
        var xy = TensorFile.Load(io);
        using var _ = no_grad();
        using var maps = model.FeatureMaps(xy["x"]);                                              // (2, 1024, 2, 2)
        using var pooled = nn.functional.adaptive_max_pool2d(maps, new long[] { 1, 1 }).flatten(1);
        var diff = (pooled - xy["y"]).abs().max().item<float>();
        var scale = xy["y"].abs().max().item<float>();
        output.WriteLine($"max |ours - Keras' NumPy forward| = {diff}, features up to {scale}");
        Assert.True(scale > 0.1, "the reference features are all near zero");
        Assert.True(diff < 1e-4, $"max |ours - Keras' NumPy forward| = {diff} (features up to {scale})");
        Assert.Equal(xy["y"].shape, pooled.shape);
    }

    [Fact]
    public void Keras_parameter_counts_with_and_without_seed_001s_head()
    {
        using var bare = ModelFactory.Create(new ModelSpec("mobilenet", 3, 224, 224, 3) { Head = TransferHead.Torchvision });
        var s = ModelSummary.Create(bare, 3, 224, 224);
        const long linear = 1024 * 3 + 3;
        Assert.Equal(3_228_864 + linear, s.TotalParameters);
        Assert.Equal(3_206_976 + linear, s.TrainableParameters);
        Assert.Equal(21_888, s.NonTrainableParameters);
        // With seed 001's head: `xray model summary --arch mobilenet` (XRay.Cli.Tests' ModelCommandTests).
    }

    [Fact]
    [Trait("Category", TestCategories.Parity)]
    public void A_file_that_is_not_keras_mobilenet_is_refused_with_its_name()
    {
        var home = TestFiles.TempFolder();
        var notHdf5 = Path.Combine(home, "x.h5");
        File.WriteAllText(notHdf5, "not hdf5");
        Assert.Contains(notHdf5, Assert.Throws<InvalidDataException>(() => KerasWeightsFile.Load(notHdf5)).Message);
        var other = Path.Combine(home, "other.h5");
        PythonReference.Run("import h5py, sys, numpy as np\nwith h5py.File(sys.argv[1], 'w') as f:\n    f.attrs['layer_names'] = np.array([b'dense'])\n    g = f.create_group('dense'); g.attrs['weight_names'] = np.array([b'dense/kernel:0']); g.create_dataset('dense/kernel:0', data=np.zeros((2, 2), 'f4'))", other);
        using var model = (MobileNetV1)ModelFactory.Create(new ModelSpec("mobilenet", 3, 64, 64, 3));
        Assert.Contains("lacks", Assert.Throws<InvalidDataException>(() => model.LoadKeras(other)).Message);
    }
}
