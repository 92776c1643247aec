#ifndef SAMPLE_H
#define SAMPLE_H

long kernel_run(const long *restrict in, long *restrict out, int n);
int kernel_threads(void);
void report(const char *name, long value);

#endif
