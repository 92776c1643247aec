/* Hand-tiled nests (PRK's tiled transpose and stencil, written anew): the run-time cost guard of a tile loop weighs the
 * whole nest (the element loops' hull lengths multiplied, each iteration at the innermost element loop's body), not the
 * tiles alone, and a tile loop whose inner loops each run one tile of equal length keeps the static schedule. Near
 * misses keep the tile count as the guard and `schedule(dynamic, 1)`: tiles of 16 every 32 (gaps), tiles that start one
 * past the tile counter, rows ending at another bound than the tiles (no exact hull), a tile loop read by two element
 * loops (tests: TiledNestCostTests). */
#include <stdio.h>
#include <stdlib.h>

#define MIN(a, b) ((a) < (b) ? (a) : (b))

/* PRK's tiled transpose: tiles of `tile` over both dimensions; the nest runs n * n iterations. The loop over a column of
 * `b` (`jt`, stride n) stays serial: n may be 0, and then every `jt` writes one element. */
static void transpose_tiles(long n, long tile, double *restrict b, double *restrict a)
{
    // expect: parallel
    for (long i = 0; i < n; i += tile)
        // expect: parallel
        for (long j = 0; j < n; j += tile)
            // expect: parallel
            for (long it = i; it < MIN(n, i + tile); it++)
                // expect: sequential
                for (long jt = j; jt < MIN(n, j + tile); jt++) {
                    b[it + n * jt] = 0.5 * b[it + n * jt] + a[jt + n * it];
                    a[jt + n * it] += 1.0;
                }
}

/* PRK's tiled stencil: tiles over [R, n - R), a radius-2 star inside (constant inner loops). */
static void stencil_tiles(long n, long tile, double *restrict out, const double *restrict in, const double *restrict w)
{
    // expect: parallel
    for (long jt = 2; jt < n - 2; jt += tile)
        // expect: parallel
        for (long it = 2; it < n - 2; it += tile)
            // expect: parallel
            for (long j = jt; j < MIN(n - 2, jt + tile); j++)
                // expect: parallel
                for (long i = it; i < MIN(n - 2, it + tile); i++) {
                    // expect: sequential
                    for (long jj = -2; jj <= 2; jj++) out[i + n * j] += w[jj + 2] * in[i + n * (j + jj)];
                    // expect: sequential
                    for (long ii = -2; ii < 0; ii++) out[i + n * j] += w[ii + 2] * in[i + ii + n * j];
                }
}

/* Constant tiles of 32 (the step and the tile are one constant). */
static void scale_tiles(long n, double *restrict a, const double *restrict x)
{
    // expect: parallel
    for (long jt = 0; jt < n; jt += 32)
        // expect: parallel
        for (long j = jt; j < MIN(n, jt + 32); j++)
            // expect: parallel
            for (long i = 0; i < n; i++)
                a[i + n * j] = 2.0 * x[i + n * j] + (double)i;
}

/* Near miss: tiles of 16 every 32 (the odd halves are never visited): not a partition of [0, n). */
static void gapped_tiles(long n, double *restrict a)
{
    // expect: parallel
    for (long jt = 0; jt < n; jt += 32)
        // expect: parallel
        for (long j = jt; j < MIN(n, jt + 16); j++)
            // expect: parallel
            for (long i = 0; i < n; i++)
                a[i + n * j] += 1.0;
}

/* Near miss: every tile starts one past the tile counter (its first element is never visited). */
static void shifted_tiles(long n, long tile, double *restrict a)
{
    // expect: parallel
    for (long jt = 0; jt < n; jt += tile)
        // expect: parallel
        for (long j = jt + 1; j < MIN(n, jt + tile); j++)
            // expect: parallel
            for (long i = 0; i < n; i++)
                a[i + n * j] += 1.0;
}

/* Near miss: the rows end at m, the tiles at n (the hull of `j` is not provably m - 1). */
static void short_rows(long n, long m, long tile, double *restrict a)
{
    // expect: parallel
    for (long jt = 0; jt < n; jt += tile)
        // expect: parallel
        for (long j = jt; j < MIN(m, jt + tile); j++)
            // expect: parallel
            for (long i = 0; i < n; i++)
                a[i + n * j] += 1.0;
}

/* Near miss: the diagonal blocks, both element loops read the one tile counter (tiles × tile², not n², iterations). */
static void diagonal_blocks(long n, long tile, double *restrict a)
{
    // expect: parallel
    for (long jt = 0; jt < n; jt += tile)
        // expect: parallel
        for (long j = jt; j < MIN(n, jt + tile); j++)
            // expect: parallel
            for (long i = jt; i < MIN(n, jt + tile); i++)
                a[i + n * j] += 1.0;
}

int main(void)
{
    long n = 600, tile = 32;
    double *a = malloc(n * n * sizeof *a), *b = calloc(n * n, sizeof *b), *c = calloc(n * n, sizeof *c);
    double w[5] = {0.125, 0.25, 0.5, 0.25, 0.125};
    if (!a || !b || !c) return 1;
    // expect: parallel
    for (long k = 0; k < n * n; k++) a[k] = (k % 23) * 0.5;
    // expect: sequential
    for (int step = 0; step < 3; step++) {
        transpose_tiles(n, tile, b, a);
        stencil_tiles(n, tile, c, a, w);
        scale_tiles(n, b, a);
        gapped_tiles(n, c);
        shifted_tiles(n, tile, b);
        short_rows(n, n - 7, tile, c);
        diagonal_blocks(n, tile, a);
    }
    double s = 0;
    // expect: parallel reduction(+:s)
    for (long k = 0; k < n * n; k++) s += (b[k] + 2.0 * c[k]) * (k % 7);
    printf("%.6e\n", s);
    free(a);
    free(b);
    free(c);
    return 0;
}
