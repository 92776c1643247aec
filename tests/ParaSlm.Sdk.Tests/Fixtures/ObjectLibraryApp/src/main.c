#include <stdio.h>
#include <stdlib.h>

double scaled_sum(const double *restrict a, double *restrict b, int n);

#define N 2000000

int main(void)
{
    double *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);
    if (!a || !b) return 1;
    /* A recurrence (stays serial): the programs get OpenMP only through the objects they take. */
    int x = 0;
    for (int i = 0; i < N; i++) {
        x = (x * 7 + 3) % 13;
        a[i] = x;
    }
    printf("sum=%.2f\n", scaled_sum(a, b, N));
    free(a);
    free(b);
    return 0;
}
