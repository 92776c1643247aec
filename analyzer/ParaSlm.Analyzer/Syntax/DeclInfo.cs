namespace ParaSlm.Analyzer.Syntax;

/// <summary>A declaration referenced or declared in the translation unit, keyed by its USR.</summary>
public sealed record DeclInfo(
    string Key,
    string Name,
    string QualifiedName,
    DeclKind Kind,
    TypeInfo Type,
    bool IsGlobalStorage,
    bool InSystemHeader,
    SourceSpan Span)
{
    public bool IsFunction => Kind is DeclKind.Function or DeclKind.Method;

    /// <summary>A field of a union: it shares storage with every other member.</summary>
    public bool InUnion { get; init; }

    /// <summary>A variable with thread storage duration (`thread_local`, `_Thread_local`, `__thread`).</summary>
    public bool IsThreadLocal { get; init; }

    /// <summary>Not a `private` or `protected` member: code outside its class may name it (a run-time check written at a
    /// loop's site may read it).</summary>
    public bool IsPublic { get; init; } = true;

    /// <summary>A variable declared `static` (at block scope: one object for every call and every copy of the code).</summary>
    public bool IsStatic { get; init; }

    /// <summary>A function declared `static` (internal linkage): every call to it is in this translation unit.</summary>
    public bool IsInternalFunction { get; init; }
}

public enum DeclKind
{
    Other,
    Variable,
    Parameter,
    Field,
    Function,
    Method,
    EnumConstant,
}
