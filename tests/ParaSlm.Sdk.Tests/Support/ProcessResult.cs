namespace ParaSlm.Sdk.Tests.Support;

/// <summary>What a finished child process left: its exit code, stdout and stderr interleaved, and its wall time.</summary>
public sealed record ProcessResult(string Command, int ExitCode, string Output, string StandardOutput, TimeSpan Elapsed)
{
    public ProcessResult ShouldSucceed()
    {
        Assert.That(ExitCode, Is.EqualTo(0), $"`{Command}` failed with exit code {ExitCode}:\n{Tail(Output)}");
        return this;
    }

    public ProcessResult ShouldFail()
    {
        Assert.That(ExitCode, Is.Not.EqualTo(0), $"`{Command}` was expected to fail:\n{Tail(Output)}");
        return this;
    }

    /// <summary>The end of a long build log: where the errors and the summary are.</summary>
    public static string Tail(string text, int characters = 12000) =>
        text.Length <= characters ? text : "…" + text[^characters..];
}
