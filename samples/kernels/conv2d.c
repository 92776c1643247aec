/* conv2d: CNN-style 3x3 convolution layer with bias and ReLU.
 * Input CIN x (H+2) x (W+2) (zero-padded border), output COUT x H x W.
 *
 * The co, i and j loops are parallel (each output element is written by
 * exactly one iteration); the ci/kh/kw loops form a scalar + reduction into
 * `sum`, declared inside the j body.
 *
 * Checksum: sum of the (non-negative, post-ReLU) outputs in double.  A
 * parallel run over co/i/j gives bit-identical outputs; reordering the
 * inner reduction and the checksum sum moves it by <= 1e-12 relative
 * (1.3e-13 measured); compare with tolerance 1e-9. */
#include "common.h"

/* PARASLM_KERNELS_SMALL (the CMake option of that name) shrinks the inputs so that tests can run the suite
 * under sanitizers many times; the code and its loops stay the same. */
#ifdef PARASLM_KERNELS_SMALL
#define CIN 4
#define COUT 8
#define H 40
#define W 40
#define KS 3
#else
#define CIN 32
#define COUT 64
#define H 320
#define W 320
#define KS 3
#endif

static double in[CIN][H + KS - 1][W + KS - 1];
static double wt[COUT][CIN][KS][KS];
static double bias[COUT];
static double out[COUT][H][W];

static void init(void)
{
    uint64_t seed = 12345;
    for (int c = 0; c < CIN; c++) {
        for (int i = 0; i < H + KS - 1; i++) {
            for (int j = 0; j < W + KS - 1; j++) {
                int border = i == 0 || j == 0 || i == H + KS - 2 || j == W + KS - 2;
                in[c][i][j] = border ? 0.0 : lcg_uniform(&seed);
            }
        }
    }
    for (int co = 0; co < COUT; co++) {
        for (int ci = 0; ci < CIN; ci++) {
            for (int kh = 0; kh < KS; kh++) {
                for (int kw = 0; kw < KS; kw++) {
                    wt[co][ci][kh][kw] = lcg_uniform(&seed) - 0.45;
                }
            }
        }
        bias[co] = 0.01 * (co % 7) - 0.02;
    }
}

static void conv2d(void)
{
    for (int co = 0; co < COUT; co++) {
        for (int i = 0; i < H; i++) {
            for (int j = 0; j < W; j++) {
                double sum = bias[co];
                for (int ci = 0; ci < CIN; ci++) {
                    for (int kh = 0; kh < KS; kh++) {
                        for (int kw = 0; kw < KS; kw++) {
                            sum += in[ci][i + kh][j + kw] * wt[co][ci][kh][kw];
                        }
                    }
                }
                out[co][i][j] = sum > 0.0 ? sum : 0.0;
            }
        }
    }
}

int main(void)
{
    init();

    double t0 = now_seconds();
    conv2d();
    double t1 = now_seconds();

    double checksum = 0.0;
    for (int co = 0; co < COUT; co++) {
        for (int i = 0; i < H; i++) {
            for (int j = 0; j < W; j++) {
                checksum += out[co][i][j];
            }
        }
    }
    print_result_double(checksum, t1 - t0);
    return 0;
}
