/* steady: reports the same time on every run (the extra-rounds test's quiet kernel). */
#include <stdio.h>

int main(void)
{
    long s = 0;
    for (long i = 0; i < 1000; i++) s += i % 7;
    printf("checksum: %ld\ntime: 0.500000 s\n", s);
    return 0;
}
