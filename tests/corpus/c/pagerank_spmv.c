/* PageRank (pull and push) and sparse matrix-vector products in CSR. */
#include <math.h>

#define NV 10000
#define NE 100000

static int in_ptr[NV + 1], in_src[NE];     /* in-edges: who points at v */
static int out_ptr[NV + 1], out_dst[NE];   /* out-edges: where u points */
static int outdeg[NV];
static double pr[NV], pr_next[NV];

void pagerank_init(int n)
{
    // expect: parallel
    for (int v = 0; v < n; v++)
        pr[v] = 1.0 / n;
}

void pagerank_pull(int n, double d)
{
    // expect: parallel
    for (int v = 0; v < n; v++) {
        double s = 0.0;
        // expect: parallel reduction(+:s)
        for (int e = in_ptr[v]; e < in_ptr[v + 1]; e++) {
            int u = in_src[e];
            s += pr[u] / outdeg[u];
        }
        pr_next[v] = (1.0 - d) / n + d * s;
    }
}

void pagerank_push(int n, double d)
{
    // expect: parallel
    for (int v = 0; v < n; v++)
        pr_next[v] = (1.0 - d) / n;
    // expect: parallel reduction(+:pr_next)
    for (int u = 0; u < n; u++) {
        double share = d * pr[u] / outdeg[u];
        // expect: parallel reduction(+:pr_next)
        for (int e = out_ptr[u]; e < out_ptr[u + 1]; e++)
            pr_next[out_dst[e]] += share;
    }
}

double pagerank_delta_and_swap(int n)
{
    double delta = 0.0;

    // expect: parallel reduction(+:delta)
    for (int v = 0; v < n; v++) {
        delta += fabs(pr_next[v] - pr[v]);
        pr[v] = pr_next[v];
    }
    return delta;
}

int pagerank(int n, double d, double tol, int max_iter)
{
    int it;

    pagerank_init(n);
    // expect: sequential
    for (it = 0; it < max_iter; it++) {
        pagerank_pull(n, d);
        if (pagerank_delta_and_swap(n) < tol)
            break;
    }
    return it;
}

void spmv_csr(int n, const int *rp, const int *ci, const double *val,
              const double *x, double *y)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++) {
        double s = 0.0;
        // expect: parallel reduction(+:s)
        for (int k = rp[i]; k < rp[i + 1]; k++)
            s += val[k] * x[ci[k]];
        y[i] = s;
    }
}

void spmv_csr_restrict(int n, const int *restrict rp, const int *restrict ci,
                       const double *restrict val, const double *restrict x,
                       double *restrict y)
{
    // expect: parallel
    for (int i = 0; i < n; i++) {
        double s = 0.0;
        // expect: parallel reduction(+:s)
        for (int k = rp[i]; k < rp[i + 1]; k++)
            s += val[k] * x[ci[k]];
        y[i] = s;
    }
}

void spmv_transposed(int n, int m, const int *restrict rp, const int *restrict ci,
                     const double *restrict val, const double *restrict x,
                     double *restrict y)
{
    // expect: parallel
    for (int j = 0; j < m; j++)
        y[j] = 0.0;
    // expect: sequential
    for (int i = 0; i < n; i++) {
        // expect: sequential
        for (int k = rp[i]; k < rp[i + 1]; k++)
            y[ci[k]] += val[k] * x[i];
    }
}

void pagerank_pull_arrays(int n, double d, const int *ptr, const int *src,
                          const int *deg, const double *rank, double *next)
{
    // expect: runtime-check
    for (int v = 0; v < n; v++) {
        double s = 0.0;
        // expect: parallel reduction(+:s)
        for (int e = ptr[v]; e < ptr[v + 1]; e++)
            s += rank[src[e]] / deg[src[e]];
        next[v] = (1.0 - d) / n + d * s;
    }
}

/* Dangling vertices spread their rank evenly. */
double dangling_mass(int n)
{
    double mass = 0.0;

    // expect: parallel reduction(+:mass)
    for (int v = 0; v < n; v++)
        if (outdeg[v] == 0)
            mass += pr[v];
    return mass;
}

static int label[NV];

/* In-place min-label propagation (connected components). */
int propagate_labels(int n)
{
    int changed = 0;

    // expect: sequential
    for (int v = 0; v < n; v++) {
        // expect: sequential
        for (int e = in_ptr[v]; e < in_ptr[v + 1]; e++) {
            int u = in_src[e];
            if (label[u] < label[v]) {
                label[v] = label[u];
                changed = 1;
            }
        }
    }
    return changed;
}
