using ParaSlm.Validation;

namespace ParaSlm.Analyzer.Tests.Validation;

/// <summary>The final check's reference: lines a sanitizer build's reference printed differently in its two runs are not
/// compared, even where the two serial runs printed them alike by chance (found on PolyBench through app.proj: a kernel
/// time `0.000021` printed twice by the serial build reverted every loop of the project as "different").</summary>
[TestFixture]
[Category("Unit")]
public sealed class FinalReferenceTests
{
    private static readonly OutputComparer Default = OutputComparer.Create(null, null);

    private static Dictionary<string, ReferenceRun> Refs(string test, string output, params int[] unstable) =>
        new(StringComparer.Ordinal) { [test] = new ReferenceRun(test, 0, output, 0.1, unstable.Length > 0 ? unstable : null) };

    [Test]
    public void A_clock_line_that_varied_in_a_variants_reference_is_not_compared_in_the_final_check()
    {
        var serial = Refs("mvt", "0.000021\nresult 1.5\n");
        var tsan = Refs("mvt", "0.000259\nresult 1.5\n", 1);
        var judged = FinalReference.WithLinesVaryingInVariants(Default, serial, [tsan])["mvt"];
        Assert.That(judged.UnstableLines, Is.EqualTo(new[] { 1 }));
        Assert.That(judged.Ignored!.Single().Text, Is.EqualTo("0.000021"));
        Assert.Multiple(() =>
        {
            // The final program's slower clock line passes; its result line is still compared.
            Assert.That(Default.Compare(judged.Output, "0.000394\nresult 1.5\n", judged.UnstableLines).Equal, Is.True);
            Assert.That(Default.Compare(judged.Output, "0.000394\nresult 2.5\n", judged.UnstableLines).Equal, Is.False);
            Assert.That(Default.Compare(serial["mvt"].Output, "0.000394\nresult 1.5\n", serial["mvt"].UnstableLines).Equal, Is.False,
                "without the variants' knowledge the clock line is a difference");
        });
    }

    [Test]
    public void A_variant_reference_of_another_shape_or_another_test_adds_nothing()
    {
        var serial = Refs("mvt", "0.000021\nresult 1.5\n");
        var longer = Refs("mvt", "0.000259\nresult 1.5\nextra\n", 1);
        var other = Refs("gemm", "0.000259\nresult 1.5\n", 1);
        var judged = FinalReference.WithLinesVaryingInVariants(Default, serial, [longer, other])["mvt"];
        Assert.That(judged.UnstableLines, Is.Null);
        Assert.That(judged, Is.SameAs(serial["mvt"]));
    }
}
