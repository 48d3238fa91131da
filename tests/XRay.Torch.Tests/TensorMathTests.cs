namespace XRay.Torch.Tests;

public class TensorMathTests
{
    [Fact]
    public void Arithmetic_with_tensors_and_scalars()
    {
        using var a = tensor(new float[] { 1, 2, 3 });
        using var b = tensor(new float[] { 4, 5, 6 });
        using var sum = a + b;
        Assert.Equal(new float[] { 5, 7, 9 }, sum.ToArray<float>());
        using var diff = b - a;
        Assert.Equal(new float[] { 3, 3, 3 }, diff.ToArray<float>());
        using var prod = a * b;
        Assert.Equal(new float[] { 4, 10, 18 }, prod.ToArray<float>());
        using var quot = b / a;
        Assert.Equal(new float[] { 4, 2.5f, 2 }, quot.ToArray<float>());
        using var scaled = 2 * a + 1;
        Assert.Equal(new float[] { 3, 5, 7 }, scaled.ToArray<float>());
        using var rsub = 10 - a;
        Assert.Equal(new float[] { 9, 8, 7 }, rsub.ToArray<float>());
        using var rdiv = 6 / a;
        Assert.Equal(new float[] { 6, 3, 2 }, rdiv.ToArray<float>());
        using var neg = -a;
        Assert.Equal(new float[] { -1, -2, -3 }, neg.ToArray<float>());
        using var pw = a.pow(2);
        Assert.Equal(new float[] { 1, 4, 9 }, pw.ToArray<float>());
        using var alpha = a.add(b, 2);
        Assert.Equal(new float[] { 9, 12, 15 }, alpha.ToArray<float>());
    }

    [Fact]
    public void Integer_scalars_keep_integer_tensors_integral()
    {
        using var l = tensor(new long[] { 1, 2 });
        using var plus = l + 2;
        Assert.Equal(ScalarType.Int64, plus.dtype);
        using var half = l * 0.5;
        Assert.Equal(ScalarType.Float32, half.dtype); // float scalar promotes, as in PyTorch
    }

