namespace XRay.Torch.Tests;

public class TensorTests
{
    [Fact]
    public void Creation_from_arrays_keeps_values_shape_and_dtype()
    {
        using var f = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, new long[] { 2, 3 });
        Assert.Equal(new long[] { 2, 3 }, f.shape);
        Assert.Equal(ScalarType.Float32, f.dtype);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, f.ToArray<float>());

        using var d = tensor(new double[] { 0.5, -1.25 });
        Assert.Equal(ScalarType.Float64, d.dtype);
        Assert.Equal(new[] { 0.5, -1.25 }, d.ToArray<double>());

        using var l = tensor(new long[] { long.MaxValue, -7 });
        Assert.Equal(ScalarType.Int64, l.dtype);
        Assert.Equal(new[] { long.MaxValue, -7 }, l.ToArray<long>());

        using var b = tensor(new byte[] { 0, 128, 255 }, new long[] { 3, 1 });
        Assert.Equal(ScalarType.Byte, b.dtype);
        Assert.Equal(new long[] { 3, 1 }, b.shape);
        Assert.Equal(new byte[] { 0, 128, 255 }, b.ToArray<byte>());
    }

    [Fact]
    public void Creation_from_a_span_with_a_dtype_converts()
    {
        ReadOnlySpan<byte> pixels = new byte[] { 0, 51, 255, 102 };
        using var t = tensor(pixels, new long[] { 2, 2 }, ScalarType.Float32);
        Assert.Equal(ScalarType.Float32, t.dtype);
        Assert.Equal(new float[] { 0, 51, 255, 102 }, t.ToArray<float>());
    }

    [Fact]
    public void A_shape_that_does_not_match_the_data_throws_ArgumentException()
    {
        var e = Assert.Throws<ArgumentException>(() => tensor(new float[] { 1, 2, 3 }, new long[] { 2, 2 }));
        Assert.Contains("needs 4 elements but the data has 3", e.Message);
        Assert.Throws<ArgumentException>(() => tensor(new float[] { 1 }, new long[] { -1 }));
    }

    [Fact]
    public void Factories_fill_as_named()
    {
        using var z = zeros(2, 3);
        Assert.All(z.ToArray<float>(), v => Assert.Equal(0f, v));
        using var o = ones(new long[] { 4 }, ScalarType.Float64);
        Assert.Equal(new double[] { 1, 1, 1, 1 }, o.ToArray<double>());
        using var f = full(new long[] { 2 }, 7L);
        Assert.Equal(ScalarType.Int64, f.dtype);
        Assert.Equal(new long[] { 7, 7 }, f.ToArray<long>());
        using var a = arange(0, 10, 3);
        Assert.Equal(ScalarType.Int64, a.dtype);
        Assert.Equal(new long[] { 0, 3, 6, 9 }, a.ToArray<long>());
        using var af = arange(0.0, 1.0, 0.25);
        Assert.Equal(new float[] { 0, 0.25f, 0.5f, 0.75f }, af.ToArray<float>());

        manual_seed(1);
        using var r = rand(1000);
        var values = r.ToArray<float>();
        Assert.All(values, v => Assert.InRange(v, 0f, 1f));
        Assert.InRange(values.Average(), 0.45, 0.55);
        using var n = randn(10000);
        Assert.InRange(n.mean().item<float>(), -0.05f, 0.05f);
        Assert.InRange(n.std().item<float>(), 0.95f, 1.05f);
        using var ri = randint(0, 5, new long[] { 200 });
        Assert.All(ri.ToArray<long>(), v => Assert.InRange(v, 0, 4));
        using var p = randperm(10);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), p.ToArray<long>().OrderBy(v => v));
    }

    [Fact]
    public void Manual_seed_makes_random_tensors_repeat()
    {
        manual_seed(42);
        using var a = randn(5);
        manual_seed(42);
        using var b = randn(5);
        Assert.Equal(a.ToArray<float>(), b.ToArray<float>());
    }

    [Fact]
    public void Item_ToArray_and_data_access()
    {
        using var t = tensor(new float[] { 1.5f, 2.5f, 3.5f, 4.5f }, new long[] { 2, 2 });
        using var s = t.sum();
        Assert.Equal(12f, s.item<float>());
        Assert.Equal(12.0, s.item<double>());

        var data = t.data<float>();
        Assert.Equal(4, data.Count);
        Assert.Equal(2.5f, data[1]);
        data[1] = 10f; // writes through to the tensor
        Assert.Equal(new float[] { 1.5f, 10f, 3.5f, 4.5f }, t.ToArray<float>());
        Assert.Throws<IndexOutOfRangeException>(() => data[4]);

        var e = Assert.Throws<ArgumentException>(() => t.ToArray<long>());
        Assert.Contains("Float32", e.Message);
    }

    [Fact]
    public void Data_access_refuses_a_non_contiguous_tensor()
    {
        using var t = arange(6, ScalarType.Float32).reshape(2, 3);
        using var tt = t.t();
        Assert.False(tt.is_contiguous());
        Assert.Throws<ArgumentException>(() => tt.data<float>());
        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, tt.ToArray<float>()); // ToArray copies in logical order
    }

    [Fact]
    public void Shape_ops_reshape_view_permute_flatten_squeeze()
    {
        using var t = arange(24, ScalarType.Float32).reshape(2, 3, 4);
        using var v = t.view(6, 4);
        Assert.Equal(new long[] { 6, 4 }, v.shape);
        using var p = t.permute(2, 0, 1);
        Assert.Equal(new long[] { 4, 2, 3 }, p.shape);
        using var p0 = p[1];
        Assert.Equal(new float[] { 1, 5, 9, 13, 17, 21 }, p0.ToArray<float>());
        using var f = t.flatten(1);
        Assert.Equal(new long[] { 2, 12 }, f.shape);
        using var u = t.unsqueeze(0);
        Assert.Equal(new long[] { 1, 2, 3, 4 }, u.shape);
        using var sq = u.squeeze();
        Assert.Equal(new long[] { 2, 3, 4 }, sq.shape);
        using var tr = t.transpose(0, 2);
        Assert.Equal(new long[] { 4, 3, 2 }, tr.shape);
        Assert.Equal(3, t.ndim);
        Assert.Equal(24, t.numel());
        Assert.Equal(4, t.size(-1));
        Assert.Throws<IndexOutOfRangeException>(() => t.size(3));
        var e = Assert.ThrowsAny<Exception>(() => t.view(5, 5));
        Assert.Contains("invalid for input of size 24", e.Message);
    }

    [Fact]
    public void Cat_and_stack_join_along_a_dimension()
    {
        using var a = tensor(new float[] { 1, 2 }, new long[] { 1, 2 });
        using var b = tensor(new float[] { 3, 4 }, new long[] { 1, 2 });
        using var c = cat(new[] { a, b }, 0);
        Assert.Equal(new long[] { 2, 2 }, c.shape);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, c.ToArray<float>());
        using var c1 = cat(new[] { a, b }, 1);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, c1.ToArray<float>());
        Assert.Equal(new long[] { 1, 4 }, c1.shape);
        using var s = stack(new[] { a, b }, 0);
        Assert.Equal(new long[] { 2, 1, 2 }, s.shape);
        using var wrong = zeros(1, 3);
        Assert.Throws<TorchException>(() => cat(new[] { a, wrong }, 0));
    }

    [Fact]
    public void Indexing_and_slicing_follow_python()
    {
        using var t = arange(12, ScalarType.Float32).reshape(3, 4);
        using var row = t[1];
        Assert.Equal(new float[] { 4, 5, 6, 7 }, row.ToArray<float>());
        using var col = t[TensorIndex.Colon, 1];
        Assert.Equal(new float[] { 1, 5, 9 }, col.ToArray<float>());
        using var rows = t[1..3];
        Assert.Equal(new long[] { 2, 4 }, rows.shape);
        using var inner = t[0, 1..^1];
        Assert.Equal(new float[] { 1, 2 }, inner.ToArray<float>());
        using var stepped = t[TensorIndex.Colon, TensorIndex.Slice(null, null, 2)];
        Assert.Equal(new float[] { 0, 2, 4, 6, 8, 10 }, stepped.ToArray<float>());
        using var newAxis = t[TensorIndex.Ellipsis, TensorIndex.None];
        Assert.Equal(new long[] { 3, 4, 1 }, newAxis.shape);
        using var element = t[2, 3];
        Assert.Equal(11f, element.item<float>());
        using var sel = t.select(1, 0);
        Assert.Equal(new float[] { 0, 4, 8 }, sel.ToArray<float>());
        using var nar = t.narrow(1, 1, 2);
        Assert.Equal(new float[] { 1, 2, 5, 6, 9, 10 }, nar.ToArray<float>());
        using var idx = tensor(new long[] { 2, 0 });
        using var picked = t.index_select(0, idx);
        Assert.Equal(new float[] { 8, 9, 10, 11, 0, 1, 2, 3 }, picked.ToArray<float>());
    }

    [Fact]
    public void Index_assignment_writes_in_place()
    {
        using var t = zeros(2, 3);
        using var row = tensor(new float[] { 1, 2, 3 });
        t[1] = row;
        t.index_put_(9f, 0, 2);
        Assert.Equal(new float[] { 0, 0, 9, 1, 2, 3 }, t.ToArray<float>());
    }

    [Fact]
    public void An_index_out_of_range_throws_with_libtorchs_message()
    {
        using var t = zeros(3);
        var e = Assert.Throws<IndexOutOfRangeException>(() => t.select(0, 10));
        Assert.Contains("out of range", e.Message);
        Assert.Throws<IndexOutOfRangeException>(() => t[5]);
    }

    [Fact]
    public void A_disposed_tensor_throws_ObjectDisposedException()
    {
        var t = ones(2);
        t.Dispose();
        Assert.True(t.IsInvalid);
        Assert.Throws<ObjectDisposedException>(() => t.shape);
        Assert.Throws<ObjectDisposedException>(() => t.add(1));
        using var other = ones(2);
        Assert.Throws<ObjectDisposedException>(() => other.add(t));
        t.Dispose(); // twice is fine
        Assert.Equal("[disposed tensor]", t.ToString());
    }

    [Fact]
    public void Conversions_between_dtypes_and_devices()
    {
        using var t = tensor(new float[] { 1.7f, -2.2f });
        using var l = t.to(ScalarType.Int64);
        Assert.Equal(new long[] { 1, -2 }, l.ToArray<long>());
        using var d = t.@double();
        Assert.Equal(ScalarType.Float64, d.dtype);
        using var c = t.cpu();
        Assert.Equal(DeviceType.CPU, c.device_type);
        Assert.Equal("cpu", t.device.ToString());
        Assert.Contains("[2], type = Float32, device = cpu", t.ToString());
        Assert.Contains("1.7", t.str());
    }

    [Fact]
    public void Channels_last_changes_strides_not_values()
    {
        using var x = arange(2 * 3 * 4 * 5, ScalarType.Float32).reshape(2, 3, 4, 5);
        using var cl = x.contiguous(channels_last);
        Assert.True(cl.is_contiguous(channels_last));
        Assert.False(cl.is_contiguous());
        Assert.Equal(new long[] { 60, 1, 15, 3 }, cl.stride());
        Assert.Equal(x.ToArray<float>(), cl.ToArray<float>());
    }

    [Fact]
    public void To_memory_format_relays_a_size_one_channel_tensor_that_contiguous_leaves_alone()
    {
        // A (32, 1, 3, 3) NCHW weight counts as channels_last-contiguous (size-1 dimensions are ignored), so contiguous()
        // returns it unchanged and oneDNN would still treat it as NCHW; to(memory_format) re-lays it as PyTorch does.
        using var w = arange(32 * 9, ScalarType.Float32).reshape(32, 1, 3, 3);
        using var kept = w.contiguous(channels_last);
        Assert.Equal(new long[] { 9, 9, 3, 1 }, kept.stride());
        using var relaid = w.to(channels_last);
        Assert.Equal(new long[] { 9, 1, 3, 1 }, relaid.stride()); // what torch gives: w.to(memory_format=torch.channels_last).stride()
        Assert.Equal(w.ToArray<float>(), relaid.ToArray<float>());

        // Already in the format: the same storage back, no copy (writing through one shows in the other).
        using var x = zeros(2, 3, 4, 5).contiguous(channels_last);
        using var same = x.to(channels_last);
        same.add_(1);
        Assert.All(x.ToArray<float>(), v => Assert.Equal(1f, v));
    }
}
