using ParaSlm.Analyzer.Generation;

namespace ParaSlm.Analyzer.Tests.Engine;

/// <summary>
/// `paraslm apply` with two sibling nests fused (issue 14): the copy replaces both nests by one pipeline under the overlap
/// check and the floating-point gate (the nests as written in the else branch), the report names `fuse(next^T)+pipeline(i,j)`
/// on the first nest and says the second was fused into it, and the applied loop's record (read back from the state file)
/// rebuilds the same copy, which is how validation's variants and the per-loop diffs make theirs.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class SiblingFusionEngineTests : EngineFixture
{
    // PolyBench mvt's kernel shape (our own text): pointer parameters, counters declared at the top.
    private const string Mvt = """
        void mvt(int n, double *x1, double *x2, double *y_1, double *y_2, double (*A)[4000])
        {
            int i, j;
            for (i = 0; i < n; i++)
                for (j = 0; j < n; j++)
                    x1[i] = x1[i] + A[i][j] * y_1[j];
            for (i = 0; i < n; i++)
                for (j = 0; j < n; j++)
                    x2[i] = x2[i] + A[j][i] * y_2[j];
        }
        """;

    [Test]
    public void The_copy_the_report_and_the_state_file_carry_the_fused_nests()
    {
        var file = Ws.Write("src/mvt.c", Mvt);
        var (code, _, err) = Ws.Apply(Ws.NewRequest(EngineWorkspace.Source(file, "-std=c11")));
        Assert.That(code, Is.EqualTo(0), err);
        var copy = File.ReadAllText(Ws.Outputs().Single()[1]);
        Assert.That(copy, Does.Contain("/* ParaSlm pipeline(i,j)").And.Contain("x2[j] = x2[j] + A[(paraslm_p_i + 0)][j] * y_2[(paraslm_p_i + 0)];")
            .And.Contain("#pragma omp atomic write seq_cst"));
        Assert.That(copy, Does.Contain("if (PARASLM_EXACT_FP && PARASLM_SAME_CONTRACTION && ").And.Contain("x1 + n <= x2 || x2 + n <= x1").And.Contain("} else {"));
        Assert.That(copy.IndexOf("x2[i] = x2[i] + A[j][i] * y_2[j];", StringComparison.Ordinal), Is.GreaterThan(copy.IndexOf("} else {", StringComparison.Ordinal)),
            "the second nest as written runs in the else branch only");
        var plans = Ws.ReportPlansByLine();
        Assert.That(plans[4].GetProperty("transform").GetString(), Is.EqualTo("fuse(next^T)+pipeline(i,j)"));
        Assert.That(plans[4].GetProperty("reason").GetString(), Does.Contain("runs fused into this one"));
        Assert.That(plans[4].GetProperty("code").GetString(), Is.Not.EqualTo("PSLM2008"), "a fusion that went in is no skipped edit");
        Assert.That(plans[7].GetProperty("reason").GetString(), Does.Contain("fused into the loop at line 4"));
        var applied = Ws.State().Sources.Values.Single().Applied.Single();
        Assert.That(applied.Fused?.Name, Is.EqualTo("fuse(next^T)+pipeline(i,j)"));
        var again = SourceRewriter.Rewrite(file, Mvt, [applied.ToEdit()], applied.RewriteOptions);
        Assert.That(again.Text, Is.EqualTo(copy), "validation's copies are made from the record and must be the build's copy");
        // The else branch runs each nest's own plan, and the record carries both (validation's copies rebuild them).
        Assert.That(applied.Fallbacks.Select(f => f.Line), Is.EqualTo(new[] { 4, 7 }));
        Assert.That(copy[copy.IndexOf("} else {", StringComparison.Ordinal)..], Does.Contain("#pragma omp parallel for"));
        Assert.That(plans[4].GetProperty("reason").GetString(), Does.Contain("where the fused form does not run, each nest runs its own plan: line 4"));
    }

    [Test]
    public void A_fused_edit_the_rewriter_cannot_place_leaves_each_nest_its_own_plan_and_the_report_says_why()
    {
        // A preprocessor conditional between the nests: the analysis proves the fusion (it sees the statements), but the edit
        // would have to move the conditional, so the rewriter skips it; before, the second nest then ran serially.
        var text = Mvt.Replace("x1[i] = x1[i] + A[i][j] * y_1[j];\n", "x1[i] = x1[i] + A[i][j] * y_1[j];\n#ifdef MVT_TRACE\n#endif\n");
        Assert.That(text, Does.Contain("#ifdef"));
        var file = Ws.Write("src/mvt.c", text);
        var (code, _, err) = Ws.Apply(Ws.NewRequest(EngineWorkspace.Source(file, "-std=c11")));
        Assert.That(code, Is.EqualTo(0), err);
        Assert.That(Ws.Outputs().Single()[1], Is.Not.Empty, string.Join("\n", Ws.ReportPlansByLine().Values.Select(p => p.ToString())) + err);
        var copy = File.ReadAllText(Ws.Outputs().Single()[1]);
        Assert.That(copy, Does.Not.Contain("ParaSlm pipeline(i,j)"));
        var second = copy.IndexOf("x2[i] = x2[i] + A[j][i] * y_2[j];", StringComparison.Ordinal);
        Assert.That(copy[copy.IndexOf("#endif", StringComparison.Ordinal)..second], Does.Contain("#pragma omp"), "the second nest runs its own parallel plan");
        var plans = Ws.ReportPlansByLine();
        foreach (var line in new[] { 4, 9 })
        {
            Assert.That(plans[line].GetProperty("action").GetString(), Is.EqualTo("parallel"), $"line {line}");
            Assert.That(plans[line].GetProperty("reason").GetString(), Does.Contain("runs its own plan: the fused form (fuse(next^T)+pipeline(i,j)) was not rewritten (something other than blanks and comments sits between the nest and the nest at line 9)"));
            Assert.That(plans[line].GetProperty("code").GetString(), Is.EqualTo(ParaSlm.Engine.ApplyEngine.FusedEditSkippedCode).And.EqualTo("PSLM2008"), $"line {line}: the skipped fusion has its code");
        }
        // SARIF names the rule (a note: the program is correct) rather than the generic "parallelized" one.
        var rule = ParaSlm.Engine.Reporting.Sarif.SarifRules.Describe("PSLM2008");
        Assert.That((rule.Name, rule.Level), Is.EqualTo(("FusedFormNotRewritten", "note")));
        var applied = Ws.State().Sources.Values.Single().Applied;
        Assert.That(applied.Select(a => (a.Line, a.Fused)), Is.EqualTo(new[] { (4, (ParaSlm.Analyzer.Locality.SiblingFusion?)null), (9, null) }));
        var again = SourceRewriter.Rewrite(file, text, applied.Select(a => a.ToEdit()).ToList(), applied[0].RewriteOptions);
        Assert.That(again.Text, Is.EqualTo(copy), "validation's copies rebuild both nests' own edits");
    }

    [Test]
    public void A_rejected_fused_loop_runs_each_nest_alone_and_editing_only_the_second_nest_changes_its_hash_so_the_rejection_no_longer_holds()
    {
        var file = Ws.Write("src/mvt.c", Mvt);
        Assert.That(Ws.Apply(Ws.NewRequest(EngineWorkspace.Source(file, "-std=c11"))).Code, Is.EqualTo(0));
        var state = Ws.State();
        var fused = state.Sources.Values.Single().Applied.Single();
        // Validation reverted the fused loop (its record's hash): the same text stays serial on the next build ...
        state.Rejected.Add(new ParaSlm.Engine.RejectedLoop(file, fused.Id, fused.Line, fused.Column, fused.Function, fused.Hash, "tsan", "a race (test)", DateTimeOffset.UtcNow));
        state.Save(Path.Combine(Ws.Obj, "paraslm.state.json"));
        Assert.That(Ws.Apply(Ws.NewRequest(EngineWorkspace.Source(file, "-std=c11"))).Code, Is.EqualTo(0));
        // (each nest then runs its own plan, matched by its own text: fusion never costs a nest its parallel form)
        var reverted = Ws.ReportPlansByLine();
        Assert.That(reverted[4].GetProperty("reason").GetString(), Does.StartWith("runs its own plan: the fused form (fuse(next^T)+pipeline(i,j)) was reverted by validation (tsan): a race (test)"));
        Assert.That((reverted[4].GetProperty("action").GetString(), reverted[7].GetProperty("action").GetString()), Is.EqualTo(("parallel", "parallel")));
        Assert.That(reverted[4].GetProperty("transform").GetString(), Does.Not.StartWith("fuse"));
        Assert.That(Ws.State().Sources.Values.Single().Applied.Select(a => (a.Line, a.Fused is null, a.Hash != fused.Hash)), Is.EqualTo(new[] { (4, true, true), (7, true, true) }));

        // ... but a change to the second nest alone is new code: the fused loop's hash covers both statements, so it is judged again.
        Ws.Write("src/mvt.c", Mvt.Replace("x2[i] = x2[i] + A[j][i] * y_2[j];", "x2[i] = x2[i] + A[j][i] * y_2[j] * 0.5;"));
        Assert.That(Ws.Apply(Ws.NewRequest(EngineWorkspace.Source(file, "-std=c11"))).Code, Is.EqualTo(0));
        var plans = Ws.ReportPlansByLine();
        Assert.That(plans[4].GetProperty("transform").GetString(), Is.EqualTo("fuse(next^T)+pipeline(i,j)"), plans[4].GetProperty("reason").GetString());
        var changed = Ws.State().Sources.Values.Single().Applied.Single();
        Assert.That(changed.Hash, Is.Not.EqualTo(fused.Hash));
        Assert.That(changed.Fused, Is.Not.Null);
    }
}
