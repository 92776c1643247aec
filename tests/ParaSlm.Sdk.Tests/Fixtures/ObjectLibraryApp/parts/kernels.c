/* Every value is a small integer or a multiple of 1/4: lanes and threads cannot change the sum. */
double scaled_sum(const double *restrict a, double *restrict b, int n)
{
    for (int i = 0; i < n; i++)
        b[i] = 0.25 * a[i] + a[i];
    double s = 0;
    for (int i = 0; i < n; i++)
        s += b[i];
    return s;
}
