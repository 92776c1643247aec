/* Two- and three-dimensional arrays, flattened arrays, C89-style counters. */

#define NI 256
#define NJ 256

static double A[NI][NJ], B[NI][NJ], C[NI][NJ];
static double F[NI * NJ], G[NI * NJ];
static float V[32][64][64];

void row_recurrence(int n, int m)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++) {
        // expect: sequential
        for (int j = 1; j < m; j++)
            A[i][j] = A[i][j - 1] + B[i][j];
    }
}

void column_recurrence(int n, int m)
{
    // expect: sequential
    for (int i = 1; i < n; i++) {
        // expect: runtime-check
        for (int j = 0; j < m; j++)
            A[i][j] = A[i - 1][j] * 0.5 + B[i][j];
    }
}

void column_major_walk(int n, int m)
{
    // expect: runtime-check
    for (int j = 0; j < m; j++) {
        // expect: sequential
        for (int i = 1; i < n; i++)
            C[i][j] = C[i - 1][j] + A[i][j];
    }
}

void diagonal_dependence(int n, int m)
{
    // expect: sequential
    for (int i = 1; i < n; i++) {
        // expect: runtime-check
        for (int j = 1; j < m; j++)
            B[i][j] = B[i - 1][j - 1] + 1.0;
    }
}

/* Iteration i touches A[i][j] and A[j][i] with j > i only: (i, j) and (i', j') meet only if i = j' > i' = j > i. Like
   the inner loop, the outer one is parallel only while j < n stays inside a row (n <= NJ). */
void transpose_in_place(int n)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++) {
        // expect: runtime-check
        for (int j = i + 1; j < n; j++) {
            double t = A[i][j];
            A[i][j] = A[j][i];
            A[j][i] = t;
        }
    }
}

void flat_scale_pointers(double *g, const double *f, int n, int m)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++) {
        // expect: runtime-check
        for (int j = 0; j < m; j++)
            g[i * m + j] = f[i * m + j] * 2.0;
    }
}

void flat_row_above(double *f, const double *g, int n, int m)
{
    // expect: sequential
    for (int i = 1; i < n; i++) {
        // expect: runtime-check
        for (int j = 0; j < m; j++)
            f[i * m + j] = f[(i - 1) * m + j] + g[i * m + j];
    }
}

void flat_left_neighbour(double *g, const double *f, int n, int m)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++) {
        // expect: sequential
        for (int j = 1; j < m; j++)
            g[i * m + j] = g[i * m + j - 1] * 0.5 + f[i * m + j];
    }
}

void flat_row_above_globals(int n, int m)
{
    // expect: sequential
    for (int i = 1; i < n; i++) {
        // expect: parallel
        for (int j = 0; j < m; j++)
            F[i * m + j] = F[(i - 1) * m + j] + G[i * m + j];
    }
}

void c89_style(int n, int m)
{
    int i, j;
    double t;

    // expect: runtime-check private(j,t)
    for (i = 0; i < n; i++) {
        // expect: parallel private(t)
        for (j = 0; j < m; j++) {
            t = A[i][j] + B[i][j];
            C[i][j] = t * t;
        }
    }
}

void copy_prefix_rows(int n, int k)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++) {
        int j;
        // expect: parallel lastprivate(j)
        for (j = 0; j < k; j++)
            A[i][j] = B[i][j];
        C[i][0] = (double)j;
    }
}

void running_sum_along_k(void)
{
    // expect: parallel
    for (int i = 0; i < 32; i++) {
        // expect: parallel
        for (int j = 0; j < 64; j++) {
            // expect: sequential
            for (int k = 1; k < 64; k++)
                V[i][j][k] += V[i][j][k - 1];
        }
    }
}

void plane_recurrence(void)
{
    // expect: sequential
    for (int i = 1; i < 32; i++) {
        // expect: parallel
        for (int j = 0; j < 64; j++) {
            // expect: parallel
            for (int k = 0; k < 64; k++)
                V[i][j][k] = 0.5f * V[i - 1][j][k] + V[i][j][k];
        }
    }
}

void wavefront(int n, int m)
{
    // expect: sequential
    for (int i = 1; i < n; i++) {
        // expect: sequential
        for (int j = 1; j < m; j++)
            A[i][j] = A[i - 1][j] + A[i][j - 1];
    }
}
