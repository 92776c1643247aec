/* Holes seen on real code (issue 11): array-syntax parameters are pointers, and a subscript is inside its
 * dimension only when proven. Ground truth is what the C semantics allow, whatever any analyzer says. */
#include <stddef.h>

double grid[100][100];
double wide[64][256];
struct pair { double a[8]; double b[8]; };
struct pair pr;

/* `double a[]` is `double *a`: shift(n, x, x) makes a[i] and b[i-1] the same element one iteration apart. */
void shift(int n, double a[], double b[])
{
    // expect: runtime-check
    for (int i = 1; i < n; i++)
        a[i] = b[i - 1] + 1.0;
}

/* Two-dimensional array parameters are pointers to rows: the caller may pass one matrix twice. */
void scale2d(double A[128][128], double B[128][128])
{
    // expect: runtime-check
    for (int i = 0; i < 128; i++) {
        // expect: runtime-check
        for (int j = 0; j < 128; j++)
            A[i][j] = 2.0 * B[i][j];
    }
}

/* `static` only promises a length: the two parameters may still be one array. */
void with_static(int n, double a[static 16], double b[static 16])
{
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        a[i] = b[i] * 3.0;
}

/* `restrict` inside the brackets qualifies the pointer: no other access reaches these elements. */
void with_restrict(int n, double a[restrict], const double b[restrict])
{
    // expect: parallel
    for (int i = 1; i < n; i++)
        a[i] = b[i - 1] + 1.0;
}

/* Read-only array parameter, written local array: nothing the caller passes can alias a local. */
double local_copy(int n, const double a[])
{
    double t[256];
    double s = 0.0;
    // expect: parallel
    for (int i = 0; i < 256; i++)
        t[i] = a[i] * 2.0;
    // expect: parallel reduction(+:s)
    for (int i = 0; i < 256; i++)
        s += t[i];
    return s + n;
}

/* grid[i][j-1] with j = 0 is grid[i-1][99], written by iteration i-1 of the outer loop. */
void row_recurrence_from_zero(int n, int m)
{
    // expect: sequential
    for (int i = 0; i < n; i++) {
        // expect: sequential
        for (int j = 0; j < m; j++)
            grid[i][j] = grid[i][j - 1] + 1.0;
    }
}

/* Same with constant bounds: j - 1 reaches -1, the last element of the previous row. */
void row_recurrence_constant(void)
{
    // expect: sequential
    for (int i = 0; i < 100; i++) {
        // expect: sequential
        for (int j = 0; j < 100; j++)
            grid[i][j] = grid[i][j - 1] + 1.0;
    }
}

/* j starts at 1: j - 1 stays inside the row, rows are independent. */
void row_recurrence_from_one(void)
{
    // expect: parallel
    for (int i = 0; i < 100; i++) {
        // expect: sequential
        for (int j = 1; j < 100; j++)
            grid[i][j] = grid[i][j - 1] + 1.0;
    }
}

/* grid[i][j+1] with j = 99 is grid[i+1][0], read by iteration i+1 at j = 0. */
void row_overflow_upward(void)
{
    // expect: sequential
    for (int i = 0; i < 100; i++) {
        // expect: sequential
        for (int j = 0; j < 100; j++)
            grid[i][j + 1] = grid[i][j] * 0.5;
    }
}

/* Symbolic bound: rows are independent only while m <= 256 (else j runs into the next row). */
void symbolic_inner_bound(int m)
{
    // expect: runtime-check
    for (int i = 0; i < 64; i++) {
        // expect: parallel
        for (int j = 0; j < m; j++)
            wide[i][j] = wide[i][j] * 2.0 + 1.0;
    }
}

/* Variable-length array parameter: the row length m is not known to the analyzer, and x[i][j-1] with
 * j = 0 is the previous row's last element. */
void vla_rows(int n, int m, double x[n][m])
{
    // expect: sequential
    for (int i = 0; i < n; i++) {
        // expect: sequential
        for (int j = 0; j < m; j++)
            x[i][j] = x[i][j - 1] + 1.0;
    }
}

/* Pointer to pointer: rows are loaded pointers and two rows may be the same memory. */
void rows_of_pointers(int n, int m, double **p)
{
    // expect: sequential
    for (int i = 0; i < n; i++) {
        // expect: parallel
        for (int j = 0; j < m; j++)
            p[i][j] = 0.0;
    }
}

/* A field's array overflowing into the next field: pr.a[j + 9] is pr.b[j + 1], written by the next iteration. */
void field_overflow(void)
{
    // expect: sequential
    for (int j = 0; j < 7; j++)
        pr.b[j] = pr.a[j + 9] + 1.0;
}

/* Inside its dimension: a and b of one struct are distinct. */
void fields_inside(void)
{
    // expect: parallel
    for (int j = 0; j < 8; j++)
        pr.b[j] = pr.a[j] + 1.0;
}

/* Liveness past an `if`: its only path that mentions j re-initialises it first, so j is dead after the loop. */
void dead_after_if(int c)
{
    int i, j;
    // expect: parallel private(j)
    for (i = 0; i < 100; i++) {
        // expect: parallel
        for (j = 0; j < 100; j++)
            grid[i][j] = 0.0;
    }
    if (c) {
        // expect: sequential
        for (j = 1; j < 100; j++)
            grid[0][j] += grid[0][j - 1];
    }
}

/* But a path that reads j first keeps it live: the last value must survive (lastprivate). */
int live_after_if(int c)
{
    int i, j = 0;
    // expect: parallel lastprivate(j)
    for (i = 0; i < 100; i++) {
        j = i * 2;
        grid[i][0] = j;
    }
    if (c)
        j = 0;
    else
        c = j;
    return c + j;
}

/* A callee writing through an array-syntax parameter (here a typedef'd row) writes the caller's array: the shared
   `rij` is written by every iteration of the outer loop (OmpSCR's molecular dynamics kernel). */
typedef double vec3_t[3];

static double sep(int nd, vec3_t r1, vec3_t r2, vec3_t dr)
{
    double d = 0.0;
    // expect: runtime-check reduction(+:d)
    for (int k = 0; k < nd; k++) {
        dr[k] = r1[k] - r2[k];
        d += dr[k] * dr[k];
    }
    return d;
}

void pair_forces(int np, int nd, vec3_t *pos, vec3_t *f, double *pot_out)
{
    int i, j;
    vec3_t rij;
    double pot = 0.0;
    // expect: sequential
    for (i = 0; i < np; i++) {
        // expect: sequential
        for (j = 0; j < np; j++) {
            if (i != j) {
                pot = pot + sep(nd, pos[i], pos[j], rij);
                f[i][0] += rij[0];
            }
        }
    }
    *pot_out = pot;
}

/* After `for (j = 0; j < np; j++)`, j is np: a subscript using it is not the value j had before the loop
   (a runtime check evaluated there would read the wrong j). */
double after_inner(int np, vec3_t *vel, double *out)
{
    int i, j;
    double k = 0;
    // expect: sequential
    for (i = 0; i < np; i++) {
        // expect: sequential
        for (j = 0; j < np; j++)
            out[i] += 1.0;
        k += vel[j][0];
    }
    return k;
}

/* The row length is read in the iteration: `m <= 64` cannot be checked before the outer loop. */
void ragged(int n, const int *len, double a[][64], const double *b)
{
    int i, j, m;
    // expect: sequential
    for (i = 0; i < n; i++) {
        m = len[i];
        // expect: runtime-check
        for (j = 0; j < m; j++)
            a[i][j] = b[j];
    }
}
