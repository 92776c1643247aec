/* Dense matrix products in the usual loop orders. */

#define N 256

static double A[N][N], B[N][N], C[N][N];
static double xv[N], yv[N];

void matmul_ijk(void)
{
    // expect: parallel
    for (int i = 0; i < N; i++) {
        // expect: parallel
        for (int j = 0; j < N; j++) {
            double s = 0.0;
            // expect: parallel reduction(+:s)
            for (int k = 0; k < N; k++)
                s += A[i][k] * B[k][j];
            C[i][j] = s;
        }
    }
}

/* The k loop accumulates into one array element, not a scalar. */
void matmul_ijk_accumulate(void)
{
    // expect: parallel
    for (int i = 0; i < N; i++) {
        // expect: parallel
        for (int j = 0; j < N; j++) {
            // expect: sequential
            for (int k = 0; k < N; k++)
                C[i][j] += A[i][k] * B[k][j];
        }
    }
}

void matmul_ikj(void)
{
    // expect: parallel
    for (int i = 0; i < N; i++) {
        // expect: parallel reduction(+:C)
        for (int k = 0; k < N; k++) {
            double aik = A[i][k];
            // expect: parallel
            for (int j = 0; j < N; j++)
                C[i][j] += aik * B[k][j];
        }
    }
}

void matmul_flat(double *c, const double *a, const double *b, int n)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++) {
        // expect: runtime-check
        for (int j = 0; j < n; j++) {
            double s = 0.0;
            // expect: parallel reduction(+:s)
            for (int k = 0; k < n; k++)
                s += a[i * n + k] * b[k * n + j];
            c[i * n + j] = s;
        }
    }
}

void matmul_c89(double *c, const double *a, const double *b, int n)
{
    int i, j, k;
    double sum;

    // expect: runtime-check private(j,k,sum)
    for (i = 0; i < n; i++) {
        // expect: runtime-check private(k,sum)
        for (j = 0; j < n; j++) {
            sum = 0.0;
            // expect: parallel reduction(+:sum)
            for (k = 0; k < n; k++)
                sum += a[i * n + k] * b[k * n + j];
            c[i * n + j] = sum;
        }
    }
}

void matmul_c89_globals(int n)
{
    int i, j, k;
    double sum;

    // expect: runtime-check private(j,k,sum)
    for (i = 0; i < n; i++) {
        // expect: parallel private(k,sum)
        for (j = 0; j < n; j++) {
            sum = 0.0;
            // expect: parallel reduction(+:sum)
            for (k = 0; k < n; k++)
                sum += A[i][k] * B[k][j];
            C[i][j] = sum;
        }
    }
}

void matvec_transposed(void)
{
    // expect: parallel reduction(+:yv)
    for (int j = 0; j < N; j++) {
        // expect: parallel
        for (int i = 0; i < N; i++)
            yv[i] += A[j][i] * xv[j];
    }
}

void matvec_pointers(double *y, const double *a, const double *x, int n)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++) {
        double s = 0.0;
        // expect: parallel reduction(+:s)
        for (int j = 0; j < n; j++)
            s += a[i * n + j] * x[j];
        y[i] = s;
    }
}

void matmul_ikj_pointers(double *c, const double *a, const double *b, int n)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++) {
        // expect: runtime-check reduction(+:c[n * i:n])
        for (int k = 0; k < n; k++) {
            const double aik = a[i * n + k];
            // expect: runtime-check
            for (int j = 0; j < n; j++)
                c[i * n + j] += aik * b[k * n + j];
        }
    }
}
