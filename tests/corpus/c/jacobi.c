/* Jacobi 2-D with two arrays, in-place Gauss-Seidel, Jacobi 1-D through pointers. */
#include <math.h>

#define NX 512
#define NY 512

static double U[NX][NY], Unew[NX][NY];

double jacobi_2d(int steps)
{
    double diff = 0.0;

    // expect: sequential
    for (int t = 0; t < steps; t++) {
        // expect: parallel
        for (int i = 1; i < NX - 1; i++) {
            // expect: parallel
            for (int j = 1; j < NY - 1; j++)
                Unew[i][j] = 0.25 * (U[i - 1][j] + U[i + 1][j] + U[i][j - 1] + U[i][j + 1]);
        }
        diff = 0.0;
        // expect: parallel reduction(max:diff)
        for (int i = 1; i < NX - 1; i++) {
            // expect: parallel reduction(max:diff)
            for (int j = 1; j < NY - 1; j++) {
                double d = fabs(Unew[i][j] - U[i][j]);
                if (d > diff)
                    diff = d;
                U[i][j] = Unew[i][j];
            }
        }
    }
    return diff;
}

void gauss_seidel(int steps)
{
    // expect: sequential
    for (int t = 0; t < steps; t++) {
        // expect: sequential
        for (int i = 1; i < NX - 1; i++) {
            // expect: sequential
            for (int j = 1; j < NY - 1; j++)
                U[i][j] = 0.25 * (U[i - 1][j] + U[i + 1][j] + U[i][j - 1] + U[i][j + 1]);
        }
    }
}

double residual_norm(void)
{
    double r = 0.0;

    // expect: parallel reduction(+:r)
    for (int i = 1; i < NX - 1; i++) {
        // expect: parallel reduction(+:r)
        for (int j = 1; j < NY - 1; j++) {
            double e = 4.0 * U[i][j] - U[i - 1][j] - U[i + 1][j] - U[i][j - 1] - U[i][j + 1];
            r += e * e;
        }
    }
    return sqrt(r);
}

void jacobi_1d(double *a, double *b, int n, int steps)
{
    // expect: sequential
    for (int t = 0; t < steps; t++) {
        // expect: runtime-check
        for (int i = 1; i < n - 1; i++)
            b[i] = (a[i - 1] + a[i] + a[i + 1]) / 3.0;
        // expect: runtime-check
        for (int i = 1; i < n - 1; i++)
            a[i] = b[i];
    }
}

void jacobi_2d_flat(double *out, const double *in, int n)
{
    // expect: runtime-check
    for (int i = 1; i < n - 1; i++) {
        // expect: runtime-check
        for (int j = 1; j < n - 1; j++)
            out[i * n + j] = 0.25 * (in[(i - 1) * n + j] + in[(i + 1) * n + j]
                                     + in[i * n + j - 1] + in[i * n + j + 1]);
    }
}

void gauss_seidel_flat(double *u, int n)
{
    // expect: sequential
    for (int i = 1; i < n - 1; i++) {
        // expect: sequential
        for (int j = 1; j < n - 1; j++)
            u[i * n + j] = 0.25 * (u[(i - 1) * n + j] + u[(i + 1) * n + j]
                                   + u[i * n + j - 1] + u[i * n + j + 1]);
    }
}

/* Weighted Jacobi: each cell mixes its old value with the update. */
void damped_update(double *u, const double *unew, double omega, int n)
{
    // expect: runtime-check
    for (int i = 0; i < n * n; i++)
        u[i] = (1.0 - omega) * u[i] + omega * unew[i];
}
