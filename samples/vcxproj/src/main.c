#include <stdio.h>
#include <stdlib.h>
#include "sample.h"

int main(void)
{
    long *in = malloc(sizeof(long) * SAMPLE_SIZE), *out = malloc(sizeof(long) * SAMPLE_SIZE);
    for (int i = 0; i < SAMPLE_SIZE; i++)
        in[i] = (i * 7919L) % 1000;
    report("sum", kernel_run(in, out, SAMPLE_SIZE));
    printf("threads: %d\n", kernel_threads());
    free(in);
    free(out);
    return 0;
}
