using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using XRay.TestSupport;

namespace XRay.Tests;

/// <summary>
/// The core library's layers, read from the compiled XRay.dll (so a doc comment's cref or an unused using does not
/// count, and a fully qualified name or a lambda's body does): which top-level folder's types (XRay.Data, XRay.Models,
/// ...) use which others', through base types, signatures, attributes and method bodies.
/// </summary>
public class LayerTests
{
    [Fact]
    public void No_two_folders_of_the_core_library_use_each_other_even_through_a_third()
    {
        var graph = FolderGraph(typeof(XRayLogging).Assembly.Location);

        var cycles = Cycles(graph.Keys.ToList(), f => graph[f].Keys);

        // Each cycle as its folders and the uses between them, with a few of the types that make each use.
        Assert.True(cycles.Count == 0, "Namespace cycles in XRay.dll:\n" + string.Join("\n", cycles.Select(c =>
            "{" + string.Join(", ", c.Order()) + "}: " + string.Join("; ",
                from a in c.Order() from b in c.Order() where graph[a].ContainsKey(b)
                select $"{a}->{b} ({string.Join(", ", graph[a][b].Take(3))})"))));
    }

    // Assemblies that belong to XRay.Display (charts, tables, the notebook kernel's formatting) and XRay.Classic (ML.NET),
    // not to the core: matched by name prefix.
    private static readonly string[] NotCoreAssemblies = ["Plotly", "Microsoft.Data.Analysis", "Microsoft.DotNet.Interactive", "Microsoft.ML"];

    [Fact]
    public void The_core_library_references_no_display_or_classic_ml_assembly()
    {
        using var pe = new PEReader(File.OpenRead(typeof(XRayLogging).Assembly.Location));
        var md = pe.GetMetadataReader();
        var references = md.AssemblyReferences.Select(r => md.GetString(md.GetAssemblyReference(r).Name)).ToList();

        Assert.Contains("TorchSharp", references); // the reader sees the references the core does have
        Assert.DoesNotContain(references, r => NotCoreAssemblies.Any(p => r.StartsWith(p, StringComparison.Ordinal)));
    }

    [Fact]
    public void Only_display_types_carry_a_formatter_attribute()
    {
        // The library's result types (History, ConfusionMatrix, ...) get their formatters from XRay.Display's
        // NotebookFormatters.Register, so that Display uses them and they never name Display.
        static List<Type> Carriers(Assembly assembly) => assembly.GetTypes()
            .Where(t => t.GetCustomAttributes(inherit: false).Any(a => a.GetType().Name == "TypeFormatterSourceAttribute"))
            .ToList();
        Assert.Contains(Carriers(typeof(XRay.Charts.Figure).Assembly), t => t.Name == "Figure"); // the check sees the attribute where it is
        Assert.Empty(Carriers(typeof(XRayLogging).Assembly));
    }

