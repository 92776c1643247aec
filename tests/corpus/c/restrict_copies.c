/* `restrict` promises no overlap only with pointers not based on the restrict pointer (C11 6.7.3.1): a copy of it
 * (`view = cursor`, `src = dst`) may name the same elements. A file-scope restrict pointer may be copied by any
 * function and is not relied on by gcc or clang, so it is checked at run time like a plain pointer; a restrict
 * parameter whose value is copied to another lvalue loses its guarantee (tests: RestrictCopyTests). */

#define SAMPLES 4096

float samples[SAMPLES], gains[SAMPLES];
float *__restrict__ cursor;   /* points into samples */
float *view;                  /* a plain copy of cursor */

/* A restrict global pointing 4 elements into `samples`; the loop reads `samples` 6 ahead: each iteration reads
 * what iteration i + 2 writes (an anti-dependence through the array itself). */
void shift_window_ahead(void)
{
    cursor = samples + 4;
    // expect: runtime-check
    for (int i = 0; i < SAMPLES - 8; i++)
        cursor[i] = samples[i + 6] * gains[i];
}

/* A plain global copy of the restrict global: `view[i + 1]` is the element the next iteration writes. */
void smooth_through_copy(void)
{
    view = cursor;
    // expect: runtime-check
    for (int i = 0; i < SAMPLES - 8; i++)
        cursor[i] = 0.5f * (view[i] + view[i + 1]);
}

/* A restrict parameter copied into a local by assignment: `src` is based on `dst` and overlaps it. */
void restrict_param_copied(float *restrict dst, int n)
{
    float *src;
    src = dst;
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        dst[i] = src[i + 1] - 1.0f;
}

/* A restrict parameter whose address is taken: a pointer read back through it is another name for its target. */
void restrict_param_address_taken(float *restrict dst, int n)
{
    float *restrict *where = &dst;
    float *src = *where;
    // expect: sequential
    for (int i = 0; i < n; i++)
        dst[i] = src[i + 1] + gains[i];
}

/* Control: restrict parameters never copied keep their guarantee. */
void scale_restrict(float *restrict out, const float *restrict in, int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        out[i] = 2.0f * in[i];
}

/* Control: a local defined once from the restrict parameter is followed to it (same base, disjoint halves). */
void fold_halves(float *restrict buf, int n)
{
    float *hi = buf + n;
    // expect: parallel
    for (int i = 0; i < n; i++)
        buf[i] += hi[i];
}
