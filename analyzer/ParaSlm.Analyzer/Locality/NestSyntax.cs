using ParaSlm.Analyzer.Dependence;
using ParaSlm.Analyzer.Facts;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Locality;

/// <summary>Syntax checks and text copies the locality transforms share.</summary>
internal static class NestSyntax
{
    /// <summary>
    /// The verdict every nest transform starts from: the analyzer proved the loop parallel, and it carries neither a
    /// user OpenMP directive (the user's own schedule) nor a reduction, which a reordered or redistributed nest would
    /// have to combine anew.
    /// </summary>
    internal static bool PlainParallel(LoopFacts f) => f.Parallelizable && !f.HasOpenMPDirective && f.Reductions.Count == 0;

    /// <summary>The loop's text is known and holds no preprocessor line: a transform that moves or copies its statements
    /// would lose a `#pragma` on an inner loop or split an `#if`.</summary>
    internal static bool FreeOfPreprocessorLines(SyntaxNode root, SyntaxNode loop) =>
        Text(root, loop.Span.Offset, loop.Span.EndOffset) is { } text && !text.Contains('#');

    /// <summary>An assignment statement: `x = e`, `x op= e`, `x++` (the left side an element; scalars are checked apart). The
    /// right-looking recognizer takes no `++` (its updates are `x = e` or `x op= e` only) and keeps its own test.</summary>
    internal static bool IsAssignment(SyntaxNode s) =>
        s.StripParensAndCasts() is { Kind: NodeKind.Binary, BinaryOp: BinaryOp.Assign } or { Kind: NodeKind.CompoundAssign } ||
        s is { Kind: NodeKind.Unary } u && u.UnaryOp.IsIncDec();

    /// <summary>Every subscript of the access is affine and does not name the counter.</summary>
    internal static bool FreeOf(MemoryAccess a, Affine.Symbol counter) =>
        a.Path.All(p => p is IndexStep) &&
        a.Subscripts.All(s => s is not null && s.Terms.Keys.All(m => m.Factors.All(f => f.Key != counter.Key && !f.Dependencies.Contains(counter.Key))));

    /// <summary>A reference whose address is taken, or that is passed to a call as it is.</summary>
    internal static bool AddressOrCall(SyntaxNode reference)
    {
        var n = reference;
        while (n.Parent is { Kind: NodeKind.Paren or NodeKind.Cast or NodeKind.Unexposed } p) n = p;
        return n.Parent is { Kind: NodeKind.Unary, UnaryOp: UnaryOp.AddrOf } || n.Parent is { Kind: NodeKind.Call };
    }

    /// <summary>Integer arithmetic over variables the nest does not write: no memory read, call, division or assignment.</summary>
    internal static bool InvariantBound(SyntaxNode n, HashSet<string> counters) =>
        n.DescendantsAndSelf().All(d => d.Kind switch
        {
            NodeKind.DeclRef => d.Decl is { } decl && !counters.Contains(decl.Key) && !decl.Type.IsAnyVolatile && !decl.IsFunction,
            NodeKind.IntLiteral or NodeKind.Paren or NodeKind.Cast or NodeKind.SizeOf or NodeKind.TypeRef => true,
            NodeKind.Unexposed => d.Children.Count <= 1,
            NodeKind.Binary => d.BinaryOp is BinaryOp.Add or BinaryOp.Sub or BinaryOp.Mul or BinaryOp.Shl or BinaryOp.Shr,
            NodeKind.Unary => d.UnaryOp is UnaryOp.Minus or UnaryOp.Plus,
            _ => false,
        });

    /// <summary>The statements of a body: a compound's children, or the single statement.</summary>
    internal static List<SyntaxNode>? Statements(SyntaxNode? body) =>
        body is null ? null : body.Kind == NodeKind.Compound ? body.Children.ToList() : [body];

    internal static bool SingleStatement(SyntaxNode? body, SyntaxNode only) => Statements(body) is [var s] && ReferenceEquals(s, only);

    /// <summary>The left-hand sides of every assignment, compound assignment and increment in the statement.</summary>
    internal static IEnumerable<SyntaxNode> Writes(SyntaxNode stmt)
    {
        foreach (var d in stmt.DescendantsAndSelf())
        {
            if (d.Kind is NodeKind.Binary && d.BinaryOp == BinaryOp.Assign && d.Children.Count == 2) yield return d.Children[0];
            else if (d.Kind is NodeKind.CompoundAssign && d.Children.Count == 2) yield return d.Children[0];
            else if (d.Kind is NodeKind.Unary && d.UnaryOp.IsIncDec() && d.Children.Count == 1) yield return d.Children[0];
        }
    }

