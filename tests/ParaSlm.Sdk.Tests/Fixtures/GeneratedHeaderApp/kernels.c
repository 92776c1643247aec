#include "layout.h"

/* Parallel only where ROW_STRIDE is not 0: with the generated header every iteration adds into rows[0]. */
void fold_rows(double *rows, const double *in, int n)
{
    for (int i = 0; i < n; i++)
        rows[i * ROW_STRIDE] += in[i];
}

/* Parallel where COL_STRIDE is not 0, as with the generated header. */
void scale_cols(double *cols, const double *in, int n)
{
    for (int i = 0; i < n; i++)
        cols[i * COL_STRIDE] = 2.0 * in[i] + 1.0;
}
