/* Tiles of a 2-D update whose rows and columns run from a run-time start to a constant past it (`r = r0; r < r0 + 16`,
   hotspot's shape): the tile's trip counts are constants even though its bounds are not, so a 16 x 16 tile is known to
   be too small for a parallel region instead of being planned parallel behind a guard that can never hold. */

#define TILE 16
#define BAND 512

/* One 16 x 16 tile per call of a stencil-free update. */
void tile_scale(float *restrict out, const float *restrict in, int n, int r0, int c0) {
    // expect: runtime-check
    for (int r = r0; r < r0 + TILE; r++)
        // expect: parallel
        for (int c = c0; c < c0 + TILE; c++)
            out[r * n + c] = 0.5f * in[r * n + c];
}

/* The tiles themselves: the tile loop runs over run-time many tiles, each a constant-size block. */
void tiles(float *restrict out, const float *restrict in, int n, int ntiles) {
    // expect: sequential
    for (int t = 0; t < ntiles; t++) {
        int r0 = TILE * (t / (n / TILE));
        int c0 = TILE * (t % (n / TILE));
        // expect: runtime-check
        for (int r = r0; r < r0 + TILE; r++)
            // expect: parallel
            for (int c = c0; c < c0 + TILE; c++)
                out[r * n + c] = 0.5f * in[r * n + c];
    }
}

/* A band of 512 rows from a run-time start, each a full row of run-time length: enough work to pay at run time. */
void band_scale(float *restrict out, const float *restrict in, int n, int r0) {
    // expect: parallel
    for (int r = r0; r < r0 + BAND; r++)
        // expect: parallel
        for (int c = 0; c < n; c++)
            out[r * n + c] = 0.5f * in[r * n + c];
}

/* A countdown from a run-time start over a constant span (step -2): 8 iterations. */
float countdown_sum(const float *restrict x, int s) {
    float sum = 0.0f;
    // expect: parallel reduction(+:sum)
    for (int i = s + 14; i >= s; i -= 2)
        sum += x[i];
    return sum;
}
