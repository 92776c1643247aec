using Microsoft.Build.Utilities;
using ParaSlm.Tasks.Internal;

namespace ParaSlm.Sdk.Tests.Tasks;

/// <summary>ClCompile metadata → the clang arguments libclang parses the file with.</summary>
[TestFixture]
[Category("Unit")]
public sealed class ClCompileArgumentsTests
{
    private static readonly string Project = Path.Combine(Path.GetTempPath(), "proj");

    private static TaskItem Item(string file, params (string Name, string Value)[] metadata)
    {
        var item = new TaskItem(Path.Combine(Project, file));
        foreach (var (name, value) in metadata) item.SetMetadata(name, value);
        return item;
    }

    [Test]
    public void IncludesDefinesAndForcedIncludes_BecomeAbsoluteClangSwitches()
    {
        var args = ClCompileArguments.For(Item("src/a.c",
            ("AdditionalIncludeDirectories", "include; ../shared ;%(AdditionalIncludeDirectories)"),
            ("PreprocessorDefinitions", "X=1;NDEBUG;;%(PreprocessorDefinitions)"),
            ("UndefinePreprocessorDefinitions", "Y"),
            ("ForcedIncludeFiles", "pch.h")), Project);
        Assert.That(args, Is.EqualTo(new[]
        {
            "-I" + Path.Combine(Project, "include"), "-I" + Path.GetFullPath(Path.Combine(Project, "../shared")),
            "-DX=1", "-DNDEBUG", "-UY", "-include", Path.Combine(Project, "pch.h"),
        }));
    }

    [TestCase("a.cpp", "stdcpp17", "", "", "-std=c++17")]
    [TestCase("a.cpp", "stdcpplatest", "", "", "-std=c++2c")]
    [TestCase("a.c", "stdcpp17", "stdc11", "", "-std=c11")]
    [TestCase("a.c", "", "stdc17", "", "-std=c17")]
    [TestCase("a.c", "", "Default", "", null)]
    [TestCase("a.cpp", "", "", "CompileAsC", "-std=c11")]
    public void LanguageStandard_FollowsTheLanguageTheFileIsCompiledAs(string file, string cpp, string c, string compileAs, string? expected)
    {
        var item = Item(file, ("LanguageStandard", cpp), ("LanguageStandard_C", compileAs == "CompileAsC" ? "stdc11" : c), ("CompileAs", compileAs));
        var args = ClCompileArguments.For(item, Project);
        var std = args.SingleOrDefault(a => a.StartsWith("-std=", StringComparison.Ordinal));
        Assert.That(std, Is.EqualTo(expected));
        if (compileAs == "CompileAsC") Assert.That(args.Take(2), Is.EqualTo(new[] { "-x", "c" }));
    }

    [Test]
    public void LinuxToolsetStandards_ArePassedThrough()
    {
        Assert.That(ClCompileArguments.For(Item("a.cpp", ("CppLanguageStandard", "gnu++17")), Project), Does.Contain("-std=gnu++17"));
        Assert.That(ClCompileArguments.For(Item("a.c", ("CLanguageStandard", "c99")), Project), Does.Contain("-std=c99"));
    }
}
