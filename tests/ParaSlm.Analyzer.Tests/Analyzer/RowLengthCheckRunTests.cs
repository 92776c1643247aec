using ParaSlm.Analyzer.Tests.Generation;

namespace ParaSlm.Analyzer.Tests.Analyzer;

/// <summary>
/// Flattened rows split under a run-time row-length check, as whole programs rewritten exactly as the build plans them
/// and run on 4 threads against serial (gcc and clang, C and C++): rows that fit their length run in parallel; rows that
/// overlap by construction (`j` ranging past the row length) fail the check, and the loop runs as written.
/// </summary>
[TestFixture]
[Category("Integration")]
[Parallelizable(ParallelScope.None)]
public sealed class RowLengthCheckRunTests : GenerationFixture
{
    // Every sum is of integers below 2^53: exact in any order, so a parallel reduction prints serial's digits.
    private const string CProgram = """
        #include <stdio.h>
        #include <stdlib.h>

        static void mix_rows(double *a, int rows, int m, int n)
        {
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < m; j++)
                    a[i * n + j] = a[i * n + j] * 3.0 + i;
        }

        static void smooth_rows(float *restrict out, const float *restrict in, int rows, int m, int stride)
        {
            for (int i = 0; i < rows; i++)
                for (int j = 1; j < m - 1; j++)
                    out[i * stride + j] = in[i * stride + j - 1] + in[i * stride + j] + in[i * stride + j + 1];
        }

        int main(int argc, char **argv)
        {
            int rows = 512, n = 300, m = argc > 1 ? atoi(argv[1]) : 256;
            double *a = malloc(sizeof(double) * (size_t)(rows * n + m));
            float *in = malloc(sizeof(float) * (size_t)(rows * n)), *out = calloc((size_t)(rows * n), sizeof(float));
            for (int k = 0; k < rows * n + m; k++) a[k] = (double)(k % 13);
            for (int k = 0; k < rows * n; k++) in[k] = (float)(k % 11);
            mix_rows(a, rows, m, n);
            smooth_rows(out, in, rows, m < n ? m : n, n);
            double s = 0.0, t = 0.0;
            for (int k = 0; k < rows * n + m; k++) s += a[k] * (k % 7);
            for (int k = 0; k < rows * n; k++) t += out[k] * (k % 5);
            printf("m %d a %.17g out %.17g\n", m, s, t);
            free(a); free(in); free(out);
            return 0;
        }

        """;

    private const string CppProgram = """
        #include <cstddef>
        #include <cstdio>
        #include <vector>

        template <typename T> struct Buffer2D {
            std::size_t sizeX, sizeY;
            T *data;
            T &operator()(std::size_t i, std::size_t j) const { return data[j + i * sizeY]; }
        };

        static void ideal_gas(int x_min, int x_max, int y_min, int y_max, Buffer2D<double> &density, Buffer2D<double> &energy,
                              Buffer2D<double> &pressure, Buffer2D<double> &soundspeed)
        {
            for (int j = y_min + 1; j < y_max + 2; j++)
                for (int i = x_min + 1; i < x_max + 2; i++) {
                    pressure(i, j) = 0.5 * density(i, j) * energy(i, j);
                    soundspeed(i, j) = pressure(i, j) + density(i, j) * 4.0 - energy(i, j);
                }
        }

        static void smooth(Buffer2D<double> &out, const Buffer2D<double> &in, int nx, int ny)
        {
            for (int j = 1; j < ny - 1; j++)
                for (int i = 0; i < nx; i++)
                    out(i, j) = in(i, j - 1) + 2.0 * in(i, j) + in(i, j + 1);
        }

        int main()
        {
            const int nx = 300, ny = 260;
            std::vector<double> store[5];
            Buffer2D<double> b[5];
            for (int k = 0; k < 5; k++) {
                store[k].assign((std::size_t)nx * ny, 0.0);
                b[k] = Buffer2D<double>{(std::size_t)nx, (std::size_t)ny, store[k].data()};
                for (std::size_t e = 0; e < store[k].size(); e++) store[k][e] = (double)((e * (k + 3)) % 17);
            }
            ideal_gas(0, nx - 3, 0, ny - 3, b[0], b[1], b[2], b[3]);
            smooth(b[4], b[2], nx, ny);
            // The same buffer as density and pressure: the overlap check fails and the loop runs as written.
            ideal_gas(0, nx - 3, 0, ny - 3, b[1], b[0], b[1], b[3]);
            double s = 0.0;
            for (int k = 0; k < 5; k++)
                for (std::size_t e = 0; e < store[k].size(); e++) s += store[k][e] * (double)(e % 5 + k);
            std::printf("s %.17g\n", s);
            return 0;
        }

        """;

    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void Flattened_rows_print_on_4_threads_what_they_print_serially_in_C(string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource(compiler + "_rows.c", CProgram);
        var result = Ws.RewritePlannedLoops(path);
        Assert.That(result.Text, Does.Contain("if ((long long)m - n <= 0)"), "mix_rows is versioned on its row check:\n" + result.Text);
        Assert.That(result.Text, Does.Contain("if ((long long)m - stride <= 2)"), result.Text);
        Ws.AssertParallelRunPrintsWhatSerialPrints(cc, "-std=c11", path, result);
    }