    [Fact]
    public void Broadcasting_and_matmul()
    {
        using var m = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, new long[] { 2, 3 });
        using var v = tensor(new float[] { 10, 20, 30 });
        using var bc = m + v;
        Assert.Equal(new float[] { 11, 22, 33, 14, 25, 36 }, bc.ToArray<float>());
        using var w = tensor(new float[] { 1, 0, 0, 1, 1, 1 }, new long[] { 3, 2 });
        using var mm = m.matmul(w);
        Assert.Equal(new long[] { 2, 2 }, mm.shape);
        Assert.Equal(new float[] { 4, 5, 10, 11 }, mm.ToArray<float>());
        var e = Assert.Throws<TorchException>(() => m.matmul(m));
        Assert.Contains("cannot be multiplied", e.Message);
    }

    [Fact]
    public void Reductions_along_dims()
    {
        using var t = tensor(new float[] { 1, 9, 3, 4, 2, 8 }, new long[] { 2, 3 });
        using var s = t.sum();
        Assert.Equal(27f, s.item<float>());
        using var s0 = t.sum(0);
        Assert.Equal(new float[] { 5, 11, 11 }, s0.ToArray<float>());
        using var m1 = t.mean(1, keepdim: true);
        Assert.Equal(new long[] { 2, 1 }, m1.shape);
        Assert.Equal(new float[] { 13f / 3, 14f / 3 }, m1.ToArray<float>());
        using var mx = t.max();
        Assert.Equal(9f, mx.item<float>());
        using var mn = t.min();
        Assert.Equal(1f, mn.item<float>());
        var (values, indexes) = t.max(1);
        using (values)
        using (indexes)
        {
            Assert.Equal(new float[] { 9, 8 }, values.ToArray<float>());
            Assert.Equal(new long[] { 1, 2 }, indexes.ToArray<long>());
        }
        using var am = t.argmax(1);
        Assert.Equal(new long[] { 1, 2 }, am.ToArray<long>());
        using var amin = t.argmin();
        Assert.Equal(0L, amin.item<long>());
        using var sd = tensor(new float[] { 2, 4, 4, 4, 5, 5, 7, 9 }).std(unbiased: false);
        Assert.Equal(2f, sd.item<float>(), 5);
    }

    [Fact]
    public void Softmax_log_softmax_sigmoid_match_hand_values()
    {
        using var x = tensor(new float[] { 1, 2, 3 });
        using var sm = x.softmax(0);
        TestData.Close(new[] { 0.09003057f, 0.24472847f, 0.66524096f }, sm.ToArray<float>(), 1e-6);
        using var lsm = x.log_softmax(0);
        TestData.Close(new[] { -2.40760596f, -1.40760596f, -0.40760596f }, lsm.ToArray<float>(), 1e-6);
        using var sg = tensor(new float[] { 0, 2 }).sigmoid();
        TestData.Close(new[] { 0.5f, 0.88079708f }, sg.ToArray<float>(), 1e-6);
    }

    [Fact]
    public void Comparisons_and_where()
    {
        using var a = tensor(new float[] { 1, 5, 3 });
        using var gt = a.gt(2);
        Assert.Equal(ScalarType.Bool, gt.dtype);
        Assert.Equal(new[] { false, true, true }, gt.ToArray<bool>());
        using var b = tensor(new float[] { 1, 4, 4 });
        using var eq = a.eq(b);
        Assert.Equal(new[] { true, false, false }, eq.ToArray<bool>());
        using var z = zeros(3);
        using var w = where(gt, a, z);
        Assert.Equal(new float[] { 0, 5, 3 }, w.ToArray<float>());
        using var correct = eq.sum();
        Assert.Equal(1L, correct.item<long>());
        Assert.True(a.allclose(a + 1e-7f));
        Assert.False(a.equal(b));
    }

    [Fact]
    public void Element_wise_functions()
    {
        using var x = tensor(new float[] { -2, -0.5f, 0, 3, 7 });
        Assert.Equal(new float[] { 0, 0, 0, 3, 7 }, x.relu().ToArray<float>());
        Assert.Equal(new float[] { 0, 0, 0, 3, 6 }, x.relu6().ToArray<float>());
        Assert.Equal(new float[] { 2, 0.5f, 0, 3, 7 }, x.abs().ToArray<float>());
        Assert.Equal(new float[] { -1, -0.5f, 0, 1, 1 }, x.clamp(-1, 1).ToArray<float>());
        Assert.Equal(new float[] { -2, -0.5f, 0, 2, 2 }, x.clamp(max: 2).ToArray<float>());
        using var e = tensor(new double[] { 0, 1 }).exp();
        TestData.Close(new[] { 1.0, Math.E }, e.ToArray<double>(), 1e-12);
    }

    [Fact]
    public void In_place_ops_change_the_tensor()
    {
        using var t = zeros(3);
        t.fill_(2).add_(1).mul_(3);
        Assert.Equal(new float[] { 9, 9, 9 }, t.ToArray<float>());
        using var o = ones(3);
        t.add_(o, -2);
        Assert.Equal(new float[] { 7, 7, 7 }, t.ToArray<float>());
        t.zero_();
        Assert.Equal(new float[] { 0, 0, 0 }, t.ToArray<float>());
        t.copy_(o);
        Assert.Equal(new float[] { 1, 1, 1 }, t.ToArray<float>());
    }

    [Fact]
    public void A_dtype_mismatch_raises_libtorchs_message()
    {
        using var f = ones(2, 2);
        using var d = ones(new long[] { 2, 2 }, ScalarType.Float64);
        var e = Assert.Throws<TorchException>(() => f.matmul(d));
        Assert.Contains("Double", e.Message);
    }
}
