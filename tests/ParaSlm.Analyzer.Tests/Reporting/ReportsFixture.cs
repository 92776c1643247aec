using ParaSlm.Analyzer.Tests.Engine;

namespace ParaSlm.Analyzer.Tests.Reporting;

/// <summary>
/// One `paraslm apply` (in process, SARIF on) over three sources: two parallel loops (one with a reduction, one a
/// braceless body), a serial scan, and a file whose loop is kept serial because it calls an unknown function.
/// </summary>
public sealed class ReportsFixture : IDisposable
{
    public const string Kernels = """
        void scale(double *restrict out, const double *restrict in, int n)
        {
            for (int i = 0; i < n; i++) out[i] = in[i] * 2.0;
        }

        double sum(const double *restrict a, int n)
        {
            double s = 0.0;
            for (int i = 0; i < n; i++)
                s += a[i];
            return s;
        }

        void prefix(double *x, int n)
        {
            for (int i = 1; i < n; i++)
                x[i] += x[i - 1];
        }
        """;

    public const string Calls = """
        void log_value(double v);
        void report(const double *a, int n)
        {
            for (int i = 0; i < n; i++)
                log_value(a[i]);
        }
        """;

    public ReportsFixture()
    {
        Workspace = new EngineWorkspace();
        KernelsFile = Workspace.Write("src/kernels.c", Kernels + "\n");
        CallsFile = Workspace.Write("src/calls.c", Calls + "\n");
        RequestFile = Workspace.WriteRequest(Workspace.NewRequest(EngineWorkspace.Source(KernelsFile, "-std=c11"), EngineWorkspace.Source(CallsFile, "-std=c11")) with
        {
            Strategy = "analyzer", Sarif = true,
        });
        Apply();
    }

    public string RequestFile { get; }

    /// <summary>`paraslm apply` once more (every source up to date: only the reports are written again).</summary>
    public void Apply()
    {
        var (code, _, err) = EngineWorkspace.Run("apply", "--request", RequestFile);
        Assert.That(code, Is.EqualTo(0), err);
    }

    public EngineWorkspace Workspace { get; }
    public string KernelsFile { get; }
    public string CallsFile { get; }
    public string ReportDir => Path.Combine(Workspace.Obj, "report");

    public void Dispose() => Workspace.Dispose();
}
