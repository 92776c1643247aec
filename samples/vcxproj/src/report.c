#include <stdio.h>
#include "sample.h"

/* I/O in a loop: nothing here can run in parallel, so ParaSlm leaves this file alone. */
void report(const char *name, long value)
{
    for (int i = 0; i < 1; i++)
        printf("%s: %ld\n", name, value);
}
