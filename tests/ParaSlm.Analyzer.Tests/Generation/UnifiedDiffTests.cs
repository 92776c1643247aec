using System.Text;
using ParaSlm.Analyzer.Generation;

namespace ParaSlm.Analyzer.Tests.Generation;

[TestFixture]
[Category("Integration")]
public sealed class UnifiedDiffTests : GenerationFixture
{
    [Test]
    public void Equal_texts_give_an_empty_diff()
    {
        Assert.That(UnifiedDiff.Create("x.c", "x.c", "a\nb\n", "a\nb\n"), Is.Empty);
    }

    [Test]
    public void Changes_get_three_lines_of_context_and_nearby_changes_share_a_hunk()
    {
        var lines = Enumerable.Range(1, 20).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var old = string.Concat(lines.Select(l => l + "\n"));
        var changed = lines.SelectMany(l => l switch { "2" => ["2", "TWO"], "8" => ["EIGHT"], "19" => [], _ => new[] { l } });
        var @new = string.Concat(changed.Select(l => l + "\n"));

        var diff = UnifiedDiff.Create("src/x.c", "src/x.c", old, @new);

        Assert.That(diff, Is.EqualTo("""
            --- a/src/x.c
            +++ b/src/x.c
            @@ -1,11 +1,12 @@
             1
             2
            +TWO
             3
             4
             5
             6
             7
            -8
            +EIGHT
             9
             10
             11
            @@ -16,5 +17,4 @@
             16
             17
             18
            -19
             20

            """));
    }

    [Test]
    public void Insertions_at_the_start_and_a_missing_final_newline_follow_GNU_diff_conventions()
    {
        var diff = UnifiedDiff.Create("x.c", "x.c", "a\nb", "new\na\nb\n");

        Assert.That(diff, Is.EqualTo("""
            --- a/x.c
            +++ b/x.c
            @@ -1,2 +1,3 @@
            +new
             a
            -b
            \ No newline at end of file
            +b

            """));
    }

    [Test]
    public void Paths_with_backslashes_or_spaces_get_forward_slashes_and_quotes()
    {
        var diff = UnifiedDiff.Create(@"my src\x.c", @"my src\x.c", "a\n", "b\n");

        Assert.That(diff, Does.StartWith("--- \"a/my src/x.c\"\n+++ \"b/my src/x.c\"\n@@ -1 +1 @@\n"));
    }

    private const string Source = """
        #include <stddef.h>

        void kernels(double *dst, const double *src, int n, int c, double *total) {
            double s = 0.0;
            if (c) for (int i = 0; i < n; i++) s += src[i];
            for (int i = 0; i < n; i++)
                dst[i] = src[i] * 2.0;
            *total = s;
        }

        """;

    [TestCase("\n", TestName = "The_diff_of_a_rewrite_applies_with_patch_and_leaves_out_the_line_directives")]
    [TestCase("\r\n", TestName = "The_diff_of_a_CRLF_rewrite_applies_with_patch_and_keeps_CRLF")]
    public void The_diff_of_a_rewrite_applies_with_patch(string newLine)
    {
        var text = Source.Replace("\n", newLine, StringComparison.Ordinal);
        var path = Ws.WriteSource($"{TestContext.CurrentContext.Test.Name}.c", text);
        var result = Ws.RewriteParallelLoops(path);
        Assert.That(result.Outcomes.Count(o => o.Applied), Is.EqualTo(2));
        var label = "src/" + Path.GetFileName(path);

        var diff = UnifiedDiff.Create(label, label, text, result.ReviewText);

        TestContext.Out.WriteLine(diff);
        Assert.That(diff, Does.Not.Contain("#line"));
        Assert.That(diff, Does.Contain("+    #pragma omp parallel for reduction(+:s)" + newLine));
        Assert.That(result.ReviewText, Is.EqualTo(string.Join(string.Empty,
            result.Text.Split('\n').Select(l => l + "\n").Where(l => !l.StartsWith("#line ", StringComparison.Ordinal)))[..^1]),
            "the reviewable text is the rewritten text without its #line lines");
        Assert.That(ApplyWithPatch(label, text, diff), Is.EqualTo(result.ReviewText));
    }

    [Test]
    public void Random_edits_produce_diffs_that_patch_applies_exactly()
    {
        var random = new Random(20260514);
        var lines = Enumerable.Range(0, 60).Select(i => $"line {i % 17}").ToArray(); // repeated lines make matching ambiguous
        for (var round = 0; round < 25; round++)
        {
            var old = lines.Where(_ => random.Next(4) > 0).ToList();
            var @new = new List<string>();
            foreach (var l in old)
            {
                var roll = random.Next(10);
                if (roll == 0) continue;
                if (roll == 1) @new.Add($"inserted {random.Next(100)}");
                @new.Add(roll == 2 ? l + " changed" : l);
            }
            if (random.Next(3) == 0) @new.Add("tail");
            var oldText = string.Join("\n", old) + (random.Next(2) == 0 ? "\n" : string.Empty);
            var newText = string.Join("\n", @new) + (random.Next(2) == 0 ? "\n" : string.Empty);

            var diff = UnifiedDiff.Create("r.txt", "r.txt", oldText, newText);

            if (oldText == newText) Assert.That(diff, Is.Empty);
            else Assert.That(ApplyWithPatch("r.txt", oldText, diff), Is.EqualTo(newText), $"round {round}:\n{diff}");
        }
    }

    /// <summary>Applies the diff with `patch -p1` (and, when git is installed, checks `git apply` agrees) to a copy of the old text.</summary>
    private string ApplyWithPatch(string label, string oldText, string diff)
    {
        var patch = GenerationWorkspace.RequireTool("patch");
        var tree = Path.Combine(Ws.Root, "tree-" + Guid.NewGuid().ToString("N"));
        var file = Path.Combine(tree, label);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, oldText, new UTF8Encoding(false));

        var run = GenerationWorkspace.Run(patch, ["-p1", "--batch", "--forward", "--no-backup-if-mismatch"], tree, stdin: diff);
        Assert.That(run.ExitCode, Is.Zero, run.Output + "\n" + diff);
        var patched = File.ReadAllText(file);

        var git = FindGit();
        if (git is not null)
        {
            File.WriteAllText(file, oldText, new UTF8Encoding(false));
            var diffFile = Path.Combine(tree, "change.diff");
            File.WriteAllText(diffFile, diff);
            var apply = GenerationWorkspace.Run(git, ["apply", "-p1", "--whitespace=nowarn", diffFile], tree);
            Assert.That(apply.ExitCode, Is.Zero, apply.Output);
            Assert.That(File.ReadAllText(file), Is.EqualTo(patched), "git apply and patch agree");
        }
        return patched;
    }

    private static string? FindGit() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "git")).FirstOrDefault(File.Exists);
}
