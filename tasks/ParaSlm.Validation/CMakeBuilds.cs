using System.ComponentModel;
using ParaSlm.Analyzer.Generation;

namespace ParaSlm.Validation;

/// <summary>Where the CMake project and its trees are (the build integration passes the folders it uses).</summary>
/// <param name="VariantRoot">Parent of the variant trees `paraslm-asan` and `paraslm-tsan` (default: `&lt;source&gt;/build`).</param>
/// <param name="WorkDir">Where each variant's sources and inject script go (`&lt;intermediate&gt;/validate`).</param>
/// <param name="InjectLogic">targets/cmake/ParaSlmInject.cmake: the same inject logic as the parallel build.</param>
public sealed record CMakeSettings(
    string SourceDir,
    string SerialDir,
    string ParallelDir,
    string VariantRoot,
    string WorkDir,
    string CMake,
    string InjectLogic,
    IReadOnlyList<string> UserArguments,
    string? BuildType,
    string? Generator)
{
    /// <summary>The package's targets/cmake/ParaSlmInject.cmake (tools/engine/../../targets), or the repository's.</summary>
    public static string? FindInjectLogic()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "targets", "cmake", "ParaSlmInject.cmake");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}

/// <summary>
/// Validation builds of a CMake project: each variant in its own tree (`build/paraslm-asan`, `build/paraslm-tsan`),
/// configured with the same inject script as the parallel build but a source map of its own, so that a probe is
/// "rewrite the copies for this subset, `cmake --build`". The serial tree and the parallel tree are the build
/// integration's; validation only builds them (both are no-ops when they are current).
/// </summary>
/// <remarks>
/// ASan+UBSan uses the project's own compiler; TSan uses clang with the LLVM OpenMP runtime, because TSan cannot see
/// libgomp's synchronization (false reports), and Archer (OMP_TOOL_LIBRARIES) tells it about OpenMP's.
/// </remarks>
public sealed class CMakeBuilds : IValidationBuilds
{
    private readonly CMakeSettings _settings;
    private readonly ValidationOptions _options;
    private readonly IReadOnlyList<ValidationLoop> _loops;
    private readonly IReadOnlyDictionary<string, string?> _textHashes;
    private readonly Action<string> _progress;
    private readonly Dictionary<string, string> _cache;
    private readonly string? _compilerId;
    private readonly string? _asanSymbolizer;
    private readonly string _ctest;
    private IReadOnlyList<(string Name, string RelativePath)> _executables = [];
    private IReadOnlyDictionary<string, IReadOnlyList<string>> _programSources = new Dictionary<string, IReadOnlyList<string>>();
    private (string C, string Cxx, string Archer, string? Symbolizer)? _clang;
    private string? _clangProblem;
    private readonly Action<Diagnostic> _report;
    private IReadOnlyList<string>? _leftOutOfTsan;

    public CMakeBuilds(CMakeSettings settings, ValidationOptions options, IReadOnlyList<ValidationLoop> loops, IReadOnlyDictionary<string, string?> textHashes,
        Action<string> progress, Action<Diagnostic>? report = null)
    {
        _settings = settings;
        _report = report ?? (_ => { });
        _options = options;
        _loops = loops;
        _textHashes = textHashes;
        _progress = progress;
        var cacheFile = Path.Combine(settings.SerialDir, "CMakeCache.txt");
        if (!File.Exists(cacheFile))
            throw new ValidationException("PSLM5006", $"the serial reference tree {settings.SerialDir} is not configured (no CMakeCache.txt); validation compares with it. Build with ParaSlmCMakeBuildSerial=true, or configure it yourself");
        _cache = ReadCache(cacheFile);
        _compilerId = CompilerId(settings.SerialDir, "C") ?? CompilerId(settings.SerialDir, "CXX");
        // Found once: Environment() is asked for every probe.
        _asanSymbolizer = Symbolizer.Beside(_compilerId is "Clang" && Cache("CMAKE_C_COMPILER") is { } own && File.Exists(own) ? own : null);
        var sibling = Path.Combine(Path.GetDirectoryName(settings.CMake) ?? string.Empty, OperatingSystem.IsWindows() ? "ctest.exe" : "ctest");
        _ctest = File.Exists(sibling) ? sibling : "ctest";
    }

    private string? BuildType => _settings.BuildType ?? Cache("CMAKE_BUILD_TYPE");
    private bool IsMsvc => _compilerId is "MSVC" || Cache("CMAKE_C_COMPILER_FRONTEND_VARIANT") == "MSVC";

