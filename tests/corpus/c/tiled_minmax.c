/* Hand-tiled nests whose inner bounds are a minimum or maximum of affine terms (`MIN(n, jt + tile)`, `MAX(0, k - 3)`,
 * PRK's tiled transpose and stencil): every term of a minimum bounds the counter from above, every term of a maximum
 * from below, so the tiles of a tile loop stepping by the tile are disjoint; a range over the whole nest uses the exact
 * hull of such a bound (`n - 1`), never the tile counter. Tiles that overlap (a step smaller than the tile), a read of
 * a neighbouring tile's element, a bound whose hull is not exact, and a comparison of mixed signedness stay serial
 * (tests: MinMaxBoundTests). */
#include <stdio.h>
#include <stdlib.h>

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

/* PRK's tiled transpose (B += A; A += 1): each tile of B is written by one (jt, it) pair only. The loop over a row of B
 * (`i`, stride n) stays serial: n may be 0, and then every `i` writes one element. */
static void transpose(long n, long tile, double *restrict b, double *restrict a)
{
    // expect: parallel
    for (long jt = 0; jt < n; jt += tile)
        // expect: parallel
        for (long it = 0; it < n; it += tile)
            // expect: parallel
            for (long j = jt; j < MIN(n, jt + tile); j++)
                // expect: sequential
                for (long i = it; i < MIN(n, it + tile); i++) {
                    b[j + n * i] = 0.5 * b[j + n * i] + a[i + n * j];
                    a[i + n * j] += 1.0;
                }
}

/* The same update through pointers that may overlap: the tile loop's check covers the hull [0, n*n). */
static void transpose_checked(long n, long tile, double *b, const double *a)
{
    // expect: runtime-check
    for (long jt = 0; jt < n; jt += tile)
        // expect: runtime-check
        for (long it = 0; it < n; it += tile)
            // expect: runtime-check
            for (long j = jt; j < MIN(n, jt + tile); j++)
                // expect: sequential
                for (long i = it; i < MIN(n, it + tile); i++)
                    b[j + n * i] = a[i + n * j];
}

/* Tiles of 32 stepping by 16 overlap: two tiles store different values into one element (the later tile's must win). */
static void overlapping(long n, double *restrict out, const double *restrict in)
{
    // expect: sequential
    for (long jt = 0; jt < n; jt += 16)
        // expect: parallel
        for (long j = jt; j < MIN(n, jt + 32); j++)
            out[j] = in[j] + (double)jt;
}

/* The same overlap through `+=` only: a sum, an array reduction over the hull [0, n). */
static void overlapping_sum(long n, double *restrict out, const double *restrict in)
{
    // expect: runtime-check reduction(+:out[0:n])
    for (long jt = 0; jt < n; jt += 16)
        // expect: parallel
        for (long j = jt; j < MIN(n, jt + 32); j++)
            out[j] += in[j];
}

/* Each tile reads the first element of the next tile, which that tile writes. */
static void neighbour(long n, long tile, double *restrict a)
{
    // expect: sequential
    for (long jt = 0; jt < n - 1; jt += tile)
        // expect: sequential
        for (long j = jt; j < MIN(n - 1, jt + tile); j++)
            a[j] = a[j + 1] * 0.5;
}

/* A band: every k adds into acc[k-3 .. k+3]; the section is the hull [0, n). */
static void band(long n, double *acc, const double *w)
{
    // expect: runtime-check reduction(+:acc[0:n])
    for (long k = 0; k < n; k++)
        // expect: runtime-check
        for (long i = MAX(0, k - 3); i < MIN(n, k + 4); i++)
            acc[i] += w[k] * 0.25;
}

/* The tile loop runs to n, the rows only to m: the largest row is not known to be m - 1 (tiles past m are empty), so
 * no hull is taken and the check that would need one is not written. */
static void loose(long n, long m, long tile, double *out, const double *in)
{
    // expect: sequential
    for (long jt = 0; jt < n; jt += tile)
        // expect: runtime-check
        for (long j = jt; j < MIN(m, jt + tile); j++)
            out[j] += in[j];
}

/* `m` unsigned long, `jt + tile` long: the conditional compares them as unsigned (a negative `jt + tile` would be huge), so
 * it is not read as a minimum of the two. */
static void mixed(unsigned long m, long tile, double *restrict out)
{
    // expect: sequential
    for (long jt = 0; jt < (long)m; jt += tile)
        // expect: parallel
        for (long j = jt; j < MIN(m, jt + tile); j++)
            out[j] += 1.0;
}

int main(void)
{
    long n = 300, tile = 32;
    double *a = malloc(n * n * sizeof *a), *b = calloc(n * n, sizeof *b), *c = calloc(n * n, sizeof *c);
    double *acc = calloc(n, sizeof *acc), *w = malloc(n * sizeof *w);
    if (!a || !b || !c || !acc || !w) return 1;
    // expect: parallel
    for (long k = 0; k < n * n; k++) a[k] = (k % 23) * 0.5;
    // expect: parallel
    for (long k = 0; k < n; k++) w[k] = (k % 5) + 1.0;
    // expect: sequential
    for (int step = 0; step < 3; step++) {
        transpose(n, tile, b, a);
        transpose_checked(n, tile, c, a);
        overlapping(n, acc, w);
        overlapping_sum(n, acc, w);
        neighbour(n, tile, w);
        band(n, acc, w);
        loose(n, n - 5, tile, acc, w);
        mixed((unsigned long)n, tile, acc);
    }
    double s = 0;
    // expect: parallel reduction(+:s)
    for (long k = 0; k < n * n; k++) s += (b[k] + 2.0 * c[k]) * (k % 7);
    double t = 0;
    // expect: parallel reduction(+:t)
    for (long k = 0; k < n; k++) t += acc[k] * (k % 3) + w[k];
    printf("%.6e %.6e\n", s, t);
    free(a);
    free(b);
    free(c);
    free(acc);
    free(w);
    return 0;
}
