/* scale (expert): `omp parallel for` on the element loop.
 * scale: y = a*x + sqrt(x) over 2^20 doubles, 20 times (parallel loop; checksum in double). */
#include "../tiny.h"

#include <math.h>

#define N (1 << 20)
#define REPS 20

static double x[N], y[N];

static void scale(double a)
{
#pragma omp parallel for schedule(static)
    for (int i = 0; i < N; i++) {
        y[i] = 0.5 * y[i] + a * x[i] + sqrt(x[i]);
    }
}

int main(void)
{
    for (int i = 0; i < N; i++) x[i] = (double)(i % 1000) / 1000.0;
    double t0 = now_seconds();
    for (int r = 0; r < REPS; r++) scale(1.0 + r * 0.01);
    double t1 = now_seconds();
    double checksum = 0.0;
    for (int i = 0; i < N; i++) checksum += y[i];
    printf("checksum: %.10e\ntime: %.6f s\n", checksum, t1 - t0);
    return 0;
}
