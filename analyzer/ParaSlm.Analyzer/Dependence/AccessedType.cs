using ParaSlm.Analyzer.Effects;
using ParaSlm.Analyzer.Syntax;

namespace ParaSlm.Analyzer.Dependence;

/// <summary>The type of the element an access reads or writes, as strict-aliasing arguments need it.</summary>
public static class AccessedType
{
    /// <summary>
    /// The access node's type, except inside an inlined accessor of a class template (`T &amp;operator()(…) const { return
    /// data[j + i * sizeY]; }`), where the node has the template's type `T`: when that node is exactly what the accessor
    /// called in the loop returns (its `return` operand, through parentheses and implicit conversions only, in the
    /// definition the call names), the element is the call's own type there (`double` for `pressure(i, j)`). Anything else
    /// keeps the node's type, and an unresolved type then aliases everything.
    /// </summary>
    public static TypeInfo Of(MemoryAccess a, FunctionEffects effects)
    {
        var own = a.Node.Type;
        if (!own.IsTemplateDependentObject || a.Site is not { Kind: NodeKind.Call, Decl: { } callee } site || site.Type.IsTemplateDependentObject) return own;
        var up = a.Node.Parent;
        while (up is { Kind: NodeKind.Paren } or { Kind: NodeKind.Unexposed, Children.Count: 1 }) up = up.Parent;
        if (up is not { Kind: NodeKind.Return }) return own;
        var function = up.Ancestors().FirstOrDefault(n => n.Kind == NodeKind.FunctionDecl);
        return function is not null && ReferenceEquals(function, effects.DefinitionOf(callee)) ? site.Type : own;
    }
}
