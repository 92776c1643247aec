/* Pointer parameters, restrict, pointer arithmetic, pointer-to-pointer rows, struct fields. */
#include <math.h>
#include <stddef.h>

#define N 1024

typedef struct {
    double x, y, z;
} vec3;

static double gbuf[N];
static vec3 pts[N];

void vadd(double *c, const double *a, const double *b, int n)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        c[i] = a[i] + b[i];
}

void vadd_restrict(double *restrict c, const double *restrict a, const double *restrict b, int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        c[i] = a[i] + b[i];
}

void smooth3(double *out, const double *in, int n)
{
    // expect: runtime-check
    for (int i = 1; i < n - 1; i++)
        out[i] = (in[i - 1] + in[i] + in[i + 1]) / 3.0;
}

void smooth3_in_place(double *a, int n)
{
    // expect: sequential
    for (int i = 1; i < n - 1; i++)
        a[i] = (a[i - 1] + a[i] + a[i + 1]) / 3.0;
}

double squares_into_local(const double *in, int n)
{
    double tmp[N];
    double s = 0.0;
    int m = n < N ? n : N;

    // expect: parallel
    for (int i = 0; i < m; i++)
        tmp[i] = in[i] * in[i];
    // expect: parallel reduction(+:s)
    for (int i = 0; i < m; i++)
        s += tmp[i];
    return s;
}

double dot_params(const double *a, const double *b, int n)
{
    double s = 0.0;

    // expect: parallel reduction(+:s)
    for (int i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

/* dst may point into gbuf. */
void double_global_into(double *dst, int n)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        dst[i] = gbuf[i] * 2.0;
}

void from_restrict_source(double *dst, const double *restrict src, int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        dst[i] = src[i] + 1.0;
}

void pointer_arith_restrict(double *restrict p, const double *restrict q, int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        *(p + i) = *(q + i) * 0.5;
}

void pointer_arith_plain(float *p, const float *q, int n)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        *(p + i) += *(q + i);
}

void shifted_view_of_same_array(int n)
{
    static double buf[N + 1];
    double *p = buf + 1;

    // expect: sequential
    for (int i = 0; i < n; i++)
        p[i] = buf[i] + 1.0;
}

double local_pointers_to_distinct_arrays(void)
{
    double src[N], dst[N];
    double *d = dst;
    const double *s = src;

    // expect: parallel
    for (int i = 0; i < N; i++)
        src[i] = 0.25 * i;
    // expect: parallel
    for (int i = 0; i < N; i++)
        d[i] = s[i] * s[i];
    return dst[N - 1];
}

void zero_rows(double **m, int rows, int cols)
{
    // expect: sequential
    for (int i = 0; i < rows; i++) {
        // expect: parallel
        for (int j = 0; j < cols; j++)
            m[i][j] = 0.0;
    }
}

void row_sums(double **m, double *restrict out, int rows, int cols)
{
    // expect: parallel
    for (int i = 0; i < rows; i++) {
        double s = 0.0;
        // expect: parallel reduction(+:s)
        for (int j = 0; j < cols; j++)
            s += m[i][j];
        out[i] = s;
    }
}

void scale_rows_via_row_pointer(double **m, int rows, int cols, double f)
{
    // expect: sequential
    for (int i = 0; i < rows; i++) {
        double *row = m[i];
        // expect: parallel
        for (int j = 0; j < cols; j++)
            row[j] *= f;
    }
}

void fields_same_element(int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        pts[i].x = pts[i].y * pts[i].z;
}

void field_from_next_element(int n)
{
    // expect: sequential
    for (int i = 0; i < n - 1; i++)
        pts[i].x = pts[i + 1].x + pts[i].y;
}

/* Writes .x, reads only .y of the neighbour. */
void other_field_of_next_element(int n)
{
    // expect: parallel
    for (int i = 0; i < n - 1; i++)
        pts[i].x = pts[i + 1].y - pts[i].y;
}

void normalize_all(vec3 *v, int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++) {
        double len = sqrt(v[i].x * v[i].x + v[i].y * v[i].y + v[i].z * v[i].z);
        if (len > 0.0) {
            v[i].x /= len;
            v[i].y /= len;
            v[i].z /= len;
        }
    }
}
