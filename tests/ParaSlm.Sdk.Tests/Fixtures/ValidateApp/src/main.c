#include <stdio.h>
#include <stdlib.h>

void scale(long *restrict out, const long *restrict in, int n);
long total(const long *restrict a, int n);
void rows(long *restrict y, const long *restrict m, int n);
void tag(long *restrict t, int n);
long largest(const long *restrict a, int n);
extern long calls;

int main(void)
{
    int n = 20000;
    long *in = malloc(sizeof(long) * n), *out = malloc(sizeof(long) * n), *t = malloc(sizeof(long) * n);
    long *m = malloc(sizeof(long) * n * 64), *y = malloc(sizeof(long) * n);
    for (int i = 0; i < n; i++) in[i] = (i * 7919L) % 1000;
    for (long i = 0; i < (long)n * 64; i++) m[i] = (i * 13) % 101;
    scale(out, in, n);
    rows(y, m, n);
    tag(t, n);
    printf("total: %ld\n", total(out, n));
    printf("rows: %ld\n", total(y, n));
    printf("largest: %ld\n", largest(out, n));
    printf("tag: %ld\n", total(t, n));
    printf("calls: %ld\n", calls);
    free(in); free(out); free(t); free(m); free(y);
    return 0;
}
