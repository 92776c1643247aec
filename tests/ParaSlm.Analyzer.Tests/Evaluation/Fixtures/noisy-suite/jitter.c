/* jitter: reports 0.5 s and 1.0 s on alternate runs of the same binary, counting its runs in a file beside it (the
 * working directory is the binary's folder), as a memory-bound kernel on a shared VM does at random. */
#include <stdio.h>

int main(void)
{
    long runs = 0;
    FILE *f = fopen("jitter.count", "r");
    if (f) {
        if (fscanf(f, "%ld", &runs) != 1) runs = 0;
        fclose(f);
    }
    f = fopen("jitter.count", "w");
    if (!f) return 1;
    fprintf(f, "%ld\n", runs + 1);
    fclose(f);
    printf("checksum: 42\ntime: %.6f s\n", runs % 2 ? 1.0 : 0.5);
    return 0;
}
