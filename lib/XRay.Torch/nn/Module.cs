using System.Collections.Concurrent;
using System.Reflection;

namespace XRay.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// The base of every layer and model. Sub-modules, parameters and buffers are found by reflection
        /// over the instance fields (and auto-properties) of type Module, Parameter and Tensor, in declaration
        /// order, base class first; register_module / register_parameter / register_buffer add more by name.
        /// No model needs a RegisterComponents() call.
        /// </summary>
        public abstract class Module : IDisposable
        {
            private static readonly ConcurrentDictionary<Type, FieldInfo[]> FieldsByType = new();

            private readonly List<(string name, object component)> registered = new();
            private readonly List<Action<Module, object?, object?>> forwardHooks = new();
            private bool disposed;

            /// <summary>True in training mode (dropout active, batch norm updating its statistics).</summary>
            public bool training { get; private set; } = true;

            public virtual string GetName() => GetType().Name;

            // ---- components -------------------------------------------------------------------------

            private IEnumerable<(string name, object component)> Components()
            {
                ThrowIfDisposed();
                var seen = new HashSet<string>();
                foreach (var field in FieldsByType.GetOrAdd(GetType(), ComponentFields))
                {
                    var value = field.GetValue(this);
                    if (value is Module or Tensor)
                    {
                        var name = ComponentName(field);
                        seen.Add(name);
                        yield return (name, value);
                    }
                }
                foreach (var (name, component) in registered)
                {
                    if (seen.Contains(name))
                        throw new InvalidOperationException($"{GetName()} has both a field and a registered component named '{name}'.");
                    yield return (name, component);
                }
            }

            private static FieldInfo[] ComponentFields(Type type)
            {
                var chain = new Stack<Type>();
                for (var t = type; t is not null && t != typeof(Module); t = t.BaseType) chain.Push(t);
                return chain
                    .SelectMany(t => t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    .Where(f => typeof(Module).IsAssignableFrom(f.FieldType) || typeof(Tensor).IsAssignableFrom(f.FieldType))
                    .ToArray();
            }

            // "<Conv1>k__BackingField" (an auto-property) is named "Conv1".
            private static string ComponentName(FieldInfo field)
            {
                var name = field.Name;
                if (name.StartsWith('<'))
                {
                    var end = name.IndexOf('>');
                    if (end > 1) return name[1..end];
                }
                return name;
            }

            public Module register_module(string name, Module module) => Register(name, module);

            public Parameter register_parameter(string name, Parameter parameter) => Register(name, parameter);

            public Tensor register_buffer(string name, Tensor buffer) => Register(name, buffer.DetachFromDisposeScope());

            private T Register<T>(string name, T component) where T : class
            {
                ArgumentException.ThrowIfNullOrEmpty(name);
                if (name.Contains('.')) throw new ArgumentException($"Component name '{name}' must not contain '.'.", nameof(name));
                if (Components().Any(c => c.name == name))
                    throw new ArgumentException($"{GetName()} already has a component named '{name}'.", nameof(name));
                registered.Add((name, component));
                return component;
            }

            public IEnumerable<(string name, Module module)> named_children() =>
                Components().Where(c => c.component is Module).Select(c => (c.name, (Module)c.component));

            public IEnumerable<Module> children() => named_children().Select(c => c.module);

            /// <summary>This module (named "") and every descendant, depth first.</summary>
            public IEnumerable<(string name, Module module)> named_modules()
            {
                yield return ("", this);
                foreach (var (name, child) in named_children())
                    foreach (var (sub, module) in child.named_modules())
                        yield return (sub.Length == 0 ? name : $"{name}.{sub}", module);
            }

            public IEnumerable<Module> modules() => named_modules().Select(m => m.module);

            public IEnumerable<(string name, Parameter parameter)> named_parameters(bool recurse = true) =>
                Own<Parameter>(recurse, c => c is Parameter);

            public IEnumerable<Parameter> parameters(bool recurse = true) => named_parameters(recurse).Select(p => p.parameter);

            /// <summary>Tensors that are state but not learned, such as batch norm's running statistics.</summary>
            public IEnumerable<(string name, Tensor buffer)> named_buffers(bool recurse = true) =>
                Own<Tensor>(recurse, c => c is Tensor and not Parameter);

            public IEnumerable<Tensor> buffers(bool recurse = true) => named_buffers(recurse).Select(b => b.buffer);

            private IEnumerable<(string, T)> Own<T>(bool recurse, Func<object, bool> match) where T : Tensor
            {
                var modules = recurse ? named_modules() : new[] { ("", this) };
                var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
                foreach (var (prefix, module) in modules)
                    foreach (var (name, component) in module.Components())
                        if (match(component) && seen.Add((Tensor)component))
                            yield return (prefix.Length == 0 ? name : $"{prefix}.{name}", (T)component);
            }

            // ---- state --------------------------------------------------------------------------------

            /// <summary>
            /// Parameters and buffers by dotted name, in PyTorch's order. The values are the module's own tensors,
            /// not copies: don't dispose them.
            /// </summary>
            public Dictionary<string, Tensor> state_dict()
            {
                var result = new Dictionary<string, Tensor>();
                foreach (var (prefix, module) in named_modules())
                    foreach (var (name, component) in module.Components())
                        if (component is Tensor t)
                            result[prefix.Length == 0 ? name : $"{prefix}.{name}"] = t;
                return result;
            }

            /// <summary>
            /// Copies values into this module's tensors (converting dtype and device). With strict, a missing or
            /// unexpected key is an error; a shape mismatch always is. Returns the keys that did not match.
            /// </summary>
            public (IList<string> missing_keys, IList<string> unexpected_keys) load_state_dict(
                IReadOnlyDictionary<string, Tensor> source, bool strict = true)
            {
                var own = state_dict();
                var missing = own.Keys.Where(k => !source.ContainsKey(k)).ToList();
                var unexpected = source.Keys.Where(k => !own.ContainsKey(k)).ToList();
                if (strict && (missing.Count > 0 || unexpected.Count > 0))
                    throw new ArgumentException(
                        $"Error loading the state dict into {GetName()}: " +
                        (missing.Count > 0 ? $"missing keys: {string.Join(", ", missing)}. " : "") +
                        (unexpected.Count > 0 ? $"unexpected keys: {string.Join(", ", unexpected)}." : ""));
                foreach (var (key, target) in own)
                {
                    if (!source.TryGetValue(key, out var value)) continue;
                    var want = target.shape;
                    var got = value.shape;
                    if (!want.SequenceEqual(got))
                        throw new ArgumentException(
                            $"Size mismatch for '{key}': the checkpoint has [{string.Join(", ", got)}], " +
                            $"this {GetName()} has [{string.Join(", ", want)}].");
                }
                using (no_grad())
                    foreach (var (key, target) in own)
                        if (source.TryGetValue(key, out var value))
                            target.copy_(value);
                return (missing, unexpected);
            }

            /// <summary>Writes the state dict to a file that Python's torch.load reads (atomically).</summary>
            public void save(string path) => torch.save(state_dict(), path);

            /// <summary>Loads a state dict saved by <see cref="save"/> or by Python's <c>torch.save(dict(model.state_dict()), path)</c>.</summary>
            public Module load(string path, bool strict = true)
            {
                var loaded = torch.load(path);
                try
                {
                    load_state_dict(loaded, strict);
                }
                finally
                {
                    foreach (var t in loaded.Values) t.Dispose();
                }
                return this;
            }

            // ---- modes, devices, gradients --------------------------------------------------------------

            /// <summary>The one place train/eval mode is switched, for this module and all below it.</summary>
            public virtual Module train(bool on = true)
            {
                foreach (var module in modules()) module.training = on;
                return this;
            }

            public Module eval() => train(false);

            /// <summary>Moves every parameter and buffer, keeping their identity (so make optimizers afterwards).</summary>
            public Module to(Device device)
            {
                zero_grad(set_to_none: true);
                return Convert(t => t.device != device, t => t.to(device));
            }

            public Module to(string device) => to(new Device(device));

            /// <summary>Converts the floating-point parameters and buffers.</summary>
            public Module to(ScalarType type) =>
                Convert(t => t.is_floating_point() && t.dtype != type, t => t.to(type));

            /// <summary>
            /// Lays out 4-D parameters and buffers (convolution weights) in the given format, e.g. channels_last, as
            /// PyTorch's module.to(memory_format=...) does: through <see cref="Tensor.to(MemoryFormat)"/>, so a
            /// 1-input-channel weight is re-laid too.
            /// </summary>
            public Module to(MemoryFormat format) => Convert(t => t.ndim == 4, t => t.to(format));

            public Module cpu() => to(Device.CPU);

            public Module cuda(int index = 0) => to(Device.CUDA(index));

            private Module Convert(Func<Tensor, bool> needed, Func<Tensor, Tensor> convert)
            {
                using (no_grad())
                    foreach (var t in state_dict().Values)
                        if (needed(t))
                            using (var converted = convert(t))
                                t.set_data(converted);
                return this;
            }

            /// <summary>Zeroes every parameter's gradient in place, or drops it when set_to_none.</summary>
            public void zero_grad(bool set_to_none = false)
            {
                foreach (var p in parameters()) p.zero_grad(set_to_none);
            }

            // ---- hooks ----------------------------------------------------------------------------------

            /// <summary>Calls hook(module, input, output) after every forward; dispose the result to remove it.</summary>
            public IDisposable register_forward_hook(Action<Module, object?, object?> hook)
            {
                forwardHooks.Add(hook);
                return new HookRemover(() => forwardHooks.Remove(hook));
            }

            protected void RunForwardHooks(object? input, object? output)
            {
                foreach (var hook in forwardHooks.ToArray()) hook(this, input, output);
            }

            private sealed class HookRemover(Action remove) : IDisposable
            {
                public void Dispose() => remove();
            }

            // ---- lifetime -------------------------------------------------------------------------------

            /// <summary>Frees every parameter, buffer and sub-module.</summary>
            public void Dispose()
            {
                if (disposed) return;
                foreach (var (_, component) in Components().ToList())
                    (component as IDisposable)?.Dispose();
                disposed = true;
                GC.SuppressFinalize(this);
            }

            protected void ThrowIfDisposed()
            {
                if (disposed) throw new ObjectDisposedException(GetName(), "This module has been disposed.");
            }

            public override string ToString() => GetName();
        }

        /// <summary>A module with one input: override forward, and call it with call(x).</summary>
        public abstract class Module<T, TResult> : Module
        {
            public abstract TResult forward(T input);

            public TResult call(T input)
            {
                var output = forward(input);
                RunForwardHooks(input, output);
                return output;
            }
        }
    }
}
