using System.Reflection;
using ParaSlm.Analyzer.Generation;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ParaSlm.Engine;

/// <summary>What the engine decided for one source last time, keyed by a hash of everything that decides it.</summary>
public sealed record SourceRecord(string File, string Hash, string Status, string? Output, int Loops, int Parallel, IReadOnlyList<ReportLoop> Plans, string? Diff)
{
    /// <summary>User headers the source included when it was analyzed; they are part of <see cref="Hash"/>.</summary>
    public IReadOnlyList<string> Headers { get; init; } = [];

    /// <summary>The loop edits the rewritten file carries, so validation can rebuild any subset of them without libclang.</summary>
    public IReadOnlyList<AppliedLoop> Applied { get; init; } = [];

    /// <summary>SHA-256 of the source text the edits' offsets refer to (validation refuses to reuse them for other text).</summary>
    public string? TextHash { get; init; }

    /// <summary>Why a source was not processed (ParaSlmInclude/ParaSlmExclude), for the report.</summary>
    public string? Note { get; init; }

    /// <summary>Why the file could not be analyzed (PSLM0005 and the like): reported again each time the record is reused,
    /// so a later build that only touches another file still says why this one stays serial.</summary>
    public ParaSlm.Analyzer.Diagnostics.Diagnostic? Failure { get; init; }

    /// <summary>Compile and link flags for the GPU when the copy has offloaded loops (OffloadToolchain); empty otherwise.</summary>
    public IReadOnlyList<string> OffloadFlags { get; init; } = [];

    /// <summary>ParaSlmGpuFlavor=cuda: the generated .cu beside <see cref="Output"/> whose kernels the copy launches, or null.</summary>
    public string? CudaSource { get; init; }
}

