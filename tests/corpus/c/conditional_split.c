/* Loops that open inside one branch of a preprocessor conditional and close after it: NPB LU's jacu/buts shape, whose
 * wavefront runs the other way under OpenMP. The parse sees the `#else` branch, so the loop's text holds an `#else` and
 * an `#endif` whose `#if` lies before it: ParaSlm may insert its directive there, but must not write such a loop twice
 * (the serial version of a run-time check or cost guard) or anew (a generated form), which would leave the conditional
 * unpaired and the whole file's parallel copy would not compile (tests: ConditionalSplitLoopTests). */

#define N 256

double a[N][N], u[N][N], b[N * N], c[N * N];

/* Rows split under a run-time check (the columns `jst..jend` must stay inside a row of N): the check would duplicate the loop. */
void jacu(int ist, int iend, int jst, int jend)
{
    int i, j;
    double tmp;
#if defined(_OPENMP)
    for (i = iend; i >= ist; i--) {
        for (j = jend; j >= jst; j--) {
#else
    // expect: runtime-check private(j,tmp)
    for (i = ist; i <= iend; i++) {
        // expect: parallel private(tmp)
        for (j = jst; j <= jend; j++) {
#endif
            tmp = 1.0 / u[i][j];
            a[i][j] = tmp * 2.0 + u[i][j];
        }
    }
}

/* No check, a run-time length: the cost guard cannot become a second version of the loop, so it stays an `if` clause. */
void scale(int n)
{
    int i;
#if defined(_OPENMP)
    for (i = n - 1; i >= 0; i--) {
#else
    // expect: parallel
    for (i = 0; i < n; i++) {
#endif
        b[i] = 2.0 * c[i] + 1.0;
    }
}

/* Control: a conditional that opens and closes inside the loop is written twice intact. */
void jacu_debug(int ist, int iend, int jst, int jend)
{
    // expect: runtime-check
    for (int i = ist; i <= iend; i++) {
        // expect: parallel
        for (int j = jst; j <= jend; j++) {
#ifdef JACU_TRACE
            a[i][j] = 0.0;
#else
            a[i][j] = 0.5 * u[i][j];
#endif
        }
    }
}
