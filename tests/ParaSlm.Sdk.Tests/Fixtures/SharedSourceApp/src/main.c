#include <stdio.h>
#include <stdlib.h>
#include "kernels.h"

#define N 2000000

int main(void)
{
    double *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);
    if (!a || !b) return 1;
    for (int i = 0; i < N; i++)
        a[i] = i % 13;
    printf("sum=%.2f\n", scaled_sum(a, b, N));
    free(a);
    free(b);
    return 0;
}
