#include <stdio.h>
#include <stdlib.h>

long next_id(void);

int main(void)
{
    int n = 400000;
    long *a = malloc(sizeof(long) * n), *b = malloc(sizeof(long) * n), *id = malloc(sizeof(long) * n);
    for (int i = 0; i < n; i++)
        a[i] = (i * 7919L) % 1000;
    for (int i = 0; i < n; i++)
        b[i] = a[i] * 3 + 1;
    /* Parallel only under the false assertion; each item's id then depends on the order the threads ran. */
    for (int i = 0; i < n; i++)
        id[i] = next_id();
    long sum = 0, weighted = 0;
    for (int i = 0; i < n; i++)
        sum += b[i];
    for (int i = 0; i < n; i++)
        weighted = (weighted * 31 + id[i] * (long)i) % 1000000007L;
    printf("sum: %ld\nids: %ld\n", sum, weighted);
    free(a); free(b); free(id);
    return 0;
}
