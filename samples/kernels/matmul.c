/* matmul: dense double-precision matrix product C = A * B (N x N).
 *
 * Textbook i-j-k loop nest.  The i and j loops are parallel (each (i, j)
 * pair writes its own C[i][j]); the k loop is a scalar + reduction into
 * `sum`, declared inside the j body.
 *
 * Checksum: sum of all C[i][j] in double.  Parallelizing the i or j loop
 * leaves every C[i][j] bit-identical.  Reordering the k reduction and the
 * checksum sum (e.g. parallel/SIMD reductions) moves the checksum by
 * <= 1e-12 relative (9.5e-14 measured); compare with tolerance 1e-9. */
#include "common.h"

/* PARASLM_KERNELS_SMALL (the CMake option of that name) shrinks the inputs so that tests can run the suite
 * under sanitizers many times; the code and its loops stay the same. */
#ifdef PARASLM_KERNELS_SMALL
#define N 120
#else
#define N 1100
#endif

static double A[N][N];
static double B[N][N];
static double C[N][N];

static void init(void)
{
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            A[i][j] = (double)((i * 7 + j * 13) % 101) / 101.0;
            B[i][j] = (double)((i * 11 + j * 5) % 97) / 97.0;
        }
    }
}

static void matmul(void)
{
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            double sum = 0.0;
            for (int k = 0; k < N; k++) {
                sum += A[i][k] * B[k][j];
            }
            C[i][j] = sum;
        }
    }
}

int main(void)
{
    init();

    double t0 = now_seconds();
    matmul();
    double t1 = now_seconds();

    double checksum = 0.0;
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            checksum += C[i][j];
        }
    }
    print_result_double(checksum, t1 - t0);
    return 0;
}
