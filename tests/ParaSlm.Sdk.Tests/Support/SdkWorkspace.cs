using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;

namespace ParaSlm.Sdk.Tests.Support;

/// <summary>
/// One temporary workspace per test run, shared by all end-to-end tests: a private feed holding the ParaSlm.Sdk
/// package this repository built (artifacts/feed), a private NUGET_PACKAGES folder (so a stale ParaSlm.Sdk of the
/// same version in ~/.nuget/packages is never used) and a nuget.config that maps ParaSlm.Sdk to that feed only.
/// Fixture projects are copied into it and built with the real `dotnet build`.
/// <para>
/// The package comes from the repository build: building sdk/ParaSlm.Sdk.csproj (part of ParaSlm.Build.sln, and a
/// build dependency of this test project) writes artifacts/feed/ParaSlm.Sdk.&lt;version&gt;.nupkg. If that file is
/// missing or older than the SDK's sources, the workspace builds the SDK project once before the first test.
/// </para>
/// </summary>
public sealed class SdkWorkspace
{
    private static readonly Regex SdkReference = new("Name=\"ParaSlm.Sdk\" Version=\"[^\"]+\"", RegexOptions.CultureInvariant);

    private static readonly Lazy<SdkWorkspace> SharedWorkspace = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    private SdkWorkspace(string root, string repositoryRoot, string version, IReadOnlyDictionary<string, string?> environment)
    {
        Root = root;
        RepositoryRoot = repositoryRoot;
        SdkVersion = version;
        Environment = environment;
    }

    public static SdkWorkspace Shared => SharedWorkspace.Value;

    public static bool IsCreated => SharedWorkspace.IsValueCreated;

    public string Root { get; }
    public string RepositoryRoot { get; }
    public string SdkVersion { get; }

    /// <summary>The environment of every child process (MSBuild variables of the test host removed).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; }

    public string Fixtures => Path.Combine(RepositoryRoot, "tests", "ParaSlm.Sdk.Tests", "Fixtures");

    /// <summary>Copies a fixture (a folder under Fixtures/, or any folder of the repository) to a new folder of the workspace.</summary>
    public string Copy(string sourceDirectory, string name)
    {
        var target = Path.Combine(Root, name + "-" + Guid.NewGuid().ToString("N")[..6]);
        CopyDirectory(sourceDirectory, target);
        foreach (var project in Directory.EnumerateFiles(target, "*.*proj"))
        {
            File.WriteAllText(project, File.ReadAllText(project).Replace("@PARASLM_SDK_VERSION@", SdkVersion, StringComparison.Ordinal));
        }
        return target;
    }

    /// <summary>
    /// Copies one of the repository's samples (samples/NAME) as a user would have it: the sample's own nuget.config,
    /// which points at the repository's feed, is dropped so the workspace's (one folder up) is used, and its
    /// projects reference the ParaSlm.Sdk version this repository built.
    /// </summary>
    public string CopySample(string sample, string name)
    {
        var target = Copy(Path.Combine(RepositoryRoot, "samples", sample), name);
        File.Delete(Path.Combine(target, "nuget.config"));
        foreach (var project in Directory.EnumerateFiles(target, "*.*proj"))
            File.WriteAllText(project, SdkReference.Replace(File.ReadAllText(project), $"Name=\"ParaSlm.Sdk\" Version=\"{SdkVersion}\""));
        return target;
    }

    public ProcessResult Dotnet(string workingDirectory, params string[] arguments)
    {
        // A plan cache per project folder: validation records the loops it rejects by content, and fixtures share code
        // (several tests build ValidateApp), so one test's verdict must not decide another test's build.
        var environment = new Dictionary<string, string?>(Environment)
        {
            ["XDG_CACHE_HOME"] = Path.GetFullPath(workingDirectory).TrimEnd(Path.DirectorySeparatorChar) + ".plan-cache",
        };
        return ProcessRunner.Run("dotnet", arguments, workingDirectory, environment);
    }

    /// <summary>`dotnet build` the way the tests want it: one node, no node reuse, normal verbosity, no terminal logger.</summary>
    public ProcessResult Build(string workingDirectory, string project, params string[] extra) =>
        Dotnet(workingDirectory, ["build", project, "-m:1", "-nodeReuse:false", "-v:n", "-tl:off", "-nologo", .. extra]);

