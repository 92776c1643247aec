using ParaSlm.Cli.Commands;

namespace ParaSlm.Cli;

/// <summary>Dispatches `paraslm VERB ...`; maps failures to the documented exit codes (0 ok, 1 input, 2 usage).</summary>
public static class CommandLine
{
    public const int Ok = 0, InputError = 1, UsageError = 2;

    public static readonly string Usage = $"""
        usage: paraslm <command> [options]

        commands:
          analyze FILE [--json] [--assume-pure F]... [--libclang PATH] [-- COMPILER_ARGS...]
              Judge every `for` loop of FILE: parallelizable or not, with the clauses it needs
              and the evidence. --json prints one JSON object (the documented schema).
          plan FILE|compile_commands.json [--json] [--strategy S] [--model M] [--endpoint URL]
               [--cache C] [--assume-pure F]... [--timeout SECONDS] [--budget SECONDS] [--threads N] [-- COMPILER_ARGS...]
              The final, verified plan for every `for` loop. `auto` (default) asks the model with
              tree-of-thoughts when the endpoint has it, else uses the analyzer's plan.
          eval [--models M1,M2] [--strategies S1,S2] [--endpoint URL] [--suite DIR] [--timeout S] [--budget S]
               [--threads N] [--speedup [--runs N] [--out DIR]] [--json]
              Models × strategies over the kernel suite: the paper's per-model and per-strategy tables
              (every rate a share of the loop nests); --speedup adds each cell's build vs the analyzer-only build.
          {EvaluateCommand.UsageLine}
              ParaSlm vs serial, gcc autopar, Polly and expert OpenMP over the kernel suite, or over any CMake
              project with timing output described by a paraslm-suite.json (README "Evaluation"). --variants
              picks builds (serial-gcc, paraslm-clang, clang-polly, ...); --kernels picks kernels of the kernel suite, or programs of a --suite.
          apply --request FILE
              The build integration's engine: analyze, plan, rewrite and report for a build
              (the request format is in ARCHITECTURE.md).
          validate --request FILE [--validate asan|tsan|all] [--runs N] [--threads 2,4,8] [--tolerance X]
                   [--ignore REGEX] [--test-command CMD] [--cmake-source DIR --serial-build DIR --parallel-build DIR]
              After `apply`: build the program again with ASan+UBSan and with TSan (clang, libomp, Archer), run its
              tests (ctest, or the executables) against the serial build, revert the loops that fail (bisection).
          cache stats|list|clear|export|import|bench [--cache C] [--file PATH]
              The plan cache (default: the per-user SQLite file; C may be a path or redis://host:port).
          bench-analyze PATH... [--repeat N] [-- COMPILER_ARGS...]
              Time the analysis beyond libclang's parse, per file (a benchmark, not a test).
          ast FILE [-- COMPILER_ARGS...]
              Print the syntax tree ParaSlm sees (for maintainers).
          cuda FILE --out DIR [--assume-pure F]... [-- COMPILER_ARGS...]
              Outline the loops ParaSlmTarget=gpu would offload into CUDA kernels: DIR gets the source calling
              them (the original loop runs when no GPU), NAME.cu and paraslm_cuda.h, for a build with nvcc.
          version
              Print the version and the libclang in use.

        exit codes: 0 ok, 1 the input could not be processed, 2 bad usage.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancel = default)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            (args.Length == 0 ? stderr : stdout).WriteLine(Usage);
            return args.Length == 0 ? UsageError : Ok;
        }
        var rest = args.Skip(1).ToArray();
        try
        {
            return args[0] switch
            {
                "analyze" => await AnalyzeCommand.RunAsync(rest, stdout, stderr, cancel),
                "plan" => await PlanCommand.RunAsync(rest, stdout, stderr, cancel),
                "apply" => await ApplyCommand.RunAsync(rest, stdout, stderr, cancel),
                "validate" => await ValidateCommand.RunAsync(rest, stdout, stderr, cancel),
                "eval" => await EvalCommand.RunAsync(rest, stdout, stderr, cancel),
                "evaluate" => await EvaluateCommand.RunAsync(rest, stdout, stderr, cancel),
                "cache" => await CacheCommand.RunAsync(rest, stdout, stderr, cancel),

                "bench-analyze" => await BenchAnalyzeCommand.RunAsync(rest, stdout, stderr, cancel),
                "ast" => await AstCommand.RunAsync(rest, stdout, stderr, cancel),
                "cuda" => await CudaCommand.RunAsync(rest, stdout, stderr, cancel),
                "version" or "--version" => await VersionCommand.RunAsync(rest, stdout, stderr, cancel),
                _ => UsageFailure(stderr, $"unknown command '{args[0]}'"),
            };
        }
        catch (UsageException e)
        {
            return UsageFailure(stderr, e.Message);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            stderr.WriteLine("paraslm: cancelled");
            return InputError;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("PARASLM_DEBUG") is null)
        {
            // Never a stack trace for users; PARASLM_DEBUG=1 lets it through for maintainers.
            stderr.WriteLine($"paraslm: PSLM0999: internal error ({e.GetType().Name}: {e.Message.Split('\n')[0]}). Please report it; set PARASLM_DEBUG=1 for details.");
            return InputError;
        }
    }

    private static int UsageFailure(TextWriter stderr, string message)
    {
        stderr.WriteLine($"paraslm: {message}");
        stderr.WriteLine("run 'paraslm --help' for usage.");
        return UsageError;
    }
}