    public string TreeOf(string variant) => Path.Combine(_settings.VariantRoot, "paraslm-" + variant);

    public string? Unavailable(string variant)
    {
        if (variant == "asan") return null;
        if (variant != "tsan") return $"unknown variant '{variant}'";
        if (OperatingSystem.IsWindows() || IsMsvc)
            return "ThreadSanitizer does not exist for MSVC or on Windows, so data races are not checked here; they are on the clang/gcc path (Linux, macOS)";
        ResolveClang();
        return _clangProblem;
    }

    public IReadOnlyDictionary<string, string?> Environment(string variant) => variant == "tsan"
        ? new Dictionary<string, string?>
        {
            // Without Archer, TSan sees none of the OpenMP runtime's synchronization and reports races that are not there.
            ["OMP_TOOL_LIBRARIES"] = _clang?.Archer,
            ["TSAN_OPTIONS"] = "ignore_noninstrumented_modules=1:halt_on_error=1:report_signal_unsafe=0" + SymbolizerOption(_clang?.Symbolizer),
        }
        : new Dictionary<string, string?>
        {
            // Leaks are not a parallelization fault; UBSan reports and goes on, so reports the serial code already has are sorted out later.
            ["ASAN_OPTIONS"] = "detect_leaks=0:halt_on_error=1:abort_on_error=0" + SymbolizerOption(_asanSymbolizer),
            ["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=0" + SymbolizerOption(_asanSymbolizer),
        };

    // A sanitizer runtime only symbolizes with an llvm-symbolizer it can talk to; the one on PATH may be an older LLVM's
    // (Debian's /usr/bin/llvm-symbolizer is LLVM 14), and then evidence reads `app+0x…` instead of file:line.
    private static string SymbolizerOption(string? symbolizer) => symbolizer is null ? string.Empty : ":external_symbolizer_path=" + symbolizer;

    public async Task<IReadOnlyList<TestCase>> SerialTestsAsync(CancellationToken cancel)
    {
        var built = await BuildTreeAsync(_settings.SerialDir, cancel);
        if (built is not null) throw new ValidationException("PSLM5006", $"the serial reference build in {_settings.SerialDir} failed: {built}");
        return await TestsOfAsync(_settings.SerialDir, cancel);
    }

    public async Task<VariantBuild> BuildAsync(string variant, IReadOnlyList<ValidationLoop> loops, CancellationToken cancel)
    {
        var work = Path.Combine(_settings.WorkDir, variant);
        VariantSources.Write(work, _loops, loops, _textHashes);
        var tree = TreeOf(variant);
        var configured = await ConfigureAsync(variant, work, tree, cancel);
        if (configured is not null) return new VariantBuild([], configured);
        var built = await BuildTreeAsync(tree, cancel);
        if (built is not null) return new VariantBuild([], built);
        // The trees are configured alike, so the serial and the parallel tree have the same executables at the same paths.
        _executables = TestDiscovery.Executables(tree, BuildType);
        // The tree compiles the probe's copies; the loops are named by the user's files.
        var copies = _loops.Select(l => l.File).Distinct(StringComparer.Ordinal)
            .ToDictionary(f => TestScope.Normalize(Engine.ApplyEngine.OutputPathFor(work, f)), f => f, StringComparer.Ordinal);
        _programSources = ProgramSources.Of(tree, BuildType, copies);
        return new VariantBuild(await TestsOfAsync(tree, cancel), null);
    }

    /// <summary>Rebuilds the parallel tree (its source map changed when loops were reverted) and returns its tests.</summary>
    public async Task<VariantBuild> BuildFinalAsync(CancellationToken cancel)
    {
        var built = await BuildTreeAsync(_settings.ParallelDir, cancel);
        return built is not null ? new VariantBuild([], built) : new VariantBuild(await TestsOfAsync(_settings.ParallelDir, cancel), null);
    }

    private async Task<IReadOnlyList<TestCase>> TestsOfAsync(string tree, CancellationToken cancel)
    {
        // Each test knows the sources of the programs it runs: an output difference blames only loops in them.
        if (_options.TestCommand is { } command)
            return [TestDiscovery.Command(command, tree, null, _executables, _settings.SourceDir) with
                { Scope = TestScope.ForCommand(command, tree, _executables, _programSources) }];
        var ctest = await TestDiscovery.CTestAsync(_ctest, tree, BuildType, cancel);
        if (ctest.Count > 0) return ctest.Select(t => t with { Scope = TestScope.ForCTest(t, tree, _executables, _programSources) }).ToList();
        return _executables.Select(e => TestDiscovery.Executable(e.Name, tree, e.RelativePath) with { Scope = TestScope.Of([e.Name], _programSources) })
            .Where(t => File.Exists(t.FileName)).ToList();
    }

    /// <summary>Configures a variant tree when it is new or its settings changed (then from an empty cache, as the targets do).</summary>
    private async Task<string?> ConfigureAsync(string variant, string work, string tree, CancellationToken cancel)
    {
        var inject = Path.Combine(work, "paraslm.inject.cmake");
        var (compile, link) = SanitizerFlags(variant);
        AtomicFileText(inject, "# Generated by paraslm validate and loaded with -DCMAKE_PROJECT_INCLUDE; do not edit.\n" +
            "# The sanitizer also as directory options of the top-level project (once): a CMakeLists.txt that sets\n" +
            "# CMAKE_<LANG>_FLAGS outright would otherwise drop the flags given at configure time.\n" +
            "get_property(_paraslm_variant_options GLOBAL PROPERTY PARASLM_VARIANT_OPTIONS)\n" +
            "if(NOT _paraslm_variant_options)\n" +
            "  set_property(GLOBAL PROPERTY PARASLM_VARIANT_OPTIONS TRUE)\n" +
            string.Concat(compile.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(f => $"  add_compile_options(\"$<$<COMPILE_LANGUAGE:C,CXX>:{f}>\")\n")) +
            string.Concat(link.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(f => $"  add_link_options(\"{f}\")\n")) +
            // gcc with an offload compiler installed offloads every target region by default; a sanitized program must stay
            // host code (the sanitizers have no device runtime), so its target regions take OpenMP's host fallback.
            "  foreach(_paraslm_lang C CXX)\n" +
            "    add_compile_options(\"$<$<COMPILE_LANG_AND_ID:${_paraslm_lang},GNU>:-foffload=disable>\")\n" +
            "    add_link_options(\"$<$<LINK_LANG_AND_ID:${_paraslm_lang},GNU>:-foffload=disable>\")\n" +
            "  endforeach()\n" +
            "endif()\n" +
            $"set(PARASLM_SOURCES_FILE \"{Slash(Path.Combine(work, SourceMap.FileName))}\")\n" +
            $"include(\"{Slash(InjectLogicCopy())}\")\n");
        var compilers = variant == "tsan" ? await TsanCompilersAsync(cancel) : ((string, string)?)null;
        var args = ConfigureArguments(variant, tree, inject, compilers);
        var settingsFile = Path.Combine(work, "cmake.settings");
        // The options the TSan compilers leave out are a setting too: the wrappers' text is not in cmake's arguments.
        var settingsText = _settings.CMake + "\n" + string.Join("\n", args) + "\n" +
                           (variant == "tsan" && _leftOutOfTsan is { Count: > 0 } left ? "left out: " + string.Join(' ', left) + "\n" : string.Empty);
        var cacheFile = Path.Combine(tree, "CMakeCache.txt");
        if (File.Exists(cacheFile) && File.Exists(settingsFile) && File.ReadAllText(settingsFile) == settingsText) return null;
        if (File.Exists(cacheFile))
        {
            File.Delete(cacheFile);
            var files = Path.Combine(tree, "CMakeFiles");
            if (Directory.Exists(files)) Directory.Delete(files, recursive: true);
        }
        Directory.CreateDirectory(tree);
        TestDiscovery.RequestCodeModel(tree);
        _progress($"configuring {tree}");
        var o = await RunAsync(_settings.CMake, args, _settings.SourceDir, TimeSpan.FromMinutes(10), cancel);
        if (o.ExitCode != 0) return $"the CMake configure of {tree} failed:\n{Errors(o.Combined)}";
        Engine.AtomicFile.Write(settingsFile, settingsText);
        return null;
    }

    /// <summary>The TSan build's C and C++ compilers: clang's own, or — when the project's compile commands have options
    /// clang does not know (a gcc project's `-fipa-pta`) — wrappers that leave exactly those out, said once (PSLM5011).</summary>
    private async Task<(string C, string Cxx)> TsanCompilersAsync(CancellationToken cancel)
    {
        ResolveClang();
        var (cc, cxx) = (_clang!.Value.C, _clang.Value.Cxx);
        if (_leftOutOfTsan is null)
        {
            _leftOutOfTsan = await ForeignCompileOptions.UnknownToAsync(cc, SerialCompileCommands(), cancel);
            if (_leftOutOfTsan.Count > 0)
                _report(Diagnostic.Info("PSLM5011", $"the tsan build compiles with {Path.GetFileName(cc)}, which does not know {string.Join(", ", _leftOutOfTsan)} " +
                                                    "(options of your compiler): it leaves them out and keeps every other flag"));
        }
        if (_leftOutOfTsan.Count == 0) return (cc, cxx);
        var folder = Path.Combine(_settings.WorkDir, "tsan-compilers");
        var (c, cplus) = (Path.Combine(folder, Path.GetFileName(cc)), Path.Combine(folder, Path.GetFileName(cxx)));
        ForeignCompileOptions.WriteWrapper(c, cc, _leftOutOfTsan);
        ForeignCompileOptions.WriteWrapper(cplus, cxx, _leftOutOfTsan);
        return (c, cplus);
    }

    /// <summary>The project's compile commands as the serial tree (the project's own compiler) exported them.</summary>
    private IReadOnlyList<Engine.Inputs.CompileCommand> SerialCompileCommands()
    {
        var path = Path.Combine(_settings.SerialDir, "compile_commands.json");
        try
        {
            return File.Exists(path) ? Engine.Inputs.CompileCommandsReader.Read(path) : [];
        }
        catch (EngineInputException)
        {
            return []; // the engine read the same file and said what is wrong with it
        }
    }

    private List<string> ConfigureArguments(string variant, string tree, string inject, (string C, string Cxx)? tsanCompilers)
    {
        var args = new List<string> { "-S", _settings.SourceDir, "-B", tree };
        var generator = _settings.Generator ?? Cache("CMAKE_GENERATOR");
        if (!string.IsNullOrEmpty(generator)) args.AddRange(["-G", generator]);
        var platform = Cache("CMAKE_GENERATOR_PLATFORM");
        if (!string.IsNullOrEmpty(platform)) args.AddRange(["-A", platform]);
        if (!string.IsNullOrEmpty(BuildType)) args.Add("-DCMAKE_BUILD_TYPE=" + BuildType);
        args.Add("-DCMAKE_EXPORT_COMPILE_COMMANDS=ON");
        args.Add("-DCMAKE_PROJECT_INCLUDE=" + Slash(inject));

        // The user's own -D values come first; the variant's compilers and flags are added to theirs, never dropped.
        var user = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var a in _settings.UserArguments)
        {
            var (name, value) = Definition(a);
            if (name is "CMAKE_C_FLAGS" or "CMAKE_CXX_FLAGS" or "CMAKE_EXE_LINKER_FLAGS" or "CMAKE_SHARED_LINKER_FLAGS" or "CMAKE_MODULE_LINKER_FLAGS" or "CMAKE_C_COMPILER" or "CMAKE_CXX_COMPILER")
                user[name!] = value!;
            else if (a != "-S" && a != "-B") args.Add(a);
        }
        string cc, cxx;
        var (compile, link) = SanitizerFlags(variant);
        if (tsanCompilers is { } clang)
        {
            (cc, cxx) = clang;
        }
        else
        {
            cc = user.GetValueOrDefault("CMAKE_C_COMPILER") ?? Cache("CMAKE_C_COMPILER") ?? string.Empty;
            cxx = user.GetValueOrDefault("CMAKE_CXX_COMPILER") ?? Cache("CMAKE_CXX_COMPILER") ?? string.Empty;
        }
        if (cc.Length > 0) args.Add("-DCMAKE_C_COMPILER=" + cc);
        if (cxx.Length > 0) args.Add("-DCMAKE_CXX_COMPILER=" + cxx);
        // The flags go to *_INIT, which CMake adds to its platform defaults (MSVC's /EHsc, /W3 …) when the tree is new —
        // variant trees always configure from an empty cache. A user's own CMAKE_*_FLAGS replaces those defaults, so
        // then the variant's flags are appended to it instead.
        void Flags(string name, string mine)
        {
            if (user.TryGetValue(name, out var theirs)) args.Add($"-D{name}=" + string.Join(' ', new[] { theirs, mine }.Where(s => s.Length > 0)));
            else if (mine.Length > 0) args.Add($"-D{name}_INIT=" + mine);
        }
        Flags("CMAKE_C_FLAGS", compile);
        Flags("CMAKE_CXX_FLAGS", compile);
        foreach (var linker in new[] { "CMAKE_EXE_LINKER_FLAGS", "CMAKE_SHARED_LINKER_FLAGS", "CMAKE_MODULE_LINKER_FLAGS" })
            Flags(linker, link);
        return args;
    }

