namespace ParaSlm.Analyzer.Offload;

/// <summary>How an array travels between host and device around an offloaded loop (OpenMP `map` types).</summary>
public enum MapDirection
{
    /// <summary>Read only: copied to the device before, never back.</summary>
    To,

    /// <summary>Every element of the section is written before any read: copied back only.</summary>
    From,

    /// <summary>Read and written (or written without proof that every element is): copied both ways.</summary>
    ToFrom,

    /// <summary>Device storage only: no copy either way.</summary>
    Alloc,
}

/// <summary>
/// One array an offloaded loop touches: the section the whole iteration space reads or writes, in elements of
/// <see cref="ElementType"/>, as C expressions valid just before the loop.
/// </summary>
/// <param name="Name">The variable the map clause names (a pointer or an array).</param>
/// <param name="Start">First element touched (C expression).</param>
/// <param name="Length">Number of elements from <paramref name="Start"/> (C expression).</param>
/// <param name="Whole">The section is the whole declared array (a multi-dimensional array of known size).</param>
public sealed record MappedArray(string Name, string ElementType, string Start, string Length, MapDirection Direction, bool Whole)
{
    /// <summary>No other name reaches this storage: a `restrict` pointer, or one whose only value is this function's own
    /// allocation. Keeping it on the device across loops cannot leave another array's copy stale.</summary>
    public bool Unaliased { get; init; }

    /// <summary>A declared array (not a pointer): distinct from every other declared array.</summary>
    public bool Declared { get; init; }

    /// <summary>The OpenMP list item: `a[start:length]`, or `a` for a whole array.</summary>
    public string Section => Whole ? Name : $"{Name}[{Start}:{Length}]";

    public static string DirectionName(MapDirection d) => d switch
    {
        MapDirection.To => "to",
        MapDirection.From => "from",
        MapDirection.ToFrom => "tofrom",
        _ => "alloc",
    };
}

/// <summary>
/// Whether a parallel loop nest may run on a GPU, and what it needs there: the arrays with their extents and map
/// directions, and the functions it calls (all device-callable). Only parallel loops get these facts.
/// </summary>
/// <param name="Offloadable">Everything the device needs is known; <paramref name="Reason"/> says why not otherwise.</param>
public sealed record OffloadFacts(bool Offloadable, string Reason, IReadOnlyList<MappedArray> Arrays, IReadOnlyList<string> DeviceCalls)
{
    /// <summary>What outlining the loop into a CUDA kernel needs (null when it cannot be outlined: see <see cref="KernelShape"/>).</summary>
    public KernelShape? Kernel { get; init; }

    public static OffloadFacts No(string reason) => new(false, reason, [], []);

    /// <summary>Bytes-moved estimate needs element sizes; unknown types count as 8 bytes.</summary>
    public static int ElementSize(string type) => type.Replace("const ", string.Empty, StringComparison.Ordinal).Trim() switch
    {
        "char" or "signed char" or "unsigned char" or "bool" or "_Bool" or "int8_t" or "uint8_t" => 1,
        "short" or "unsigned short" or "int16_t" or "uint16_t" => 2,
        "int" or "unsigned int" or "float" or "int32_t" or "uint32_t" => 4,
        _ => 8,
    };

    /// <summary>The map clauses, grouped by direction: `map(to: a[0:n]) map(tofrom: b[0:n])`.</summary>
    public string MapClauses =>
        string.Join(" ", Arrays.GroupBy(a => a.Direction).OrderBy(g => g.Key)
            .Select(g => $"map({MappedArray.DirectionName(g.Key)}: {string.Join(", ", g.Select(a => a.Section))})"));
}
