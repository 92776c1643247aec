/* bfs: level-synchronous breadth-first search (top-down, frontier queue)
 * on a random directed graph in CSR form, run from NSOURCES sources; each
 * source is derived from the previous search's distances (their weighted
 * sum modulo the node count), so the searches form a dependence chain.
 *
 * Graph: NNODES nodes, each with a ring edge v -> v+1 (so every node is
 * reachable) plus 2..14 random out-edges (about 9 edges per node in all).
 *
 * Inherently sequential: the frontier expansion -- `dist[w] = level + 1`
 * is a write through a data-dependent index (two frontier nodes may share
 * a neighbour), and appending to the next frontier (`next[nnext++] = w`)
 * is a loop-carried counter.  The level loop is sequential by nature.
 * Parallel-friendly: only the dist initialization loop.
 *
 * Checksum: integer, sum over searches of sum_v dist[v] * (1 + v % 8) --
 * exact.  BFS distances are unique, so any correct parallel BFS would give
 * the same value. */
#include "common.h"

#include <stdlib.h>

/* PARASLM_KERNELS_SMALL (the CMake option of that name) shrinks the inputs so that tests can run the suite
 * under sanitizers many times; the code and its loops stay the same. */
#ifdef PARASLM_KERNELS_SMALL
#define NNODES (1 << 14)
#define NSOURCES 2
#else
#define NNODES (1 << 21)
#define NSOURCES 4
#endif

/* frontier and next are swapped after every level, so they are plain
 * (not restrict) pointers. */
static void bfs(int n, const int *restrict rowptr, const int *restrict col, int source,
                int *restrict dist, int *frontier, int *next)
{
    for (int v = 0; v < n; v++) {
        dist[v] = -1;
    }
    dist[source] = 0;
    frontier[0] = source;
    int nfrontier = 1;
    int level = 0;

    while (nfrontier > 0) {
        int nnext = 0;
        for (int f = 0; f < nfrontier; f++) {
            int v = frontier[f];
            for (int e = rowptr[v]; e < rowptr[v + 1]; e++) {
                int w = col[e];
                if (dist[w] < 0) {
                    dist[w] = level + 1;
                    next[nnext++] = w;
                }
            }
        }
        int *tmp = frontier;
        frontier = next;
        next = tmp;
        nfrontier = nnext;
        level++;
    }
}

int main(void)
{
    const int n = NNODES;
    int *rowptr = malloc(((size_t)n + 1) * sizeof *rowptr);
    int *col = malloc((size_t)n * 15 * sizeof *col);
    int *dist = malloc((size_t)n * sizeof *dist);
    int *frontier = malloc((size_t)n * sizeof *frontier);
    int *next = malloc((size_t)n * sizeof *next);
    if (!rowptr || !col || !dist || !frontier || !next) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }

    uint64_t seed = 8675309;
    int nedges = 0;
    rowptr[0] = 0;
    for (int v = 0; v < n; v++) {
        col[nedges++] = v + 1 < n ? v + 1 : 0;
        int deg = 2 + lcg_range(&seed, 13);
        for (int d = 0; d < deg; d++) {
            col[nedges++] = lcg_range(&seed, n);
        }
        rowptr[v + 1] = nedges;
    }

    uint64_t checksum = 0;
    int source = 0;
    double elapsed = 0.0;
    for (int s = 0; s < NSOURCES; s++) {
        double t0 = now_seconds();
        bfs(n, rowptr, col, source, dist, frontier, next);
        double t1 = now_seconds();
        elapsed += t1 - t0;

        uint64_t weighted = 0;
        for (int v = 0; v < n; v++) {
            weighted += (uint64_t)dist[v] * (uint64_t)(1 + v % 8);
        }
        checksum += weighted;
        source = (int)(weighted % (uint64_t)n);
    }
    print_result_u64(checksum, elapsed);

    free(rowptr);
    free(col);
    free(dist);
    free(frontier);
    free(next);
    return 0;
}
