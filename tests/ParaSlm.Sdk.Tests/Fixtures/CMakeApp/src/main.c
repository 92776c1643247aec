#include <stdio.h>
#include <stdlib.h>
#include "kernels.h"

void prefix_sum(long *x, int n);
void print_checksum(const char *name, long value);

int main(void)
{
    enum { N = 600 };
    long *in = malloc(sizeof(long) * N), *out = malloc(sizeof(long) * N);
    long *a = malloc(sizeof(long) * N * N), *x = malloc(sizeof(long) * N), *y = malloc(sizeof(long) * N);
    for (int i = 0; i < N; i++) {
        in[i] = (i * 7919) % 1000;
        x[i] = (i * 31) % 17 - 8;
    }
    for (int i = 0; i < N * N; i++)
        a[i] = (i * 13) % 101 - 50;

    print_checksum("scale_and_sum", scale_and_sum(out, in, N));
    matvec(y, a, x, N);
    long s = 0;
    for (int i = 0; i < N; i++)
        s = s * 31 + y[i];
    print_checksum("matvec", s);
    prefix_sum(out, N);
    print_checksum("prefix_sum", out[N - 1]);
    /* stderr, so stdout stays comparable with the serial build */
    fprintf(stderr, "openmp: %d\n", kernels_openmp());
    free(in); free(out); free(a); free(x); free(y);
    return 0;
}
