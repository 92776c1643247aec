/* The shared library's own source: no loop, so the library links the OpenMP runtime only for the objects it takes. */
double scaled_sum(const double *restrict a, double *restrict b, int n);

double twice_scaled_sum(const double *restrict a, double *restrict b, int n)
{
    return 2 * scaled_sum(a, b, n);
}
