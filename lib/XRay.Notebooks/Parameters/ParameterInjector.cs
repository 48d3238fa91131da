using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.DotNet.Interactive.Documents;
using XRay.Notebooks.Format;

namespace XRay.Notebooks.Parameters;

/// <summary>
/// Papermill's parameters for C#: values given as text (<c>-p epochs=3</c>) become a cell tagged
/// "injected-parameters" right after the cell tagged "parameters", each value typed like its declaration there
/// (<c>var epochs = 10;</c> → <c>epochs = 3;</c>; <c>string dataDir = "...";</c> → a string literal).
/// </summary>
public static class ParameterInjector
{
    public const string ParametersTag = "parameters";
    public const string InjectedTag = "injected-parameters";

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    /// <summary>Adds (or replaces) the injected cell; returns it, or null when there is nothing to inject.</summary>
    public static InteractiveDocumentElement? Inject(InteractiveDocument notebook, IReadOnlyDictionary<string, string> values)
    {
        if (values.Count == 0) return null;
        var cells = notebook.Elements;
        var index = cells.ToList().FindIndex(c => NotebookFile.IsCode(c) && NotebookFile.Tags(c).Contains(ParametersTag));
        if (index < 0)
            throw new ArgumentException(
                $"The notebook has no code cell tagged \"{ParametersTag}\", so -p {values.Keys.First()}=... has nothing to override.");
        var declared = Declarations(cells[index].Contents);
        var lines = new List<string> { "// Injected parameters" };
        foreach (var (name, text) in values)
        {
            if (!declared.TryGetValue(name, out var type))
                throw new ArgumentException(
                    $"Parameter '{name}' is not declared in the parameters cell (it declares: {string.Join(", ", declared.Keys)}).");
            lines.Add($"{name} = {Literal(name, type, text)};");
        }

        var existing = index + 1 < cells.Count && NotebookFile.Tags(cells[index + 1]).Contains(InjectedTag) ? cells[index + 1] : null;
        var cell = existing ?? new InteractiveDocumentElement("", cells[index].KernelName)
        {
            Metadata = new Dictionary<string, object>
            {
                ["dotnet_interactive"] = new Dictionary<string, object> { ["language"] = "csharp" },
                ["polyglot_notebook"] = new Dictionary<string, object> { ["kernelName"] = "csharp" },
                ["tags"] = new object[] { InjectedTag },
            },
        };
        if (existing is null) cells.Insert(index + 1, cell);
        cell.Contents = string.Join("\n", lines);
        return cell;
    }

    /// <summary>name → C# type keyword ("int", "double", "string", ...) of each variable the cell declares.</summary>
    public static IReadOnlyDictionary<string, string> Declarations(string code)
    {
        var result = new Dictionary<string, string>();
        var root = CSharpSyntaxTree.ParseText(code, ParseOptions).GetCompilationUnitRoot();
        foreach (var declaration in root.DescendantNodes().OfType<VariableDeclarationSyntax>())
        {
            if (declaration.Parent is not (LocalDeclarationStatementSyntax or FieldDeclarationSyntax)) continue;
            foreach (var variable in declaration.Variables)
                result[variable.Identifier.Text] = declaration.Type.IsVar
                    ? InferType(variable.Initializer?.Value)
                    : declaration.Type.ToString();
        }
        return result;
    }

    private static string InferType(ExpressionSyntax? value) => value switch
    {
        LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } => "string",
        LiteralExpressionSyntax { RawKind: (int)SyntaxKind.TrueLiteralExpression or (int)SyntaxKind.FalseLiteralExpression } => "bool",
        LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NumericLiteralExpression } literal => literal.Token.Value switch
        {
            int => "int",
            long => "long",
            float => "float",
            double => "double",
            decimal => "decimal",
            _ => "double",
        },
        PrefixUnaryExpressionSyntax { Operand: var operand } => InferType(operand),
        _ => "string",
    };

    private static string Literal(string name, string type, string text)
    {
        var invariant = CultureInfo.InvariantCulture;
        string Fail() => throw new ArgumentException($"Parameter '{name}' is declared as {type}, but '{text}' is not a {type}.");
        return type switch
        {
            "string" or "String" or "System.String" => SymbolDisplay.FormatLiteral(text, quote: true),
            "bool" or "Boolean" => bool.TryParse(text, out var b) ? (b ? "true" : "false") : Fail(),
            "int" => int.TryParse(text, NumberStyles.Integer, invariant, out var i) ? i.ToString(invariant) : Fail(),
            "long" => long.TryParse(text, NumberStyles.Integer, invariant, out var l) ? l.ToString(invariant) + "L" : Fail(),
            "double" => double.TryParse(text, NumberStyles.Float, invariant, out var d) ? d.ToString("R", invariant) + "d" : Fail(),
            "float" => float.TryParse(text, NumberStyles.Float, invariant, out var f) ? f.ToString("R", invariant) + "f" : Fail(),
            "decimal" => decimal.TryParse(text, NumberStyles.Float, invariant, out var m) ? m.ToString(invariant) + "m" : Fail(),
            _ => throw new ArgumentException(
                $"Parameter '{name}' has type {type}; only string, bool, int, long, double, float and decimal parameters can be set with -p."),
        };
    }
}
