using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Effects;

/// <summary>
/// What destroying an object runs. An object created in a loop (a local, a temporary) is destroyed in the same
/// iteration, and its destructor, the destructors of its members and of its bases are calls the source never
/// spells: a destructor that writes shared state (`~Guard() { --live; }`) is an effect of the loop.
/// </summary>
public sealed class Destructors
{
    private readonly FunctionEffects _effects;
    private readonly Dictionary<string, RecordShape> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CallEffect> _memo = new(StringComparer.Ordinal);

    private sealed record RecordShape(List<DeclInfo> Destructors, List<TypeInfo> Parts, bool System);

    public Destructors(TranslationUnitSyntax tu, FunctionEffects effects)
    {
        _effects = effects;
        Index(tu.Root, "");
    }

    /// <summary>The effect of destroying an object of <paramref name="type"/> (pure when nothing user-written runs).</summary>
    public CallEffect OfDestroying(TypeInfo type) => Of(type, 0);

    private CallEffect Of(TypeInfo type, int depth)
    {
        while (type.IsArray && type.Element is { } e) type = e;
        if (type.Shape != TypeShape.Record || type.IsReference) return Trivial;
        var name = RecordName(type.CanonicalSpelling);
        if (_memo.TryGetValue(name, out var known)) return known;
        // Records not declared in the file's tree are the system's (std::vector…): their destructors free their own storage.
        if (!_records.TryGetValue(name, out var shape) || shape.System || depth > 8) return Trivial;
        _memo[name] = Trivial; // a record containing itself through a base cycle cannot happen; this only guards recursion
        var effect = Trivial;
        foreach (var d in shape.Destructors)
        {
            if (d.InSystemHeader) continue;
            var e = _effects.Of(d);
            if (!e.IsPure) { effect = CallEffect.Impure($"destroys a `{name}` (its destructor {Tail(e.Reason)})"); break; }
        }
        if (effect.IsPure)
        {
            foreach (var part in shape.Parts)
            {
                var e = Of(part, depth + 1);
                if (!e.IsPure) { effect = CallEffect.Impure($"destroys a `{name}`, which {e.Reason}"); break; }
            }
        }
        _memo[name] = effect;
        return effect;
    }

    private static readonly CallEffect Trivial = CallEffect.PureBy("nothing user-written runs when it is destroyed");

    private static string Tail(string reason) => reason.StartsWith("calls ", StringComparison.Ordinal) ? reason : "is not pure: " + reason;

    /// <summary>`const ns::Box<int>` → `ns::Box`: destructors of a class template are one definition for the analyzer.</summary>
    private static string RecordName(string spelling)
    {
        var s = spelling;
        foreach (var q in new[] { "const ", "volatile ", "struct ", "class ", "union " })
            while (s.StartsWith(q, StringComparison.Ordinal)) s = s[q.Length..];
        var lt = s.IndexOf('<');
        return (lt >= 0 ? s[..lt] : s).Trim();
    }

    private void Index(SyntaxNode node, string prefix)
    {
        foreach (var c in node.Children)
        {
            switch (c.Kind)
            {
                case NodeKind.Namespace:
                    Index(c, prefix + c.Spelling + "::");
                    break;
                case NodeKind.Record when c.Spelling.Length > 0:
                {
                    var name = prefix + c.Spelling;
                    if (!_records.TryGetValue(name, out var shape))
                        _records[name] = shape = new RecordShape([], [], c.Children.Any(k => k.Decl?.InSystemHeader == true));
                    foreach (var k in c.Children)
                    {
                        if (k.Kind == NodeKind.FunctionDecl && k.Spelling.StartsWith('~') && k.Decl is { } d) shape.Destructors.Add(d);
                        else if (k.Kind == NodeKind.FieldDecl && k.Decl is { } f && !f.IsGlobalStorage) shape.Parts.Add(f.Type);
                        else if (k.RawKind == CxxBaseSpecifier && k.Spelling.Length > 0)
                        {
                            // A base's destructor runs too; the specifier names the base as written (`Base`, `ns::Base`).
                            var baseName = RecordName(k.Spelling);
                            if (_records.ContainsKey(prefix + baseName)) baseName = prefix + baseName;
                            shape.Parts.Add(TypeInfo.Unknown with { Shape = TypeShape.Record, Spelling = baseName, CanonicalSpelling = baseName });
                        }
                    }
                    Index(c, name + "::");
                    break;
                }
                case NodeKind.FunctionTemplate or NodeKind.FunctionDecl or NodeKind.VarDecl:
                    break;
                default:
                    if (c.Children.Count > 0 && c.Kind == NodeKind.Other) Index(c, prefix); // linkage specs, class templates
                    break;
            }
        }
    }

    private const int CxxBaseSpecifier = 44;
}
