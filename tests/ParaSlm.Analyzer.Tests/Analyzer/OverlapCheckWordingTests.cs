using ParaSlm.Analyzer.Tests.Support;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// The overlap check is shown in the report and emitted as the `if` of the generated code, so it reads as a person
/// writes it. Found on FLAC (`residual[i] = data[i] - data[i-1]`): the check read `residual + idata_len <= data + -1`.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class OverlapCheckWordingTests : SnippetFixture
{
    [Test]
    public void A_read_before_the_first_element_subtracts_from_the_pointer()
    {
        const string source = """
            void first_difference(const int *data, int n, int *residual) {
                for (int i = 0; i < n; i++)
                    residual[i] = data[i] - data[i - 1];
            }
            """;
        var loop = Snippets.Single(source);
        Assert.That(loop.RuntimeCheck, Is.Not.Null, loop.Reason);
        Assert.That(loop.RuntimeCheck, Does.Contain("data - 1"));
        Assert.That(loop.RuntimeCheck, Does.Not.Contain("+ -"));
    }
}