    [Fact]
    public void The_graph_sees_edges_in_method_bodies_signatures_and_base_types()
    {
        var graph = FolderGraph(typeof(XRayLogging).Assembly.Location);

        // Known uses, one of each kind: a call in a method body (DataLoader decodes through ImageLoader's Imaging
        // helpers; Trainer calls Inference), a signature (Data's loader options take an Imaging transform), a base
        // type (Augmentation's transforms implement Imaging's interface).
        Assert.Contains("Runtime", graph["Imaging"].Keys);
        Assert.Contains("Models", graph["Training"].Keys);
        Assert.Contains("DataLoaderOptions", graph["Data"]["Imaging"]);
        Assert.Contains("Imaging", graph["Augmentation"].Keys);
        // And the cycle finder finds a planted one.
        var planted = new Dictionary<string, string[]> { ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A"], ["D"] = ["A"] };
        Assert.Equal(["A", "B", "C"], Assert.Single(Cycles(planted.Keys.ToList(), f => planted[f])).Order());
    }

    /// <summary>Folder → folder it uses → names of the using folder's types that do.</summary>
    private static Dictionary<string, Dictionary<string, SortedSet<string>>> FolderGraph(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var md = pe.GetMetadataReader();
        var graph = new Dictionary<string, Dictionary<string, SortedSet<string>>>();
        foreach (var handle in md.TypeDefinitions)
        {
            var outer = Outermost(md, handle);
            var from = Folder(md, outer);
            if (from is null) continue;
            graph.TryAdd(from, []);
            foreach (var used in UsedTypes(md, pe, handle))
            {
                var to = Folder(md, Outermost(md, used));
                if (to is null || to == from) continue;
                if (!graph[from].TryGetValue(to, out var names)) graph[from][to] = names = [];
                names.Add(md.GetString(md.GetTypeDefinition(outer).Name));
            }
        }
        return graph;
    }

    private static TypeDefinitionHandle Outermost(MetadataReader md, TypeDefinitionHandle type)
    {
        while (md.GetTypeDefinition(type).GetDeclaringType() is { IsNil: false } declaring) type = declaring;
        return type;
    }

    /// <summary>"Data" for XRay.Data and XRay.Data.Anything; null for XRay's root namespace and compiler types.</summary>
    private static string? Folder(MetadataReader md, TypeDefinitionHandle type)
    {
        var ns = md.GetString(md.GetTypeDefinition(type).Namespace);
        return ns.StartsWith("XRay.", StringComparison.Ordinal) ? ns.Split('.')[1] : null;
    }

    private static HashSet<TypeDefinitionHandle> UsedTypes(MetadataReader md, PEReader pe, TypeDefinitionHandle handle)
    {
        var used = new HashSet<TypeDefinitionHandle>();
        var signatures = new IlReading.SignatureTypes(md, used);
        var type = md.GetTypeDefinition(handle);
        Add(md, type.BaseType, used, signatures);
        foreach (var i in type.GetInterfaceImplementations()) Add(md, md.GetInterfaceImplementation(i).Interface, used, signatures);
        Attributes(md, type.GetCustomAttributes(), used, signatures);
        foreach (var f in type.GetFields())
        {
            var field = md.GetFieldDefinition(f);
            field.DecodeSignature(signatures, null);
            Attributes(md, field.GetCustomAttributes(), used, signatures);
        }
        foreach (var p in type.GetProperties()) Attributes(md, md.GetPropertyDefinition(p).GetCustomAttributes(), used, signatures);
        foreach (var m in type.GetMethods())
        {
            var method = md.GetMethodDefinition(m);
            method.DecodeSignature(signatures, null);
            Attributes(md, method.GetCustomAttributes(), used, signatures);
            foreach (var p in method.GetParameters()) Attributes(md, md.GetParameter(p).GetCustomAttributes(), used, signatures);
            if (method.RelativeVirtualAddress == 0) continue;
            var body = pe.GetMethodBody(method.RelativeVirtualAddress);
            if (!body.LocalSignature.IsNil)
                md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(signatures, null);
            foreach (var token in IlReading.Tokens(body.GetILReader())) Add(md, MetadataTokens.EntityHandle(token), used, signatures);
        }
        return used;
    }

    private static void Attributes(MetadataReader md, CustomAttributeHandleCollection attributes, HashSet<TypeDefinitionHandle> used, IlReading.SignatureTypes signatures)
    {
        foreach (var a in attributes) Add(md, md.GetCustomAttribute(a).Constructor, used, signatures);
    }

    /// <summary>The type definitions a metadata handle (type, member, method instance, signature) mentions.</summary>
    private static void Add(MetadataReader md, EntityHandle handle, HashSet<TypeDefinitionHandle> used, IlReading.SignatureTypes signatures)
    {
        if (handle.IsNil) return;
        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
                used.Add((TypeDefinitionHandle)handle);
                break;
            case HandleKind.TypeSpecification:
                md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(signatures, null);
                break;
            case HandleKind.MethodDefinition:
                used.Add(md.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType());
                break;
            case HandleKind.FieldDefinition:
                used.Add(md.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType());
                break;
            case HandleKind.MemberReference:
                var member = md.GetMemberReference((MemberReferenceHandle)handle);
                Add(md, member.Parent, used, signatures);
                if (member.GetKind() == MemberReferenceKind.Method) member.DecodeMethodSignature(signatures, null);
                else member.DecodeFieldSignature(signatures, null);
                break;
            case HandleKind.MethodSpecification:
                var spec = md.GetMethodSpecification((MethodSpecificationHandle)handle);
                Add(md, spec.Method, used, signatures);
                spec.DecodeSignature(signatures, null);
                break;
            case HandleKind.StandaloneSignature:
                var standalone = md.GetStandaloneSignature((StandaloneSignatureHandle)handle);
                if (standalone.GetKind() == StandaloneSignatureKind.Method) standalone.DecodeMethodSignature(signatures, null);
                break;
        }
    }

    /// <summary>Each cycle (a strongly connected set of two or more folders), by Tarjan's algorithm.</summary>
    private static List<List<string>> Cycles(IReadOnlyList<string> nodes, Func<string, IEnumerable<string>> edges)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var cycles = new List<List<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            foreach (var w in edges(v).Where(nodes.Contains))
            {
                if (!index.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (stack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string top;
            do { top = stack.Pop(); component.Add(top); } while (top != v);
            if (component.Count > 1) cycles.Add(component);
        }
        foreach (var n in nodes) if (!index.ContainsKey(n)) Visit(n);
        return cycles;
    }
}
