using ParaSlm.Analyzer.Loops;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Locality;

/// <summary>
/// The part of a matrix product's addend that does not change along j, computed once per (i, k) before the stride-1
/// j loop of the tiled form: in `alpha * A[i][k] * B[k][j]` (parsed `(alpha * A[i][k]) * B[k][j]`) the left operand
/// `alpha * A[i][k]`. Under `#pragma omp simd` the compiler drops its run-time aliasing test, so it can no longer tell that
/// the store to `C[i][j]` leaves `A[i][k]` alone and reloads and multiplies it for every vector of j: measured, PolyBench
/// gemm's tiled form took 0.426 s of CPU against 0.282 s with the factor in a local (gcc -O3, 1 thread, LARGE).
/// </summary>
/// <param name="Text">The factor's source text, e.g. `alpha * A[i][k]`.</param>
/// <param name="Type">The type the product uses it as (canonical spelling): the local's type, so no conversion differs.</param>
/// <param name="Addend">The addend with the factor replaced by <see cref="Local"/>: `paraslm_f * B[k][j]`.</param>
/// <param name="FloatingPoint">The factor is floating point: a local rounds it to its type, which the source's
/// evaluation does too only where `__FLT_EVAL_METHOD__ == 0` (the generated code checks `PARASLM_EXACT_FP`).</param>
public sealed record MatmulFactor(string Text, string Type, string Addend, bool FloatingPoint)
{
    /// <summary>The local the tiled form declares for the factor.</summary>
    public const string Local = "paraslm_f";

    /// <summary>
    /// The largest left operand of the addend's product chain that names no j and whose value no store of the nest can
    /// change, or null. Exact: `*` associates left, so `(F * G) * H` with F computed first is the same operations on the
    /// same values, and `C + F * G` contracts (FMA) the same way whether F is an expression or a local. F reads only
    /// literals, the counters i and k, subscripted elements (the nest's proof covers every array it reads against the
    /// target, which is the only thing it writes) and scalars that are local, unaliased (address never taken), neither
    /// references nor volatile.
    /// </summary>
    internal static MatmulFactor? Find(SyntaxNode root, SyntaxNode addend, string addendText, DeclInfo j, FunctionScope function)
    {
        if (CopyOf(root, addend) is null) return null;
        var node = addend;
        while (true)
        {
            // Through parentheses and implicit conversions (`Unexposed` with one child) to the product.
            while (node.Kind is NodeKind.Paren || node is { Kind: NodeKind.Unexposed, Children.Count: 1 }) node = node.Children[0];
            if (node is not { Kind: NodeKind.Binary, BinaryOp: BinaryOp.Mul, Children: [var left, _] }) return null;
            if (SyntaxEquality.Mentions(left, j.Key)) { node = left; continue; }
            if (!Invariant(left, function) || !Worth(left) || FactorType(left.Type) is not { } type) return null;
            // The factor's text, which must end where its product's `*` begins (libclang's extent of an expression ending
            // in a macro argument stops early), and the addend around it.
            if (CopyOf(root, left) is not { } factor) return null;
            var source = root.SourceText!;
            var after = SourceText.CharIndex(root, left.Span.EndOffset);
            while (after < source.Length && char.IsWhiteSpace(source[after])) after++;
            if (after >= source.Length || source[after] != '*') return null;
            if (NestSyntax.Text(root, addend.Span.Offset, left.Span.Offset) is var head && head is not null && head.Trim('(', ' ', '\t').Length > 0) return null;
            var rest = NestSyntax.Text(root, left.Span.EndOffset, addend.Span.EndOffset);
            if (rest is null) return null;
            var rewritten = NestSyntax.OneLine((head ?? string.Empty) + Local + rest);
            // The copy must be the user's addend with exactly the factor replaced.
            if (NestSyntax.OneLine((head ?? string.Empty) + factor + rest) != addendText) return null;
            return new MatmulFactor(factor, type, rewritten, left.Type.IsFloatingPoint);
        }
    }

    /// <summary>Only reads that no store to the target can change (see <see cref="Find"/>).</summary>
    private static bool Invariant(SyntaxNode n, FunctionScope function)
    {
        var ok = n.Kind switch
        {
            NodeKind.DeclRef => n.Decl is { } d && !d.IsFunction && (d.Type.IsArray || d.Type.IsPointer
                ? n.Parent is { Kind: NodeKind.Subscript } || n.Parent is { Kind: NodeKind.Unexposed, Parent.Kind: NodeKind.Subscript }
                : !d.IsGlobalStorage && !d.Type.IsReference && !d.Type.IsAnyVolatile && !d.Type.IsAnyAtomic && !function.IsAddressTaken(d.Key)),
            NodeKind.IntLiteral or NodeKind.FloatLiteral or NodeKind.CharLiteral or NodeKind.Paren or NodeKind.Cast or NodeKind.Subscript => true,
            NodeKind.Unexposed => n.Children.Count <= 1,
            NodeKind.Binary => n.BinaryOp is BinaryOp.Mul or BinaryOp.Add or BinaryOp.Sub or BinaryOp.Div,
            NodeKind.Unary => n.UnaryOp is UnaryOp.Minus or UnaryOp.Plus,
            _ => false,
        };
        return ok && n.Children.All(c => Invariant(c, function));
    }

    /// <summary>A factor that reads memory or computes; a bare literal or local scalar sits in a register anyway.</summary>
    private static bool Worth(SyntaxNode n) => n.DescendantsAndSelf().Any(d => d.Kind is NodeKind.Subscript or NodeKind.Binary);

    /// <summary>An arithmetic type a local can be declared with by its canonical spelling.</summary>
    private static string? FactorType(TypeInfo t) =>
        t.Shape == TypeShape.Scalar && !t.IsAnyVolatile && (t.IsFloatingPoint || t.IsIntegral) && t.CanonicalSpelling is
            "double" or "float" or "long double" or "int" or "unsigned int" or "long" or "unsigned long" or "long long" or "unsigned long long"
            ? t.CanonicalSpelling : null;

    private static string? CopyOf(SyntaxNode root, SyntaxNode n)
    {
        if (!string.Equals(n.Span.File, root.Span.File, StringComparison.Ordinal) || NestSyntax.Text(root, n.Span.Offset, n.Span.EndOffset) is not { } raw) return null;
        return raw.Contains("//", StringComparison.Ordinal) || raw.Contains("/*", StringComparison.Ordinal) || raw.Contains('#') || raw.Contains('\\') ? null : NestSyntax.OneLine(raw);
    }
}
