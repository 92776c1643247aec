/* Tiled loops whose inner bounds read the tile counter (`MIN(n, it + tile)`, PRK stencil's tiled form): a range computed
 * before the tile loop cannot read it (tests: CounterBoundExtentTests). Where the bound's hull over the tile loop is exact
 * (`n - 1`: the last tile reaches n) the tile loop's check covers that hull; where it is not (`MIN(m, it + tile)` with the
 * tile loop running to n: tiles past m are empty) no check or section is written and the tile loop stays serial. The
 * loop inside a tile, where `it` is fixed, keeps its check, and so does the untiled form. */
#include <stdio.h>
#include <stdlib.h>

#define MIN(a, b) ((a) < (b) ? (a) : (b))

/* Adds into `out` over tiles: `out` may overlap `in`, and the tiles' range is only known per tile. */
static void tiled(long n, long tile, const double *in, double *out)
{
    long it, i;
    // expect: runtime-check private(i)
    for (it = 0; it < n; it += tile)
        // expect: runtime-check
        for (i = it; i < MIN(n, it + tile); i++)
            out[i] += 0.5 * in[i];
}

/* The rows end at m, the tiles at n: the largest row is not a term of the bound that is known before the loop. */
static void tiled_short(long n, long m, long tile, const double *in, double *out)
{
    long it, i;
    // expect: sequential
    for (it = 0; it < n; it += tile)
        // expect: runtime-check
        for (i = it; i < MIN(m, it + tile); i++)
            out[i] += 0.25 * in[i];
}

/* Control: the same update untiled (its range is known before the loop). */
static void untiled(long n, const double *in, double *out)
{
    // expect: runtime-check
    for (long i = 0; i < n; i++)
        out[i] += 0.5 * in[i];
}

int main(void)
{
    long n = 100000, tile = 4096;
    double *in = malloc(n * sizeof *in), *out = calloc(n, sizeof *out);
    if (!in || !out) return 1;
    // expect: parallel
    for (long k = 0; k < n; k++) in[k] = (k % 17) * 0.5;
    // expect: sequential
    for (int step = 0; step < 3; step++) {
        tiled(n, tile, in, out);
        tiled_short(n, n - 100, tile, in, out);
        untiled(n, in, out);
    }
    double s = 0;
    // expect: parallel reduction(+:s)
    for (long k = 0; k < n; k++) s += out[k] * (k % 7);
    printf("%.6e\n", s);
    free(in);
    free(out);
    return 0;
}
