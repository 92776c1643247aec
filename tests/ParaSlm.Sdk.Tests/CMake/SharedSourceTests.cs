using ParaSlm.Sdk.Tests.Support;

namespace ParaSlm.Sdk.Tests.CMake;

/// <summary>
/// Fixtures/SharedSourceApp: one source compiled by two targets of the same folder (`vec`, and `novec` with
/// -fno-tree-vectorize), the shape of TSVC_2's tsvc.c. CMake's source properties belong to the folder, so the inject step
/// set the copy's `-iquote <original folder>` and OpenMP flags once per target on the same property: every command that
/// compiled the copy carried each of them twice.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("E2E")]
public sealed class SharedSourceTests
{
    private CMakeApp _app = null!;

    [OneTimeSetUp]
    public void BuildOnce()
    {
        _app = new CMakeApp(SdkWorkspace.Shared, "shared-source", "SharedSourceApp");
        _app.Build("-p:ParaSlmCMakeBuildSerial=true").ShouldSucceed();
    }

    [Test]
    public void A_copy_compiled_by_two_targets_of_one_folder_gets_each_injected_flag_once_per_command()
    {
        var copy = _app.Outputs()[_app.Source("src/kernels.c")];
        Assert.That(copy.Status, Is.EqualTo("rewritten"), File.ReadAllText(_app.OutputsFile));
        var commands = _app.CompileCommandEntries(_app.ParallelTree).Where(e => e.File == copy.Rewritten).Select(e => e.Command).ToList();
        Assert.That(commands, Has.Count.EqualTo(2), "both targets compile the copy");
        var quote = "-iquote" + Path.GetDirectoryName(_app.Source("src/kernels.c"));
        Assert.Multiple(() =>
        {
            foreach (var command in commands)
            {
                var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                Assert.That(words.Count(w => w == quote), Is.EqualTo(1), command);
                Assert.That(words.Count(w => w == "-fopenmp"), Is.EqualTo(1), command);
            }
            Assert.That(commands.Count(c => c.Contains("-fno-tree-vectorize", StringComparison.Ordinal)), Is.EqualTo(1), "each target keeps its own flags");
        });
    }

    [Test]
    public void Both_targets_print_what_their_serial_builds_print()
    {
        foreach (var program in new[] { "vec", "novec" })
        {
            var serial = _app.Run(Path.Combine(_app.SerialTree, program)).ShouldSucceed().StandardOutput;
            Assert.That(serial, Does.StartWith("sum="));
            foreach (var threads in new[] { 2, 4 })
                Assert.That(_app.Run(Path.Combine(_app.ParallelTree, program), threads).ShouldSucceed().StandardOutput, Is.EqualTo(serial), $"{program}, {threads} threads");
        }
    }
}
