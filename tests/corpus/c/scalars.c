/* Scalars declared outside the loop: private, lastprivate, carried values. */
#include <math.h>

#define N 1024

static double a[N], b[N], c[N];
static double M[128][128];
static double rn[128];

void private_pair(double *z, const double *x, const double *y, int n)
{
    double t, u;

    // expect: runtime-check private(t,u)
    for (int i = 0; i < n; i++) {
        t = x[i] + y[i];
        u = x[i] - y[i];
        z[i] = t * u;
    }
}

void private_pair_globals(int n)
{
    double t, u;

    // expect: parallel private(t,u)
    for (int i = 0; i < n; i++) {
        t = a[i] + b[i];
        u = a[i] - b[i];
        c[i] = t * u;
    }
}

double last_value_used(int n)
{
    double t = 0.0;

    // expect: parallel lastprivate(t)
    for (int i = 0; i < n; i++) {
        t = a[i] * 2.0;
        b[i] = t + 1.0;
    }
    return t;
}

int counter_and_temp(int n)
{
    int i;
    double tmp;

    // expect: parallel private(tmp) lastprivate(i)
    for (i = 0; i < n; i++) {
        tmp = a[i] * a[i];
        c[i] = tmp;
    }
    return i;
}

double sign_both_branches(int n)
{
    double sgn = 0.0;

    // expect: parallel lastprivate(sgn)
    for (int i = 0; i < n; i++) {
        if (a[i] >= 0.0)
            sgn = 1.0;
        else
            sgn = -1.0;
        c[i] = sgn * a[i];
    }
    return sgn;
}

double temp_then_product(int n)
{
    double t;

    // expect: parallel private(t)
    for (int i = 0; i < n; i++) {
        t = a[i] * 0.5;
        b[i] = t + t;
    }
    t = 1.0;
    // expect: parallel reduction(*:t)
    for (int i = 0; i < n; i++)
        t *= b[i];
    return t;
}

void swap_arrays(double *x, double *y, int n)
{
    double t;

    // expect: runtime-check private(t)
    for (int i = 0; i < n; i++) {
        t = x[i];
        x[i] = y[i];
        y[i] = t;
    }
}

void row_norms(int n)
{
    int i, j;
    double s;

    // expect: parallel private(j,s)
    for (i = 0; i < n; i++) {
        s = 0.0;
        // expect: parallel reduction(+:s)
        for (j = 0; j < n; j++)
            s += M[i][j] * M[i][j];
        rn[i] = sqrt(s);
    }
}

void squares_through_pointers(double *y, const double *x, int n)
{
    double t;

    // expect: runtime-check private(t)
    for (int i = 0; i < n; i++) {
        t = x[i] * x[i];
        y[i] = t + 1.0;
    }
}

void shift_by_one(int n)
{
    double prev = 0.0;

    // expect: sequential
    for (int i = 0; i < n; i++) {
        b[i] = prev;
        prev = a[i];
    }
}

void read_before_write_in_branch(int n)
{
    double t = 0.0;

    // expect: sequential
    for (int i = 0; i < n; i++) {
        if (i > 0)
            b[i] = t;
        t = a[i];
    }
}

int last_match(const int *keys, int n, int key)
{
    int pos = -1;

    // expect: sequential
    for (int i = 0; i < n; i++)
        if (keys[i] == key)
            pos = i;
    return pos;
}

double last_positive(int n)
{
    double last = 0.0;

    // expect: sequential
    for (int i = 0; i < n; i++) {
        if (a[i] > 0.0)
            last = a[i];
        b[i] = a[i];
    }
    return last;
}

void second_induction(int n)
{
    int j = 0;

    // expect: sequential
    for (int i = 0; i < n / 2; i++) {
        c[j] = a[i];
        j += 2;
    }
}

int compact_positive(int n)
{
    int k = 0;

    // expect: sequential
    for (int i = 0; i < n; i++)
        if (a[i] > 0.0)
            c[k++] = a[i];
    return k;
}

void lcg_fill(unsigned *out, unsigned seed, int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        out[i] = seed >> 16;
    }
}

double kahan_sum(int n)
{
    double sum = 0.0, comp = 0.0;

    // expect: sequential
    for (int i = 0; i < n; i++) {
        double y = a[i] - comp;
        double t = sum + y;
        comp = (t - sum) - y;
        sum = t;
    }
    return sum;
}

void running_max(int n)
{
    double m = a[0];

    // expect: sequential
    for (int i = 0; i < n; i++) {
        if (a[i] > m)
            m = a[i];
        b[i] = m;
    }
}
