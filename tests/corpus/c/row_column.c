/* Row-column pipeline (issue 14): serial loops whose body is row chains along `j` (`i` carrying nothing) and column
   sums over `i` (carried only on the same element of `j`) that both read one matrix moving with `j`; they may run as
   one pass over the rows, column strips pipelined across threads. The loops themselves stay serial as written. */
#define N 203
#define M 131

double A[N][M], B[N][M], r[N], p[M], s[M], q[N], w[N], z[M], t[M], c[N], o[N];

void rowcol(int n, int m, double (*a)[M], double *sv, double *qv, const double *pv, const double *rv) {
    int i, j;
    // expect: sequential
    for (i = 0; i < n; i++) {
        qv[i] = 0.0;
        // expect: sequential
        for (j = 0; j < m; j++) {
            sv[j] = sv[j] + rv[i] * a[i][j];
            qv[i] = qv[i] + a[i][j] * pv[j];
        }
    }
}

void two_each(void) {
    // expect: sequential
    for (int i = 1; i <= N - 1; i++) {
        w[i] = r[i] * 0.5;
        // expect: sequential
        for (int j = 2; j < M; j++) {
            z[j] = z[j] * 0.75 + A[i][j];
            q[i] += A[i][j] * p[j];
            w[i] = w[i] - A[i][j] * r[i];
            t[j] -= A[i][j] * r[i];
        }
    }
}

void start_read_by_a_column(void) {
    // expect: sequential
    for (int i = 0; i < N; i++) {
        c[i] = r[i] * 2.0;
        // expect: sequential
        for (int j = 0; j < M; j++) {
            s[j] = s[j] + c[i] * A[i][j];
            q[i] = q[i] + A[i][j] * p[j];
        }
    }
}

void third_statement_writes_the_matrix(void) {
    // expect: sequential
    for (int i = 0; i < N; i++) {
        q[i] = 0.0;
        // expect: sequential
        for (int j = 0; j < M; j++) {
            s[j] = s[j] + r[i] * A[i][j];
            q[i] = q[i] + A[i][j] * p[j];
            A[i][j] = A[i][j] * 0.5;
        }
    }
}

void no_shared_sweep(void) {
    // expect: sequential
    for (int i = 0; i < N; i++) {
        q[i] = 0.0;
        // expect: sequential
        for (int j = 0; j < M; j++) {
            s[j] = s[j] + r[i] * B[i][j];
            q[i] = q[i] + A[i][j] * p[j];
        }
    }
}

void statement_after_the_inner_loop(void) {
    // expect: sequential
    for (int i = 0; i < N; i++) {
        q[i] = 0.0;
        // expect: sequential
        for (int j = 0; j < M; j++) {
            s[j] = s[j] + r[i] * A[i][j];
            q[i] = q[i] + A[i][j] * p[j];
        }
        o[i] = q[i] * 2.0;
    }
}

void row_element_not_a_chain(void) {
    // expect: sequential
    for (int i = 0; i < N; i++) {
        q[i] = 0.0;
        // expect: sequential
        for (int j = 0; j < M; j++) {
            s[j] = s[j] + r[i] * A[i][j];
            q[i] = q[i] + A[i][j] * p[j];
            B[i][j] = A[i][j] * p[j];
        }
    }
}

void non_affine_column(void) {
    // expect: sequential
    for (int i = 0; i < N; i++) {
        q[i] = 0.0;
        // expect: sequential
        for (int j = 0; j < M; j++) {
            s[(j * j) % M] = s[(j * j) % M] + r[i] * A[i][j];
            q[i] = q[i] + A[i][j] * p[j];
        }
    }
}
