/* Tiled loops whose inner bounds read the tile counter (`MIN(n, it + tile)`, PRK stencil's tiled form): a range computed
 * before the tile loop cannot read it, so the tile loop gets no array-reduction section and no overlap check built from
 * such a bound (tests: CounterBoundExtentTests); the loop inside a tile, where `it` is fixed, keeps its check, and so does
 * the untiled form. */
#include <stdio.h>
#include <stdlib.h>

#define MIN(a, b) ((a) < (b) ? (a) : (b))

/* Adds into `out` over tiles: `out` may overlap `in`, and the tiles' range is only known per tile. */
static void tiled(long n, long tile, const double *in, double *out)
{
    long it, i;
    // expect: sequential
    for (it = 0; it < n; it += tile)
        // expect: runtime-check
        for (i = it; i < MIN(n, it + tile); i++)
            out[i] += 0.5 * in[i];
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
