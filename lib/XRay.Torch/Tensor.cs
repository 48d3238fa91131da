using System.Runtime.InteropServices;
using XRay.Torch.Interop;

namespace XRay.Torch;

public static partial class torch
{
    /// <summary>
    /// An n-dimensional array on the CPU or a GPU, backed by one libtorch tensor. Dispose it, or create it
    /// inside a <see cref="DisposeScope"/>; the finalizer is only a safety net.
    /// </summary>
    [Display.TypeFormatterSource(typeof(Display.TensorFormatterSource))]
    public partial class Tensor : IDisposable
    {
        private readonly TensorHandle handle;

        internal Tensor(TensorHandle handle, bool track = true)
        {
            if (handle.IsInvalid) throw new ArgumentException("invalid tensor handle", nameof(handle));
            this.handle = handle;
            if (track) DisposeScope.Track(this);
        }

        internal DisposeScope? Scope { get; set; }

        /// <summary>The native handle; throws once the tensor is disposed.</summary>
        internal TensorHandle Handle
        {
            get
            {
                if (handle.IsClosed) throw new ObjectDisposedException(GetType().Name, "This tensor has been disposed.");
                return handle;
            }
        }

        /// <summary>True once disposed.</summary>
        public bool IsInvalid => handle.IsClosed;

        public void Dispose()
        {
            handle.Dispose();
            GC.SuppressFinalize(this);
        }

        /// <summary>Takes ownership of a fresh native handle from a call that succeeded.</summary>
        internal static Tensor From(int status, TensorHandle result)
        {
            if (status != 0)
            {
                result.Dispose();
                NativeError.ThrowIfFailed(status);
            }
            return new Tensor(result);
        }

        // ---- metadata -----------------------------------------------------------------------------

        public unsafe long[] shape
        {
            get
            {
                var n = ndim;
                var sizes = new long[n];
                fixed (long* p = sizes) NativeError.ThrowIfFailed(NativeMethods.xr_tensor_sizes(Handle, p, n));
                return sizes;
            }
        }

        public unsafe long[] stride()
        {
            var n = ndim;
            var strides = new long[n];
            fixed (long* p = strides) NativeError.ThrowIfFailed(NativeMethods.xr_tensor_strides(Handle, p, n));
            return strides;
        }

        public unsafe int ndim
        {
            get
            {
                int n;
                NativeError.ThrowIfFailed(NativeMethods.xr_tensor_ndim(Handle, &n));
                return n;
            }
        }

        public long dim() => ndim;

        public long size(int dim)
        {
            var s = shape;
            var d = dim < 0 ? dim + s.Length : dim;
            if (d < 0 || d >= s.Length)
                throw new IndexOutOfRangeException($"Dimension {dim} is out of range for a tensor with {s.Length} dimensions.");
            return s[d];
        }

        public unsafe long numel()
        {
            long n;
            NativeError.ThrowIfFailed(NativeMethods.xr_tensor_numel(Handle, &n));
            return n;
        }

        public unsafe ScalarType dtype
        {
            get
            {
                int t;
                NativeError.ThrowIfFailed(NativeMethods.xr_tensor_dtype(Handle, &t));
                return (ScalarType)t;
            }
        }

        public unsafe Device device
        {
            get
            {
                int type, index;
                NativeError.ThrowIfFailed(NativeMethods.xr_tensor_device(Handle, &type, &index));
                return new Device((DeviceType)type, index);
            }
        }

        public DeviceType device_type => device.type;

        public bool is_cuda => device_type == DeviceType.CUDA;

        public unsafe long element_size()
        {
            int size;
            NativeError.ThrowIfFailed(NativeMethods.xr_tensor_element_size(Handle, &size));
            return size;
        }

        public bool is_floating_point() => IsFloatingPoint(dtype);

        // ---- data ---------------------------------------------------------------------------------

        /// <summary>Copies the elements, in row-major order, into a new array (from any device).</summary>
        public unsafe T[] ToArray<T>() where T : unmanaged
        {
            CheckElementType<T>();
            var result = new T[numel()];
            fixed (T* p = result)
                NativeError.ThrowIfFailed(NativeMethods.xr_tensor_copy_to(Handle, p, (long)result.Length * sizeof(T)));
            return result;
        }

        /// <summary>Direct access to a contiguous CPU tensor's elements, valid while the tensor lives.</summary>
        public unsafe TensorAccessor<T> data<T>() where T : unmanaged
        {
            CheckElementType<T>();
            void* p;
            NativeError.ThrowIfFailed(NativeMethods.xr_tensor_data_ptr(Handle, &p));
            return new TensorAccessor<T>(this, (T*)p, numel());
        }

