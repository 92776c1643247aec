/* Interchanged column recurrences of run-time size (TSVC_2's s231 shape written anew): the run-time cost guard prices the
 * nest as lane work, as the static rule does, when the new innermost loop is stride-1 and branch-free (one lane divisor,
 * LoopCost.LaneDivisor, for both), with the cache-resident factor where the arrays fit in a core's cache. Near miss: a
 * branch in the new innermost loop keeps the scalar price (tests: InterchangedGuardTests). */
#include <stdio.h>
#include <stdlib.h>

enum { R = 4096, C = 256 };
static float ta[R][C], tb[R][C];
static float sa[C][C], sb[C][C];

/* Run-time columns and rows through pointers: the guard counts n * (m - 1) lane iterations. */
static void colrec(int n, int m, float *restrict a, const float *restrict b)
{
    // expect: parallel
    for (int i = 0; i < n; i++) {
        // expect: sequential
        for (int j = 1; j < m; j++)
            a[j * n + i] = a[(j - 1) * n + i] * 0.5f + b[j * n + i];
    }
}

/* 256 columns of run-time rows over 8 MiB: the constant column count's guard is priced in lanes too. */
static void colrec_rows(int rows)
{
    // expect: parallel
    for (int i = 0; i < C; i++) {
        // expect: sequential
        for (int j = 1; j < rows; j++)
            ta[j][i] = ta[j - 1][i] * 0.5f + tb[j][i];
    }
}

/* 256 columns of run-time rows over 512 KiB: lanes and the cache-resident factor. */
static void colrec_small(int rows)
{
    // expect: parallel
    for (int i = 0; i < C; i++) {
        // expect: sequential
        for (int j = 1; j < rows; j++)
            sa[j][i] = sa[j - 1][i] * 0.5f + sb[j][i];
    }
}

/* Near miss: a branch in the new innermost loop (not run in lanes): the scalar price. */
static void colrec_branch(int n, int m, float *restrict a, const float *restrict b)
{
    // expect: parallel
    for (int i = 0; i < n; i++) {
        // expect: sequential
        for (int j = 1; j < m; j++)
            a[j * n + i] = b[j * n + i] > 0.0f ? a[(j - 1) * n + i] * 0.5f : b[j * n + i];
    }
}

int main(void)
{
    int n = 300, m = 700;
    float *a = malloc((size_t)n * m * sizeof *a), *b = malloc((size_t)n * m * sizeof *b);
    if (!a || !b) return 1;
    // expect: parallel
    for (int k = 0; k < n * m; k++) {
        a[k] = (float)(k % 13);
        b[k] = (float)(k % 7) - 3.0f;
    }
    // expect: parallel
    for (int j = 0; j < R; j++)
        // expect: parallel
        for (int i = 0; i < C; i++)
            tb[j][i] = (float)((i + j) % 5);
    // expect: parallel
    for (int j = 0; j < C; j++)
        // expect: parallel
        for (int i = 0; i < C; i++)
            sb[j][i] = (float)((i * j) % 3);
    colrec(n, m, a, b);
    colrec_rows(R);
    colrec_small(C);
    colrec_branch(n, m, a, b);
    double s = 0;
    // expect: parallel reduction(+:s)
    for (int k = 0; k < n * m; k++) s += a[k];
    // expect: parallel reduction(+:s)
    for (int j = 0; j < R; j++)
        // expect: parallel reduction(+:s)
        for (int i = 0; i < C; i++) s += ta[j][i] * (i % 3);
    // expect: parallel reduction(+:s)
    for (int j = 0; j < C; j++)
        // expect: parallel reduction(+:s)
        for (int i = 0; i < C; i++) s += sa[j][i] * (j % 5);
    printf("%.6e\n", s);
    free(a);
    free(b);
    return 0;
}
