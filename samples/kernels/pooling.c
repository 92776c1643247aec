/* pooling: CNN pooling layers over a C x H x W feature map --
 * max pooling 3x3 / stride 2 (overlapping, AlexNet style) and average
 * pooling 2x2 / stride 2.  The layer is applied REPS times; each application
 * accumulates into the previous output with a 0.5 decay, so the repeats
 * form a real dependence chain the compiler cannot collapse.
 *
 * The c, i and j loops of both pooling nests are parallel (each output
 * element is read and written by exactly one iteration); the window loops
 * are scalar max / + reductions (`if (v > m) m = v;`, `sum += ...`).  The
 * repeat loop is sequential.
 *
 * Checksum: sum of both (non-negative) outputs in double.  A parallel run
 * over c/i/j gives bit-identical outputs; reordering the window sum and the
 * checksum sum moves it by <= 1e-12 relative (2.7e-14 measured); compare
 * with tolerance 1e-9. */
#include "common.h"

/* PARASLM_KERNELS_SMALL (the CMake option of that name) shrinks the inputs so that tests can run the suite
 * under sanitizers many times; the code and its loops stay the same. */
#ifdef PARASLM_KERNELS_SMALL
#define C 4
#define H 64
#define W 64
#else
#define C 32
#define H 512
#define W 512
#endif
#define MH ((H - 3) / 2 + 1) /* 3x3 stride 2 max pool output */
#define MW ((W - 3) / 2 + 1)
#define AH (H / 2) /* 2x2 stride 2 average pool output */
#define AW (W / 2)
#ifdef PARASLM_KERNELS_SMALL
#define REPS 2
#else
#define REPS 60
#endif

static double x[C][H][W];
static double ymax[C][MH][MW];
static double yavg[C][AH][AW];

static void init(void)
{
    uint64_t seed = 4242;
    for (int c = 0; c < C; c++) {
        for (int i = 0; i < H; i++) {
            for (int j = 0; j < W; j++) {
                x[c][i][j] = lcg_uniform(&seed);
            }
        }
    }
}

static void pooling(void)
{
    for (int r = 0; r < REPS; r++) {
        for (int c = 0; c < C; c++) {
            for (int i = 0; i < MH; i++) {
                for (int j = 0; j < MW; j++) {
                    double m = x[c][2 * i][2 * j];
                    for (int di = 0; di < 3; di++) {
                        for (int dj = 0; dj < 3; dj++) {
                            double v = x[c][2 * i + di][2 * j + dj];
                            if (v > m) m = v;
                        }
                    }
                    ymax[c][i][j] = 0.5 * ymax[c][i][j] + m;
                }
            }
        }
        for (int c = 0; c < C; c++) {
            for (int i = 0; i < AH; i++) {
                for (int j = 0; j < AW; j++) {
                    double sum = 0.0;
                    for (int di = 0; di < 2; di++) {
                        for (int dj = 0; dj < 2; dj++) {
                            sum += x[c][2 * i + di][2 * j + dj];
                        }
                    }
                    yavg[c][i][j] = 0.5 * yavg[c][i][j] + 0.25 * sum;
                }
            }
        }
    }
}

int main(void)
{
    init();

    double t0 = now_seconds();
    pooling();
    double t1 = now_seconds();

    double checksum = 0.0;
    for (int c = 0; c < C; c++) {
        for (int i = 0; i < MH; i++) {
            for (int j = 0; j < MW; j++) {
                checksum += ymax[c][i][j];
            }
        }
        for (int i = 0; i < AH; i++) {
            for (int j = 0; j < AW; j++) {
                checksum += yavg[c][i][j];
            }
        }
    }
    print_result_double(checksum, t1 - t0);
    return 0;
}
