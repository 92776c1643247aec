using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using ParaSlm.Tasks;

namespace ParaSlm.Sdk.Tests.Tasks;

/// <summary>The item swap on its own: metadata kept (escaping included), original folder first, OpenMP on.</summary>
[TestFixture]
[Category("Unit")]
public sealed class SwapSourcesTests
{
    [Test]
    public void OnlyRewrittenItemsAreSwapped_WithEveryMetadataValueKept()
    {
        var dir = Path.Combine(Path.GetTempPath(), "paraslm-swap-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var rewritten = Path.Combine(dir, "a.1234abcd.c");
            File.WriteAllText(rewritten, "int x;\n");
            var a = new TaskItem(Path.Combine(dir, "src", "a.c"));
            a.SetMetadata("PreprocessorDefinitions", "X=1;Y=2");
            a.SetMetadata("AdditionalIncludeDirectories", "inc%3Bwith-semicolon;other");
            a.SetMetadata("AdditionalOptions", "/W4");
            var b = new TaskItem(Path.Combine(dir, "src", "b.c"));
            var result = new TaskItem(Path.Combine(dir, "src", "a.c"));
            result.SetMetadata("Status", "rewritten");
            result.SetMetadata("Rewritten", rewritten);

            var task = new ParaSlmSwapSources { Sources = [a, b], Results = [result], OpenMPOptions = "/openmp:llvm", BuildEngine = new QuietEngine() };
            Assert.That(task.Execute(), Is.True);

            var swapped = task.Swapped.Single();
            Assert.Multiple(() =>
            {
                Assert.That(task.Replaced.Single(), Is.SameAs(a));
                Assert.That(swapped.ItemSpec, Is.EqualTo(rewritten));
                Assert.That(swapped.GetMetadata("PreprocessorDefinitions"), Is.EqualTo("X=1;Y=2"));
                Assert.That(((ITaskItem2)swapped).GetMetadataValueEscaped("AdditionalIncludeDirectories"),
                    Is.EqualTo(Path.Combine(dir, "src") + ";inc%3Bwith-semicolon;other"));
                Assert.That(swapped.GetMetadata("OpenMPSupport"), Is.EqualTo("true"));
                Assert.That(swapped.GetMetadata("AdditionalOptions"), Is.EqualTo("/W4 /openmp:llvm"));
                Assert.That(swapped.GetMetadata("ParaSlmOriginal"), Is.EqualTo(a.ItemSpec));
            });
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private sealed class QuietEngine : IBuildEngine
    {
        public bool ContinueOnError => false;
        public int LineNumberOfTaskNode => 0;
        public int ColumnNumberOfTaskNode => 0;
        public string ProjectFileOfTaskNode => "test.proj";
        public bool BuildProjectFile(string projectFileName, string[] targetNames, System.Collections.IDictionary globalProperties, System.Collections.IDictionary targetOutputs) => true;
        public void LogCustomEvent(CustomBuildEventArgs e) { }
        public void LogErrorEvent(BuildErrorEventArgs e) => Assert.Fail(e.Message ?? "error");
        public void LogMessageEvent(BuildMessageEventArgs e) { }
        public void LogWarningEvent(BuildWarningEventArgs e) { }
    }
}
