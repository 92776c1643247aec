#include <stdio.h>
#include <stdlib.h>

#define N 1000000

int main(void)
{
    long long *a = malloc(N * sizeof *a);
    if (!a) return 1;
    for (int i = 0; i < N; i++)
        a[i] = (long long)i * 3 + (i % 7) * (i % 11);
    long long sum = 0;
    for (int i = 0; i < N; i++)
        sum += a[i] % 1000;
    printf("c sum=%lld\n", sum);
    free(a);
    return 0;
}
