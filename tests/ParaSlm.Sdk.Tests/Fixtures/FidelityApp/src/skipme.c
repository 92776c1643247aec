/* Excluded with ParaSlmExclude by the tests: it must stay the original file. */
static double x[1 << 16];

double skipped(const double *restrict a, int n)
{
    for (int i = 0; i < n; i++)
        x[i] = a[i] + 1.0;
    return x[n - 1];
}
