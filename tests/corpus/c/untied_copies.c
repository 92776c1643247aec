/* Local pointers defined once from a value the dependence test cannot tie to the pointer it came from: a choice
 * between two pointers (`c ? p : r`), an address rounded with integer arithmetic (`p & ~63`), or an offset counted in
 * other units (`(char *)p + 4` is one float on, not four). Such a local is another name for the same memory: a
 * `restrict` parameter loses its guarantee and a plain pointer is checked against it at run time, never assumed
 * apart (tests: UntiedPointerCopyTests). */

#include <stdint.h>

/* `q` is `p` when `c` holds: `q[i + 1]` is the element the next iteration reads. */
void chosen_by_conditional(float *restrict p, float *restrict r, int n, int c)
{
    float *q = c ? p : r;
    // expect: runtime-check
    for (int i = 0; i < n - 1; i++)
        q[i + 1] = p[i] * 2.0f;
}

/* `q` is `p` rounded down to a cache line: it may be `p` itself. */
void aligned_by_mask(float *restrict p, int n)
{
    float *q = (float *)((uintptr_t)p & ~(uintptr_t)63);
    // expect: runtime-check
    for (int i = 0; i < n - 1; i++)
        q[i + 1] = p[i] + 1.0f;
}

/* Four bytes on is one float on: `q[2*i]` is `p[2*i + 1]`, which iteration i - 1 reads as `p[2*(i-1) + 3]`. */
void byte_offset_restrict(float *restrict p, int n)
{
    float *q = (float *)((char *)p + 4);
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        q[2 * i] = p[2 * i + 3] + 1.0f;
}

/* The same through a plain pointer: read as four floats on, the even writes never met the odd reads. */
void byte_offset_plain(float *p, int n)
{
    float *q = (float *)((char *)p + 4);
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        q[2 * i] = p[2 * i + 3] + 1.0f;
}

/* Control: a cast that keeps the element type (`const float *`) leaves `q` tied to `p`: the anti-dependence is proven. */
void const_view_tied(float *restrict p, int n)
{
    const float *q = (const float *)p + 1;
    // expect: sequential
    for (int i = 0; i < n - 1; i++)
        p[i] = q[i] * 2.0f;
}

/* Control: a local defined once as `p + n` stays tied (disjoint halves, no check). */
void halves_tied(float *restrict p, int n)
{
    float *hi = p + n;
    // expect: parallel
    for (int i = 0; i < n; i++)
        p[i] -= hi[i];
}