    internal static SyntaxNode Root(SyntaxNode n)
    {
        while (n.Parent is not null) n = n.Parent;
        return n;
    }

    internal static string? Text(SyntaxNode root, int start, int end)
    {
        var (a, b) = (SourceText.CharIndex(root, start), SourceText.CharIndex(root, end));
        return root.SourceText is { } t && a >= 0 && b <= t.Length && a < b ? t[a..b] : null;
    }

    /// <summary>
    /// A loop's header as written, `for (…)` on one line, ending at the `)` that closes it; null when it is not that (a
    /// macro, a line break or a comment inside it) or when anything but blanks and comments lies between it and the body.
    /// Comments there (`for (i …)` / `// note` / `for (j …)`, an unbraced inner loop under a remark) are not part of the
    /// header: a transform that moves or copies headers leaves them where they are.
    /// </summary>
    internal static string? HeaderText(SyntaxNode root, SyntaxNode loop, SyntaxNode body)
    {
        if (Text(root, loop.Span.Offset, body.Span.Offset) is not { } text || !System.Text.RegularExpressions.Regex.IsMatch(text, @"^for\s*\(")) return null;
        var tokens = Generation.CLexer.Tokenize(text);
        var depth = 0;
        for (var k = 0; k < tokens.Count; k++)
        {
            var t = text[tokens[k].Start..tokens[k].End];
            if (tokens[k].Kind != Generation.TokenKind.Punctuator) continue;
            if (t == "(") depth++;
            else if (t == ")" && --depth == 0)
            {
                var header = text[..tokens[k].End];
                if (k != tokens.Count - 1 || header.Contains('\n') || header.Contains('\r') ||
                    header.Contains("//", StringComparison.Ordinal) || header.Contains("/*", StringComparison.Ordinal)) return null;
                return header;
            }
        }
        return null;
    }

    /// <summary>The text with every run of whitespace (line breaks included) collapsed to one space, ends trimmed: the one
    /// form in which transforms compare and copy the user's expressions and headers.</summary>
    internal static string OneLine(string text) => string.Join(' ', text.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>
    /// The expression's own text on one line, or null when that text is not the whole expression: libclang's extent of
    /// an expression whose last token comes from a macro argument stops at the macro's name, so the text must be followed
    /// by what ends the expression in its statement (`;`, `)`, `=`, `+=`) and hold no comment or preprocessor line.
    /// </summary>
    internal static string? Expression(SyntaxNode root, SyntaxNode n)
    {
        // A macro's use site is in the main file even when the node's own tokens come from the macro (`N`).
        if (!string.Equals(n.Span.File, root.Span.File, StringComparison.Ordinal) || Text(root, n.Span.Offset, n.Span.EndOffset) is not { } raw) return null;
        if (raw.Contains("//", StringComparison.Ordinal) || raw.Contains("/*", StringComparison.Ordinal) || raw.Contains('#') || raw.Contains('\\')) return null;
        var text = root.SourceText!;
        var after = SourceText.CharIndex(root, n.Span.EndOffset);
        while (after < text.Length && char.IsWhiteSpace(text[after])) after++;
        // Every expression a transform copies ends its statement (`;`) or is the left side of an assignment.
        if (after >= text.Length || text[after] is not (';' or '=' or '+' or '*' or '-')) return null;
        if (text[after] is '+' or '*' or '-' && (after + 1 >= text.Length || text[after + 1] != '=')) return null;
        return OneLine(raw);
    }

    /// <summary>
    /// The right-hand side of an assignment statement or initialized declaration, from the source text: what follows
    /// the operator after <paramref name="lhsEnd"/> (or the first `=` of a declaration when null), up to the statement's
    /// `;`. Used where libclang's extent of the expression itself stops inside a macro call (`SCALAR_VAL(0.0)`); null
    /// when the text is not one plain expression (a comment, a preprocessor line, unbalanced parentheses).
    /// </summary>
    internal static string? RightHandSide(SyntaxNode root, SyntaxNode statement, int? lhsEnd, string op)
    {
        if (Text(root, statement.Span.Offset, statement.Span.EndOffset) is not { } whole) return null;
        var text = root.SourceText!;
        var from = SourceText.CharIndex(root, lhsEnd ?? statement.Span.Offset);
        var end = SourceText.CharIndex(root, statement.Span.EndOffset);
        while (end < text.Length && char.IsWhiteSpace(text[end])) end++;
        // An expression statement's extent stops before a macro call whose argument ends it (`x = SCALAR_VAL(0.0)`
        // ends at `x = `; a declaration's extent includes its `;`): the call, name and argument list, follows.
        var name = end;
        while (name < text.Length && (char.IsLetterOrDigit(text[name]) || text[name] == '_')) name++;
        var call = name;
        while (call < text.Length && char.IsWhiteSpace(text[call])) call++;
        if (name > end && call < text.Length && text[call] == '(' && SkipParenthesized(text, call) is { } closed)
        {
            end = closed;
            while (end < text.Length && char.IsWhiteSpace(text[end])) end++;
        }
        if (end < text.Length && text[end] == ';') end++;
        var tail = text[from..end];
        var at = tail.IndexOf(op, StringComparison.Ordinal);
        if (at < 0 || (lhsEnd is not null && tail[..at].Trim().Length > 0)) return null;
        if (op == "=" && at + 1 < tail.Length && tail[at + 1] == '=') return null;
        var rhs = tail[(at + op.Length)..].Trim();
        if (!rhs.EndsWith(';')) return null;
        rhs = rhs[..^1].Trim();
        if (rhs.Length == 0 || rhs.Contains(';') || rhs.Contains('#') || rhs.Contains('\\') || rhs.Contains("//", StringComparison.Ordinal) || rhs.Contains("/*", StringComparison.Ordinal)) return null;
        var depth = 0;
        foreach (var c in rhs)
        {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth < 0) return null;
        }
        return depth == 0 && whole.Length > 0 ? OneLine(rhs) : null;
    }

