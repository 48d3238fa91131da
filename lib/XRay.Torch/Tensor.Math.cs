using XRay.Torch.Interop;

namespace XRay.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        // Operation codes of xr_tensor_unary and xr_tensor_compare (xray_native.h).
        private enum UnaryOp { Neg, Abs, Exp, Log, Sqrt, Tanh, Sigmoid, Relu, Floor, Ceil, Round, Sign, LogicalNot, Square, Sin, Cos, Relu6, Log1p }

        private enum CompareOp { Eq, Ne, Lt, Le, Gt, Ge }

        private Tensor Unary(UnaryOp op) => From(NativeMethods.xr_tensor_unary(Handle, (int)op, out var r), r);

        private Tensor Compare(Tensor other, CompareOp op) =>
            From(NativeMethods.xr_tensor_compare(Handle, other.Handle, (int)op, out var r), r);

        private Tensor Compare(Scalar other, CompareOp op) =>
            From(NativeMethods.xr_tensor_compare_scalar(Handle, other.Native, (int)op, out var r), r);

        // ---- arithmetic ---------------------------------------------------------------------------

        public Tensor add(Tensor other, Scalar? alpha = null) =>
            From(NativeMethods.xr_tensor_add(Handle, other.Handle, (alpha ?? 1).Native, out var r), r);

        public Tensor add(Scalar other) => From(NativeMethods.xr_tensor_add_scalar(Handle, other.Native, out var r), r);

        public Tensor sub(Tensor other, Scalar? alpha = null) =>
            From(NativeMethods.xr_tensor_sub(Handle, other.Handle, (alpha ?? 1).Native, out var r), r);

        public Tensor sub(Scalar other) => From(NativeMethods.xr_tensor_sub_scalar(Handle, other.Native, out var r), r);

        public Tensor mul(Tensor other) => From(NativeMethods.xr_tensor_mul(Handle, other.Handle, out var r), r);

        public Tensor mul(Scalar other) => From(NativeMethods.xr_tensor_mul_scalar(Handle, other.Native, out var r), r);

        public Tensor div(Tensor other) => From(NativeMethods.xr_tensor_div(Handle, other.Handle, out var r), r);

        public Tensor div(Scalar other) => From(NativeMethods.xr_tensor_div_scalar(Handle, other.Native, out var r), r);

        public Tensor pow(Tensor exponent) => From(NativeMethods.xr_tensor_pow(Handle, exponent.Handle, out var r), r);

        public Tensor pow(Scalar exponent) => From(NativeMethods.xr_tensor_pow_scalar(Handle, exponent.Native, out var r), r);

        public Tensor matmul(Tensor other) => From(NativeMethods.xr_tensor_matmul(Handle, other.Handle, out var r), r);

        public Tensor maximum(Tensor other) => From(NativeMethods.xr_tensor_maximum(Handle, other.Handle, out var r), r);

        public Tensor minimum(Tensor other) => From(NativeMethods.xr_tensor_minimum(Handle, other.Handle, out var r), r);

        public static Tensor operator +(Tensor a, Tensor b) => a.add(b);
        public static Tensor operator +(Tensor a, Scalar b) => a.add(b);
        public static Tensor operator +(Scalar a, Tensor b) => b.add(a);
        public static Tensor operator -(Tensor a, Tensor b) => a.sub(b);
        public static Tensor operator -(Tensor a, Scalar b) => a.sub(b);
        public static Tensor operator -(Scalar a, Tensor b) =>
            From(NativeMethods.xr_tensor_rsub_scalar(b.Handle, a.Native, out var r), r);
        public static Tensor operator *(Tensor a, Tensor b) => a.mul(b);
        public static Tensor operator *(Tensor a, Scalar b) => a.mul(b);
        public static Tensor operator *(Scalar a, Tensor b) => b.mul(a);
        public static Tensor operator /(Tensor a, Tensor b) => a.div(b);
        public static Tensor operator /(Tensor a, Scalar b) => a.div(b);
        public static Tensor operator /(Scalar a, Tensor b) =>
            From(NativeMethods.xr_tensor_rdiv_scalar(b.Handle, a.Native, out var r), r);
        public static Tensor operator -(Tensor a) => a.neg();

        // ---- element-wise -------------------------------------------------------------------------

        public Tensor neg() => Unary(UnaryOp.Neg);
        public Tensor abs() => Unary(UnaryOp.Abs);
        public Tensor exp() => Unary(UnaryOp.Exp);
        public Tensor log() => Unary(UnaryOp.Log);
        public Tensor log1p() => Unary(UnaryOp.Log1p);
        public Tensor sqrt() => Unary(UnaryOp.Sqrt);
        public Tensor square() => Unary(UnaryOp.Square);
        public Tensor tanh() => Unary(UnaryOp.Tanh);
        public Tensor sigmoid() => Unary(UnaryOp.Sigmoid);
        public Tensor relu() => Unary(UnaryOp.Relu);
        public Tensor relu6() => Unary(UnaryOp.Relu6);
        public Tensor floor() => Unary(UnaryOp.Floor);
        public Tensor ceil() => Unary(UnaryOp.Ceil);
        public Tensor round() => Unary(UnaryOp.Round);
        public Tensor sign() => Unary(UnaryOp.Sign);
        public Tensor sin() => Unary(UnaryOp.Sin);
        public Tensor cos() => Unary(UnaryOp.Cos);
        public Tensor logical_not() => Unary(UnaryOp.LogicalNot);

        public Tensor clamp(Scalar? min = null, Scalar? max = null) =>
            From(NativeMethods.xr_tensor_clamp(Handle, (min ?? 0).Native, min.HasValue ? 1 : 0, (max ?? 0).Native,
                max.HasValue ? 1 : 0, out var r), r);

        // ---- comparison ---------------------------------------------------------------------------

        public Tensor eq(Tensor other) => Compare(other, CompareOp.Eq);
        public Tensor eq(Scalar other) => Compare(other, CompareOp.Eq);
        public Tensor ne(Tensor other) => Compare(other, CompareOp.Ne);
        public Tensor ne(Scalar other) => Compare(other, CompareOp.Ne);
        public Tensor lt(Tensor other) => Compare(other, CompareOp.Lt);
        public Tensor lt(Scalar other) => Compare(other, CompareOp.Lt);
        public Tensor le(Tensor other) => Compare(other, CompareOp.Le);
        public Tensor le(Scalar other) => Compare(other, CompareOp.Le);
        public Tensor gt(Tensor other) => Compare(other, CompareOp.Gt);
        public Tensor gt(Scalar other) => Compare(other, CompareOp.Gt);
        public Tensor ge(Tensor other) => Compare(other, CompareOp.Ge);
        public Tensor ge(Scalar other) => Compare(other, CompareOp.Ge);

        public unsafe bool allclose(Tensor other, double rtol = 1e-05, double atol = 1e-08)
        {
            int result;
            NativeError.ThrowIfFailed(NativeMethods.xr_tensor_allclose(Handle, other.Handle, rtol, atol, &result));
            return result != 0;
        }

        /// <summary>True when both have the same shape and the same elements.</summary>
        public unsafe bool equal(Tensor other)
        {
            int result;
            NativeError.ThrowIfFailed(NativeMethods.xr_tensor_equal(Handle, other.Handle, &result));
            return result != 0;
        }

        // ---- reductions ---------------------------------------------------------------------------

        // No sum(ScalarType?) overload: a literal 0 converts to an enum, so t.sum(0) would pick it over sum(long dim).
        public Tensor sum() => From(NativeMethods.xr_tensor_sum(Handle, default, 0, 0, -1, out var r), r);

        public Tensor sum(long dim, bool keepdim = false, ScalarType? type = null) => sum(new[] { dim }, keepdim, type);

        public Tensor sum(long[] dims, bool keepdim = false, ScalarType? type = null) =>
            From(NativeMethods.xr_tensor_sum(Handle, dims, dims.Length, keepdim ? 1 : 0, type.HasValue ? (int)type.Value : -1, out var r), r);

        public Tensor mean() => From(NativeMethods.xr_tensor_mean(Handle, default, 0, 0, -1, out var r), r);

        public Tensor mean(long dim, bool keepdim = false, ScalarType? type = null) => mean(new[] { dim }, keepdim, type);

        public Tensor mean(long[] dims, bool keepdim = false, ScalarType? type = null) =>
            From(NativeMethods.xr_tensor_mean(Handle, dims, dims.Length, keepdim ? 1 : 0, type.HasValue ? (int)type.Value : -1, out var r), r);

        public Tensor std(bool unbiased = true) => Spread(Array.Empty<long>(), unbiased, false, variance: false);

        public Tensor std(long dim, bool unbiased = true, bool keepdim = false) => Spread(new[] { dim }, unbiased, keepdim, variance: false);

        public Tensor var(bool unbiased = true) => Spread(Array.Empty<long>(), unbiased, false, variance: true);

        public Tensor var(long dim, bool unbiased = true, bool keepdim = false) => Spread(new[] { dim }, unbiased, keepdim, variance: true);

        private Tensor Spread(long[] dims, bool unbiased, bool keepdim, bool variance) =>
            From(NativeMethods.xr_tensor_std(Handle, dims, dims.Length, unbiased ? 1 : 0, keepdim ? 1 : 0, variance ? 1 : 0, out var r), r);

        /// <summary>The largest element.</summary>
        public Tensor max() => From(NativeMethods.xr_tensor_max_all(Handle, 0, out var r), r);

        /// <summary>The smallest element.</summary>
        public Tensor min() => From(NativeMethods.xr_tensor_max_all(Handle, 1, out var r), r);

        /// <summary>The largest elements along a dimension and where they are.</summary>
        public (Tensor values, Tensor indexes) max(long dim, bool keepdim = false) => MaxDim(0, dim, keepdim);

        /// <summary>The smallest elements along a dimension and where they are.</summary>
        public (Tensor values, Tensor indexes) min(long dim, bool keepdim = false) => MaxDim(1, dim, keepdim);

        private (Tensor, Tensor) MaxDim(int op, long dim, bool keepdim)
        {
            var status = NativeMethods.xr_tensor_max_dim(Handle, op, dim, keepdim ? 1 : 0, out var values, out var indices);
            if (status != 0)
            {
                values.Dispose();
                indices.Dispose();
                NativeError.ThrowIfFailed(status);
            }
            return (new Tensor(values), new Tensor(indices));
        }

        public Tensor argmax() => From(NativeMethods.xr_tensor_argmax(Handle, 0, 0, 0, 0, out var r), r);

        public Tensor argmax(long dim, bool keepdim = false) => From(NativeMethods.xr_tensor_argmax(Handle, 0, dim, 1, keepdim ? 1 : 0, out var r), r);

        public Tensor argmin() => From(NativeMethods.xr_tensor_argmax(Handle, 1, 0, 0, 0, out var r), r);

        public Tensor argmin(long dim, bool keepdim = false) => From(NativeMethods.xr_tensor_argmax(Handle, 1, dim, 1, keepdim ? 1 : 0, out var r), r);

        public Tensor softmax(long dim) => From(NativeMethods.xr_tensor_softmax(Handle, dim, 0, out var r), r);

        public Tensor log_softmax(long dim) => From(NativeMethods.xr_tensor_softmax(Handle, dim, 1, out var r), r);

        // ---- in place (each returns this tensor) ---------------------------------------------------

        public Tensor add_(Tensor other, Scalar? alpha = null) =>
            InPlace(NativeMethods.xr_tensor_add_(Handle, other.Handle, (alpha ?? 1).Native));

        public Tensor add_(Scalar value) => InPlace(NativeMethods.xr_tensor_add_scalar_(Handle, value.Native));

        public Tensor mul_(Scalar value) => InPlace(NativeMethods.xr_tensor_mul_scalar_(Handle, value.Native));

        public Tensor fill_(Scalar value) => InPlace(NativeMethods.xr_tensor_fill_(Handle, value.Native));

        public Tensor zero_() => InPlace(NativeMethods.xr_tensor_zero_(Handle));

        public Tensor copy_(Tensor source) => InPlace(NativeMethods.xr_tensor_copy_(Handle, source.Handle));

        public Tensor uniform_(double from = 0, double to = 1) => InPlace(NativeMethods.xr_tensor_uniform_(Handle, from, to));

        public Tensor normal_(double mean = 0, double std = 1) => InPlace(NativeMethods.xr_tensor_normal_(Handle, mean, std));

        public Tensor clamp_(Scalar? min = null, Scalar? max = null) =>
            InPlace(NativeMethods.xr_tensor_clamp_(Handle, (min ?? 0).Native, min.HasValue ? 1 : 0, (max ?? 0).Native, max.HasValue ? 1 : 0));

        private Tensor InPlace(int status)
        {
            NativeError.ThrowIfFailed(status);
            return this;
        }
    }
}
