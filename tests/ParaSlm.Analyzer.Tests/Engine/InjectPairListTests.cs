using ParaSlm.Analyzer.Tests.Generation;
using ParaSlm.Analyzer.Tests.Validation;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>
/// The inject script reads the source map's two pair lists (original → copy, copy → its kernels' .cu) through one macro:
/// a project whose cmake_minimum_required predates the policies the script needs still gets its copy swapped in, and a
/// list that is not made of pairs stops the configure with PSLM1007 naming that list.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class InjectPairListTests : EngineFixture
{
    private (string Main, string Copy) Project()
    {
        GenerationWorkspace.RequireTool("cmake");
        // 2.8.12: CMP0054 and CMP0057 (quoted if() arguments, IN_LIST) are OLD in the project's own scope.
        Ws.Write("CMakeLists.txt", "cmake_minimum_required(VERSION 2.8.12)\nproject(pairs C)\nadd_executable(app main.c)\n");
        var main = Ws.Write("main.c", "#include <stdio.h>\nint main(void) { puts(\"original\"); return 0; }\n");
        var copy = Ws.Write("obj/src/main.0000.c", "#include <stdio.h>\nint main(void) { puts(\"copy\"); return 0; }\n");
        return (main, copy);
    }

    private ToolRun Configure(string map)
    {
        var sources = Ws.Write("obj/paraslm.sources.cmake", map + "set(PARASLM_OPENMP OFF)\nset(PARASLM_OFFLOAD_SOURCES \"\")\nset(PARASLM_OFFLOAD_FLAGS \"\")\n");
        var inject = Ws.Write("obj/paraslm.inject.cmake", $"set(PARASLM_SOURCES_FILE \"{sources}\")\ninclude(\"{ValidationProject.InjectLogic}\")\n");
        return GenerationWorkspace.Run("cmake", ["-S", Ws.Root, "-B", Path.Combine(Ws.Root, "build"), "-DCMAKE_PROJECT_INCLUDE=" + inject], Ws.Root);
    }

    [Test]
    public void An_old_project_gets_the_copy_its_source_map_names_and_a_missing_copy_leaves_the_original()
    {
        var (main, copy) = Project();
        var gone = Path.Combine(Ws.Root, "obj", "src", "gone.0000.c");
        var configure = Configure($"set(PARASLM_SOURCE_MAP \"{main};{copy};{Path.Combine(Ws.Root, "other.c")};{gone}\")\nset(PARASLM_CUDA_SOURCES \"{gone};{gone}.cu\")\n");
        Assert.That(configure.ExitCode, Is.EqualTo(0), configure.Output);
        Assert.That(configure.Output, Does.Contain("1 source(s) replaced"));
        var build = GenerationWorkspace.Run("cmake", ["--build", Path.Combine(Ws.Root, "build")], Ws.Root);
        Assert.That(build.ExitCode, Is.EqualTo(0), build.Output);
        Assert.That(GenerationWorkspace.Run(Path.Combine(Ws.Root, "build", "app"), []).StdOut.Trim(), Is.EqualTo("copy"));
    }

    [TestCase("PARASLM_SOURCE_MAP", "original;rewritten")]
    [TestCase("PARASLM_CUDA_SOURCES", "copy;kernels")]
    public void A_list_that_is_not_made_of_pairs_stops_the_configure_with_PSLM1007_naming_it(string list, string pairs)
    {
        var (main, copy) = Project();
        var map = list == "PARASLM_SOURCE_MAP"
            ? $"set(PARASLM_SOURCE_MAP \"{main};{copy};{main}\")\nset(PARASLM_CUDA_SOURCES \"\")\n"
            : $"set(PARASLM_SOURCE_MAP \"{main};{copy}\")\nset(PARASLM_CUDA_SOURCES \"{copy};{copy}.cu;{copy}\")\n";
        var configure = Configure(map);
        Assert.That(configure.ExitCode, Is.Not.EqualTo(0));
        Assert.That(configure.Output, Does.Contain($"PSLM1007:").And.Contain($"{list} must hold {pairs} pairs"));
    }
}
