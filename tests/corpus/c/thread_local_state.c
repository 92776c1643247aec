/* Thread-local variables (found on XSBench/RSBench-style OpenMP programs, whose state may live in threadprivate
 * globals): `__thread`, `_Thread_local` and `#pragma omp threadprivate` give every thread its own object. In a
 * parallel loop the team's other threads read their own copies (zero, or what they last stored), not the value the
 * encountering thread set before the loop, and their writes never reach it. No clause shares such a variable.
 * Ground truth is what the C semantics allow, whatever any analyzer says. */
#include <stddef.h>

__thread double tl_scale;
_Thread_local int tl_calls;
double tp_offset;
double tp_table[64];
#pragma omp threadprivate(tp_offset, \
                          tp_table)
double plain_scale;

/* Reads a `__thread` global: the workers see their own (zero) copy. */
void scale_by_thread_local(int n, const double *restrict x, double *restrict y)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        y[i] = tl_scale * x[i];
}

/* Reads an `omp threadprivate` global (the pragma is continued over two lines). */
void shift_by_threadprivate(int n, const double *restrict x, double *restrict y)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        y[i] = x[i] + tp_offset;
}

/* A threadprivate table read by subscript. */
void lookup_threadprivate_table(int n, double *restrict y)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        y[i] = tp_table[i % 64];
}

static double scaled(double v) { return v * tl_scale; }

/* The thread-local read happens in a helper the loop calls. */
void scale_through_helper(int n, const double *restrict x, double *restrict y)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        y[i] = scaled(x[i]);
}

/* A `_Thread_local` counter bumped in the loop: a reduction clause cannot name it. */
void count_calls(int n, double *restrict y)
{
    // expect: sequential
    for (int i = 0; i < n; i++) {
        y[i] = 1.0;
        tl_calls++;
    }
}

/* Control: an ordinary global is one object for every thread. */
void scale_by_global(int n, const double *restrict x, double *restrict y)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        y[i] = plain_scale * x[i];
}