    [TestCase("g++")]
    [TestCase("clang++-19")]
    public void Buffer2D_kernels_print_on_4_threads_what_they_print_serially_in_Cpp(string compiler)
    {
        var cxx = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource(compiler.Replace("+", "x", StringComparison.Ordinal) + "_buffer2d.cpp", CppProgram);
        var result = Ws.RewritePlannedLoops(path);
        Assert.That(result.Text, Does.Contain("-(long long)pressure.sizeY + y_max - y_min <= -1"), result.Text);
        Assert.That(result.Text, Does.Contain("(const char *)(pressure.data + "), "the loaded data pointers are checked not to overlap:\n" + result.Text);
        Ws.AssertParallelRunPrintsWhatSerialPrints(cxx, "-std=c++17", path, result);
    }

    /// <summary>Columns 0..399 in rows of 300: every row overlaps the next, the check is false, and the loop runs as written
    /// (its `a * 3 + i` updates depend on the order in which overlapping rows reach an element).</summary>
    [TestCase("gcc")]
    [TestCase("clang-19")]
    public void Rows_longer_than_their_length_fail_the_check_and_run_as_written(string compiler)
    {
        var cc = GenerationWorkspace.RequireTool(compiler);
        var path = Ws.WriteSource(compiler + "_overlap.c", CProgram);
        var result = Ws.RewritePlannedLoops(path);
        var rewritten = Ws.WriteRewritten(path, result.Text);
        var serial = Path.Combine(Ws.Root, $"serial_{compiler}_overlap");
        var parallel = Path.Combine(Ws.Root, $"parallel_{compiler}_overlap");
        Assert.That(GenerationWorkspace.Run(cc, ["-std=c11", "-O1", path, "-o", serial]).ExitCode, Is.Zero);
        var build = GenerationWorkspace.Run(cc, ["-std=c11", "-O1", "-fopenmp", rewritten, "-o", parallel]);
        Assert.That(build.ExitCode, Is.Zero, build.Output);

        // The check itself, compiled as written, is false for these values.
        var probe = Ws.WriteSource(compiler + "_probe.c", "#include <stdio.h>\nint main(void) { int m = 400, n = 300; printf(\"%d\\n\", (long long)m - n <= 0); return 0; }\n");
        var probeExe = Path.Combine(Ws.Root, $"probe_{compiler}");
        Assert.That(GenerationWorkspace.Run(cc, ["-std=c11", probe, "-o", probeExe]).ExitCode, Is.Zero);
        Assert.That(GenerationWorkspace.Run(probeExe, []).StdOut.Trim(), Is.EqualTo("0"));

        var expected = GenerationWorkspace.Run(serial, ["400"], environment: GenerationWorkspace.FourThreads);
        Assert.That(expected.StdOut, Does.StartWith("m 400 a "));
        for (var round = 0; round < 3; round++)
        {
            var actual = GenerationWorkspace.Run(parallel, ["400"], environment: GenerationWorkspace.FourThreads);
            Assert.That(actual.ExitCode, Is.Zero, actual.Output);
            Assert.That(actual.StdOut, Is.EqualTo(expected.StdOut), "round " + round);
        }
    }
}
