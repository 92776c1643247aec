using ParaSlm.Engine;
using ParaSlm.Validation;

namespace ParaSlm.Analyzer.Tests.Validation;

/// <summary>Race evidence names both accesses with file:line and the parallel loop each one runs in.</summary>
[TestFixture]
[Category("Unit")]
public sealed class EvidenceLocatorTests
{
    private const string Source = """
        int calls;
        void bump(void) { calls++; }
        void tag(int *restrict out, int n)
        {
            for (int i = 0; i < n; i++) {
                out[i] = i;
                bump();
            }
        }
        """;

    private static string Report(string file) => $"""
        ==================
        WARNING: ThreadSanitizer: data race (pid=28739)
          Write of size 4 at 0x55666258d6d8 by thread T3:
            #0 bump {file}:2:24 (app+0xe475b) (BuildId: d45207eeb16209356bbe3c1d6d4129df8ec04c3f)
            #1 tag.omp_outlined_debug__ {file}:7:9 (app+0xe47a6)
            #2 __kmp_invoke_microtask <null> (libomp.so.5+0xe0678)

          Previous write of size 4 at 0x55666258d6d8 by main thread:
            #0 bump {file}:2:24 (app+0xe47a6) (BuildId: d45207eeb16209356bbe3c1d6d4129df8ec04c3f)
            #1 tag.omp_outlined_debug__ {file}:7:9 (app+0xe47a6)

          Location is global 'calls' of size 4 at 0x55666258d6d8 (app+0x14906d8)

        SUMMARY: ThreadSanitizer: data race {file}:2:24 in bump
        ==================
        """;

    [Test]
    public void Both_racing_accesses_are_named_with_their_line_and_the_loop_that_calls_them()
    {
        var dir = Path.Combine(Path.GetTempPath(), "paraslm-evidence-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            var file = Path.Combine(dir, "kernels.c");
            File.WriteAllText(file, Source);
            var start = Source.IndexOf("for (", StringComparison.Ordinal);
            var end = Source.IndexOf("    }\n}", StringComparison.Ordinal) + 5;
            var loop = new ValidationLoop(file, new AppliedLoop("kernels.c:5:5", 5, 5, "tag", start, end, "omp parallel for", null, "h", "analyzer", null));
            var finding = SanitizerReport.Parse(Report(file)).Single();
            Assert.That(finding.Accesses!.Select(a => a.What), Is.EqualTo(new[] { "write of size 4 by thread T3", "previous write of size 4 by main thread" }));

            var probe = new ProbeRecord("tsan", [loop.Id], null, [new RunRecord("app", 4, 66, false, 1, null, 0, [finding])], 1);
            var located = EvidenceLocator.Locate(probe.FailureWith(new HashSet<string>())!, [loop]);
            Assert.That(located.Evidence, Does.StartWith($"ThreadSanitizer: data race at {file}:2:24 in bump (on 'calls') (4 threads, test app): "));
            Assert.That(located.Evidence, Does.Contain("write of size 4 by thread T3 at kernels.c:2:24 in bump, called from the parallel loop at kernels.c(5,5) (kernels.c:7:9)"));
            Assert.That(located.Evidence, Does.Contain("previous write of size 4 by main thread at kernels.c:2:24 in bump, called from the parallel loop at kernels.c(5,5)"));
            Assert.That(located.Detail, Does.Contain("Location is global 'calls'").And.Contain("- write of size 4 by thread T3"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void A_heap_block_is_named_as_such_never_as_a_garbled_fragment()
    {
        const string report = """
            WARNING: ThreadSanitizer: data race (pid=1)
              Write of size 8 at 0x7b5000000010 by thread T1:
                #0 main.omp_outlined /src/lulesh.cc:613:7 (lulesh2.0+0x1234)
              Previous read of size 8 at 0x7b5000000010 by main thread:
                #0 main.omp_outlined /src/lulesh.cc:615:12 (lulesh2.0+0x1244)
              Location is heap block of size 4000 at 0x7b5000000000 allocated by main thread:
                #0 malloc <null> (lulesh2.0+0x99)
            SUMMARY: ThreadSanitizer: data race /src/lulesh.cc:613:7 in main.omp_outlined
            """;
        var finding = SanitizerReport.Parse(report).Single();
        Assert.That(finding.Summary, Is.EqualTo("ThreadSanitizer: data race at /src/lulesh.cc:613:7 in main.omp_outlined (on a heap block of 4000 bytes)"));
        Assert.That(finding.Summary, Does.Not.Contain("(on of size"));
        Assert.That(SanitizerReport.MemoryName("Location is stack of main thread."), Is.EqualTo("the stack of main thread"));
    }
}
