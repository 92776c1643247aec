long bump(long x);

/* Each iteration writes its own out[i]. */
void scale(long *restrict out, const long *restrict in, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = in[i] * 5 - 2;
}

/* A + reduction over integers: exact in any order. */
long total(const long *restrict a, int n)
{
    long s = 0;
    for (int i = 0; i < n; i++)
        s += a[i];
    return s;
}

/* Row i of y depends only on row i of m. */
void rows(long *restrict y, const long *restrict m, int n)
{
    for (int i = 0; i < n; i++) {
        long s = 0;
        for (int j = 0; j < 64; j++)
            s += m[i * 64 + j] ^ j;
        y[i] = s;
    }
}

/* Parallel only under the false assertion that bump() has no side effects. */
void tag(long *restrict t, int n)
{
    for (int i = 0; i < n; i++)
        t[i] = bump(i);
}

/* The largest element: a max reduction. */
long largest(const long *restrict a, int n)
{
    long m = a[0];
    for (int i = 1; i < n; i++)
        if (a[i] > m)
            m = a[i];
    return m;
}
