/* Macros in loop headers and bodies; helpers from a shared header. */
#include "corpus_helpers.h"

#define LEN 1000
#define STEP 2
#define WIDTH 8
#define IDX2(i, j, w) ((i) * (w) + (j))
#define SCALE(x) (0.5 * (x) + 1.0)
#define ACCUM(s, v) ((s) += (v))
#define LOG_VALUE(i, v) printf("v%d=%f\n", (i), (v))

static double src[LEN], dst[LEN];
static double grid[LEN * WIDTH];

void macro_bound_and_step(void)
{
    // expect: parallel
    for (int i = 0; i < LEN; i += STEP)
        dst[i] = SCALE(src[i]);
}

void macro_flat_index(int rows)
{
    // expect: parallel
    for (int r = 0; r < rows; r++) {
        // expect: parallel
        for (int c = 0; c < WIDTH; c++)
            grid[IDX2(r, c, WIDTH)] = CH_SQR(src[r] - c);
    }
}

void macro_clamp(double *out, const double *in, int n)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        out[i] = CH_CLAMP(in[i], -1.0, 1.0);
}

double macro_accumulate(void)
{
    double total = 0.0;

    // expect: parallel reduction(+:total)
    for (int i = 0; i < LEN; i++)
        ACCUM(total, src[i] * src[i]);
    return total;
}

void macro_hides_io(void)
{
    // expect: sequential
    for (int i = 0; i < LEN; i++)
        LOG_VALUE(i, src[i]);
}

void macro_hides_dependence(void)
{
    // expect: sequential
    for (int i = 1; i < LEN; i++)
        dst[IDX2(0, i, 0)] = dst[IDX2(0, i - 1, 0)] + src[i];
}

void header_pure_inlines(void)
{
    // expect: parallel
    for (int i = 1; i < LEN; i++)
        dst[i] = ch_lerp(src[i - 1], src[i], 0.25) + ch_sigmoid(src[i]);
}

void header_pure_inline_with_loop(int rows)
{
    // expect: parallel
    for (int r = 0; r < rows; r++)
        dst[r] = ch_dot(&grid[r * WIDTH], &grid[0], WIDTH);
}

void header_impure_inline(void)
{
    // expect: sequential
    for (int i = 0; i < LEN; i++)
        ch_trace("src", i, src[i]);
}

int header_macro_min(void)
{
    int hits = 0;

    // expect: parallel reduction(+:hits)
    for (int i = 0; i < LEN; i++)
        hits += CH_MIN(src[i], dst[i]) > 0.0;
    return hits;
}

void macro_recurrence(void)
{
    dst[0] = src[0];
    // expect: sequential
    for (int i = 1; i < LEN; i++)
        dst[i] = SCALE(dst[i - 1]) + src[i];
}