    /// <summary>The index just after the `)` that closes the `(` at <paramref name="open"/>; null when it is not closed.</summary>
    private static int? SkipParenthesized(string text, int open)
    {
        var depth = 0;
        for (var at = open; at < text.Length; at++)
        {
            if (text[at] is ';' or '{' or '}' or '#') return null;
            depth += text[at] == '(' ? 1 : text[at] == ')' ? -1 : 0;
            if (depth == 0) return at + 1;
        }
        return null;
    }

    /// <summary>The text after <paramref name="op"/> (which must come first after <paramref name="fromOffset"/>) up to the
    /// next `;`: a `for` condition's bound behind a macro (`i &lt; _PB_NI`); null when it is not one plain expression.</summary>
    internal static string? AfterOperator(SyntaxNode root, int fromOffset, string op)
    {
        if (root.SourceText is not { } text) return null;
        var from = SourceText.CharIndex(root, fromOffset);
        var semicolon = from < 0 || from > text.Length ? -1 : text.IndexOf(';', from);
        if (semicolon < 0) return null;
        var tail = text[from..semicolon].TrimStart();
        if (!tail.StartsWith(op, StringComparison.Ordinal) || tail.Length <= op.Length || tail[op.Length] is '=' or '<' or '>') return null;
        var rhs = tail[op.Length..].Trim();
        if (rhs.Length == 0 || rhs.Contains('#') || rhs.Contains('\\') || rhs.Contains('{') || rhs.Contains("//", StringComparison.Ordinal) || rhs.Contains("/*", StringComparison.Ordinal)) return null;
        var depth = 0;
        foreach (var c in rhs)
        {
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth < 0) return null;
        }
        return depth == 0 ? OneLine(rhs) : null;
    }

    /// <summary>
    /// The statement's text on one line with every reference to a variable of <paramref name="replacements"/> (by key) replaced
    /// by its text (a declaration's name too); null when the text is not the whole statement (a macro hides where it ends),
    /// holds a comment or preprocessor line, or the identifiers replaced are not exactly the AST's references to the variables
    /// (a macro that names one, or another variable of the same name). An empty map copies the statement as it is.
    /// </summary>
    internal static string? CopyReplacing(Generation.SourceDocument doc, SyntaxNode root, SyntaxNode stmt, IReadOnlyDictionary<string, (DeclInfo Decl, string Text)> replacements)
    {
        var start = SourceText.CharIndex(root, stmt.Span.Offset);
        var first = doc.CodeTokenAt(start);
        if (first < 0) return null;
        var end = new Generation.StatementParser(doc).StatementEnd(first);
        if (end <= first) return null;
        var stop = doc.Code[end - 1].End;
        // libclang's extent must lie inside what the tokens say is the statement.
        if (SourceText.CharIndex(root, stmt.Span.EndOffset) > stop) return null;
        var text = doc.Text[start..stop];
        if (text.Contains("//", StringComparison.Ordinal) || text.Contains("/*", StringComparison.Ordinal) || text.Contains('#') || text.Contains('\\')) return null;
        var byName = replacements.Values.ToDictionary(s => s.Decl.Name, StringComparer.Ordinal);
        var references = stmt.DescendantsAndSelf().Count(d => d.Kind is NodeKind.DeclRef or NodeKind.VarDecl && d.Decl is { } v && replacements.ContainsKey(v.Key));
        if (stmt.DescendantsAndSelf().Any(d => d.Kind is NodeKind.DeclRef or NodeKind.VarDecl && d.Decl is { } other && !replacements.ContainsKey(other.Key) && byName.ContainsKey(other.Name))) return null;
        var output = new System.Text.StringBuilder();
        var cursor = start;
        var replaced = 0;
        for (var k = first; k < end; k++)
        {
            var token = doc.Code[k];
            if (token.Kind != Generation.TokenKind.Identifier || !byName.TryGetValue(doc.TextOf(token), out var variable)) continue;
            var previous = k > first ? doc.TextOf(doc.Code[k - 1]) : string.Empty;
            if (previous is "." or "->" or "::") continue;
            output.Append(doc.Text[cursor..token.Start]).Append(variable.Text);
            cursor = token.End;
            replaced++;
        }
        output.Append(doc.Text[cursor..stop]);
        if (replaced != references) return null;
        return OneLine(output.ToString());
    }

    /// <summary>The perfect chain of `for` loops that starts at <paramref name="outer"/>'s child loop <paramref name="nest"/>, outermost
    /// first, its innermost loop without loops and every level a plain `for` without a user directive; null otherwise.</summary>
    internal static List<Loops.LoopInfo>? PerfectChain(Loops.LoopInfo outer, SyntaxNode nest, IReadOnlyDictionary<string, LoopFacts> byId)
    {
        var chain = new List<Loops.LoopInfo>();
        var level = outer.Children.FirstOrDefault(c => ReferenceEquals(c.Node, nest));
        while (level is not null)
        {
            chain.Add(level);
            if (level.Children.Count == 0) break;
            level = level.Children is [var only] && SingleStatement(level.Body, only.Node) ? only : null;
            if (level is null) return null;
        }
        return chain.Count == 0 || chain.Any(l => l.IsRangeFor || l.Node.For is null || !byId.TryGetValue(l.Id, out var lf) || lf.HasOpenMPDirective) ? null : chain;
    }

    /// <summary>
    /// The chain's headers as written, each on one line, when they run the same iterations for every iteration of the loop
    /// whose <paramref name="body"/> holds them: they read no memory, call nothing, and name neither <paramref name="outerCounter"/>,
    /// nor a volatile, nor anything declared in the body or written there except the chain's own counters; null otherwise.
    /// </summary>
    internal static List<CopiedLine>? ChainHeaders(SyntaxNode root, IReadOnlyList<Loops.LoopInfo> chain, SyntaxNode body, DeclInfo outerCounter, HashSet<string> chainCounters)
    {
        var writes = Writes(body).Select(w => w.StripParensAndCasts()).Where(w => w.Kind == NodeKind.DeclRef && w.Decl is not null).Select(w => w.Decl!.Key).ToHashSet(StringComparer.Ordinal);
        var headers = new List<CopiedLine>();
        foreach (var l in chain)
        {
            var parts = l.Node.For!;
            if (parts.Body is not { } lb) return null;
            foreach (var part in new[] { parts.Init, parts.Condition, parts.Increment }.OfType<SyntaxNode>())
            {
                if (part.DescendantsAndSelf().Any(d => d.Kind is NodeKind.Subscript or NodeKind.Call or NodeKind.MemberRef || d is { Kind: NodeKind.Unary, UnaryOp: UnaryOp.Deref })) return null;
                foreach (var d in part.DescendantsAndSelf().Where(d => d.Kind == NodeKind.DeclRef && d.Decl is not null))
                {
                    var v = d.Decl!;
                    if (v.Key == outerCounter.Key || v.Type.IsAnyVolatile) return null;
                    if (!chainCounters.Contains(v.Key) && (body.Span.Contains(v.Span) || writes.Contains(v.Key))) return null;
                }
            }
            if (HeaderText(root, l.Node, lb) is not { } header) return null;
            headers.Add(new CopiedLine(l.Line, header));
        }
        return headers;
    }
}