        /// <summary>The value of a one-element tensor.</summary>
        public unsafe T item<T>() where T : unmanaged
        {
            NativeScalar s;
            NativeError.ThrowIfFailed(NativeMethods.xr_tensor_item(Handle, &s));
            var scalar = Scalar.FromNative(s);
            object boxed = default(T) switch
            {
                float => (float)scalar.ToDouble(),
                double => scalar.ToDouble(),
                long => scalar.ToInt64(),
                int => checked((int)scalar.ToInt64()),
                short => checked((short)scalar.ToInt64()),
                byte => checked((byte)scalar.ToInt64()),
                sbyte => checked((sbyte)scalar.ToInt64()),
                bool => scalar.ToInt64() != 0,
                Half => (Half)scalar.ToDouble(),
                _ => throw new NotSupportedException($"item<{typeof(T).Name}> is not supported"),
            };
            return (T)boxed;
        }

        public float ToSingle() => item<float>();

        public double ToDouble() => item<double>();

        public long ToInt64() => item<long>();

        public bool ToBoolean() => item<bool>();

        private void CheckElementType<T>() where T : unmanaged
        {
            var expected = ScalarTypeOf<T>();
            var actual = dtype;
            if (expected != actual)
                throw new ArgumentException(
                    $"The tensor holds {actual} but {typeof(T).Name} was asked for; convert first with .to({expected}).");
        }

        /// <summary>libtorch's printout of the values.</summary>
        public unsafe string str()
        {
            byte* text;
            NativeError.ThrowIfFailed(NativeMethods.xr_tensor_to_string(Handle, &text));
            return Marshal.PtrToStringUTF8((IntPtr)text) ?? string.Empty;
        }

        public override string ToString()
        {
            if (IsInvalid) return "[disposed tensor]";
            var dims = string.Join("x", shape);
            return $"[{(dims.Length == 0 ? "" : dims)}], type = {dtype}, device = {device}";
        }

        // ---- conversion ---------------------------------------------------------------------------

        public Tensor to(Device device, bool non_blocking = false, bool copy = false) =>
            From(NativeMethods.xr_tensor_to(Handle, -1, (int)device.type, device.index, non_blocking ? 1 : 0, copy ? 1 : 0, Preserve, out var r), r);

        public Tensor to(ScalarType type, bool copy = false) =>
            From(NativeMethods.xr_tensor_to(Handle, (int)type, -1, -1, 0, copy ? 1 : 0, Preserve, out var r), r);

        public Tensor to(ScalarType type, Device device, bool non_blocking = false, bool copy = false) =>
            From(NativeMethods.xr_tensor_to(Handle, (int)type, (int)device.type, device.index, non_blocking ? 1 : 0, copy ? 1 : 0, Preserve, out var r), r);

        /// <summary>
        /// PyTorch's x.to(memory_format=...): this tensor when its strides already suggest <paramref name="format"/>, a copy
        /// laid out in it otherwise. Unlike <see cref="contiguous"/>, it also re-lays a tensor with a size-1 dimension
        /// (a 1-input-channel convolution weight) that merely counts as contiguous in both formats, so that oneDNN sees
        /// the format asked for.
        /// </summary>
        public Tensor to(MemoryFormat format) =>
            From(NativeMethods.xr_tensor_to(Handle, -1, -1, -1, 0, 0, (int)format, out var r), r);

        private const int Preserve = (int)MemoryFormat.Preserve;

        public Tensor to(string device) => to(new Device(device));

        public Tensor cpu() => to(Device.CPU);

        public Tensor cuda(int index = 0) => to(Device.CUDA(index));

        public Tensor @float() => to(ScalarType.Float32);

        public Tensor @double() => to(ScalarType.Float64);

        public Tensor @long() => to(ScalarType.Int64);

        public Tensor @int() => to(ScalarType.Int32);

        public Tensor @bool() => to(ScalarType.Bool);

        public Tensor contiguous(MemoryFormat format = MemoryFormat.Contiguous) =>
            From(NativeMethods.xr_tensor_contiguous(Handle, (int)format, out var r), r);

        public unsafe bool is_contiguous(MemoryFormat format = MemoryFormat.Contiguous)
        {
            int result;
            NativeError.ThrowIfFailed(NativeMethods.xr_tensor_is_contiguous(Handle, (int)format, &result));
            return result != 0;
        }

        /// <summary>A second handle to the same tensor (same storage, same autograd identity).</summary>
        public Tensor alias() => From(NativeMethods.xr_tensor_alias(Handle, out var r), r);

        // ---- scopes -------------------------------------------------------------------------------

        public Tensor MoveToOuterDisposeScope() => Scope?.MoveToOuter(this) ?? this;

        public Tensor DetachFromDisposeScope() => Scope?.Detach(this) ?? this;
    }
}
