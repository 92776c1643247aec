namespace ParaSlm.Analyzer.Syntax;

/// <summary>What the analyzer needs to know about a C/C++ type (canonical, references looked through).</summary>
public sealed record TypeInfo(
    string Spelling,
    string CanonicalSpelling,
    TypeShape Shape,
    bool IsReference,
    bool IsConst,
    bool IsVolatile,
    bool IsRestrict,
    bool IsAtomic,
    bool IsFloatingPoint,
    bool IsIntegral,
    long ArrayLength,
    TypeInfo? Element)
{
    public static readonly TypeInfo Unknown = new("?", "?", TypeShape.Other, false, false, false, false, false, false, false, -1, null);

    public bool IsPointer => Shape == TypeShape.Pointer;

    /// <summary>An unsigned integer type (`unsigned`, `uint32_t`, `size_t`, `bool`): its values are never negative.</summary>
    public bool IsUnsignedIntegral
    {
        get
        {
            if (!IsIntegral || Shape != TypeShape.Scalar) return false;
            var c = CanonicalSpelling.Replace("const ", string.Empty, StringComparison.Ordinal).Replace("volatile ", string.Empty, StringComparison.Ordinal).Trim();
            return c.StartsWith("unsigned ", StringComparison.Ordinal) || c is "unsigned" or "bool" or "_Bool";
        }
    }
    public bool IsArray => Shape == TypeShape.Array;
    public bool IsScalarValue => Shape == TypeShape.Scalar;

    /// <summary>
    /// A scalar wider than 8 bytes (`long double`, `__int128`, `_Complex double`): OpenMP runtimes combine reduction
    /// partials of such types with 16-byte atomic compare-exchange calls, which clang leaves to libatomic, a library the
    /// user's link line does not name, so the rewritten program would fail to link.
    /// </summary>
    public bool NeedsLibatomicToReduce =>
        CanonicalSpelling.Contains("long double", StringComparison.Ordinal) ||
        CanonicalSpelling.Contains("__int128", StringComparison.Ordinal) ||
        CanonicalSpelling.Contains("_Complex", StringComparison.Ordinal);

    /// <summary>A standard container whose `[]` indexes its own, unshared storage.</summary>
    public bool IsStdIndexedContainer =>
        // vector<bool> packs elements into shared words: writes to different indices race.
        !CanonicalSpelling.Contains("vector<bool", StringComparison.Ordinal) &&
        (Shape == TypeShape.Dependent && (CanonicalSpelling.StartsWith("vector<", StringComparison.Ordinal) ||
                                          CanonicalSpelling.StartsWith("array<", StringComparison.Ordinal) ||
                                          CanonicalSpelling.StartsWith("const vector<", StringComparison.Ordinal))) ||
        Shape == TypeShape.Record &&
        (CanonicalSpelling.StartsWith("std::vector<", StringComparison.Ordinal) ||
         CanonicalSpelling.StartsWith("std::array<", StringComparison.Ordinal) ||
         CanonicalSpelling.StartsWith("const std::vector<", StringComparison.Ordinal) ||
         CanonicalSpelling.StartsWith("const std::array<", StringComparison.Ordinal) ||
         CanonicalSpelling.StartsWith("std::__cxx11::vector<", StringComparison.Ordinal));

    /// <summary>
    /// A type that depends on a template parameter and is not visibly a pointer, an array or a standard container
    /// (`T`, `const T&`, `typename C::iterator`, `<dependent type>`): an operator applied to it may be user-defined.
    /// </summary>
    public bool IsTemplateDependentObject =>
        !IsPointer && !IsArray && !IsStdIndexedContainer &&
        (Shape == TypeShape.Dependent || CanonicalSpelling.Contains("<dependent type>", StringComparison.Ordinal) ||
         CanonicalSpelling.Contains("type-parameter-", StringComparison.Ordinal));

    /// <summary>
    /// Two pointer or array types whose elements are the same type, qualifiers aside (`const float *` and `float *`): an
    /// offset added to one counts the other's elements too. `(char *)p` against `p` of `float *` counts bytes.
    /// </summary>
    public static bool SameElement(TypeInfo a, TypeInfo b) =>
        a.Element is { } x && b.Element is { } y && Unqualified(x.CanonicalSpelling) == Unqualified(y.CanonicalSpelling);

    private static string Unqualified(string spelling) =>
        spelling.Replace("const ", string.Empty, StringComparison.Ordinal).Replace("volatile ", string.Empty, StringComparison.Ordinal)
                .Replace("restrict ", string.Empty, StringComparison.Ordinal).Trim();

    public bool IsAnyVolatile => IsVolatile || (Element?.IsAnyVolatile ?? false);
    public bool IsAnyAtomic => IsAtomic || (Element?.IsAnyAtomic ?? false) || CanonicalSpelling.Contains("std::atomic", StringComparison.Ordinal);

    /// <summary>Bytes of the C scalar type spelled <paramref name="spelling"/> (unqualified) where the x86-64 and AArch64 ABIs
    /// the tool targets agree; null for any other type (`long double` included: 16 on their Linux ABIs, 8 under MSVC).</summary>
    public static int? FixedScalarBytes(string spelling) => spelling switch
    {
        "double" or "long" or "unsigned long" or "long long" or "unsigned long long" => 8,
        "float" or "int" or "unsigned int" => 4,
        "short" or "unsigned short" => 2,
        "char" or "signed char" or "unsigned char" or "_Bool" or "bool" => 1,
        _ => null,
    };
}

public enum TypeShape
{
    Other,
    Scalar,
    Pointer,
    Array,
    Record,
    Dependent,
}
