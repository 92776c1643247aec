using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using ParaSlm.Contracts;
using ParaSlm.Engine;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>`paraslm apply`: the engine the build integration drives (contract in ARCHITECTURE.md).</summary>
[TestFixture]
[Category("Integration")]
public sealed class ApplyEngineTests : EngineFixture
{
    private const string ParallelSource = """
        #include "scale.h"
        void scale(double *restrict out, const double *restrict in, int n)
        {
            for (int i = 0; i < n; i++)
                out[i] = in[i] * SCALE;
        }
        double sum(const double *restrict a, int n)
        {
            double s = 0.0;
            for (int i = 0; i < n; i++)
                s += a[i];
            return s;
        }
        """;

    private const string SerialSource = """
        void prefix(double *x, int n)
        {
            for (int i = 1; i < n; i++)
                x[i] += x[i - 1];
        }
        """;

    private string _par = null!;
    private string _ser = null!;

    [SetUp]
    public void SetUp()
    {
        Ws.Write("src/scale.h", "#define SCALE 2.0\n");
        _par = Ws.Write("src/par.c", ParallelSource.Replace("n; i++)\n        s", "n; i++)\n        s"));
        _ser = Ws.Write("src/ser.c", SerialSource);
    }

    private (int Code, string Out, string Err) Apply(string mode = "Apply") =>
        EngineWorkspace.Run("apply", "--request", Ws.Request(mode, (_par, ["-std=c11"]), (_ser, ["-std=c11"])));

    [Test]
    public void Parallel_loops_are_rewritten_and_a_serial_source_is_left_alone()
    {
        var before = SHA256.HashData(File.ReadAllBytes(_par));
        var (code, _, err) = Apply();
        Assert.That(code, Is.EqualTo(0), err);
        var rows = Ws.Outputs();
        var par = rows.Single(r => r[0] == _par);
        var ser = rows.Single(r => r[0] == _ser);
        Assert.Multiple(() =>
        {
            Assert.That(par[2], Is.EqualTo("rewritten"));
            Assert.That(par[4], Is.EqualTo("2"), "both loops of par.c are parallel");
            Assert.That(ser[2], Is.EqualTo("unchanged"));
            Assert.That(ser[1], Is.Empty, "a source with nothing to parallelize is not swapped");
            Assert.That(SHA256.HashData(File.ReadAllBytes(_par)), Is.EqualTo(before), "the user's file is never modified");
        });
        var rewritten = File.ReadAllText(par[1]);
        Assert.That(rewritten, Does.StartWith("#undef _OPENMP\n").And.Contain($"#endif\n#line 1 \"{_par}\""), "the build has no -fopenmp: `_OPENMP` stays undefined in the copy");
        Assert.That(rewritten, Does.Contain("#pragma omp parallel for simd reduction(+:s)"));
        Assert.That(rewritten, Does.Contain("#pragma omp parallel for simd\n").And.Contain("if (!PARASLM_COST_GUARD || n >= "), "n is known at run time only: too few iterations run the serial version");
        Assert.That(rewritten, Does.Contain("#ifndef PARASLM_COST_GUARD\n#define PARASLM_COST_GUARD 1\n#endif\n"));
    }

    [Test]
    public void Rewritten_source_compiles_with_openmp_and_computes_what_the_original_computes()
    {
        var main = Ws.Write("src/main.c", """
            #include <stdio.h>
            void scale(double *restrict out, const double *restrict in, int n);
            double sum(const double *restrict a, int n);
            int main(void) { static double a[100000], b[100000]; for (int i = 0; i < 100000; i++) a[i] = i * 0.5;
              scale(b, a, 100000); printf("%.6f\n", sum(b, 100000)); return 0; }
            """);
        Assert.That(Apply().Code, Is.EqualTo(0));
        var rewritten = Ws.Outputs().Single(r => r[0] == _par)[1];
        var serialOut = CompileAndRun(_par, main, openmp: false);
        var parallelOut = CompileAndRun(rewritten, main, openmp: true);
        Assert.That(parallelOut, Is.EqualTo(serialOut));
    }

    [Test]
    public void A_second_run_reuses_every_source_and_writes_nothing()
    {
        Apply();
        var rewritten = Ws.Outputs().Single(r => r[0] == _par)[1];
        var stamp = File.GetLastWriteTimeUtc(rewritten);
        var (code, output, _) = Apply();
        Assert.That(code, Is.EqualTo(0));
        Assert.That(output, Does.Contain("(0 analyzed, 2 up to date)"));
        Assert.That(File.GetLastWriteTimeUtc(rewritten), Is.EqualTo(stamp), "an unchanged output keeps its timestamp");
    }