/// <summary>
/// One loop the engine parallelized: the edit the rewriter applied, where the loop is, a hash of its text (what a
/// rejection is matched by when lines move), where its plan came from and, for a model or cached plan, its cache key.
/// </summary>
public sealed record AppliedLoop(
    string Id,
    int Line,
    int Column,
    string Function,
    int StartOffset,
    int EndOffset,
    string Directive,
    string? RuntimeCheck,
    string Hash,
    string Origin,
    string? CacheKey)
{
    /// <summary>The file's own build enables OpenMP; when false, its copies keep `_OPENMP` undefined (<see cref="RewriteOptions"/>).</summary>
    public bool UserBuildHasOpenMP { get; init; } = true;

    /// <summary>Every command that compiles the file leaves vectorization on; when false, its copies get no `simd` from
    /// ParaSlm (<see cref="ParaSlm.Analyzer.Generation.NoVectorization"/>).</summary>
    public bool UserBuildVectorizes { get; init; } = true;

    /// <summary>An offloaded loop's mapped arrays (from the facts): a validation copy rebuilds the same `target data` regions.</summary>
    public IReadOnlyList<ParaSlm.Analyzer.Offload.MappedArray> Maps { get; init; } = [];

    /// <summary>A matrix-product nest emitted in its tiled form: every copy of the file (validation's probes, the per-loop
    /// diffs) rebuilds the same replacement; null for a plain directive.</summary>
    public ParaSlm.Analyzer.Locality.MatmulNest? Matmul { get; init; }

    /// <summary>An append loop emitted in its two-phase form (rebuilt the same way in every copy); null otherwise.</summary>
    public ParaSlm.Analyzer.Locality.OrderedAppend? Append { get; init; }

    /// <summary>A scatter emitted as a guarded array reduction (rebuilt the same way in every copy); null otherwise.</summary>
    public ParaSlm.Analyzer.Locality.GuardedReduction? Guarded { get; init; }

    /// <summary>A loop whose scratch array runs privatized (rebuilt the same way in every copy); null otherwise.</summary>
    public ParaSlm.Analyzer.Locality.Privatization? Privatized { get; init; }

    /// <summary>A serial loop emitted distributed into parallel loops (rebuilt the same way in every copy); null otherwise.</summary>
    public ParaSlm.Analyzer.Locality.LoopDistribution? Distributed { get; init; }

    /// <summary>Two sibling nests emitted fused as one pipeline (this loop is the first; rebuilt the same way in every copy); null otherwise.</summary>
    public ParaSlm.Analyzer.Locality.SiblingFusion? Fused { get; init; }

    /// <summary>A fused edit's fallbacks, each nest's own edit in its `else` branch (rebuilt the same way in every copy); empty otherwise.</summary>
    public IReadOnlyList<AppliedLoop> Fallbacks { get; init; } = [];

    /// <summary>A serial loop emitted in its right-looking order (rebuilt the same way in every copy); null otherwise.</summary>
    public ParaSlm.Analyzer.Locality.RightLooking? RightLooking { get; init; }

    /// <summary>Why the loop's code may not be written twice (then its cost guard stays a clause in every copy); null when it may.</summary>
    public string? NotDuplicable { get; init; }

    /// <summary>A serial loop moved inside its nests (this loop is the group's first nest), with each nest's pragma; null otherwise.</summary>
    public ParaSlm.Analyzer.Locality.SerialLoopSink? Sink { get; init; }

    public IReadOnlyList<string> SinkDirectives { get; init; } = [];

    /// <summary>Per nest of the sink group: the invariant prefix it runs once per element (null: none), and whether in the row form.</summary>
    public IReadOnlyList<ParaSlm.Analyzer.Locality.InvariantPrefix?> SinkPrefixes { get; init; } = [];

    public IReadOnlyList<bool> SinkRows { get; init; } = [];

    /// <summary>The nest's inner loops that got `#pragma omp simd`: every copy of the file rebuilds them (empty: none).</summary>
    public IReadOnlyList<ParaSlm.Analyzer.Locality.SimdSite> InnerSimd { get; init; } = [];

    /// <summary>An interchanged nest: every copy of the file swaps the same headers; null otherwise.</summary>
    public ParaSlm.Analyzer.Locality.InterchangeNest? Interchange { get; init; }

    /// <summary>A serial loop run in one parallel region (this loop is the group's first work-shared nest), with each
    /// part's directive; null otherwise.</summary>
    public ParaSlm.Analyzer.Locality.SerialLoopHoist? Hoist { get; init; }

    public IReadOnlyList<string> HoistDirectives { get; init; } = [];

    /// <summary>The nest's inner loops emitted scalar-expanded: every copy of the file rebuilds them (empty: none).</summary>
    public IReadOnlyList<ParaSlm.Analyzer.Locality.ScalarExpansion> Expansions { get; init; } = [];

    /// <summary>The nest's loops emitted unrolled and jammed (or the loop itself): every copy of the file rebuilds them (empty: none).</summary>
    public IReadOnlyList<ParaSlm.Analyzer.Locality.UnrollJam> UnrollJams { get; init; } = [];

    /// <summary>The condition under which the region runs its full team, one thread otherwise (rebuilt the same way in every
    /// copy); null for none.</summary>
    public string? TeamCondition { get; init; }

    /// <summary>The rewriter options every copy of this loop's file is made with.</summary>
    public RewriteOptions RewriteOptions => new(UserBuildHasOpenMP) { Vectorize = UserBuildVectorizes };

    /// <summary>The edit that rewrites this loop again, transforms included: every later copy (validation's variants, the
    /// report's per-loop changes) is made from it, so a new kind of edit is carried in one place.</summary>
    public LoopEdit ToEdit() => new(Line, Column, StartOffset, EndOffset, Directive, RuntimeCheck, Id)
    {
        Maps = Maps, Matmul = Matmul, Append = Append, Guarded = Guarded, Privatized = Privatized, Distributed = Distributed, Fused = Fused, RightLooking = RightLooking, NotDuplicable = NotDuplicable, Sink = Sink, SinkDirectives = SinkDirectives, SinkPrefixes = SinkPrefixes, SinkRows = SinkRows, InnerSimd = InnerSimd, Interchange = Interchange, Hoist = Hoist, HoistDirectives = HoistDirectives, Expansions = Expansions, UnrollJams = UnrollJams, TeamCondition = TeamCondition,
        Fallbacks = Fallbacks.Select(f => f.ToEdit()).ToList(),
    };
}

/// <summary>
/// A loop validation proved wrong to run in parallel: the engine leaves it serial while its text (<see cref="Hash"/>)
/// is unchanged. The evidence is what the sanitizer or the differential run showed.
/// </summary>
public sealed record RejectedLoop(string File, string Id, int Line, int Column, string Function, string Hash, string Variant, string Evidence, DateTimeOffset Rejected);

