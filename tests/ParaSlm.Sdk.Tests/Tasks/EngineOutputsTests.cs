using ParaSlm.Contracts;
using ParaSlm.Tasks.Internal;

namespace ParaSlm.Sdk.Tests.Tasks;

[TestFixture]
[Category("Unit")]
public sealed class EngineOutputsTests
{
    [Test]
    public void Table_IsReadWithStatuses_AndTheSummaryCountsIt()
    {
        var dir = Path.Combine(Path.GetTempPath(), "paraslm-outputs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var file = Path.Combine(dir, EngineOutputs.FileName);
            File.WriteAllText(file, "# original\trewritten\tstatus\tloops\tparallel\n" +
                                    "/p/a.c\t/p/obj/src/a.1234abcd.c\trewritten\t5\t3\n" +
                                    "/p/b.c\t\tunchanged\t2\t0\n" +
                                    "/p/c.c\t\terror\t0\t0\n");
            var outputs = EngineOutputs.Read(file);
            Assert.That(outputs.Select(o => (o.Original, o.IsRewritten)), Is.EqualTo(new[] { ("/p/a.c", true), ("/p/b.c", false), ("/p/c.c", false) }));
            Assert.That(EngineOutputs.Summary(outputs, "/r/paraslm-report.md"),
                Is.EqualTo("ParaSlm: 3 files, 7 loops, 3 parallel, 1 rewritten, 1 not processed (see the warnings) \u2014 report: /r/paraslm-report.md"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void MissingTable_IsEmpty() =>
        Assert.That(EngineOutputs.Read(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "x.tsv")), Is.Empty);
}
