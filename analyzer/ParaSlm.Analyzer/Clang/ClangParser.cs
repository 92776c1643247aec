using System.Runtime.InteropServices;
using System.Text;
using ParaSlm.Analyzer.Syntax;

using ParaSlm.Analyzer.Diagnostics;

namespace ParaSlm.Analyzer.Clang;

/// <summary>Parses a C/C++ file with libclang and returns a managed copy of its syntax tree.</summary>
public sealed unsafe partial class ClangParser : IDisposable
{
    private const uint KeepGoing = 0x200;
    private readonly LibClangApi _api;
    private IntPtr _index;

    public ClangParser(LibClangLocator? locator = null)
    {
        _api = (locator ?? new LibClangLocator()).Load();
        _index = _api.CreateIndex(0, 0);
    }

    public string LibraryPath => _api.LibraryPath;

    public string ClangVersion => _api.Take(_api.GetClangVersion());

    /// <summary>Parses <paramref name="file"/> with its compile arguments (no compiler name, no source path).</summary>
    /// <exception cref="SourceParseException">The file is missing or libclang could not build an AST at all.</exception>
    public TranslationUnitSyntax Parse(string file, IReadOnlyList<string> compileArguments)
    {
        ObjectDisposedException.ThrowIf(_index == IntPtr.Zero, this);
        if (!File.Exists(file)) throw new SourceParseException(Diagnostic.Warning("PSLM0003", "no such file.", file));
        var full = Path.GetFullPath(file);
        var args = ParseArguments(compileArguments);
        var unit = ParseWith(file, full, args);
        // A GCC-only option (`-fipa-pta`, `-ftree-loop-vectorize`, `-fopt-info-vec`) is an unknown argument to libclang, an
        // error that would refuse the whole file. Such options steer GCC's optimizer or its reports, not what the source
        // means (the copy's compile check still runs the file's own compiler with them): parse again without them.
        var unknown = UnknownArguments(unit.Diagnostics);
        return unknown.Count == 0 ? unit : ParseWith(file, full, [.. args.Where(a => !unknown.Contains(a))]);
    }

