/* Independent element-wise loops over globals, locals, restrict and plain pointers. */
#include <stddef.h>

#define N 1024

static double ga[N], gb[N], gc[N];
static float gx[N];

void vec_add_globals(int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        gc[i] = ga[i] + gb[i];
}

double local_arrays(void)
{
    double u[N], v[N], w[N];
    double s = 0.0;

    // expect: parallel
    for (int i = 0; i < N; i++) {
        u[i] = (double)i;
        v[i] = 2.0 * i;
    }
    // expect: parallel
    for (int i = 0; i < N; i++)
        w[i] = u[i] * v[i] - u[i];
    // expect: parallel reduction(+:s)
    for (int i = 0; i < N; i++)
        s += w[i];
    return s;
}

void scale_restrict(double *restrict out, const double *restrict in, double f, int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        out[i] = f * in[i];
}

void saxpy_pointers(float *y, const float *x, float alpha, int n)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        y[i] = alpha * x[i] + y[i];
}

void copy_pointers(int *dst, const int *src, int n)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        dst[i] = src[i];
}

void square_in_place(double *a, int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        a[i] = a[i] * a[i] + 1.0;
}

int fill_and_report(int n)
{
    int i;

    // expect: parallel lastprivate(i)
    for (i = 0; i < n; i++)
        ga[i] = 0.5 * i;
    return i;
}

void backwards(double *dst, const double *src, int n)
{
    // expect: runtime-check
    for (int i = n - 1; i >= 0; i--)
        dst[i] = src[i] * 3.0;
}

void every_fourth(double *dst, const double *src, int n)
{
    // expect: runtime-check
    for (int i = 0; i < n; i += 4)
        dst[i] = src[i] + 1.0;
}

void with_temporary(int n)
{
    double t;

    // expect: parallel private(t)
    for (int i = 0; i < n; i++) {
        t = ga[i] * 2.0;
        gb[i] = t * t;
    }
}

void clamp_globals(int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++) {
        if (gx[i] > 1.0f)
            gx[i] = 1.0f;
        else if (gx[i] < -1.0f)
            gx[i] = -1.0f;
    }
}

void vec_mul(double *z, const double *x, const double *y, int n)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        z[i] = x[i] * y[i];
}

void affine_map(float *out, const float *in, float a, float b, int n)
{
    float t;

    // expect: runtime-check private(t)
    for (int i = 0; i < n; i++) {
        t = a * in[i];
        out[i] = t + b;
    }
}

int threshold_pointers(int *flags, const int *vals, int limit, int n)
{
    int i;

    // expect: runtime-check lastprivate(i)
    for (i = 0; i < n; i++)
        flags[i] = vals[i] > limit;
    return i;
}

void copy_by_pointer_bump(double *dst, const double *src, int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        *dst++ = *src++;
}

void ramp(double start, double step, int n)
{
    double v = start;

    // expect: sequential
    for (int i = 0; i < n; i++) {
        gb[i] = v;
        v += step;
    }
}
