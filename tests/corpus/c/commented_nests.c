/* Nests whose outer body is an unbraced inner loop under a comment (`for (i …)` / `// note` / `for (j …)`, the way this
 * corpus annotates its loops and code often explains them): the comment is no part of either header, so the nest is
 * perfectly nested and its column recurrence is interchanged like the braced form (c/interchange_guard.c), the comment
 * left where it is. Near miss: a comment inside a header (headers are moved as one line of plain text) keeps the nest as
 * written (tests: CommentedNestTests). */
#include <stdio.h>
#include <stdlib.h>

enum { R = 2048, C = 256 };
static float ta[R][C], tb[R][C];

/* A line comment between the headers. */
static void colrec(int n, int m, float *restrict a, const float *restrict b)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        // expect: sequential
        for (int j = 1; j < m; j++)
            a[j * n + i] = a[(j - 1) * n + i] * 0.5f + b[j * n + i];
}

/* A block comment and a line comment between the headers. */
static void colrec_rows(int rows)
{
    // expect: parallel
    for (int i = 0; i < C; i++)
        /* each column runs down its rows */
        // expect: sequential
        for (int j = 1; j < rows; j++)
            ta[j][i] = ta[j - 1][i] * 0.5f + tb[j][i];
}

/* Near miss: a comment inside the outer header. */
static void colrec_header_comment(int n, int m, float *restrict a, const float *restrict b)
{
    // expect: parallel
    for (int i = 0; i < n; /* columns */ i++)
        // expect: sequential
        for (int j = 1; j < m; j++)
            a[j * n + i] = a[(j - 1) * n + i] * 0.25f + b[j * n + i];
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
    colrec(n, m, a, b);
    colrec_rows(R);
    double s = 0;
    // expect: parallel reduction(+:s)
    for (int k = 0; k < n * m; k++) s += a[k];
    colrec_header_comment(n, m, a, b);
    // expect: parallel reduction(+:s)
    for (int k = 0; k < n * m; k++) s += a[k] * (k % 3);
    // expect: parallel reduction(+:s)
    for (int j = 0; j < R; j++)
        // expect: parallel reduction(+:s)
        for (int i = 0; i < C; i++) s += ta[j][i] * (i % 3);
    printf("%.6e\n", s);
    free(a);
    free(b);
    return 0;
}