    /// <summary>
    /// The inject logic, copied beside the variants' sources: a variant tree re-runs its configure on later probes, and
    /// must not depend on the package folder staying where it was (a NuGet cache can be purged between builds).
    /// </summary>
    private string InjectLogicCopy()
    {
        var copy = Path.Combine(_settings.WorkDir, "ParaSlmInject.cmake");
        Engine.AtomicFile.WriteIfChanged(copy, File.ReadAllText(_settings.InjectLogic));
        return copy;
    }

    /// <summary>Compile and link flags of a variant (TSan: clang; ASan: the project's compiler, MSVC spelling for cl).</summary>
    /// <remarks>The TSan build is clang's even in a gcc project: gcc-only warning flags (-Wlogical-op …) under -Werror
    /// would fail it, so clang is told not to warn about options it does not know. Options clang does not know at all
    /// (`-fipa-pta`: an error, not a warning) are left out by the TSan compilers themselves (<see cref="TsanCompilersAsync"/>).
    /// Every variant defines PARASLM_COST_GUARD=0: a region whose run-time size test would keep it on one thread for the
    /// tests' small inputs still runs in parallel under the sanitizer, so a race cannot hide behind the size test.
    /// GPU plans: the variants are built without offload flags (the sanitizers check host code) and with
    /// PARASLM_GPU_AVAILABLE=1, so each offloaded loop runs its generated target region through OpenMP's host fallback
    /// instead of the original loop — the code the GPU build runs is the code the sanitizers check.
    /// Every variant turns a project's -Werror off (`-Wno-error`, MSVC `/WX-`; as a directory option it follows the
    /// flags a CMakeLists.txt puts in CMAKE_&lt;LANG&gt;_FLAGS): a variant is not the user's build, and its compiler (clang)
    /// or its instrumentation (gcc's -fsanitize=address turns on -Wformat-overflow/-Wstringop-* findings) warns where
    /// the user's build does not. cJSON (-Werror) did not build its asan variant: PSLM5005, nothing validated.</remarks>
    private (string Compile, string Link) SanitizerFlags(string variant) => variant == "tsan"
        ? ($"-fsanitize=thread -fno-omit-frame-pointer -g -D{SourceRewriter.CostGuard}=0 -D{OffloadDirective.DeviceCheck}=1 -Wno-unknown-warning-option -Wno-ignored-optimization-argument -Wno-unused-command-line-argument -Wno-error",
            "-fsanitize=thread")
        : IsMsvc
            ? ($"/fsanitize=address /Zi /D{SourceRewriter.CostGuard}=0 /D{OffloadDirective.DeviceCheck}=1 /WX-", string.Empty)
            : ($"-fsanitize=address,undefined -fno-omit-frame-pointer -g -D{SourceRewriter.CostGuard}=0 -D{OffloadDirective.DeviceCheck}=1 -Wno-error", "-fsanitize=address,undefined");

