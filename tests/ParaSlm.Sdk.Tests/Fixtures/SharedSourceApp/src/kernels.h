#ifndef KERNELS_H
#define KERNELS_H
double scaled_sum(const double *restrict a, double *restrict b, int n);
#endif
