using ParaSlm.Validation;

namespace ParaSlm.Analyzer.Tests.Validation;

/// <summary>Reports as clang 19 / gcc 12 print them: what the warning says and what identifies a report across runs.</summary>
[TestFixture]
[Category("Unit")]
public sealed class SanitizerReportTests
{
    private const string Tsan = """
        ==================
        WARNING: ThreadSanitizer: data race (pid=28739)
          Read of size 4 at 0x55666258d6d8 by thread T3:
            #0 main.omp_outlined /tmp/tsx/race.c (race+0xe475b) (BuildId: d45207eeb16209356bbe3c1d6d4129df8ec04c3f)
            #1 __kmp_invoke_microtask <null> (libomp.so.5+0xe0678) (BuildId: 88dd4c1b40803a1eb06aab61e1089e0504fed768)
            #2 main /tmp/tsx/race.c:5:1 (race+0xe4616) (BuildId: d45207eeb16209356bbe3c1d6d4129df8ec04c3f)

          Previous write of size 4 at 0x55666258d6d8 by main thread:
            #0 bump /tmp/tsx/race.c:3:25 (race+0xe47a6) (BuildId: d45207eeb16209356bbe3c1d6d4129df8ec04c3f)
            #1 main.omp_outlined_debug__ /tmp/tsx/race.c:6:30 (race+0xe47a6)

          Location is global 'counter' of size 4 at 0x55666258d6d8 (race+0x14906d8)

          Thread T3 (tid=28744, running) created by main thread at:
            #0 pthread_create <null> (race+0x61ec1) (BuildId: d45207eeb16209356bbe3c1d6d4129df8ec04c3f)

        SUMMARY: ThreadSanitizer: data race /tmp/tsx/race.c:3:25 in bump
        ==================
        ThreadSanitizer: reported 1 warnings
        """;

    private const string Asan = """
        =================================================================
        ==28776==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x5210000010a0 at pc 0x55ed2437e003 bp 0x7ffc183719f0 sp 0x7ffc183719e8
        WRITE of size 4 at 0x5210000010a0 thread T0
            #0 0x55ed2437e002 in main /tmp/tsx/oob.c:6:10
            #1 0x7f2b1e2461c9  (/lib/x86_64-linux-gnu/libc.so.6+0x271c9)

        0x5210000010a0 is located 0 bytes after 4000-byte region [0x521000000100,0x5210000010a0)
        allocated by thread T0 here:
            #0 0x55ed2433d5ff in malloc (/tmp/tsx/oob-clang-19+0xcb5ff)

        SUMMARY: AddressSanitizer: heap-buffer-overflow /tmp/tsx/oob.c:6:10 in main
        Shadow bytes around the buggy address:
        ==28776==ABORTING
        """;

    [Test]
    public void A_data_race_names_the_kind_the_place_and_the_variable()
    {
        var f = SanitizerReport.Parse(Tsan).Single();
        Assert.Multiple(() =>
        {
            Assert.That(f.Tool, Is.EqualTo("tsan"));
            Assert.That(f.Summary, Is.EqualTo("ThreadSanitizer: data race at /tmp/tsx/race.c:3:25 in bump (on 'counter')"));
            Assert.That(f.Excerpt, Does.Contain("Previous write of size 4").And.Contain("bump /tmp/tsx/race.c:3:25").And.Contain("Location is global 'counter'"));
            Assert.That(f.Excerpt, Does.Not.Contain("0x55666258d6d8").And.Not.Contain("pid=").And.Not.Contain("BuildId"));
        });
    }

    [Test]
    public void An_out_of_bounds_write_names_the_kind_and_the_line()
    {
        var f = SanitizerReport.Parse("some output\n" + Asan).Single();
        Assert.That(f.Tool, Is.EqualTo("asan"));
        Assert.That(f.Summary, Is.EqualTo("AddressSanitizer: heap-buffer-overflow at /tmp/tsx/oob.c:6:10 in main"));
        Assert.That(f.Excerpt, Does.Contain("WRITE of size 4").And.Contain("is located 0 bytes after 4000-byte region"));
    }

    [Test]
    public void Undefined_behaviour_is_one_finding_per_report_line()
    {
        var findings = SanitizerReport.Parse("""
            /src/main.c:24:17: runtime error: signed integer overflow: 9223372036854775807 * 31 cannot be represented in type 'long int'
                #0 0x55 in main /src/main.c:24
            /src/main.c:30:5: runtime error: load of misaligned address 0x7ffd1 for type 'int'
            """);
        Assert.That(findings.Select(f => f.Tool), Is.EqualTo(new[] { "ubsan", "ubsan" }));
        Assert.That(findings[0].Summary, Does.StartWith("UndefinedBehaviorSanitizer: signed integer overflow").And.EndWith("at main.c:24"));
    }

    [Test]
    public void The_signature_is_the_same_in_every_run()
    {
        var other = Tsan.Replace("28739", "1234").Replace("0x55666258d6d8", "0x7f00aa").Replace("thread T3", "thread T1");
        Assert.That(SanitizerReport.Parse(other).Single().Signature, Is.EqualTo(SanitizerReport.Parse(Tsan).Single().Signature));
        var ub1 = SanitizerReport.Parse("/a.c:1:2: runtime error: load of misaligned address 0x1234 for type 'int'").Single();
        var ub2 = SanitizerReport.Parse("/a.c:1:2: runtime error: load of misaligned address 0x9999 for type 'int'").Single();
        Assert.That(ub1.Signature, Is.EqualTo(ub2.Signature));
    }

    [Test]
    public void Plain_stderr_has_no_findings()
    {
        Assert.That(SanitizerReport.Parse("openmp: 1\nwarning: something\n"), Is.Empty);
    }
}