    private static (string? Name, string? Value) Definition(string argument)
    {
        if (!argument.StartsWith("-D", StringComparison.Ordinal)) return (null, null);
        var eq = argument.IndexOf('=');
        if (eq < 0) return (null, null);
        var name = argument[2..eq];
        var colon = name.IndexOf(':');
        return (colon >= 0 ? name[..colon] : name, argument[(eq + 1)..]);
    }

    private async Task<string?> BuildTreeAsync(string tree, CancellationToken cancel)
    {
        var args = new List<string> { "--build", tree };
        if (!string.IsNullOrEmpty(BuildType)) args.AddRange(["--config", BuildType]);
        args.AddRange(["--parallel", System.Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var o = await RunAsync(_settings.CMake, args, _settings.SourceDir, TimeSpan.FromMinutes(60), cancel);
        return o.ExitCode == 0 ? null : $"`cmake --build {tree}` failed:\n{Errors(o.Combined)}";
    }

    private static async Task<ProcessOutcome> RunAsync(string file, IReadOnlyList<string> args, string cwd, TimeSpan timeout, CancellationToken cancel)
    {
        try
        {
            return await ToolProcess.RunAsync(file, args, cwd, null, timeout, cancel);
        }
        catch (Win32Exception e)
        {
            throw new ValidationException("PSLM5006", $"'{file}' could not be started ({e.Message}); set ParaSlmCMakeExe (--cmake) to a working cmake");
        }
    }

    /// <summary>The compiler's error lines (with a little context), else the end of the log.</summary>
    public static string Errors(string log)
    {
        var lines = log.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var errors = ErrorLines.In(lines, 12);
        return string.Join('\n', errors.Count > 0 ? errors : lines.TakeLast(20)).Trim();
    }

    /// <summary>clang and clang++ for the TSan build, and Archer beside its OpenMP runtime; the problem in words otherwise.</summary>
    private void ResolveClang()
    {
        if (_clang is not null || _clangProblem is not null) return;
        string? cc = null;
        if (_options.Clang is { Length: > 0 } explicitClang)
        {
            cc = ToolProcess.FindOnPath(explicitClang);
            if (cc is null) { _clangProblem = $"the clang for the TSan build, '{explicitClang}' (ParaSlmValidateClang), was not found"; return; }
        }
        else if (_compilerId is "Clang" && Cache("CMAKE_C_COMPILER") is { } own && File.Exists(own))
        {
            cc = own;
        }
        else
        {
            foreach (var name in new[] { "clang-19", "clang-20", "clang-21", "clang-18", "clang-17", "clang" })
                if ((cc = ToolProcess.FindOnPath(name)) is not null) break;
        }
        if (cc is null)
        {
            _clangProblem = "no clang was found for the TSan build (TSan needs the LLVM OpenMP runtime and Archer; with GCC's libgomp it reports races that are not there). " +
                            "Install clang-19 and libomp-19-dev, or set ParaSlmValidateClang to a clang";
            return;
        }
        var name2 = Path.GetFileName(cc);
        var cxxName = name2.Contains("clang++", StringComparison.Ordinal) ? name2 : name2.Replace("clang", "clang++", StringComparison.Ordinal);
        var cxx = Path.Combine(Path.GetDirectoryName(cc)!, cxxName);
        if (!File.Exists(cxx)) cxx = ToolProcess.FindOnPath(cxxName) ?? cc;
        var archer = _options.Archer;
        if (string.IsNullOrEmpty(archer))
        {
            try
            {
                var o = ToolProcess.RunAsync(cc, ["-print-file-name=libarcher.so"], Path.GetTempPath(), null, TimeSpan.FromSeconds(30), CancellationToken.None).GetAwaiter().GetResult();
                archer = o.StandardOutput.Trim();
            }
            catch (Win32Exception)
            {
                archer = null;
            }
        }
        if (string.IsNullOrEmpty(archer) || !File.Exists(archer))
        {
            _clangProblem = $"Archer (libarcher.so) was not found for {cc}; without it TSan reports races inside the OpenMP runtime that are not there. " +
                            "Install the LLVM OpenMP runtime (libomp-19-dev), or set ParaSlmValidateArcher to libarcher.so";
            return;
        }
        _clang = (cc, cxx, Path.GetFullPath(archer), Symbolizer.Beside(cc));
    }

    private string? Cache(string name) => _cache.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    private static Dictionary<string, string> ReadCache(string file)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(file))
        {
            if (line.Length == 0 || line[0] is '#' or '/') continue;
            var eq = line.IndexOf('=');
            var colon = line.IndexOf(':');
            if (eq < 0) continue;
            var name = colon >= 0 && colon < eq ? line[..colon] : line[..eq];
            values[name] = line[(eq + 1)..];
        }
        return values;
    }

    /// <summary>CMAKE_&lt;LANG&gt;_COMPILER_ID from the tree's CMakeFiles/&lt;version&gt;/CMake&lt;LANG&gt;Compiler.cmake.</summary>
    private static string? CompilerId(string tree, string language)
    {
        var files = Path.Combine(tree, "CMakeFiles");
        if (!Directory.Exists(files)) return null;
        foreach (var f in Directory.GetFiles(files, $"CMake{language}Compiler.cmake", SearchOption.AllDirectories))
        {
            foreach (var line in File.ReadLines(f))
            {
                var prefix = $"set(CMAKE_{language}_COMPILER_ID \"";
                if (line.StartsWith(prefix, StringComparison.Ordinal)) return line[prefix.Length..].TrimEnd(')', '"');
            }
        }
        return null;
    }

    private static string Slash(string path) => path.Replace('\\', '/');

    private static void AtomicFileText(string path, string text) => Engine.AtomicFile.WriteIfChanged(path, text);
}