    [Test]
    public void Touching_one_source_reprocesses_only_that_source()
    {
        Apply();
        File.AppendAllText(_ser, "\n/* touched */\n");
        var (_, output, _) = Apply();
        Assert.That(output, Does.Contain("(1 analyzed, 1 up to date)"));
    }

    [Test]
    public void Editing_a_header_reprocesses_the_sources_that_include_it_and_it_is_listed_as_an_input()
    {
        Apply();
        var inputs = File.ReadAllLines(Path.Combine(Ws.Obj, "paraslm.inputs.txt"));
        Assert.That(inputs, Does.Contain(Path.Combine(Ws.Root, "src", "scale.h")));
        File.WriteAllText(Path.Combine(Ws.Root, "src", "scale.h"), "#define SCALE 3.0\n");
        var (_, output, _) = Apply();
        Assert.That(output, Does.Contain("(1 analyzed, 1 up to date)"), "par.c includes scale.h, ser.c does not");
    }

    [Test]
    public void A_source_that_does_not_compile_stays_serial_with_a_warning_at_its_line()
    {
        File.WriteAllText(_ser, "void broken(int n)\n{\n    for (int i = 0; i < n; i++)\n        undefined_thing[i] = 0;\n}\n");
        var (code, output, _) = Apply();
        Assert.That(code, Is.EqualTo(0), "a bad source never fails the build");
        Assert.That(output, Does.Contain($"{_ser}(4,9): warning PSLM0005:"));
        Assert.That(Ws.Outputs().Single(r => r[0] == _ser)[2], Is.EqualTo("error"));
    }

    [Test]
    public void A_source_that_does_not_compile_is_still_reported_when_a_later_run_reuses_it()
    {
        // Found on miniBUDE: after a first build's PSLM0005, the next build that ran the engine said "could not be
        // analyzed (see the PSLM warnings)" without any warning to see.
        File.WriteAllText(_ser, "void broken(int n)\n{\n    for (int i = 0; i < n; i++)\n        undefined_thing[i] = 0;\n}\n");
        Apply();
        File.AppendAllText(_par, "\n/* touched */\n");
        var (_, output, _) = Apply();
        Assert.That(output, Does.Contain("(1 analyzed, 1 up to date)"));
        Assert.That(output, Does.Contain($"{_ser}(4,9): warning PSLM0005:"));
    }

    [Test]
    public void Fixing_the_header_that_broke_a_source_brings_the_source_back_to_the_analysis()
    {
        // The error sits in a header: the source's own bytes never change, so the header must be part of its hash and
        // of the build's Inputs even though the parse failed.
        var header = Ws.Write("src/kernel.h", "static void kernel(double *a, int n) { for (int i = 0; i < n; i++) a[i] = undefined_thing; }\n");
        File.WriteAllText(_ser, "#include \"kernel.h\"\nvoid run(double *restrict a, int n)\n{\n    for (int i = 0; i < n; i++)\n        a[i] = 2.0 * i;\n    kernel(a, n);\n}\n");
        var (_, first, _) = Apply();
        Assert.That(first, Does.Contain("warning PSLM0005:"));
        Assert.That(File.ReadAllLines(Path.Combine(Ws.Obj, "paraslm.inputs.txt")), Does.Contain(header));
        File.WriteAllText(header, "static void kernel(double *a, int n) { for (int i = 0; i < n; i++) a[i] = 1.0; }\n");
        var (_, second, _) = Apply();
        Assert.That(second, Does.Contain("(1 analyzed, 1 up to date)"));
        Assert.That(second, Does.Not.Contain("PSLM0005"));
        Assert.That(Ws.Outputs().Single(r => r[0] == _ser)[2], Is.Not.EqualTo("error"));
    }

    [Test]
    public void Analyze_mode_reports_but_rewrites_nothing()
    {
        var (code, _, _) = Apply("Analyze");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(Ws.Outputs().All(r => r[2] == "unchanged" && r[1] == ""), Is.True);
        Assert.That(File.Exists(Path.Combine(Ws.Obj, "report", "paraslm-report.md")), Is.True);
    }