    public ProcessResult Run(string program, string workingDirectory, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var environment = new Dictionary<string, string?>(Environment);
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) environment[key] = value;
        return ProcessRunner.Run(program, [], workingDirectory, environment, TimeSpan.FromMinutes(2));
    }

    public static void DeleteShared()
    {
        if (!IsCreated || System.Environment.GetEnvironmentVariable("PARASLM_KEEP_TEST_DIRS") == "1") return;
        try
        {
            Directory.Delete(Shared.Root, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temporary folder is not a test failure
        }
    }

    private static SdkWorkspace Create()
    {
        var assembly = typeof(SdkWorkspace).Assembly;
        string Metadata(string key) => assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
        var repository = Metadata("ParaSlmRepositoryRoot");
        var version = Metadata("ParaSlmSdkVersion");
        var configuration = Metadata("ParaSlmConfiguration");

        var environment = ChildEnvironment();
        var package = EnsurePackage(repository, version, configuration, environment);

        var root = Path.Combine(Path.GetTempPath(), "paraslm-sdk-tests-" + Guid.NewGuid().ToString("N")[..8]);
        var feed = Path.Combine(root, "feed");
        var packages = Path.Combine(root, "packages");
        Directory.CreateDirectory(feed);
        Directory.CreateDirectory(packages);
        File.Copy(package, Path.Combine(feed, Path.GetFileName(package)));
        File.WriteAllText(Path.Combine(root, "nuget.config"), NuGetConfig(feed));
        environment["NUGET_PACKAGES"] = packages;
        // A plan cache of the test run's own (the per-user default lives under XDG_CACHE_HOME): validation records the
        // loops it rejects there by content, and such a verdict must not reach other runs or the user's builds.
        environment["XDG_CACHE_HOME"] = Path.Combine(root, "cache");
        return new SdkWorkspace(root, repository, version, environment);
    }

    /// <summary>The local feed for ParaSlm.Sdk (and nothing else), nuget.org for Microsoft.Build.NoTargets.</summary>
    private static string NuGetConfig(string feed) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
            <add key="paraslm-local" value="{feed}" />
            <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
          </packageSources>
          <packageSourceMapping>
            <packageSource key="paraslm-local">
              <package pattern="ParaSlm.Sdk" />
            </packageSource>
            <packageSource key="nuget.org">
              <package pattern="*" />
            </packageSource>
          </packageSourceMapping>
        </configuration>
        """;

    private static string EnsurePackage(string repository, string version, string configuration, Dictionary<string, string?> environment)
    {
        var package = Path.Combine(repository, "artifacts", "feed", $"ParaSlm.Sdk.{version}.nupkg");
        var pivot = configuration.ToLowerInvariant();
        var inputs = Directory.EnumerateFiles(Path.Combine(repository, "targets"), "*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(repository, "sdk", "Sdk")))
            .Append(Path.Combine(repository, "artifacts", "bin", "ParaSlm.Tasks", pivot, "ParaSlm.Tasks.dll"))
            .Append(Path.Combine(repository, "artifacts", "bin", "ParaSlm.Cli", pivot, "paraslm.dll"))
            .Where(File.Exists)
            .Select(File.GetLastWriteTimeUtc)
            .DefaultIfEmpty(DateTime.MaxValue)
            .Max();
        if (!File.Exists(package) || File.GetLastWriteTimeUtc(package) < inputs)
        {
            var project = Path.Combine(repository, "sdk", "ParaSlm.Sdk.csproj");
            ProcessRunner.Run("dotnet", ["build", project, "-c", configuration, "-nodeReuse:false", "-nologo", "-v:q"], repository, environment,
                TimeSpan.FromMinutes(5)).ShouldSucceed();
        }
        Assert.That(package, Does.Exist, "building sdk/ParaSlm.Sdk.csproj should have written the package");
        return package;
    }

    private static Dictionary<string, string?> ChildEnvironment()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            // The test host may run inside MSBuild (dotnet test): its variables would steer the child builds.
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || name is "DOTNET_HOST_PATH" or "NUGET_PACKAGES" or "OLLAMA_HOST" or "CMAKE_GENERATOR") continue;
            environment[name] = (string?)entry.Value;
        }
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        // No real model server is ever contacted: a closed loopback port (also exercises the OLLAMA_HOST handling).
        environment["OLLAMA_HOST"] = "127.0.0.1:9";
        return environment;
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
        foreach (var directory in Directory.EnumerateDirectories(source))
        {
            var name = Path.GetFileName(directory);
            if (name is "bin" or "obj" or "build" or "x64") continue; // never copy outputs of a manual build
            CopyDirectory(directory, Path.Combine(target, name));
        }
    }
}
