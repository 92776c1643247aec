/* Every reduction operator, and scalar updates that are not reductions. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>

#define N 2048

static double x[N], y[N];
static int v[N];
static unsigned int bits[N];
static double gsum;

double sum_compound(int n)
{
    double s = 0.0;

    // expect: parallel reduction(+:s)
    for (int i = 0; i < n; i++)
        s += x[i];
    return s;
}

double dot_expanded(int n)
{
    double s = 0.0;

    // expect: parallel reduction(+:s)
    for (int i = 0; i < n; i++)
        s = s + x[i] * y[i];
    return s;
}

long sum_abs_int(int n)
{
    long s = 0;

    // expect: parallel reduction(+:s)
    for (int i = 0; i < n; i++)
        s += abs(v[i]);
    return s;
}

double subtract_all(double start, int n)
{
    double r = start;

    // expect: parallel reduction(-:r)
    for (int i = 0; i < n; i++)
        r -= y[i];
    return r;
}

double product_compound(int n)
{
    double p = 1.0;

    // expect: parallel reduction(*:p)
    for (int i = 0; i < n; i++)
        p *= 1.0 + x[i] * 1e-3;
    return p;
}

long product_expanded(int n)
{
    long p = 1;

    // expect: parallel reduction(*:p)
    for (int i = 0; i < n; i++)
        p = p * (v[i] % 3 + 1);
    return p;
}

int min_if(int n)
{
    int m = INT_MAX;

    // expect: parallel reduction(min:m)
    for (int i = 0; i < n; i++)
        if (v[i] < m)
            m = v[i];
    return m;
}

double max_if(int n)
{
    double m = -HUGE_VAL;

    // expect: parallel reduction(max:m)
    for (int i = 0; i < n; i++) {
        if (x[i] > m)
            m = x[i];
    }
    return m;
}

double max_fmax(int n)
{
    double m = x[0];

    // expect: parallel reduction(max:m)
    for (int i = 1; i < n; i++)
        m = fmax(m, x[i]);
    return m;
}

double min_fmin(int n)
{
    double m = HUGE_VAL;

    // expect: parallel reduction(min:m)
    for (int i = 0; i < n; i++)
        m = fmin(m, y[i]);
    return m;
}

double max_conditional_expression(int n)
{
    double m = x[0];

    // expect: parallel reduction(max:m)
    for (int i = 1; i < n; i++)
        m = x[i] > m ? x[i] : m;
    return m;
}

unsigned and_all(int n)
{
    unsigned acc = ~0u;

    // expect: parallel reduction(&:acc)
    for (int i = 0; i < n; i++)
        acc &= bits[i];
    return acc;
}

unsigned or_all(int n)
{
    unsigned acc = 0u;

    // expect: parallel reduction(|:acc)
    for (int i = 0; i < n; i++)
        acc |= 1u << (bits[i] & 31u);
    return acc;
}

unsigned xor_hash(int n)
{
    unsigned h = 0u;

    // expect: parallel reduction(^:h)
    for (int i = 0; i < n; i++)
        h ^= bits[i] * 2654435761u;
    return h;
}

int all_positive(int n)
{
    int ok = 1;

    // expect: parallel reduction(&&:ok)
    for (int i = 0; i < n; i++)
        ok = ok && v[i] > 0;
    return ok;
}

int any_negative(int n)
{
    int any = 0;

    // expect: parallel reduction(||:any)
    for (int i = 0; i < n; i++)
        any = any || v[i] < 0;
    return any;
}

int count_even(int n)
{
    int cnt = 0;

    // expect: parallel reduction(+:cnt)
    for (int i = 0; i < n; i++)
        if (v[i] % 2 == 0)
            cnt++;
    return cnt;
}

double sum_and_max(int n, double *max_out)
{
    double s = 0.0, m = -HUGE_VAL;

    // expect: parallel reduction(+:s) reduction(max:m)
    for (int i = 0; i < n; i++) {
        s += x[i];
        if (x[i] > m)
            m = x[i];
    }
    *max_out = m;
    return s;
}

double centroid(int n)
{
    double sx = 0.0, sy = 0.0;

    // expect: parallel reduction(+:sx,sy)
    for (int i = 0; i < n; i++) {
        sx += x[i];
        sy += y[i];
    }
    return sx / n + sy / n;
}

void accumulate_global(int n)
{
    // expect: parallel reduction(+:gsum)
    for (int i = 0; i < n; i++)
        gsum += x[i] * x[i];
}

double clip_and_sum(double *out, const double *in, int n)
{
    double s = 0.0;

    // expect: runtime-check reduction(+:s)
    for (int i = 0; i < n; i++) {
        out[i] = fmin(in[i], 1.0);
        s += out[i];
    }
    return s;
}

void prefix_sum(int n)
{
    double s = 0.0;

    // expect: sequential
    for (int i = 0; i < n; i++) {
        s += x[i];
        y[i] = s;
    }
}

double sum_until_threshold(int n)
{
    double s = 0.0;

    // expect: sequential
    for (int i = 0; i < n; i++) {
        if (s < 100.0)
            s += x[i];
    }
    return s;
}

double alternating_difference(int n)
{
    double r = 0.0;

    // expect: sequential
    for (int i = 0; i < n; i++)
        r = x[i] - r;
    return r;
}

double exponential_smoothing(int n)
{
    double r = 0.0;

    // expect: sequential
    for (int i = 0; i < n; i++)
        r = 0.9 * r + x[i];
    return r;
}

double add_then_halve(int n)
{
    double s = 0.0;

    // expect: sequential
    for (int i = 0; i < n; i++) {
        s += x[i];
        s *= 0.5;
    }
    return s;
}

int argmax(int n)
{
    double m = -HUGE_VAL;
    int at = -1;

    // expect: sequential
    for (int i = 0; i < n; i++) {
        if (x[i] > m) {
            m = x[i];
            at = i;
        }
    }
    return at;
}
