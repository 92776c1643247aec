/* Level-synchronous BFS (top-down and bottom-up steps) and dense Dijkstra. */
#include <float.h>
#include <stdbool.h>

#define MAXV 4096
#define MAXE 65536
#define DV 512

static int adj_ptr[MAXV + 1], adj[MAXE];
static int dist[MAXV], new_dist[MAXV];
static int frontier[MAXV], next_frontier[MAXV];

static double wgt[DV][DV];
static double d[DV];
static bool done[DV];
static int parent[DV];

int bfs_top_down(int n, int src)
{
    int fsize = 1, level = 0;

    // expect: parallel
    for (int v = 0; v < n; v++)
        dist[v] = -1;
    dist[src] = 0;
    frontier[0] = src;
    while (fsize > 0) {
        int nsize = 0;
        // expect: sequential
        for (int f = 0; f < fsize; f++) {
            int u = frontier[f];
            // expect: sequential
            for (int e = adj_ptr[u]; e < adj_ptr[u + 1]; e++) {
                int w = adj[e];
                if (dist[w] < 0) {
                    dist[w] = dist[u] + 1;
                    next_frontier[nsize++] = w;
                }
            }
        }
        // expect: parallel
        for (int f = 0; f < nsize; f++)
            frontier[f] = next_frontier[f];
        fsize = nsize;
        level++;
    }
    return level;
}

/* One bottom-up step: unvisited vertices look
   at their neighbours; results go to a separate array. */
void bfs_bottom_up_step(int n, int level)
{
    // expect: parallel
    for (int v = 0; v < n; v++) {
        new_dist[v] = dist[v];
        if (dist[v] >= 0)
            continue;
        // expect: sequential
        for (int e = adj_ptr[v]; e < adj_ptr[v + 1]; e++) {
            if (dist[adj[e]] == level) {
                new_dist[v] = level + 1;
                break;
            }
        }
    }
}

int count_reached(int n)
{
    int reached = 0;

    // expect: parallel reduction(+:reached)
    for (int v = 0; v < n; v++)
        if (dist[v] >= 0)
            reached++;
    return reached;
}

void dijkstra_dense(int n, int src)
{
    // expect: parallel
    for (int v = 0; v < n; v++) {
        d[v] = DBL_MAX;
        done[v] = false;
        parent[v] = -1;
    }
    d[src] = 0.0;
    // expect: sequential
    for (int it = 0; it < n; it++) {
        double best = DBL_MAX;
        int u = -1;
        // expect: sequential
        for (int v = 0; v < n; v++) {
            if (!done[v] && d[v] < best) {
                best = d[v];
                u = v;
            }
        }
        if (u < 0)
            break;
        done[u] = true;
        double du = d[u];
        // expect: parallel
        for (int v = 0; v < n; v++) {
            if (!done[v] && wgt[u][v] > 0.0 && du + wgt[u][v] < d[v]) {
                d[v] = du + wgt[u][v];
                parent[v] = u;
            }
        }
    }
}

double min_unvisited_distance(int n)
{
    double best = DBL_MAX;

    // expect: parallel reduction(min:best)
    for (int v = 0; v < n; v++) {
        double dv = done[v] ? DBL_MAX : d[v];
        if (dv < best)
            best = dv;
    }
    return best;
}

void bellman_ford_round(int m, const int *restrict esrc, const int *restrict edst,
                        const double *restrict ew)
{
    // expect: sequential
    for (int e = 0; e < m; e++) {
        double cand = d[esrc[e]] + ew[e];
        if (cand < d[edst[e]])
            d[edst[e]] = cand;
    }
}

void relax_from(double *dist_v, const double *row, double du, int n)
{
    // expect: runtime-check
    for (int v = 0; v < n; v++)
        if (row[v] > 0.0 && du + row[v] < dist_v[v])
            dist_v[v] = du + row[v];
}
