/* Calls inside loop bodies: libm, same-file helpers (pure and impure), library and extern calls. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROWLEN 32

#define N 1024

static double in[N], out[N], tab[N];
static int ivals[N], iabs_out[N];
static int call_count;
static double scale_factor = 2.0;

extern double ext_transform(double x);
static double defined_below(double x);

static double sq(double x)
{
    return x * x;
}

/* Pure through another pure helper. */
static double hyp(double x, double y)
{
    return sqrt(sq(x) + sq(y));
}

/* Reads a global, writes nothing outside itself. */
static double scaled(double x)
{
    return x * scale_factor;
}

/* Reads through its pointer only. */
static double horner(const double *coef, int deg, double x)
{
    double r = 0.0;

    // expect: sequential
    for (int k = deg; k >= 0; k--)
        r = r * x + coef[k];
    return r;
}

static double bump_global(double x)
{
    call_count++;
    return x + call_count;
}

/* Impure through another helper. */
static double via_bump(double x)
{
    return bump_global(x) * 0.5;
}

static void store_through(double *dst, double value)
{
    *dst = value;
}

static double noisy(double x)
{
    printf("value %f\n", x);
    return x;
}

static double running_total(double x)
{
    static double acc;
    acc += x;
    return acc;
}

void libm_calls(double *dst, const double *src, int n)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        dst[i] = exp(-src[i]) * cos(src[i]) + fabs(sin(src[i]));
}

void int_abs(int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        iabs_out[i] = abs(ivals[i]);
}

void transitively_pure(int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        out[i] = hyp(in[i], tab[i]);
}

void pure_reading_global(int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        out[i] = scaled(in[i]);
}

void pure_with_own_loop(int n)
{
    static const double coef[4] = {1.0, 0.5, 0.25, 0.125};

    // expect: parallel
    for (int i = 0; i < n; i++)
        out[i] = horner(coef, 3, in[i]);
}

void prototype_first(int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        out[i] = defined_below(in[i]);
}

void pure_helper_pointer_params(double *dst, const double *src, int n)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        dst[i] = hyp(src[i], 1.0);
}

void impure_global_write(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        out[i] = bump_global(in[i]);
}

void impure_transitive(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        out[i] = via_bump(in[i]);
}

void impure_pointer_param(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        store_through(&out[i], in[i] * 2.0);
}

void impure_io_helper(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        out[i] = noisy(in[i]);
}

void impure_static_state(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        out[i] = running_total(in[i]);
}

void direct_printf(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        printf("%d %f\n", i, in[i]);
}

void random_fill(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        tab[i] = (double)rand() / RAND_MAX;
}

void heap_scratch(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++) {
        double *tmp = malloc(4 * sizeof *tmp);
        if (tmp) {
            tmp[0] = in[i];
            out[i] = tmp[0] * 2.0;
            free(tmp);
        }
    }
}

void unknown_extern(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        out[i] = ext_transform(in[i]);
}

void clear_rows(void)
{
    static double rows[64][64];

    // expect: sequential
    for (int i = 0; i < 64; i++)
        memset(rows[i], 0, sizeof rows[i]);
}

static double defined_below(double x)
{
    return sq(x) + 1.0;
}

static int cmp_int(const void *pa, const void *pb)
{
    int x = *(const int *)pa, y = *(const int *)pb;
    return (x > y) - (x < y);
}

void sort_each_row(int rows_n)
{
    static int rows[64][ROWLEN];

    // expect: sequential
    for (int i = 0; i < rows_n; i++)
        qsort(rows[i], ROWLEN, sizeof rows[i][0], cmp_int);
}
