using System.Text.RegularExpressions;
using ParaSlm.Sdk.Tests.Support;

namespace ParaSlm.Sdk.Tests.CMake;

/// <summary>
/// A project extends ParaSlm's build the MSBuild way: ParaSlmBefore/After{Generate,Compile} targets it redefines,
/// its own targets in $(ParaSlmGenerateDependsOn)/$(ParaSlmCompileDependsOn), and the UsingParaSlmSdk marker
/// (Fixtures/HookApp/app.proj over CMakeApp's sources). One real build; every hook must run, once, in order.
/// </summary>
[TestFixture]
[Category("E2E")]
[Parallelizable(ParallelScope.None)]
public sealed class ExtensionPointTests
{
    private ProcessResult _build = null!;

    [OneTimeSetUp]
    public void Build()
    {
        var app = new CMakeApp(SdkWorkspace.Shared, "hooks");
        var hooked = File.ReadAllText(Path.Combine(SdkWorkspace.Shared.Fixtures, "HookApp", "app.proj"));
        File.WriteAllText(Path.Combine(app.Directory, app.Project), hooked.Replace("@PARASLM_SDK_VERSION@", SdkWorkspace.Shared.SdkVersion, StringComparison.Ordinal));
        _build = app.Build().ShouldSucceed();
    }

    private List<string> Hooks() =>
        Regex.Matches(_build.Output, @"hook: [^\r\n]*").Select(m => m.Value.Trim()).Distinct().ToList();

    [Test]
    public void Every_hook_runs_once_in_the_order_of_the_build()
    {
        var hooks = Hooks();
        Assert.That(hooks.Select(h => Regex.Replace(h, @",.*$", string.Empty)), Is.EqualTo(new[]
        {
            "hook: before generate", "hook: own generate step", "hook: after generate",
            "hook: before compile", "hook: own compile step", "hook: after compile",
            "hook: UsingParaSlmSdk=true",
        }), ProcessResult.Tail(_build.Output));
        Assert.That(Regex.Matches(_build.Output, @"hook: after generate").Count, Is.EqualTo(1), "a hook runs once per build");
    }

    [Test]
    public void ParaSlmAfterGenerate_sees_the_engines_results_and_ParaSlmAfterCompile_the_built_program()
    {
        var hooks = Hooks();
        Assert.That(hooks, Has.Some.Match(@"^hook: after generate, [1-9]\d* rewritten file\(s\)$"), "the engine ran before the hook");
        Assert.That(hooks, Has.Member("hook: after compile, program exists: True"));
        var engineSummary = _build.Output.IndexOf("ParaSlm: ", _build.Output.IndexOf("hook: own generate step", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.That(engineSummary, Is.LessThan(_build.Output.IndexOf("hook: after generate", StringComparison.Ordinal)));
    }
}
