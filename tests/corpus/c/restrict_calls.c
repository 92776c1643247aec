/* A restrict pointer, or a fresh allocation, handed to a callee that keeps it: the kept copy is based on the pointer
 * (C11 6.7.3.1) and may name the same elements, so the qualifier (or the allocation) proves nothing about a loop that
 * reads through the copy. A callee whose body is here is walked for that parameter (recursively); a standard function
 * that keeps no pointer is trusted; an unknown external one may keep it (tests: RestrictRetainedTests,
 * RestrictRetainedRunTests). */

#include <stdlib.h>
#include <string.h>

float *g_view;
struct view { float *data; int n; };
struct view g_window;
extern void register_buffer(float *p);

static void remember(float *p) { g_view = p; }
static void remember_via(float *p) { remember(p + 0); }
static void attach(struct view *v, float *p, int n) { v->data = p; v->n = n; }
static void share(float *p, float **out) { *out = p; }
static float *identity(float *p) { return p; }

/* Reads and writes through its pointer, keeps nothing. */
static void clear(float *p, int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        p[i] = 0.0f;
}

static float total(const float *p, int n)
{
    float s = 0.0f;
    // expect: parallel reduction(+:s)
    for (int i = 0; i < n; i++)
        s += p[i];
    return s;
}

static void clear_twice(float *p, int n) { clear(p, n); clear(p + 1, n - 1); }

/* The callee stores the pointer in a global the loop reads one element ahead. */
void kept_in_global(float *restrict dst, int n)
{
    remember(dst);
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        dst[i] = g_view[i + 1] - 1.0f;
}

/* The same, one call deeper and through `p + 0`. */
void kept_through_nested_call(float *restrict dst, int n)
{
    remember_via(dst);
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        dst[i] = g_view[i + 1] - 1.0f;
}

/* The callee stores the pointer in a member of a global struct. */
void kept_in_struct_member(float *restrict dst, int n)
{
    attach(&g_window, dst, n);
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        dst[i] = g_window.data[i + 1] - 1.0f;
}

/* The callee stores the pointer through its out-parameter. */
void kept_through_out_parameter(float *restrict dst, int n)
{
    float *src;
    share(dst, &src);
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        dst[i] = src[i + 1] - 1.0f;
}

/* The callee returns it: the result is another name for the same elements. */
void returned_by_callee(float *restrict dst, int n)
{
    float *src = identity(dst);
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        dst[i] = src[i + 1] - 1.0f;
}

/* A braced initializer stores it in a struct the loop reads through. */
void kept_in_braced_initializer(float *restrict dst, int n)
{
    struct view v = { dst, n };
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        dst[i] = v.data[i + 1] - 1.0f;
}

/* A function without a body here may keep it. */
void passed_to_unknown_function(float *restrict dst, int n)
{
    register_buffer(dst);
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        dst[i] = g_view[i + 1] - 1.0f;
}

/* A fresh allocation handed to the same callee is no longer the only name for its memory. */
void fresh_buffer_kept_in_global(int n)
{
    float *buf = malloc((n + 1) * sizeof *buf);
    remember(buf);
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        buf[i] = g_view[i + 1] - 1.0f;
    free(buf);
}

/* memcpy returns its destination: a local defined once from that result is another name for the same elements (the
 * analyzer ties to the pointer only a local defined from the pointer itself). */
void returned_by_memcpy(float *restrict dst, const float *in, int n)
{
    float *src = memcpy(dst, in, (n + 1) * sizeof *dst);
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        dst[i] = src[i + 1] - 1.0f;
}

/* The same through memset for a fresh allocation: it is no longer the only name for its memory. */
void fresh_buffer_returned_by_memset(int n)
{
    float *buf = malloc((n + 1) * sizeof *buf);
    float *src = memset(buf, 0, (n + 1) * sizeof *buf);
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        buf[i] = src[i + 1] - 1.0f;
    free(buf);
}

/* Control: visible helpers that only read and write through their pointers keep nothing. */
void cleared_by_visible_helper(float *restrict out, const float *restrict in, int n)
{
    clear_twice(out, n);
    float t = total(in, n);
    // expect: parallel
    for (int i = 0; i < n; i++)
        out[i] = 2.0f * in[i] + t + g_view[i];
}

/* Control: memcpy and memset keep no pointer. */
void copied_by_library_function(float *restrict out, const float *restrict in, int n)
{
    memcpy(out, in, n * sizeof *out);
    memset(out, 0, sizeof *out);
    // expect: parallel
    for (int i = 0; i < n; i++)
        out[i] += 2.0f * in[i] + g_view[i];
}

/* Control: a fresh allocation handed only to a helper that keeps nothing stays fresh. */
void fresh_buffer_cleared(int n)
{
    float *buf = malloc((n + 1) * sizeof *buf);
    clear(buf, n + 1);
    // expect: parallel
    for (int i = 0; i < n; i++)
        buf[i] += g_view[i + 1] - 1.0f;
    free(buf);
}
