#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double a[N], b[N];

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 5;
    for (int i = 0; i < N; i++)
        a[i] = (double)(i % 1000) / 7.0;
    double t0 = now();
    for (int r = 0; r < reps; r++)
        for (int i = 0; i < N; i++)
            b[i] = 2.5 * a[i] + r;
    double t1 = now();
    printf("b[1] = %.4f\nb[N/2] = %.4f\nb[N-1] = %.4f\n", b[1], b[N / 2], b[N - 1]);
    printf("kernel: %.3f ms\n", 1e3 * (t1 - t0));
    return 0;
}
