/* Fusion of sibling nests (issue 14): two adjacent nests over the same iterations that both sweep one matrix, the first
   a row chain per `i`, the second a column sum (as written, or transposed: its loops interchanged), run fused as one
   row-column pipeline; and the near misses that keep each nest its own plan. */
#define N 203

double A[N][N], B[N][N], x1[N], x2[N], y1v[N], y2v[N], z[N], w[N + 1], u[N], v[N];

static double twice(double d) { return d + d; }

void mvt_like(void) {
    int i, j;
    // expect: parallel private(j)
    for (i = 0; i < N; i++)
        // expect: sequential
        for (j = 0; j < N; j++)
            x1[i] = x1[i] + A[i][j] * y1v[j];
    // expect: parallel private(j)
    for (i = 0; i < N; i++)
        // expect: sequential
        for (j = 0; j < N; j++)
            x2[i] = x2[i] + A[j][i] * y2v[j];
}

void mvt_params(int n, double *a1, double *a2, const double *b1, const double *b2, double (*m)[N]) {
    // expect: runtime-check
    for (int i = 0; i < n; i++) {
        // expect: sequential
        for (int j = 0; j < n; j++) {
            a1[i] += m[i][j] * b1[j];
        }
    }
    // expect: runtime-check
    for (int k = 0; k < n; k++) {
        // expect: sequential
        for (int l = 0; l < n; l++) {
            a2[k] += m[l][k] * b2[l];
        }
    }
}

void column_as_written(void) {
    // expect: parallel
    for (int i = 1; i <= N - 1; i++)
        // expect: sequential
        for (int j = 0; j < N; j++)
            u[i] = u[i] - B[i][j] * y1v[j];
    // expect: sequential
    for (int i = 1; i <= N - 1; i++)
        // expect: parallel
        for (int j = 0; j < N; j++)
            v[j] = v[j] + B[i][j] * y2v[i];
}

void gemver_like(void) {
    // expect: parallel
    for (int i = 0; i < N; i++)
        // expect: parallel
        for (int j = 0; j < N; j++)
            B[i][j] = B[i][j] + u[i] * v[j];
    // expect: parallel
    for (int i = 0; i < N; i++)
        // expect: sequential
        for (int j = 0; j < N; j++)
            x2[i] = x2[i] + 0.5 * B[j][i] * y2v[j];
}

void reads_a_later_row(void) {
    // expect: parallel
    for (int i = 0; i < N; i++)
        // expect: sequential
        for (int j = 0; j < N; j++)
            x1[i] = x1[i] + A[i][j] * y1v[j];
    // expect: parallel
    for (int i = 0; i < N; i++)
        // expect: sequential
        for (int j = 0; j < N; j++)
            x2[i] = x2[i] + A[j][i] * x1[j];
}

void different_bounds(void) {
    // expect: parallel
    for (int i = 0; i < N; i++)
        // expect: sequential
        for (int j = 0; j < N; j++)
            x1[i] = x1[i] + A[i][j] * y1v[j];
    // expect: parallel
    for (int i = 0; i < N - 1; i++)
        // expect: sequential
        for (int j = 0; j < N; j++)
            x2[i] = x2[i] + A[j][i] * y2v[j];
}

void statement_between(void) {
    // expect: parallel
    for (int i = 0; i < N; i++)
        // expect: sequential
        for (int j = 0; j < N; j++)
            x1[i] = x1[i] + A[i][j] * y1v[j];
    z[0] = 1.0;
    // expect: parallel
    for (int i = 0; i < N; i++)
        // expect: sequential
        for (int j = 0; j < N; j++)
            x2[i] = x2[i] + A[j][i] * y2v[j];
}

void call_in_body(void) {
    // expect: parallel
    for (int i = 0; i < N; i++)
        // expect: sequential
        for (int j = 0; j < N; j++)
            x1[i] = x1[i] + A[i][j] * y1v[j];
    // expect: parallel
    for (int i = 0; i < N; i++)
        // expect: sequential
        for (int j = 0; j < N; j++)
            x2[i] = x2[i] + twice(A[j][i]) * y2v[j];
}

void interchange_not_proven(void) {
    // expect: parallel
    for (int i = 0; i < N; i++)
        // expect: sequential
        for (int j = 0; j < N; j++)
            x1[i] = x1[i] + A[i][j] * y1v[j];
    // expect: sequential
    for (int i = 0; i < N; i++)
        // expect: sequential
        for (int j = 0; j < N; j++)
            w[i + 1] = w[i] + A[j][i] * y2v[j];
}

void reads_another_element(void) {
    // expect: parallel
    for (int i = 0; i < N; i++)
        // expect: parallel
        for (int j = 0; j < N; j++)
            B[i][j] = B[i][j] + u[i] * v[j];
    // expect: parallel
    for (int i = 0; i < N; i++)
        // expect: sequential
        for (int j = 0; j < N; j++)
            x2[i] = x2[i] + 0.5 * B[i][j] * y2v[j];
}