    [Test]
    public void Report_lists_every_loop_with_its_decision_and_the_patch_applies_to_the_original()
    {
        Apply();
        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(Ws.Obj, "report", "paraslm-report.json"))).RootElement;
        Assert.That(report.GetProperty("totals").GetProperty("loops").GetInt32(), Is.EqualTo(3));
        Assert.That(report.GetProperty("totals").GetProperty("parallel").GetInt32(), Is.EqualTo(2));
        var md = File.ReadAllText(Path.Combine(Ws.Obj, "report", "paraslm-report.md"));
        Assert.That(md, Does.Contain("reduction(+:s)"));
        Assert.That(md, Does.Contain("is read as `x[i - 1]`"));

        var copy = Path.Combine(Ws.Root, "copy");
        Directory.CreateDirectory(Path.Combine(copy, "src"));
        File.Copy(_par, Path.Combine(copy, "src", "par.c"));
        File.Copy(_ser, Path.Combine(copy, "src", "ser.c"));
        var patch = Path.Combine(Ws.Obj, "report", "paraslm.patch");
        var p = Process.Start(new ProcessStartInfo("patch", $"-p1 -i \"{patch}\"") { WorkingDirectory = copy, RedirectStandardOutput = true, RedirectStandardError = true })!;
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.EqualTo(0), p.StandardError.ReadToEnd() + p.StandardOutput.ReadToEnd());
        Assert.That(File.ReadAllText(Path.Combine(copy, "src", "par.c")), Does.Contain("#pragma omp parallel for simd reduction(+:s)"));
    }

    [Test]
    public void Compile_commands_input_uses_each_files_own_flags()
    {
        var inc = Ws.Write("inc/cfg.h", "#define N 100000\n");
        var src = Ws.Write("src/cc.c", "#include \"cfg.h\"\nvoid z(double *restrict a) { for (int i = 0; i < N * FACTOR; i++) a[i] = 0; }\n");
        var cc = Ws.Write("build/compile_commands.json", JsonSerializer.Serialize(new[]
        {
            new { directory = Path.Combine(Ws.Root, "build"), file = "../src/cc.c", command = "gcc -O2 -I../inc -DFACTOR=3 -c ../src/cc.c -o cc.o" },
        }));
        var (code, output, err) = Ws.Apply(new EngineRequest { IntermediateDir = Ws.Obj, CompileCommands = cc }, "cc-request.json");
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(output, Does.Not.Contain("warning"), "the -I and -D flags from compile_commands.json reached libclang");
        Assert.That(Ws.Outputs().Single()[2], Is.EqualTo("rewritten"));
        Assert.That(File.ReadAllText(Path.Combine(Ws.Obj, "paraslm.sources.cmake")), Does.Contain(src.Replace('\\', '/')));
    }

    [Test]
    public async Task Progress_lines_start_once_the_run_has_taken_two_seconds_and_a_quick_run_stays_quiet()
    {
        var files = Enumerable.Range(1, 3).Select(i => Ws.Write($"src/p{i}.c", $"void p{i}(double *restrict a, int n) {{ for (int i = 0; i < n; i++) a[i] = i; }}\n")).ToList();
        async Task<string> RunWith(TimeSpan step, string obj)
        {
            var request = Ws.NewRequest(files.Select(f => EngineWorkspace.Source(f, "-std=c11")).ToArray()) with
            {
                IntermediateDir = Path.Combine(Ws.Root, obj), Strategy = "analyzer", Cache = "off",
            };
            var (output, progress) = (new StringWriter(), new StringWriter());
            Assert.That(await new ApplyEngine(request, output, progress, time: new SteppingClock(step)).RunAsync(CancellationToken.None), Is.Zero, output.ToString());
            return progress.ToString();
        }

        // The clock, not the machine's speed, decides: frozen, the run is "quick"; one second per reading, it is past 2 s
        // by the first source's end, and from then on every source gets its line, so the count reaches the total.
        Assert.That(await RunWith(TimeSpan.Zero, "obj-quick"), Is.Empty, "a quick run stays at its one summary line");
        var slow = await RunWith(TimeSpan.FromSeconds(1), "obj-slow-clock");
        Assert.That(slow, Does.Contain($"ParaSlm: [3/3] {Path.Combine("src", "p3.c")} — 1 loops, 1 parallel ("));
        Assert.That(slow.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[..14]), Is.EqualTo(new[] { "ParaSlm: [1/3]", "ParaSlm: [2/3]", "ParaSlm: [3/3]" }));
    }

    /// <summary>A clock that moves by <paramref name="step"/> every time it is read.</summary>
    private sealed class SteppingClock(TimeSpan step) : TimeProvider
    {
        private long _now;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Add(ref _now, step.Ticks);
    }

    [Test]
    public void A_model_that_keeps_failing_is_a_warning_in_MSBuilds_form_and_the_analyzers_plans_are_used()
    {
        // A model server that lists the model and then never answers a chat: every nest waits for the 1 s request
        // timeout and falls back to the analyzer's plan; after three failures the circuit breaker opens.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var held = new System.Collections.Concurrent.ConcurrentBag<System.Net.Sockets.Socket>();
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var socket = await silent.AcceptSocketAsync();
                    held.Add(socket);
                    _ = Task.Run(async () =>
                    {
                        var buffer = new byte[65536];
                        var read = await socket.ReceiveAsync(buffer);
                        if (!System.Text.Encoding.ASCII.GetString(buffer, 0, read).StartsWith("GET /api/tags", StringComparison.Ordinal)) return;
                        var body = """{"models":[{"name":"qwen2.5:1.5b","model":"qwen2.5:1.5b","digest":"d1"}]}""";
                        await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes(
                            $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}"));
                    });
                }
            }
            catch (Exception) { /* stopped */ }
        });
        var files = Enumerable.Range(1, 3).Select(i => Ws.Write($"src/k{i}.c", $"void k{i}(double *restrict a, int n) {{ for (int i = 0; i < n; i++) a[i] = i; }}\n")).ToList();
        var (code, output, err) = Ws.Apply(Ws.NewRequest(files.Select(f => EngineWorkspace.Source(f, "-std=c11")).ToArray()) with
        {
            IntermediateDir = Path.Combine(Ws.Root, "obj-slow"), Strategy = "zero-shot", Model = "qwen2.5:1.5b",
            Endpoint = $"http://127.0.0.1:{((System.Net.IPEndPoint)silent.LocalEndpoint).Port}", Timeout = 1.0, Cache = "off",
        }, "slow-request.json");
        silent.Stop();
        foreach (var socket in held) socket.Dispose();
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(output, Does.Contain("3 files (3 analyzed, 0 up to date), 3 loops, 3 parallel"), "the analyzer's plans, the model being silent");
        Assert.That(output, Does.Not.Contain("ParaSlm: ["), "progress goes to stderr only");
        Assert.That(output, Does.Contain("ParaSlm: warning PSLM3004: the model failed 3 times in a row"),
            "a model the user chose that keeps failing is a warning in MSBuild's form");
        Assert.That(output, Does.Contain("raise the timeout (ParaSlmModelTimeout"), "a build's user sets the property, not the CLI flag");
    }

    [Test]
    public void An_unusable_request_fails_with_exit_code_1_and_a_missing_request_is_a_usage_error()
    {
        var bad = Ws.Write("bad.json", "{ \"version\": 1, \"mode\": \"Apply\" }");
        var (code, _, err) = EngineWorkspace.Run("apply", "--request", bad);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(err, Does.Contain("PSLM0007"));
        Assert.That(EngineWorkspace.Run("apply").Code, Is.EqualTo(2));
    }

    [TestCase("target", "bump")]
    [TestCase("gpuFlavor", "opencl")]
    public void A_request_naming_an_unknown_target_or_gpu_flavor_is_refused_with_PSLM0007(string field, string value)
    {
        var src = Ws.Write("src/t.c", "void f(int n, double *restrict a) { for (int i = 0; i < n; i++) a[i] = i; }\n");
        var request = Ws.Request("Apply", (src, ["-std=c11"]));
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(request))!;
        json[field] = value;
        File.WriteAllText(request, json.ToJsonString());
        var (code, _, err) = EngineWorkspace.Run("apply", "--request", request);
        Assert.That(code, Is.EqualTo(1), err);
        Assert.That(err, Does.Contain("PSLM0007").And.Contain($"'{value}'"));
    }

    private string CompileAndRun(string source, string main, bool openmp)
    {
        var exe = Path.Combine(Ws.Root, openmp ? "par.exe" : "ser.exe");
        var args = $"-O2 -std=c11 {(openmp ? "-fopenmp" : "")} -iquote \"{Path.GetDirectoryName(_par)}\" \"{source}\" \"{main}\" -o \"{exe}\"";
        var cc = Process.Start(new ProcessStartInfo("gcc", args) { RedirectStandardError = true })!;
        cc.WaitForExit();
        Assert.That(cc.ExitCode, Is.EqualTo(0), cc.StandardError.ReadToEnd());
        var run = Process.Start(new ProcessStartInfo(exe) { RedirectStandardOutput = true, Environment = { ["OMP_NUM_THREADS"] = "2" } })!;
        var text = run.StandardOutput.ReadToEnd();
        run.WaitForExit();
        return text;
    }
}
