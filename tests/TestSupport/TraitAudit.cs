using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace XRay.TestSupport;

/// <summary>
/// Keeps the <see cref="TestCategories"/> traits true: reads a test assembly's compiled code and lists each test that
/// reaches a helper needing a category (a Python reference, a browser, Jupyter) but lacks that trait, on itself or its
/// class. "Reaches" follows calls inside the test assembly: the test method, its class's constructors and fixtures, the
/// lambdas, local functions, async and iterator state machines they use, and the helpers they call, however deep.
/// </summary>
internal static class TraitAudit
{
    /// <summary>A method (or every method of <see cref="Type"/> when <see cref="Method"/> is null) that needs <see cref="Category"/>.</summary>
    public sealed record Rule(string Type, string? Method, string Category);

    public static readonly IReadOnlyList<Rule> Rules =
    [
        new("XRay.TestSupport.PythonReference", null, TestCategories.Parity),
        new("XRay.TestSupport.BrowserSession", "StartAsync", TestCategories.Browser),
        new("XRay.TestSupport.BrowserSession", "ForServerAsync", TestCategories.Browser),
        new("XRay.Notebooks.Tests.Jupyter.JupyterWorkspace", "Jupyter", TestCategories.Jupyter),
        // The benchmark's runner starts PyTorch-/OpenCV-Python for "theirs", for every case in a whole run, and for the
        // accuracy case's reference runs.
        new("XRay.Bench.Runner", "Theirs", TestCategories.Parity),
        new("XRay.Bench.Runner", "Run", TestCategories.Parity),
        new("XRay.Bench.Runner", "Accuracy", TestCategories.Parity),
    ];

    /// <summary>"Class.Method needs [Trait("Category", X)]: it reaches Helper.Method" for each test that lacks a trait it needs.</summary>
    public static List<string> Missing(Assembly assembly)
    {
        var problems = new List<string>();
        using var graph = new CallGraph(assembly.Location, Rules);
        foreach (var (type, method) in Tests(assembly))
        {
            var have = Categories(method).Concat(Categories(type)).ToHashSet();
            foreach (var (category, via) in graph.Needs(Roots(type, method)))
                if (!have.Contains(category))
                    problems.Add($"{type.Name}.{method.Name} needs [Trait(\"{TestCategories.Name}\", TestCategories.{category})]: it reaches {via}");
        }
        return problems;
    }

    /// <summary>The categories <paramref name="root"/> reaches under <paramref name="rules"/>, each with one helper that needs it.</summary>
    public static Dictionary<string, string> Reached(MethodBase root, IReadOnlyList<Rule> rules)
    {
        using var graph = new CallGraph(root.Module.Assembly.Location, rules);
        return graph.Needs([root]);
    }

    /// <summary>Each Category value in the assembly that is not one of <see cref="TestCategories.All"/> (a typo filters nothing).</summary>
    public static List<string> UnknownCategories(Assembly assembly) =>
        Tests(assembly).SelectMany(t => Categories(t.Method).Concat(Categories(t.Type)).Select(c => (t, c)))
            .Where(x => !TestCategories.All.Contains(x.c))
            .Select(x => $"{x.t.Type.Name}.{x.t.Method.Name}: unknown category '{x.c}'").Distinct().ToList();

    /// <summary>The test methods of the assembly's classes (inherited ones too), each with the class xUnit runs it in.</summary>
    public static IEnumerable<(Type Type, MethodInfo Method)> Tests(Assembly assembly) =>
        from type in assembly.GetTypes()
        where type.IsClass && !type.IsAbstract
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
        where method.GetCustomAttributes<FactAttribute>(inherit: true).Any()
        select (type, method);

    /// <summary>The Category values on a member (for a class: its base classes' too).</summary>
    public static IEnumerable<string> Categories(MemberInfo member)
    {
        for (var m = member; m is not null; m = (m as Type)?.BaseType)
            foreach (var a in m.GetCustomAttributesData())
                if (a.AttributeType == typeof(TraitAttribute) && (string?)a.ConstructorArguments[0].Value == TestCategories.Name)
                    yield return (string)a.ConstructorArguments[1].Value!;
    }

