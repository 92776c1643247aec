/* Scalars whose address escapes (issue 11, found reviewing parallel verdicts for held-out code): a private copy or
 * a reduction replaces a variable only where the code names it; a pointer that holds its address still reaches the
 * shared original, so reading or writing through it sees neither the private copies nor the partial sums.
 * Ground truth is what the C semantics allow, whatever any analyzer says. */
#include <stddef.h>

double total;
double *total_view = &total;
double samples[256];

struct holder { double *p; };

/* `*ps` is `s`: each iteration reads the running sum (a prefix sum), not a plain reduction. */
void prefix_through_pointer(int n, const double *x, double *restrict y)
{
    double s = 0.0;
    double *ps = &s;
    // expect: sequential
    for (int i = 0; i < n; i++) {
        s += x[i];
        y[i] = *ps;
    }
}

/* The same through a subscript of the pointer. */
void prefix_through_subscript(int n, const double *x, double *restrict y)
{
    double s = 0.0;
    double *ps;
    ps = &s;
    // expect: sequential
    for (int i = 0; i < n; i++) {
        s += x[i];
        y[i] = ps[0];
    }
}

/* The address is stored in a struct member first. */
void prefix_through_member(int n, const double *x, double *restrict y)
{
    double s = 0.0;
    struct holder h = { &s };
    // expect: sequential
    for (int i = 0; i < n; i++) {
        s += x[i];
        y[i] = *h.p;
    }
}

/* `t` would be private, but `*pt` reads the shared `t`. */
void copy_through_pointer(int n, const double *x, double *restrict y)
{
    double t;
    double *pt = &t;
    // expect: sequential
    for (int i = 0; i < n; i++) {
        t = 2.0 * x[i];
        y[i] = *pt;
    }
}

/* A global's address may be held anywhere: here by a global pointer the loop reads through. */
void global_sum_through_view(int n, const double *restrict x, double *restrict y)
{
    // expect: sequential
    for (int i = 0; i < n; i++) {
        total += x[i];
        y[i] = *total_view;
    }
}

/* A pointer parameter may hold a global's address (the caller may pass &total). */
void global_sum_through_parameter(int n, const double *x)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        total += x[i];
}

/* Reading through the pointer only after the loop sees the combined sum: a reduction. */
double sum_read_after(int n, const double *x)
{
    double s = 0.0;
    double *ps = &s;
    // expect: parallel reduction(+:s)
    for (int i = 0; i < n; i++)
        s += x[i];
    return *ps;
}

/* A parameter the function never reassigns cannot hold the address of a local made after the call began. */
double sum_with_parameter_reads(int n, const double *x, double *out)
{
    double s = 0.0;
    double *ps = &s;
    // expect: parallel reduction(+:s)
    for (int i = 0; i < n; i++)
        s += x[i];
    *out = *ps;
    return s;
}

/* A global reduced over a global array: no pointer in the loop can reach `total`. */
void global_sum_of_array(void)
{
    // expect: parallel reduction(+:total)
    for (int i = 0; i < 256; i++)
        total += samples[i];
}

/* `restrict` promises that nothing reached through `x` is accessed by any other means. */
void global_sum_through_restrict(int n, const double *restrict x)
{
    // expect: parallel reduction(+:total)
    for (int i = 0; i < n; i++)
        total += x[i];
}

/* Strict aliasing: an `int *` never reaches a `double`. */
double sum_with_int_reads(int n, const int *k)
{
    double s = 0.0;
    double *ps = &s;
    // expect: parallel reduction(+:s)
    for (int i = 0; i < n; i++)
        s += k[i];
    return *ps;
}
