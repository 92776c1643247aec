/* spmv: sparse matrix-vector product in CSR format, used in the fixed-point
 * iteration x <- b + A x for REPS steps (A is scaled so that every row's
 * absolute sum is <= 0.5, which makes the iteration a contraction; each step
 * depends on the previous one, so the repeats cannot be collapsed).
 *
 * Matrix: NROWS x NROWS, 8..24 non-zeros per row, half of them in a band
 * around the diagonal and half at random columns.
 *
 * Parallel-friendly loops: the row loop of spmv (each row writes only y[i];
 * the non-zero loop is a scalar + reduction into `sum` that only *reads*
 * x through the column-index array) and the update loop x[i] = b[i] + y[i].
 * The repeat loop is sequential.
 *
 * Checksum: sum of |x| in double.  A parallel run over rows gives a
 * bit-identical x; reordering the per-row sum and the checksum sum moves it
 * by <= 1e-12 relative (2.2e-14 measured); compare with tolerance 1e-9. */
#include "common.h"

#include <math.h>
#include <stdlib.h>

/* PARASLM_KERNELS_SMALL (the CMake option of that name) shrinks the inputs so that tests can run the suite
 * under sanitizers many times; the code and its loops stay the same. */
#ifdef PARASLM_KERNELS_SMALL
#define NROWS (1 << 14)
#define REPS 2
#else
#define NROWS (1 << 20)
#define REPS 20
#endif

static void spmv(int n, const int *restrict rowptr, const int *restrict col,
                 const double *restrict val, const double *restrict x, double *restrict y)
{
    for (int i = 0; i < n; i++) {
        double sum = 0.0;
        for (int k = rowptr[i]; k < rowptr[i + 1]; k++) {
            sum += val[k] * x[col[k]];
        }
        y[i] = sum;
    }
}

static void update(int n, const double *restrict b, const double *restrict y, double *restrict x)
{
    for (int i = 0; i < n; i++) {
        x[i] = b[i] + y[i];
    }
}

int main(void)
{
    const int n = NROWS;
    int *rowptr = malloc(((size_t)n + 1) * sizeof *rowptr);
    int *col = malloc((size_t)n * 24 * sizeof *col);
    double *val = malloc((size_t)n * 24 * sizeof *val);
    double *x = malloc((size_t)n * sizeof *x);
    double *y = malloc((size_t)n * sizeof *y);
    double *b = malloc((size_t)n * sizeof *b);
    if (!rowptr || !col || !val || !x || !y || !b) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }

    uint64_t seed = 99;
    int nnz = 0;
    rowptr[0] = 0;
    for (int i = 0; i < n; i++) {
        int len = 8 + lcg_range(&seed, 17);
        int start = nnz;
        double abs_sum = 0.0;
        for (int k = 0; k < len; k++) {
            int c;
            if (k % 2 == 0) {
                c = i - 32 + lcg_range(&seed, 65);
                if (c < 0) c += n;
                if (c >= n) c -= n;
            } else {
                c = lcg_range(&seed, n);
            }
            double v = lcg_uniform(&seed) - 0.3;
            col[nnz] = c;
            val[nnz] = v;
            abs_sum += fabs(v);
            nnz++;
        }
        for (int k = start; k < nnz; k++) {
            val[k] *= 0.5 / abs_sum;
        }
        rowptr[i + 1] = nnz;
        b[i] = 1.0 + 0.5 * sin(0.001 * i);
        x[i] = b[i];
    }

    double t0 = now_seconds();
    for (int r = 0; r < REPS; r++) {
        spmv(n, rowptr, col, val, x, y);
        update(n, b, y, x);
    }
    double t1 = now_seconds();

    double checksum = 0.0;
    for (int i = 0; i < n; i++) {
        checksum += fabs(x[i]);
    }
    print_result_double(checksum, t1 - t0);

    free(rowptr);
    free(col);
    free(val);
    free(x);
    free(y);
    free(b);
    return 0;
}