    /// <summary>The arguments libclang's driver did not know (<see cref="UnknownDriverArgument"/>): errors with no place in the source.</summary>
    internal static HashSet<string> UnknownArguments(IEnumerable<ClangDiagnostic> diagnostics) =>
        UnknownDriverArgument.All(diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Error && d.File.Length == 0).Select(d => d.Message));

    private TranslationUnitSyntax ParseWith(string file, string full, string[] args)
    {
        var tu = IntPtr.Zero;
        int err;
        var handles = new List<GCHandle>();
        try
        {
            var argPtrs = new IntPtr[args.Length];
            for (var i = 0; i < args.Length; i++) argPtrs[i] = Marshal.StringToCoTaskMemUTF8(args[i]);
            var filePtr = Marshal.StringToCoTaskMemUTF8(full);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                fixed (IntPtr* argv = argPtrs)
                {
                    err = _api.ParseTranslationUnit2(_index, (byte*)filePtr, (byte**)argv, args.Length, IntPtr.Zero, 0, KeepGoing, &tu);
                }
            }
            finally
            {
                Marshal.FreeCoTaskMem(filePtr);
                foreach (var p in argPtrs) Marshal.FreeCoTaskMem(p);
            }
            var parseTime = clock.Elapsed;
            if (err != 0 || tu == IntPtr.Zero)
                throw new SourceParseException(Diagnostic.Warning("PSLM0004", $"libclang could not parse the file (error {err}); check the compile arguments.", file));

            var diagnostics = ReadDiagnostics(tu);
            var builder = new TreeBuilder(_api, tu, full);
            var root = builder.Build();
            string text;
            byte[] bytes;
            try { bytes = File.ReadAllBytes(full); text = File.ReadAllText(full); } catch (IOException) { bytes = []; text = string.Empty; }
            root.SourceText = text;
            root.CharIndexOfByte = SourceText.ByteToCharMap(bytes, text);
            return new TranslationUnitSyntax(full, root, builder.FunctionDefinitions, diagnostics, text)
            {
                LibClangParseTime = parseTime,
                IncludedFiles = UserInclusions(tu, full),
            };
        }
        finally
        {
            foreach (var h in handles) h.Free();
            if (tu != IntPtr.Zero) _api.DisposeTranslationUnit(tu);
        }
    }

    /// <summary>
    /// The arguments libclang parses with: the file's own, except that an OpenMP switch becomes `-D_OPENMP=201511`.
    /// The preprocessor then sees what the compiler sees (`#ifdef _OPENMP` code is active exactly when the build enables
    /// OpenMP), while the AST keeps every loop as a plain statement: with -fopenmp, libclang would hide a loop under an
    /// existing `#pragma omp` inside a captured statement. Existing pragmas are read from the source text instead
    /// (<see cref="Loops.SourcePragmas"/>).
    /// </summary>
    public static string[] ParseArguments(IReadOnlyList<string> compileArguments)
    {
        // First, so a user's own -Werror=… still wins: C that GCC (≤ 13, the compilers these builds use) accepts with a
        // warning but clang ≥ 16 rejects by default (K&R `main()` without a type, a call to an undeclared function,
        // int/pointer conversions: classic benchmark code, NPB's C versions). Parsed as GCC compiles it; an undeclared
        // callee has no body and stays an unknown call.
        var args = new List<string>(compileArguments.Count + GccLeniency.Length + 3);
        args.AddRange(GccLeniency);
        var openmp = false;
        foreach (var a in compileArguments)
        {
            if (IsOpenMPSwitch(a)) { openmp = true; continue; }
            if (a == "-fno-openmp") { openmp = false; continue; }
            // MSVC's floating-point model (a .vcxproj's FloatingPointModel) matters to planning, not to parsing.
            if (a.StartsWith("/fp:", StringComparison.Ordinal) || a.StartsWith("-fp:", StringComparison.Ordinal)) continue;
            args.Add(a);
        }
        // 201511 is OpenMP 4.5, what GCC 12 defines; code tests `#if _OPENMP >= …` against such versions.
        if (openmp) args.Add("-D_OPENMP=201511");
        args.Add("-Wno-unknown-pragmas");
        // Last, after the file's own flags: a blanket -Werror must not fail the parse on what only clang warns about
        // (a GCC-only `-Wlogical-op` is clang's unknown-warning-option, and clang's -Wall differs from GCC's). Whether a
        // warning fails the build is the file's own compiler's call, and the compile check of every copy asks it. A
        // specific `-Werror=…` stays an error (clang keeps those through -Wno-error).
        args.Add("-Wno-error");
        return [.. args];
    }

    // Clang's errors-by-default that GCC 12 accepts with a warning or silently. C: K&R code, undeclared calls,
    // int/pointer mixes, `return;` in a non-void function (return-mismatch, clang ≥ 18). C++: `v.template f(…)` without
    // template arguments (clang ≥ 19; miniBUDE), `register` in C++17, a non-constant narrowing in braces, an enum
    // constant outside its range. An older libclang does not know the newer names: -Wno-unknown-warning-option first.
    private static readonly string[] GccLeniency =
    [
        "-Wno-unknown-warning-option",
        "-Wno-error=implicit-int", "-Wno-error=implicit-function-declaration", "-Wno-error=int-conversion",
        "-Wno-error=incompatible-function-pointer-types", "-Wno-error=return-type", "-Wno-error=return-mismatch",
        "-Wno-error=missing-template-arg-list-after-template-kw", "-Wno-error=register", "-Wno-error=c++11-narrowing",
        "-Wno-error=enum-constexpr-conversion",
    ];

    /// <summary>Whether the file's compile arguments enable OpenMP (the last of `-fopenmp`/`-fno-openmp` wins).</summary>
    public static bool EnablesOpenMP(IReadOnlyList<string> compileArguments)
    {
        var openmp = false;
        foreach (var a in compileArguments)
        {
            if (IsOpenMPSwitch(a)) openmp = true;
            else if (a == "-fno-openmp") openmp = false;
        }
        return openmp;
    }

    /// <summary>
    /// Whether the file is built with strict aliasing, so that accesses through unrelated types cannot name the same
    /// memory. -fno-strict-aliasing (the last of -f[no-]strict-aliasing wins) makes such accesses defined (CPython, the
    /// Linux kernel, many codecs build so), and a program may then read an int64 buffer as int32 through another pointer:
    /// types prove nothing there. Kept on otherwise, as the C and C++ standards give it.
    /// </summary>
    public static bool StrictAliasing(IReadOnlyList<string> compileArguments)
    {
        var strict = true;
        foreach (var a in compileArguments)
        {
            if (a == "-fno-strict-aliasing") strict = false;
            else if (a == "-fstrict-aliasing") strict = true;
        }
        return strict;
    }

    /// <summary>Whether a compile argument turns OpenMP on (GCC/Clang, Intel, MSVC spellings).</summary>
    public static bool IsOpenMPSwitch(string a) =>
        a is "-fopenmp" or "-qopenmp" or "-fiopenmp" or "-openmp" or "/openmp" or "-openmp:llvm" or "/openmp:llvm" or "/openmp:experimental" or "-Xclang=-fopenmp" ||
        a.StartsWith("-fopenmp=", StringComparison.Ordinal);

    /// <summary>Headers the file includes directly or indirectly, outside system headers (they decide the analysis too).</summary>
    private IReadOnlyList<string> UserInclusions(IntPtr tu, string mainFile)
    {
        var collector = new InclusionCollector(_api);
        var handle = GCHandle.Alloc(collector);
        try
        {
            _api.GetInclusions(tu, (IntPtr)(delegate* unmanaged<IntPtr, CXSourceLocation*, uint, IntPtr, void>)&OnInclusion, GCHandle.ToIntPtr(handle));
        }
        finally
        {
            handle.Free();
        }
        return collector.Files.Where(f => !string.Equals(f, mainFile, StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    [UnmanagedCallersOnly]
    private static void OnInclusion(IntPtr file, CXSourceLocation* stack, uint depth, IntPtr data)
    {
        var collector = (InclusionCollector)GCHandle.FromIntPtr(data).Target!;
        // The include site decides: a header included from a system header is itself a system header.
        if (depth > 0 && collector.Api.LocationIsInSystemHeader(stack[0]) != 0) return;
        // The real path, as the file system resolves it: a spelled path such as `…/12/../../../../include/c++/12/math.h`
        // normalizes lexically to a file that does not exist, and a missing Input makes every build re-run the engine.
        var real = collector.Api.Take(collector.Api.FileRealPathName(file));
        var name = real.Length > 0 ? real : collector.Api.Take(collector.Api.GetFileName(file));
        if (name.Length == 0) return;
        var full = Path.GetFullPath(name);
        if (!IsSystemPath(full) && File.Exists(full)) collector.Files.Add(full);
    }

    private static bool IsSystemPath(string path) =>
        path.StartsWith("/usr/include/", StringComparison.Ordinal) || path.StartsWith("/usr/lib/", StringComparison.Ordinal) ||
        path.StartsWith("/usr/local/include/", StringComparison.Ordinal);

    private sealed class InclusionCollector(LibClangApi api)
    {
        public LibClangApi Api { get; } = api;
        public List<string> Files { get; } = [];
    }

    private List<ClangDiagnostic> ReadDiagnostics(IntPtr tu)
    {
        var list = new List<ClangDiagnostic>();
        var n = _api.GetNumDiagnostics(tu);
        for (uint i = 0; i < n; i++)
        {
            var d = _api.GetDiagnostic(tu, i);
            try
            {
                var sev = (DiagnosticSeverity)_api.GetDiagnosticSeverity(d);
                var loc = _api.GetDiagnosticLocation(d);
                IntPtr f; uint line, col, off;
                _api.GetExpansionLocation(loc, &f, &line, &col, &off);
                var fileName = f == IntPtr.Zero ? string.Empty : _api.Take(_api.GetFileName(f));
                var msg = _api.Take(_api.GetDiagnosticSpelling(d));
                var formatted = _api.Take(_api.FormatDiagnostic(d, 0x3));
                list.Add(new ClangDiagnostic(sev, fileName, (int)line, (int)col, msg, formatted));
            }
            finally
            {
                _api.DisposeDiagnostic(d);
            }
        }
        return list;
    }

    public void Dispose()
    {
        if (_index != IntPtr.Zero)
        {
            _api.DisposeIndex(_index);
            _index = IntPtr.Zero;
        }
    }

    /// <summary>Walks the cursor tree once, copying what the analyzer needs.</summary>
    private sealed class TreeBuilder(LibClangApi api, IntPtr tu, string mainFile)
    {
        private readonly Dictionary<IntPtr, string> _fileNames = [];
        private readonly Dictionary<string, DeclInfo> _decls = new(StringComparer.Ordinal);
        private readonly Dictionary<string, TypeInfo> _types = new(StringComparer.Ordinal);
        private readonly Dictionary<string, SyntaxNode> _functions = new(StringComparer.Ordinal);
        private readonly Stack<SyntaxNode> _parents = new();
        private readonly HashSet<SourceSpan> _records = [];
        private Exception? _failure;

        public IReadOnlyDictionary<string, SyntaxNode> FunctionDefinitions => _functions;

        public SyntaxNode Build()
        {
            var rootCursor = api.GetTranslationUnitCursor(tu);
            var root = new SyntaxNode(NodeKind.TranslationUnit, CursorKinds.TranslationUnit, mainFile,
                new SourceSpan(mainFile, 1, 1, 0, int.MaxValue, 1, int.MaxValue), true);
            _parents.Push(root);
            VisitChildrenOf(rootCursor);
            if (_failure is not null) throw new SourceParseException(Diagnostic.Warning("PSLM0004", $"internal error while reading the AST: {_failure.Message}", mainFile));
            return root;
        }

        private void VisitChildrenOf(CXCursor cursor)
        {
            var handle = GCHandle.Alloc(this);
            try
            {
                api.VisitChildren(cursor, (IntPtr)(delegate* unmanaged<CXCursor, CXCursor, IntPtr, int>)&Visit, GCHandle.ToIntPtr(handle));
            }
            finally
            {
                handle.Free();
            }
        }

        [UnmanagedCallersOnly]
        private static int Visit(CXCursor cursor, CXCursor parent, IntPtr data)
        {
            var self = (TreeBuilder)GCHandle.FromIntPtr(data).Target!;
            try
            {
                return self.OnVisit(cursor);
            }
            catch (Exception e)
            {
                self._failure ??= e;
                return 0; // CXChildVisit_Break
            }
        }

        private int OnVisit(CXCursor cursor)
        {
            const int Continue = 1;
            if (_failure is not null) return 0;
            var kind = api.GetCursorKind(cursor);
            if (kind is >= CursorKinds.FirstAttr and <= CursorKinds.LastAttr || kind >= 500) return Continue;
            var parent = _parents.Peek();
            var loc = api.GetCursorLocation(cursor);
            // System headers are summarized by name (libm, the standard library); their bodies are never walked.
            if (parent.Kind == NodeKind.TranslationUnit && api.LocationIsInSystemHeader(loc) != 0) return Continue;
            // `struct S { … } s;` declares a record and a variable at once: libclang visits the record's definition as a
            // declaration of its own and again as a child of the variable. Walked once, each `for` of its methods is one
            // loop (one id), as the contract says.
            if (kind is CursorKinds.StructDecl or CursorKinds.UnionDecl or CursorKinds.ClassDecl && api.IsCursorDefinition(cursor) != 0
                && !_records.Add(SpanOf(api.GetCursorExtent(cursor))))
                return Continue;

            var node = CreateNode(cursor, kind, loc);
            parent.Add(node);
            _parents.Push(node);
            VisitChildrenOf(cursor);
            _parents.Pop();
            Complete(cursor, node);
            return Continue;
        }

        private SyntaxNode CreateNode(CXCursor cursor, int kind, CXSourceLocation loc)
        {
            var span = SpanOf(api.GetCursorExtent(cursor));
            var inMain = api.LocationIsFromMainFile(loc) != 0;
            var nodeKind = Map(kind);
            var spelling = api.Take(api.GetCursorSpelling(cursor));
            var node = new SyntaxNode(nodeKind, kind, spelling, span, inMain);

            if (kind is >= 100 and < 200) node.Type = TypeOf(api.GetCursorType(cursor), 3);
            switch (nodeKind)
            {
                case NodeKind.Binary:
                case NodeKind.CompoundAssign:
                    node.BinaryOp = (BinaryOp)api.GetBinaryOperatorKind(cursor);
                    break;
                case NodeKind.Unary:
                    node.UnaryOp = (UnaryOp)api.GetUnaryOperatorKind(cursor);
                    break;
                case NodeKind.IntLiteral:
                case NodeKind.CharLiteral:
                case NodeKind.SizeOf:
                    node.IntValue = EvaluateInt(cursor);
                    break;
                case NodeKind.VarDecl:
                case NodeKind.ParmDecl:
                case NodeKind.FieldDecl:
                case NodeKind.FunctionDecl:
                case NodeKind.FunctionTemplate:
                    node.Decl = DeclOf(cursor);
                    node.Type = node.Decl.Type;
                    if (nodeKind is NodeKind.FunctionDecl or NodeKind.FunctionTemplate && api.IsCursorDefinition(cursor) != 0)
                        _functions.TryAdd(node.Decl.Key, node);
                    break;
                case NodeKind.DeclRef:
                case NodeKind.MemberRef:
                case NodeKind.Call:
                case NodeKind.OverloadedDeclRef:
                    var referenced = api.GetCursorReferenced(cursor);
                    if (api.CursorIsNull(referenced) == 0)
                    {
                        node.Decl = DeclOf(referenced);
                        if (node.Decl.Kind == DeclKind.EnumConstant ||
                            (node.Decl.Type.IsConst && node.Decl.Type.IsIntegral && node.Decl.Kind == DeclKind.Variable))
                            node.IntValue = EvaluateInt(cursor);
                    }
                    break;
            }
            return node;
        }

        private void Complete(CXCursor cursor, SyntaxNode node)
        {
            if (node.Kind == NodeKind.For) node.For = ForPartsOf(cursor, node);
            if (node.Kind == NodeKind.MemberRef && node.Children.Count > 0) node.IsArrow = node.Children[0].Type.IsPointer;
        }

        private long? EvaluateInt(CXCursor cursor)
        {
            var r = api.CursorEvaluate(cursor);
            if (r == IntPtr.Zero) return null;
            try
            {
                return api.EvalResultGetKind(r) == 1 ? api.EvalResultGetAsLongLong(r) : null;
            }
            finally
            {
                api.EvalResultDispose(r);
            }
        }

        private ForParts? ForPartsOf(CXCursor cursor, SyntaxNode node)
        {
            // libclang omits absent parts, so a child's role is read off its position between `(`, `;`, `;` and `)`.
            CXToken* tokens = null;
            uint count = 0;
            api.Tokenize(tu, api.GetCursorExtent(cursor), &tokens, &count);
            int semi1 = -1, semi2 = -1, close = -1;
            try
            {
                var depth = 0;
                for (uint i = 0; i < count && close < 0; i++)
                {
                    var text = api.Take(api.GetTokenSpelling(tu, tokens[i]));
                    switch (text)
                    {
                        case "(" or "[" or "{": depth++; break;
                        case ")" or "]" or "}":
                            depth--;
                            if (depth == 0) close = OffsetOf(tokens[i]);
                            break;
                        case ";" when depth == 1:
                            if (semi1 < 0) semi1 = OffsetOf(tokens[i]); else semi2 = OffsetOf(tokens[i]);
                            break;
                    }
                }
            }
            finally
            {
                if (tokens != null) api.DisposeTokens(tu, tokens, count);
            }

            var kids = node.Children;
            if (semi1 < 0 || semi2 < 0 || close < 0)
                return kids.Count == 4 ? new ForParts(kids[0], kids[1], kids[2], kids[3]) : null;
            SyntaxNode? init = null, cond = null, inc = null, body = null;
            foreach (var k in kids)
            {
                var at = k.Span.Offset;
                if (at < semi1) init = k;
                else if (at < semi2) cond = k;
                else if (at < close) inc = k;
                else body = k;
            }
            return new ForParts(init, cond, inc, body);
        }

        private int OffsetOf(CXToken token)
        {
            var loc = api.GetRangeStart(api.GetTokenExtent(tu, token));
            IntPtr f; uint line, col, off;
            api.GetExpansionLocation(loc, &f, &line, &col, &off);
            return (int)off;
        }

        private SourceSpan SpanOf(CXSourceRange range)
        {
            IntPtr f1, f2; uint l1, c1, o1, l2, c2, o2;
            api.GetExpansionLocation(api.GetRangeStart(range), &f1, &l1, &c1, &o1);
            api.GetExpansionLocation(api.GetRangeEnd(range), &f2, &l2, &c2, &o2);
            return new SourceSpan(FileName(f1), (int)l1, (int)c1, (int)o1, (int)l2, (int)c2, (int)o2);
        }

        private readonly Dictionary<string, IReadOnlySet<string>> _threadPrivate = new(StringComparer.Ordinal);

        /// <summary>Named by a `#pragma omp threadprivate` of the declaring file or of the main file (the parse ignores the pragma).</summary>
        private bool IsThreadPrivate(string declFile, string name) =>
            ThreadPrivateIn(declFile).Contains(name) || ThreadPrivateIn(mainFile).Contains(name);

        private IReadOnlySet<string> ThreadPrivateIn(string file)
        {
            if (file.Length == 0) return new HashSet<string>();
            if (!_threadPrivate.TryGetValue(file, out var names))
            {
                string text;
                try { text = File.ReadAllText(file); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { text = string.Empty; }
                names = ThreadPrivateDirectives.Names(text);
                _threadPrivate[file] = names;
            }
            return names;
        }

        private string FileName(IntPtr file)
        {
            if (file == IntPtr.Zero) return string.Empty;
            if (!_fileNames.TryGetValue(file, out var name))
            {
                name = api.Take(api.GetFileName(file));
                _fileNames[file] = name;
            }
            return name;
        }

        private DeclInfo DeclOf(CXCursor cursor)
        {
            var usr = api.Take(api.GetCursorUsr(cursor));
            var loc = api.GetCursorLocation(cursor);
            IntPtr f; uint line, col, off;
            api.GetExpansionLocation(loc, &f, &line, &col, &off);
            var key = usr.Length > 0 ? usr : $"{FileName(f)}@{off}";
            if (_decls.TryGetValue(key, out var known)) return known;

            var kind = api.GetCursorKind(cursor);
            var name = api.Take(api.GetCursorSpelling(cursor));
            var declKind = kind switch
            {
                CursorKinds.VarDecl => DeclKind.Variable,
                CursorKinds.ParmDecl => DeclKind.Parameter,
                CursorKinds.FieldDecl => DeclKind.Field,
                CursorKinds.FunctionDecl or CursorKinds.FunctionTemplate => DeclKind.Function,
                CursorKinds.CXXMethod or CursorKinds.Constructor or CursorKinds.Destructor or CursorKinds.ConversionFunction => DeclKind.Method,
                7 => DeclKind.EnumConstant,
                _ => DeclKind.Other,
            };
            var type = TypeOf(api.GetCursorType(cursor), 3);
            var semanticParent = api.GetCursorSemanticParent(cursor);
            var parentKind = api.CursorIsNull(semanticParent) == 0 ? api.GetCursorKind(semanticParent) : 0;
            var storage = api.CursorGetStorageClass(cursor);
            var isGlobal = declKind == DeclKind.Variable &&
                (storage is 2 or 3 || parentKind is CursorKinds.TranslationUnit or CursorKinds.Namespace
                    or CursorKinds.StructDecl or CursorKinds.ClassDecl or CursorKinds.ClassTemplate);
            var decl = new DeclInfo(key, name, QualifiedName(cursor, name), declKind, type, isGlobal,
                api.LocationIsInSystemHeader(loc) != 0,
                new SourceSpan(FileName(f), (int)line, (int)col, (int)off, (int)line, (int)col, (int)off))
            {
                InUnion = declKind == DeclKind.Field && parentKind == CursorKinds.UnionDecl,
                IsThreadLocal = declKind == DeclKind.Variable && (api.GetCursorTlsKind != null && api.GetCursorTlsKind(cursor) != 0 ||
                    isGlobal && IsThreadPrivate(FileName(f), name)),
                IsStatic = declKind == DeclKind.Variable && storage == 3,
                IsInternalFunction = declKind == DeclKind.Function && storage == 3,
                IsPublic = api.GetCxxAccessSpecifier(cursor) is not (2 or 3),
            };
            _decls[key] = decl;
            return decl;
        }

        private string QualifiedName(CXCursor cursor, string name)
        {
            var parts = new List<string> { name };
            var p = api.GetCursorSemanticParent(cursor);
            for (var guard = 0; guard < 12 && api.CursorIsNull(p) == 0; guard++)
            {
                var k = api.GetCursorKind(p);
                if (k is not (CursorKinds.Namespace or CursorKinds.StructDecl or CursorKinds.ClassDecl or CursorKinds.UnionDecl
                    or CursorKinds.ClassTemplate or CursorKinds.ClassTemplatePartialSpecialization)) break;
                var s = api.Take(api.GetCursorSpelling(p));
                if (s.Length > 0 && !s.StartsWith("__", StringComparison.Ordinal)) parts.Add(s);
                p = api.GetCursorSemanticParent(p);
            }
            parts.Reverse();
            return string.Join("::", parts);
        }

        private TypeInfo TypeOf(CXType type, int depth)
        {
            if (type.Kind == TypeKinds.Invalid) return TypeInfo.Unknown;
            var spelling = api.Take(api.GetTypeSpelling(type));
            var canonical = api.GetCanonicalType(type);
            var isRef = canonical.Kind is TypeKinds.LValueReference or TypeKinds.RValueReference;
            if (isRef) canonical = api.GetCanonicalType(api.GetNonReferenceType(canonical));
            var canonicalSpelling = api.Take(api.GetTypeSpelling(canonical));
            var key = $"{depth}|{isRef}|{spelling}|{canonicalSpelling}";
            if (_types.TryGetValue(key, out var cached)) return cached;

            var k = canonical.Kind;
            var isAtomic = k == TypeKinds.Atomic;
            TypeInfo? element = null;
            long length = -1;
            TypeShape shape;
            if (k is TypeKinds.Pointer or TypeKinds.BlockPointer)
            {
                shape = TypeShape.Pointer;
                if (depth > 0) element = TypeOf(api.GetPointeeType(canonical), depth - 1);
            }
            else if (k is TypeKinds.ConstantArray or TypeKinds.IncompleteArray or TypeKinds.VariableArray or TypeKinds.DependentSizedArray)
            {
                shape = TypeShape.Array;
                length = k == TypeKinds.ConstantArray ? api.GetArraySize(canonical) : -1;
                if (depth > 0) element = TypeOf(api.GetArrayElementType(canonical), depth - 1);
            }
            else if (isAtomic)
            {
                shape = TypeShape.Scalar;
                if (depth > 0) element = TypeOf(api.GetValueType(canonical), depth - 1);
            }
            else if (k == TypeKinds.Record) shape = TypeShape.Record;
            else if (k is >= TypeKinds.FirstBuiltin and <= TypeKinds.LastBuiltin or TypeKinds.Enum) shape = TypeShape.Scalar;
            else if (k == TypeKinds.Unexposed) shape = TypeShape.Dependent;
            else shape = TypeShape.Other;

            var isFloat = k is TypeKinds.Float or TypeKinds.Double or TypeKinds.LongDouble or 30 or 31 or 32;
            var isIntegral = k is >= 3 and <= 20 || k == TypeKinds.Enum;
            var info = new TypeInfo(spelling, canonicalSpelling, shape, isRef,
                api.IsConstQualifiedType(canonical) != 0, api.IsVolatileQualifiedType(canonical) != 0,
                api.IsRestrictQualifiedType(canonical) != 0, isAtomic, isFloat, isIntegral, length, element);
            _types[key] = info;
            return info;
        }

        private static NodeKind Map(int kind) => kind switch
        {
            CursorKinds.Namespace => NodeKind.Namespace,
            CursorKinds.StructDecl or CursorKinds.ClassDecl or CursorKinds.UnionDecl or CursorKinds.ClassTemplate
                or CursorKinds.ClassTemplatePartialSpecialization => NodeKind.Record,
            CursorKinds.FunctionDecl or CursorKinds.CXXMethod or CursorKinds.Constructor or CursorKinds.Destructor
                or CursorKinds.ConversionFunction => NodeKind.FunctionDecl,
            CursorKinds.FunctionTemplate => NodeKind.FunctionTemplate,
            CursorKinds.VarDecl => NodeKind.VarDecl,
            CursorKinds.ParmDecl => NodeKind.ParmDecl,
            CursorKinds.FieldDecl => NodeKind.FieldDecl,
            CursorKinds.DeclRefExpr => NodeKind.DeclRef,
            CursorKinds.MemberRefExpr => NodeKind.MemberRef,
            CursorKinds.CallExpr => NodeKind.Call,
            CursorKinds.IntegerLiteral => NodeKind.IntLiteral,
            CursorKinds.FloatingLiteral => NodeKind.FloatLiteral,
            CursorKinds.StringLiteral => NodeKind.StringLiteral,
            CursorKinds.CharacterLiteral => NodeKind.CharLiteral,
            CursorKinds.CXXBoolLiteralExpr => NodeKind.BoolLiteral,
            CursorKinds.CXXNullPtrLiteralExpr => NodeKind.NullPtrLiteral,
            CursorKinds.ParenExpr => NodeKind.Paren,
            CursorKinds.UnaryOperator => NodeKind.Unary,
            CursorKinds.ArraySubscriptExpr => NodeKind.Subscript,
            CursorKinds.BinaryOperator => NodeKind.Binary,
            CursorKinds.CompoundAssignOperator => NodeKind.CompoundAssign,
            CursorKinds.ConditionalOperator => NodeKind.Conditional,
            CursorKinds.CStyleCastExpr or CursorKinds.CXXStaticCastExpr or CursorKinds.CXXFunctionalCastExpr
                or CursorKinds.CXXConstCastExpr or CursorKinds.CXXReinterpretCastExpr or CursorKinds.CXXDynamicCastExpr => NodeKind.Cast,
            CursorKinds.InitListExpr => NodeKind.InitList,
            CursorKinds.LambdaExpr => NodeKind.Lambda,
            CursorKinds.CXXNewExpr => NodeKind.New,
            CursorKinds.CXXDeleteExpr => NodeKind.Delete,
            CursorKinds.CXXThrowExpr => NodeKind.Throw,
            CursorKinds.CXXThisExpr => NodeKind.This,
            CursorKinds.UnaryExpr => NodeKind.SizeOf,
            CursorKinds.StmtExpr => NodeKind.StmtExpr,
            CursorKinds.UnexposedExpr => NodeKind.Unexposed,
            CursorKinds.CompoundStmt => NodeKind.Compound,
            CursorKinds.IfStmt => NodeKind.If,
            CursorKinds.SwitchStmt => NodeKind.Switch,
            CursorKinds.CaseStmt => NodeKind.Case,
            CursorKinds.DefaultStmt => NodeKind.Default,
            CursorKinds.WhileStmt => NodeKind.While,
            CursorKinds.DoStmt => NodeKind.Do,
            CursorKinds.ForStmt => NodeKind.For,
            CursorKinds.CXXForRangeStmt => NodeKind.RangeFor,
            CursorKinds.GotoStmt => NodeKind.Goto,
            CursorKinds.IndirectGotoStmt => NodeKind.IndirectGoto,
            CursorKinds.ContinueStmt => NodeKind.Continue,
            CursorKinds.BreakStmt => NodeKind.Break,
            CursorKinds.ReturnStmt => NodeKind.Return,
            CursorKinds.GCCAsmStmt or CursorKinds.MSAsmStmt => NodeKind.Asm,
            CursorKinds.LabelStmt => NodeKind.Label,
            CursorKinds.NullStmt => NodeKind.Null,
            CursorKinds.DeclStmt => NodeKind.DeclStmt,
            CursorKinds.CXXTryStmt => NodeKind.Try,
            CursorKinds.CXXCatchStmt => NodeKind.Catch,
            CursorKinds.TypeRef => NodeKind.TypeRef,
            CursorKinds.TemplateRef => NodeKind.TemplateRef,
            CursorKinds.OverloadedDeclRef => NodeKind.OverloadedDeclRef,
            CursorKinds.UnexposedStmt => NodeKind.Unexposed,
            >= CursorKinds.FirstOpenMP and <= CursorKinds.LastOpenMP => NodeKind.OpenMPDirective,
            _ => NodeKind.Other,
        };
    }
}
