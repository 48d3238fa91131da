using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace XRay.Notebooks.Execution;

/// <summary>
/// Puts <c>CellCancellation.Check();</c> at the top of each loop body, on the body's first line, so error line
/// numbers still match the cell.
/// </summary>
internal sealed class LoopCancellationRewriter : CSharpSyntaxRewriter
{
    private static readonly StatementSyntax CheckCall =
        SyntaxFactory.ParseStatement("global::XRay.Notebooks.Execution.CellCancellation.Check();").WithoutTrivia();

    public static string Rewrite(string code, CSharpParseOptions options)
    {
        var tree = CSharpSyntaxTree.ParseText(code, options);
        return new LoopCancellationRewriter().Visit(tree.GetRoot()).ToFullString();
    }

    private static StatementSyntax Guard(StatementSyntax body) => body switch
    {
        BlockSyntax block => block.WithStatements(block.Statements.Insert(0, CheckCall)),
        _ => SyntaxFactory.Block(CheckCall, body.WithoutLeadingTrivia())
            .WithOpenBraceToken(SyntaxFactory.Token(SyntaxKind.OpenBraceToken))
            .WithLeadingTrivia(body.GetLeadingTrivia()),
    };

    public override SyntaxNode? VisitForStatement(ForStatementSyntax node)
    {
        var visited = (ForStatementSyntax)base.VisitForStatement(node)!;
        return visited.WithStatement(Guard(visited.Statement));
    }

    public override SyntaxNode? VisitForEachStatement(ForEachStatementSyntax node)
    {
        var visited = (ForEachStatementSyntax)base.VisitForEachStatement(node)!;
        return visited.WithStatement(Guard(visited.Statement));
    }

    public override SyntaxNode? VisitWhileStatement(WhileStatementSyntax node)
    {
        var visited = (WhileStatementSyntax)base.VisitWhileStatement(node)!;
        return visited.WithStatement(Guard(visited.Statement));
    }

    public override SyntaxNode? VisitDoStatement(DoStatementSyntax node)
    {
        var visited = (DoStatementSyntax)base.VisitDoStatement(node)!;
        return visited.WithStatement(Guard(visited.Statement));
    }
}