    /// <summary>
    /// What runs for a test: the method, and the set-up and tear-down of its class (and base classes) and of its class
    /// fixtures: constructors, IAsyncLifetime's and IDisposable's methods.
    /// </summary>
    private static IEnumerable<MethodBase> Roots(Type type, MethodInfo method)
    {
        yield return method;
        var fixtures = type.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IClassFixture<>))
            .Select(i => i.GetGenericArguments()[0]);
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var owner in fixtures.Prepend(type))
            for (var t = owner; t is not null && t.Assembly == type.Assembly; t = t.BaseType)
            {
                foreach (var c in t.GetConstructors(all)) yield return c;
                foreach (var m in t.GetMethods(all))
                    if (m.Name is "InitializeAsync" or "DisposeAsync" or "Dispose" && m.GetParameters().Length == 0) yield return m;
            }
    }

    /// <summary>The method-to-method edges of one assembly's IL, and which rules each method meets directly.</summary>
    private sealed class CallGraph : IDisposable
    {
        private readonly PEReader pe;
        private readonly MetadataReader md;
        private readonly IReadOnlyList<Rule> rules;
        private readonly Dictionary<MethodDefinitionHandle, (List<MethodDefinitionHandle> Calls, List<(string Category, string Via)> Needs)> nodes = [];

        public CallGraph(string path, IReadOnlyList<Rule> rules)
        {
            this.rules = rules;
            pe = new PEReader(File.OpenRead(path));
            md = pe.GetMetadataReader();
        }

        public void Dispose() => pe.Dispose();

        /// <summary>Each category the roots reach, with one helper that needs it.</summary>
        public Dictionary<string, string> Needs(IEnumerable<MethodBase> roots)
        {
            var found = new Dictionary<string, string>();
            var seen = new HashSet<MethodDefinitionHandle>();
            var todo = new Stack<MethodDefinitionHandle>(roots.Select(r => (MethodDefinitionHandle)MetadataTokens.Handle(r.MetadataToken)));
            while (todo.TryPop(out var m))
            {
                if (!seen.Add(m)) continue;
                var node = Node(m);
                foreach (var (category, via) in node.Needs) found.TryAdd(category, via);
                foreach (var next in node.Calls) todo.Push(next);
            }
            return found;
        }

        private (List<MethodDefinitionHandle> Calls, List<(string Category, string Via)> Needs) Node(MethodDefinitionHandle handle)
        {
            if (nodes.TryGetValue(handle, out var node)) return node;
            node = ([], []);
            nodes[handle] = node;
            var method = md.GetMethodDefinition(handle);
            Match(md.GetTypeDefinition(method.GetDeclaringType()), method.Name, node.Needs);
            if (method.RelativeVirtualAddress == 0) return node;
            var generated = new HashSet<TypeDefinitionHandle>();
            var signatures = new IlReading.SignatureTypes(md, generated);
            foreach (var token in IlReading.Tokens(pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader()))
                Visit(MetadataTokens.EntityHandle(token), node, generated, signatures);
            // An async or iterator method's body is its state machine's MoveNext, which nothing calls by token. (A lambda is
            // reached by its own method's token: ldftn.)
            foreach (var type in generated.Where(IsStateMachine))
                node.Calls.AddRange(md.GetTypeDefinition(type).GetMethods());
            return node;
        }

        private void Visit(EntityHandle handle, (List<MethodDefinitionHandle> Calls, List<(string, string)> Needs) node,
            HashSet<TypeDefinitionHandle> types, IlReading.SignatureTypes signatures)
        {
            switch (handle.Kind)
            {
                case HandleKind.MethodDefinition:
                    var method = (MethodDefinitionHandle)handle;
                    node.Calls.Add(method);
                    types.Add(md.GetMethodDefinition(method).GetDeclaringType());
                    StaticConstructor(md.GetMethodDefinition(method).GetDeclaringType(), node.Calls);
                    break;
                case HandleKind.FieldDefinition:
                    var declaring = md.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType();
                    types.Add(declaring);
                    StaticConstructor(declaring, node.Calls);
                    break;
                case HandleKind.TypeDefinition:
                    types.Add((TypeDefinitionHandle)handle);
                    break;
                case HandleKind.TypeSpecification:
                    md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(signatures, null);
                    break;
                case HandleKind.MethodSpecification:
                    var spec = md.GetMethodSpecification((MethodSpecificationHandle)handle);
                    spec.DecodeSignature(signatures, null); // Start<TStateMachine>: the async method's body
                    Visit(spec.Method, node, types, signatures);
                    break;
                case HandleKind.MemberReference:
                    var member = md.GetMemberReference((MemberReferenceHandle)handle);
                    if (member.Parent.Kind == HandleKind.TypeReference)
                    {
                        var type = md.GetTypeReference((TypeReferenceHandle)member.Parent);
                        Match(md.GetString(type.Namespace) + "." + md.GetString(type.Name), member.Name, node.Needs);
                    }
                    else if (member.Parent.Kind == HandleKind.TypeSpecification)
                        md.GetTypeSpecification((TypeSpecificationHandle)member.Parent).DecodeSignature(signatures, null);
                    break;
            }
        }

        private void StaticConstructor(TypeDefinitionHandle type, List<MethodDefinitionHandle> calls) =>
            calls.AddRange(md.GetTypeDefinition(type).GetMethods().Where(m => md.GetString(md.GetMethodDefinition(m).Name) == ".cctor"));

        /// <summary>"&lt;Method&gt;d__3": the compiler's name for an async or iterator method's state machine.</summary>
        private bool IsStateMachine(TypeDefinitionHandle type) =>
            md.GetString(md.GetTypeDefinition(type).Name) is var name && name.StartsWith('<') && name.Contains(">d__", StringComparison.Ordinal);

        private void Match(TypeDefinition type, StringHandle method, List<(string, string)> needs)
        {
            // Reflection's full name: Namespace.Outer+Nested.
            var name = md.GetString(type.Name);
            var outer = type;
            while (!outer.GetDeclaringType().IsNil)
            {
                outer = md.GetTypeDefinition(outer.GetDeclaringType());
                name = md.GetString(outer.Name) + "+" + name;
            }
            Match(md.GetString(outer.Namespace) + "." + name, method, needs);
        }

        private void Match(string type, StringHandle method, List<(string, string)> needs)
        {
            var name = md.GetString(method);
            foreach (var rule in rules)
                if (rule.Type == type && (rule.Method is null || rule.Method == name))
                    needs.Add((rule.Category, $"{type.Split('.')[^1]}.{name}"));
        }
    }
}
