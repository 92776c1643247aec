/* Loops that are the unbraced body of an `if`/`else` with preprocessor lines between them (HPCCG's ddot once its
   `#pragma omp` is taken out of `#ifdef USING_OMP` ... `#endif`): lines that bind to no statement (a conditional, a
   `#define`) let the loop be wrapped in braces; a loop pragma, or a conditional the loop's own text leaves unpaired,
   does not. */

#define CORPUS_GAP_ON 1

double gap_dot(int n, const double *restrict x, const double *restrict y) {
    double s = 0.0;
    if (x == y)
#ifdef CORPUS_GAP_UNUSED
#endif
        // expect: parallel reduction(+:s)
        for (int i = 0; i < n; i++) s += x[i] * x[i];
    else
#define CORPUS_GAP_SCALE 1.0
        // expect: parallel reduction(+:s)
        for (int i = 0; i < n; i++) s += CORPUS_GAP_SCALE * x[i] * y[i];
    return s;
}

/* A loop pragma stands between: it binds to the loop, so the loop keeps its place (no braces, no directive). */
void gap_ivdep(int n, double *restrict a, const double *restrict b, int on) {
    if (on)
#pragma GCC ivdep
        // expect: parallel
        for (int i = 0; i < n; i++) a[i] = 2.0 * b[i];
}

/* The loop's own text closes a conditional opened before it (its `;` comes after the `#endif`): braces around the loop
   would not pair in the configuration that leaves the branch out. */
void gap_split(int n, double *restrict a, int on) {
    if (on)
#if CORPUS_GAP_ON
        // expect: parallel
        for (int i = 0; i < n; i++)
            a[i] = 1.0
#endif
            ;
}
