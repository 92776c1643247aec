using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using ParaSlm.Tasks;

namespace ParaSlm.Sdk.Tests.Tasks;

/// <summary>
/// How the engine's output lines become MSBuild events: its own diagnostics (canonical form with a PSLM code) are
/// warnings and errors at their file and line, and every other line is a message, even one that quotes a compiler's
/// error. Found on cJSON with ParaSlmValidate=all: the asan variant did not build (cJSON's own -Werror), validation
/// said so as the warning PSLM5005, but its progress line quoted gcc's `parse_examples.c:68:5: error: …`, which
/// ToolTask parsed into an MSBuild error, and the build failed.
/// </summary>
[TestFixture]
[Category("Unit")]
public sealed class EngineOutputLinesTests
{
    [Test]
    public void A_progress_line_quoting_a_compilers_error_is_a_message_and_fails_nothing()
    {
        var (task, engine) = Task();
        task.Feed("ParaSlm: validate: asan with 0 loop(s) parallel: failed: the build failed: /src/tests/parse_examples.c:68:5: error: null destination pointer [-Werror=format-overflow=] (0 run(s), 157.3 s)");
        Assert.Multiple(() =>
        {
            Assert.That(engine.Errors, Is.Empty);
            Assert.That(engine.Warnings, Is.Empty);
            Assert.That(engine.Messages, Has.Some.Contains("parse_examples.c:68:5: error: null destination pointer"));
        });
    }

    [Test]
    public void The_engines_own_diagnostics_are_still_warnings_and_errors_at_their_line()
    {
        var (task, engine) = Task();
        task.Feed("/src/a.c(12,5): warning PSLM0005: error: something. The file does not compile with the given arguments; ParaSlm leaves it unchanged.");
        task.Feed("/src/app.proj : error PSLM5004: the final program differs from the serial build");
        Assert.Multiple(() =>
        {
            Assert.That(engine.Warnings.Select(w => (w.Code, w.File, w.LineNumber)), Is.EqualTo(new[] { ("PSLM0005", "/src/a.c", 12) }));
            Assert.That(engine.Errors.Select(e => e.Code), Is.EqualTo(new[] { "PSLM5004" }));
        });
    }

    [Test]
    public void Validations_own_notes_and_result_line_are_shown_at_minimal_verbosity()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ParaSlmRunValidation.ImportanceOf("ParaSlm: PSLM5011: info: the tsan build compiles with clang-19, which does not know -fipa-pta (options of your compiler): it leaves them out and keeps every other flag", MessageImportance.Normal),
                Is.EqualTo(MessageImportance.High));
            Assert.That(ParaSlmRunValidation.ImportanceOf("ParaSlm: validation (tsan passed): 58 parallel loop(s), 58 kept", MessageImportance.Normal), Is.EqualTo(MessageImportance.High));
            // Other lines keep theirs: an engine's note repeated by validation, a compiler's output.
            Assert.That(ParaSlmRunValidation.ImportanceOf("ParaSlm: PSLM3001: info: no model is used", MessageImportance.Normal), Is.EqualTo(MessageImportance.Normal));
            Assert.That(ParaSlmRunValidation.ImportanceOf("/src/a.c:3:1: note: PSLM5011: info: quoted", MessageImportance.Low), Is.EqualTo(MessageImportance.Low));
        });
    }

    private static (Probe Task, RecordingEngine Engine) Task()
    {
        var engine = new RecordingEngine();
        return (new Probe { BuildEngine = engine, EngineAssembly = "paraslm.dll" }, engine);
    }

    /// <summary>The real EngineToolTask line handling, fed lines directly instead of from a process.</summary>
    private sealed class Probe : EngineToolTask
    {
        public void Feed(string line) => LogEventsFromTextOutput(line, MessageImportance.Normal);

        protected override void AppendCommand(CommandLineBuilder builder) { }
    }

    private sealed class RecordingEngine : IBuildEngine
    {
        public List<BuildErrorEventArgs> Errors { get; } = [];
        public List<BuildWarningEventArgs> Warnings { get; } = [];
        public List<string> Messages { get; } = [];
        public bool ContinueOnError => false;
        public int LineNumberOfTaskNode => 0;
        public int ColumnNumberOfTaskNode => 0;
        public string ProjectFileOfTaskNode => "app.proj";
        public bool BuildProjectFile(string projectFileName, string[] targetNames, System.Collections.IDictionary globalProperties, System.Collections.IDictionary targetOutputs) => true;
        public void LogCustomEvent(CustomBuildEventArgs e) { }
        public void LogErrorEvent(BuildErrorEventArgs e) => Errors.Add(e);
        public void LogMessageEvent(BuildMessageEventArgs e) => Messages.Add(e.Message ?? string.Empty);
        public void LogWarningEvent(BuildWarningEventArgs e) => Warnings.Add(e);
    }
}
