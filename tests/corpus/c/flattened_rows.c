/* Flattened 2-D arrays `a[i * n + j]` whose row length `n` is a run-time value unrelated to the loop bounds: rows are
   told apart only by a check before the loop that the columns a loop touches span less than a row. */
#include <stddef.h>

int g_stride;

/* The columns 0..m-1 fit in a row of n only if m <= n: checked at run time. */
void scale_rows(double *a, int rows, int m, int n) {
    // expect: runtime-check
    for (int i = 0; i < rows; i++)
        // expect: parallel
        for (int j = 0; j < m; j++)
            a[i * n + j] = 2.0 * a[i * n + j];
}

/* A stencil along the row: columns 1..m-2 read 0..m-1, which must still lie in one row. */
void smooth_rows(float *restrict out, const float *restrict in, int rows, int m, int stride) {
    // expect: runtime-check
    for (int i = 0; i < rows; i++)
        // expect: parallel
        for (int j = 1; j < m - 1; j++)
            out[i * stride + j] = in[i * stride + j - 1] + in[i * stride + j] + in[i * stride + j + 1];
}

/* Row length of type size_t: compared as long long, so a length of 0 is not a huge unsigned value. */
void fill_rows(long *a, size_t n, int rows, int cols) {
    // expect: runtime-check
    for (int y = 0; y < rows; y++)
        // expect: parallel
        for (int x = 0; x < cols; x++)
            a[x + y * n] = (long)x * y;
}

/* Near miss: the row length changes inside the loop. */
void ragged_rows(double *a, const int *len, int rows, int m) {
    int n = 1;
    // expect: sequential
    for (int i = 0; i < rows; i++) {
        n = len[i];
        // expect: parallel
        for (int j = 0; j < m; j++)
            a[i * n + j] = 0.0;
    }
}

/* Near miss: the column offset is read from memory the loop may write. */
void shifted_rows(int *a, const int *shift, int rows, int m, int n) {
    // expect: sequential
    for (int i = 0; i < rows; i++)
        // expect: sequential
        for (int j = 0; j < m; j++)
            a[i * n + shift[j]] = j;
}

/* Near miss: a global row length, which the loop's own int stores may overwrite. */
void global_stride_rows(int *a, int rows, int m) {
    // expect: sequential
    for (int i = 0; i < rows; i++)
        // expect: parallel
        for (int j = 0; j < m; j++)
            a[i * g_stride + j] = i + j;
}

/* The same with a double array: a double store cannot change an int, so the global may be checked. */
void global_stride_doubles(double *a, int rows, int m) {
    // expect: runtime-check
    for (int i = 0; i < rows; i++)
        // expect: parallel
        for (int j = 0; j < m; j++)
            a[i * g_stride + j] = i + j;
}
