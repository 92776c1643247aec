/* Subscripts through index arrays and non-affine subscripts. */

#define N 4096

static double x[N], y[N], w[N];
static int idx[N], perm[N];
static int deg[N], edge_src[N];
static double lut[256];
static unsigned char pixels[N];
static double mapped[N];

void gather(int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        y[i] = x[idx[i]];
}

void gather_two(int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        w[i] = x[idx[i]] * y[perm[i]];
}

void lookup_table(int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        mapped[i] = lut[pixels[i]];
}

void scatter(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        y[idx[i]] = x[i];
}

void scatter_add(int n)
{
    // expect: parallel reduction(+:y)
    for (int i = 0; i < n; i++)
        y[idx[i]] += w[i];
}

void degree_count(int m)
{
    // expect: parallel reduction(+:deg)
    for (int e = 0; e < m; e++)
        deg[edge_src[e]]++;
}

void gather_into_same_array(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        x[i] = x[idx[i]] + 1.0;
}

void gather_plain_pointers(double *dst, const double *src, const int *map, int n)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        dst[i] = src[map[i]];
}

void gather_restrict_pointers(double *restrict dst, const double *restrict src,
                              const int *restrict map, int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        dst[i] = src[map[i]];
}

void quadratic_subscript_write(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        y[(i * i) % N] = x[i];
}

void modular_subscript_read(int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        y[i] = x[(i * 7) % N];
}

void invert_permutation(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        perm[idx[i]] = i;
}

static int next_node[N];
static double node_val[N];

double walk_list(int start, int steps)
{
    int p = start;
    double acc = 0.0;

    // expect: sequential
    for (int i = 0; i < steps; i++) {
        acc += node_val[p];
        p = next_node[p];
    }
    return acc;
}
