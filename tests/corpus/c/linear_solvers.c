/* Triangular solves, tridiagonal (Thomas) solver, LU factorisation, elimination with pivoting,
   power iteration. */
#include <math.h>

#define N 512

static double L[N][N], U[N][N], LU[N][N], G[N][N];
static double bvec[N], xvec[N], yvec[N];
static double pv[N], pw[N];

void forward_substitution(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++) {
        double s = bvec[i];
        // expect: parallel reduction(-:s)
        for (int j = 0; j < i; j++)
            s -= L[i][j] * yvec[j];
        yvec[i] = s / L[i][i];
    }
}

void back_substitution(int n)
{
    // expect: sequential
    for (int i = n - 1; i >= 0; i--) {
        double s = yvec[i];
        // expect: parallel reduction(-:s)
        for (int j = i + 1; j < n; j++)
            s -= U[i][j] * xvec[j];
        xvec[i] = s / U[i][i];
    }
}

void thomas(const double *restrict a, double *restrict b, const double *restrict c,
            double *restrict d, double *restrict x, int n)
{
    // expect: sequential
    for (int i = 1; i < n; i++) {
        double w = a[i] / b[i - 1];
        b[i] -= w * c[i - 1];
        d[i] -= w * d[i - 1];
    }
    x[n - 1] = d[n - 1] / b[n - 1];
    // expect: sequential
    for (int i = n - 2; i >= 0; i--)
        x[i] = (d[i] - c[i] * x[i + 1]) / b[i];
}

void lu_doolittle(int n)
{
    // expect: sequential
    for (int k = 0; k < n; k++) {
        // expect: runtime-check
        for (int i = k + 1; i < n; i++)
            LU[i][k] /= LU[k][k];
        // expect: runtime-check
        for (int i = k + 1; i < n; i++) {
            // expect: runtime-check
            for (int j = k + 1; j < n; j++)
                LU[i][j] -= LU[i][k] * LU[k][j];
        }
    }
}

int gauss_partial_pivot(int n)
{
    int swaps = 0;

    // expect: sequential
    for (int k = 0; k < n; k++) {
        int p = k;
        double best = fabs(G[k][k]);
        // expect: sequential
        for (int i = k + 1; i < n; i++) {
            if (fabs(G[i][k]) > best) {
                best = fabs(G[i][k]);
                p = i;
            }
        }
        if (p != k) {
            /* Rows k and p trade places column by column. */
            // expect: runtime-check
            for (int j = 0; j < n; j++) {
                double t = G[k][j];
                G[k][j] = G[p][j];
                G[p][j] = t;
            }
            swaps++;
        }
        // expect: runtime-check
        for (int i = k + 1; i < n; i++) {
            double f = G[i][k] / G[k][k];
            // expect: runtime-check
            for (int j = k; j < n; j++)
                G[i][j] -= f * G[k][j];
        }
    }
    return swaps;
}

double power_iteration(int n, int iters)
{
    double lambda = 0.0;

    // expect: sequential
    for (int it = 0; it < iters; it++) {
        // expect: parallel
        for (int i = 0; i < n; i++) {
            double s = 0.0;
            // expect: parallel reduction(+:s)
            for (int j = 0; j < n; j++)
                s += G[i][j] * pv[j];
            pw[i] = s;
        }
        double norm = 0.0;
        // expect: parallel reduction(+:norm)
        for (int i = 0; i < n; i++)
            norm += pw[i] * pw[i];
        norm = sqrt(norm);
        lambda = norm;
        // expect: parallel
        for (int i = 0; i < n; i++)
            pv[i] = pw[i] / norm;
    }
    return lambda;
}

/* Pieces of a conjugate-gradient iteration on caller-provided vectors. */
void cg_residual(double *r, const double *a, const double *x, const double *b, int n)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++) {
        double s = 0.0;
        // expect: parallel reduction(+:s)
        for (int j = 0; j < n; j++)
            s += a[i * n + j] * x[j];
        r[i] = b[i] - s;
    }
}

double cg_dot(const double *u, const double *v, int n)
{
    double s = 0.0;

    // expect: parallel reduction(+:s)
    for (int i = 0; i < n; i++)
        s += u[i] * v[i];
    return s;
}

void cg_update(double *x, double *r, const double *p, const double *q, double alpha, int n)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++) {
        x[i] += alpha * p[i];
        r[i] -= alpha * q[i];
    }
}

void cg_direction(double *p, const double *r, double beta, int n)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        p[i] = r[i] + beta * p[i];
}
