using System.Globalization;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Loops;

/// <summary>
/// The one-counter form of a two-counter header (`for (int o = b, i = 0; i &lt; n; i++, o++)`), which OpenMP's canonical loop
/// form requires of a loop under `omp parallel for`: the header text from its init to its increment is replaced by the
/// counter's own (`int i = 0; i &lt; n; i++`), and the body is wrapped in a block that first defines the second counter from
/// the counter (`{ int o = (int)((long long)(b) + ((long long)(i) - (long long)(0)));`). Same values in every iteration
/// (<see cref="SecondCounter"/>), each iteration's own `o` (private by nature), the body's lines unmoved. Only a header that
/// declares both counters has it: a second counter declared before the loop would keep its last value after it.
/// </summary>
/// <param name="StartOffset">Byte offset where the header's init starts.</param>
/// <param name="EndOffset">Byte offset where its increment ends (the `)` follows).</param>
/// <param name="Header">The one-counter header that replaces that range, on one line.</param>
/// <param name="Declaration">The second counter's definition, first in the body's block.</param>
public sealed record TwoCounterForm(int StartOffset, int EndOffset, string Header, string Declaration)
{
    /// <summary>The form of a loop whose header declares two counters, or null (one counter, a counter declared before the
    /// loop, or header text that one line cannot carry: a `//` comment or a preprocessor line in it).</summary>
    public static TwoCounterForm? Of(LoopInfo loop)
    {
        if (loop.Header is not { Second: { DeclaredInHeader: true } second, Variable: { } counter } header ||
            loop.Node.For is not { Init: { Kind: NodeKind.DeclStmt } init, Condition: { } condition, Increment: { } increment }) return null;
        var primary = init.Children.FirstOrDefault(c => c.Kind == NodeKind.VarDecl && c.Decl?.Key == counter.Key);
        if (primary is null || FunctionScope.InitializerOf(primary) is not { } start) return null;
        var step = increment.StripParensAndCasts().Children.Select(c => c.StripParensAndCasts())
            .FirstOrDefault(c => c.Children.Count > 0 && c.Children[0].StripParensAndCasts() is { Kind: NodeKind.DeclRef } d && d.Decl?.Key == counter.Key);
        if (step is null) return null;
        var (startText, conditionText, stepText, secondStart) = (SourceText.Of(start), SourceText.Of(condition), SourceText.Of(step), SourceText.Of(second.StartNode));
        var root = loop.Node;
        while (root.Parent is not null) root = root.Parent;
        if (root.SourceText is not { } text) return null;
        var (from, to) = (SourceText.CharIndex(root, init.Span.Offset), SourceText.CharIndex(root, increment.Span.EndOffset));
        if (from < 0 || to > text.Length || to <= from || text[from..to].Contains('#') ||
            new[] { startText, conditionText, stepText, secondStart }.Any(t => t.Length == 0 || t.Contains("//", StringComparison.Ordinal))) return null;
        var ratio = second.Step / header.Step;
        var scale = ratio == 1 ? string.Empty : ratio.ToString(CultureInfo.InvariantCulture) + "LL * ";
        var type = second.Variable.Type.Spelling;
        return new TwoCounterForm(init.Span.Offset, increment.Span.EndOffset,
            $"{counter.Type.Spelling} {counter.Name} = {startText}; {conditionText}; {stepText}",
            $"{type} {second.Variable.Name} = ({type})((long long)({secondStart}) + {scale}((long long)({counter.Name}) - (long long)({startText})));");
    }
}