/// <summary>Per-source memory between builds, so touching one source re-processes only it.</summary>
public sealed class EngineState
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public Dictionary<string, SourceRecord> Sources { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Why the last run that planned used no model (PSLM3001's reason), kept for the report of later no-op runs.</summary>
    public string? PlannerFallback { get; set; }

    /// <summary>Loops validation rejected; they outlive the sources' records (a rejection holds until the loop's text changes).</summary>
    public List<RejectedLoop> Rejected { get; init; } = [];

    /// <summary>True when <paramref name="file"/>'s loop with this function and text hash was rejected.</summary>
    public RejectedLoop? RejectionOf(string file, string function, string hash) =>
        Rejected.FirstOrDefault(r => r.File == file && r.Function == function && r.Hash == hash);

    /// <summary>The part of a source's hash that rejections contribute: a new rejection re-processes the source.</summary>
    public string RejectionFingerprint(string file) =>
        string.Join(",", Rejected.Where(r => r.File == file).Select(r => r.Function + ":" + r.Hash).Order(StringComparer.Ordinal));

    /// <summary>
    /// A hash of a loop's own text and function: it identifies the loop across edits elsewhere in the file (ids
    /// carry line numbers, which move), and changes when the loop itself changes, which ends a rejection.
    /// </summary>
    public static string LoopHash(string function, string loopText) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(function + "\n" + loopText))).ToLowerInvariant()[..16];

    /// <summary>SHA-256 of a source text (the text the recorded edits' offsets refer to).</summary>
    public static string TextHashOf(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();

    public static EngineState Load(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<EngineState>(File.ReadAllText(path), Json) ?? new EngineState() : new EngineState();
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return new EngineState(); // a damaged state file only costs a full re-run
        }
    }

    public void Save(string path) => AtomicFile.Write(path, JsonSerializer.Serialize(this, Json));

    /// <summary>
    /// The build of every ParaSlm assembly the engine runs (module version ids): a fix in the analyzer or the planner
    /// must re-process the sources as much as one in the engine, and the package keeps its version number between builds.
    /// </summary>
    private static readonly string EngineIdentity = IdentityOf(typeof(EngineState).Assembly);

    private static string IdentityOf(Assembly root)
    {
        var seen = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>([root]);
        while (pending.Count > 0)
        {
            var a = pending.Pop();
            var name = a.GetName().Name ?? string.Empty;
            if (!seen.TryAdd(name, a.ManifestModule.ModuleVersionId.ToString())) continue;
            foreach (var r in a.GetReferencedAssemblies())
            {
                if (r.Name is null || !r.Name.StartsWith("ParaSlm.", StringComparison.Ordinal) || seen.ContainsKey(r.Name)) continue;
                try { pending.Push(Assembly.Load(r)); }
                catch (Exception e) when (e is IOException or BadImageFormatException) { seen[r.Name] = "(not loaded)"; }
            }
        }
        return string.Join(";", seen.Select(kv => kv.Key + "=" + kv.Value));
    }

    /// <summary>Hash of the engine build, the source and header bytes, the arguments and the request's settings.</summary>
    public static string HashOf(string file, IReadOnlyList<string> arguments, string settings, IReadOnlyList<string> headers)
    {
        using var sha = SHA256.Create();
        var engine = EngineIdentity;
        void Add(byte[] bytes) => sha.TransformBlock(bytes, 0, bytes.Length, null, 0);
        Add(Encoding.UTF8.GetBytes(engine + "\n" + settings + "\n" + string.Join("\u0001", arguments) + "\n"));
        Add(File.ReadAllBytes(file));
        foreach (var h in headers)
        {
            Add(Encoding.UTF8.GetBytes("\n" + h + "\n"));
            Add(File.Exists(h) ? File.ReadAllBytes(h) : Encoding.UTF8.GetBytes("(missing)"));
        }
        sha.TransformFinalBlock([], 0, 0);
        return Convert.ToHexString(sha.Hash!).ToLowerInvariant();
    }
}

/// <summary>Writes through a temporary file so a crash never leaves a half-written output.</summary>
public static class AtomicFile
{
    public static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var tmp = path + ".tmp" + Environment.ProcessId;
        File.WriteAllText(tmp, text, new UTF8Encoding(false));
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Writes only when the content differs, keeping timestamps (and downstream builds) still.</summary>
    public static bool WriteIfChanged(string path, string text)
    {
        if (File.Exists(path) && File.ReadAllText(path) == text) return false;
        Write(path, text);
        return true;
    }
}
