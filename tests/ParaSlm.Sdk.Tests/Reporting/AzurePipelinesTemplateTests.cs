using System.Text.RegularExpressions;
using ParaSlm.Sdk.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace ParaSlm.Sdk.Tests.Reporting;

/// <summary>
/// samples/azure-pipelines: the YAML parses; its tasks are the ones it means (with their required inputs); every variable
/// its scripts read is defined by the pipeline, the step or the agent; what the publish steps pick up is what the build
/// script writes; and each script step, run here exactly as the pipeline runs it, builds a real project.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
[Category("E2E")]
public sealed class AzurePipelinesTemplateTests
{
    private static string Samples => Path.Combine(SdkWorkspace.Shared.RepositoryRoot, "samples", "azure-pipelines");

    // Variables the agent defines in every job (https://learn.microsoft.com/azure/devops/pipelines/build/variables).
    private static readonly HashSet<string> AgentVariables = ["BUILD_ARTIFACTSTAGINGDIRECTORY", "PIPELINE_WORKSPACE", "AGENT_OS", "TF_BUILD", "PWD"];

    private static YamlMappingNode Load(string name)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Samples, name));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents.Single().RootNode;
    }

    private static YamlNode? Get(YamlNode node, string key) =>
        node is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    private static string? Text(YamlNode node, string key) => (Get(node, key) as YamlScalarNode)?.Value;

    private static IReadOnlyList<YamlMappingNode> Steps(YamlMappingNode root) => ((YamlSequenceNode)Get(root, "steps")!).Children.Cast<YamlMappingNode>().ToList();

    private static Dictionary<string, string> Variables(YamlMappingNode root) =>
        ((YamlMappingNode)Get(root, "variables")!).Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value!);

    private static Dictionary<string, string> Env(YamlMappingNode step) =>
        Get(step, "env") is YamlMappingNode env ? env.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value!) : [];

    /// <summary>`bash ci/x.sh` → ci/x.sh.</summary>
    private static string ScriptOf(YamlMappingNode step)
    {
        var m = Regex.Match(Text(step, "script")!, @"^bash (?<file>ci/[\w.-]+\.sh)$");
        Assert.That(m.Success, Is.True, $"a script step runs one script of ci/: '{Text(step, "script")}'");
        return m.Groups["file"].Value;
    }

    [TestCase("paraslm-nightly.yml")]
    [TestCase("paraslm-pr.yml")]
    public void Every_script_exists_and_the_variables_of_pipeline_and_scripts_match(string pipeline)
    {
        var root = Load(pipeline);
        var variables = Variables(root);
        var readByScripts = new HashSet<string>();
        foreach (var step in Steps(root).Where(s => Get(s, "script") is not null))
        {
            var script = Path.Combine(Samples, ScriptOf(step));
            Assert.That(script, Does.Exist);
            var defined = variables.Keys.Concat(Env(step).Keys).Concat(AgentVariables).ToHashSet();
            foreach (Match m in Regex.Matches(File.ReadAllText(script), @"\$\{(?<v>[A-Z_][A-Z0-9_]*)(?<default>:-[^}]*)?\}"))
            {
                readByScripts.Add(m.Groups["v"].Value);
                // A variable read without a default must come from the pipeline, the step or the agent.
                if (!m.Groups["default"].Success)
                    Assert.That(defined, Does.Contain(m.Groups["v"].Value), $"{pipeline}: {ScriptOf(step)} needs {m.Groups["v"].Value}");
            }
        }
        // Every setting the pipeline makes reaches something: a script reads it, or a task input uses it as $(NAME).
        var taskInputs = string.Join("\n", Steps(root).Where(s => Get(s, "task") is not null)
            .SelectMany(t => ((YamlMappingNode)Get(t, "inputs")!).Children.Values.OfType<YamlScalarNode>().Select(v => v.Value)));
        var settings = variables.Keys.Concat(Steps(root).SelectMany(s => Env(s).Keys)).Where(v => v.StartsWith("PARASLM_", StringComparison.Ordinal) || v == "PROJECT");
        foreach (var v in settings)
            Assert.That(readByScripts.Contains(v) || taskInputs.Contains($"$({v})", StringComparison.Ordinal), Is.True, $"{pipeline} sets {v}, which nothing uses");
        Assert.That(readByScripts, Does.Contain("PARASLM_MODE").And.Contain("PARASLM_VALIDATE").And.Contain("PARASLM_FAIL_ON"));
    }

    [Test]
    public void The_nightly_runs_on_a_schedule_validates_everything_and_publishes_sarif_report_and_test_results()
    {
        var root = Load("paraslm-nightly.yml");
        var schedule = ((YamlSequenceNode)Get(root, "schedules")!).Children.Single();
        Assert.That(Text(schedule, "cron"), Does.Match(@"^(\S+\s+){4}\S+$"));
        Assert.That(Text(Get(root, "pool")!, "vmImage"), Does.StartWith("ubuntu"));
        var steps = Steps(root);
        Assert.That(steps.Where(s => Get(s, "script") is not null).Select(ScriptOf), Is.EqualTo(new[] { "ci/bootstrap.sh", "ci/paraslm-build.sh" }));
        var build = steps.Single(s => Text(s, "script") == "bash ci/paraslm-build.sh");
        Assert.That(Env(build)["PARASLM_VALIDATE"], Is.EqualTo("all"));

        var tasks = steps.Where(s => Get(s, "task") is not null).ToList();
        Assert.That(tasks.Select(t => Text(t, "task")), Is.EquivalentTo(new[] { "Cache@2", "PublishBuildArtifacts@1", "PublishBuildArtifacts@1", "PublishTestResults@2" }));
        var cache = tasks.Single(t => Text(t, "task") == "Cache@2");
        Assert.That(Text(Get(cache, "inputs")!, "key"), Does.Contain("$(PROJECT)").And.Contain("**/*.c"),
            "keyed on the project file (which names the ParaSlm.Sdk version) and the sources");
        Assert.That(Text(Get(cache, "inputs")!, "path"), Is.EqualTo("$(PARASLM_CACHE_DIR)"));
        Assert.That(Variables(root), Does.ContainKey("PARASLM_CACHE_DIR"));
        Assert.That(tasks.Where(t => Text(t, "task") == "PublishBuildArtifacts@1").Select(t => Text(Get(t, "inputs")!, "ArtifactName")),
            Is.EquivalentTo(new[] { "CodeAnalysisLogs", "paraslm-report" }));
        var junit = tasks.Single(t => Text(t, "task") == "PublishTestResults@2");
        Assert.That(Text(Get(junit, "inputs")!, "testResultsFormat"), Is.EqualTo("JUnit"));
        Assert.That(Text(Get(junit, "inputs")!, "testResultsFiles"), Does.EndWith("/paraslm-report/paraslm-validation.junit.xml"));
    }

    [Test]
    public void The_pr_build_analyzes_with_the_shared_redis_cache_from_a_secret()
    {
        var root = Load("paraslm-pr.yml");
        Assert.That(Variables(root)["PARASLM_MODE"], Is.EqualTo("Analyze"));
        Assert.That(Variables(root), Does.Not.ContainKey("PARASLM_REDIS_URL"), "a secret is never written into the YAML");
        var build = Steps(root).Single(s => Text(s, "script") == "bash ci/paraslm-build.sh");
        Assert.That(Env(build)["PARASLM_CACHE"], Is.EqualTo("$(PARASLM_REDIS_URL)"));
        Assert.That(Steps(root).Where(s => Get(s, "task") is not null).Select(t => Text(Get(t, "inputs")!, "ArtifactName")),
            Is.EquivalentTo(new[] { "CodeAnalysisLogs", "paraslm-report" }));
    }

    /// <summary>The pipeline's step, here: its variables and env (macros `$(X)` resolved to local folders), TF_BUILD=True.</summary>
    private static ProcessResult RunStep(string pipeline, string project, IReadOnlyDictionary<string, string> secrets)
    {
        var root = Load(pipeline);
        var build = Steps(root).Single(s => Text(s, "script") == "bash ci/paraslm-build.sh");
        var staging = Path.Combine(project, "staging");
        var agent = new Dictionary<string, string>
        {
            ["Build.ArtifactStagingDirectory"] = staging, ["Pipeline.Workspace"] = Path.Combine(project, "workspace"), ["Agent.OS"] = "Linux",
        };
        string Expand(string value) => Regex.Replace(value, @"\$\((?<v>[\w.]+)\)", m =>
            agent.TryGetValue(m.Groups["v"].Value, out var a) ? a : secrets.TryGetValue(m.Groups["v"].Value, out var s) ? s : m.Value);
        var environment = new Dictionary<string, string?>(SdkWorkspace.Shared.Environment) { ["TF_BUILD"] = "True", ["BUILD_ARTIFACTSTAGINGDIRECTORY"] = staging };
        foreach (var (k, v) in Variables(root).Concat(Env(build)))
            if (k != "NUGET_PACKAGES") environment[k] = Expand(v); // the tests' own package folder holds the packed SDK
        var ci = Path.Combine(project, "ci");
        Directory.CreateDirectory(ci);
        File.Copy(Path.Combine(Samples, "ci", "paraslm-build.sh"), Path.Combine(ci, "paraslm-build.sh"), overwrite: true);
        return ProcessRunner.Run("bash", ["ci/paraslm-build.sh"], project, environment, TimeSpan.FromMinutes(10));
    }

    [Test]
    public void The_nightly_build_step_run_here_writes_what_its_publish_steps_pick_up()
    {
        var app = new CMakeApp(SdkWorkspace.Shared, "pipeline-nightly");
        var run = RunStep("paraslm-nightly.yml", app.Directory, new Dictionary<string, string>()).ShouldSucceed();
        var staging = Path.Combine(app.Directory, "staging");
        Assert.That(Path.Combine(staging, "CodeAnalysisLogs", "paraslm.sarif"), Does.Exist);
        Assert.That(Path.Combine(staging, "paraslm-report", "paraslm-report.html"), Does.Exist);
        Assert.That(Path.Combine(staging, "paraslm-report", "paraslm-validation.junit.xml"), Does.Exist);
        Assert.That(run.Output, Does.Contain("ParaSlm: validation (tsan passed, asan passed)"), "the nightly validates with both variants");
        Assert.That(run.Output, Does.Contain("##vso[task.uploadsummary]"));
    }

    [Test]
    public void The_pr_build_step_run_here_analyzes_only()
    {
        var app = new CMakeApp(SdkWorkspace.Shared, "pipeline-pr");
        RunStep("paraslm-pr.yml", app.Directory, new Dictionary<string, string> { ["PARASLM_REDIS_URL"] = "redis://127.0.0.1:6399" }).ShouldSucceed();
        Assert.That(Path.Combine(app.Directory, "staging", "CodeAnalysisLogs", "paraslm.sarif"), Does.Exist);
        Assert.That(app.Outputs().Values.Select(v => v.Status), Is.All.EqualTo("unchanged"), "Analyze rewrites nothing");
        using var request = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(app.IntermediateDir, "paraslm.request.json")));
        Assert.That(request.RootElement.GetProperty("cache").GetString(), Is.EqualTo("redis://127.0.0.1:6399"));
        Assert.That(request.RootElement.GetProperty("mode").GetString(), Is.EqualTo("Analyze"));
    }
}
