// Calls through a variable, parameter or member that holds a function pointer: the function that runs is the
// caller's choice, so no function name can vouch for it (not the user's ParaSlmAssumePure list, not a libm name that
// a parameter happens to reuse). Found with the CLI while checking BabelStream-style generic code.
#include <math.h>

static long calls;

static double counted(double v)
{
    calls++;
    return v * 2.0;
}

void map_param(double (*f)(double), double *restrict y, const double *restrict x, int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        y[i] = f(x[i]);
}

// A parameter named like the pure libm function it shadows.
void map_shadowed(double (*exp)(double), double *restrict y, const double *restrict x, int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        y[i] = exp(x[i]);
}

double (*g_op)(double) = counted;

void map_global(double *restrict y, const double *restrict x, int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        y[i] = g_op(x[i]);
}

struct ops {
    double (*apply)(double);
};

void map_member(const struct ops *o, double *restrict y, const double *restrict x, int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        y[i] = o->apply(x[i]);
}

static double twice(double v) { return v * 2.0; }

// Controls: a direct call to a pure helper, and libm's own exp.
void map_direct(double *restrict y, const double *restrict x, int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        y[i] = twice(x[i]);
}

void map_libm(double *restrict y, const double *restrict x, int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        y[i] = exp(x[i]);
}

long use(double *y, const double *x, int n)
{
    map_param(counted, y, x, n);
    map_shadowed(counted, y, x, n);
    return calls;
}
