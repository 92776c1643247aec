/* bfs (expert OpenMP version).
 *
 * Expert change: each level's frontier is expanded in parallel
 * (`omp for schedule(dynamic, 64)`: out-degrees vary from 3 to 15 and the
 * frontier order is random).  A neighbour is claimed with OpenMP atomics: an
 * `atomic read` filters visited nodes, then an `atomic capture` exchange
 * writes level + 1 and returns the old value; only the thread that saw -1
 * appends w.  All threads that race on dist[w] within a level write the same
 * value, and nodes of earlier levels are never overwritten (the read filters
 * them, and the barrier at the end of each level publishes them).  Each thread
 * collects discovered nodes in a small private buffer and reserves room in
 * `next` with one `atomic capture` per buffer, so the next frontier holds the
 * same set of nodes in another order.  BFS distances are unique, so dist and
 * the exact integer checksum are identical to the serial build.  The level
 * loop stays serial (each level reads the previous one); dist's
 * initialization is `omp parallel for`.
 *
 * Original description:
 * bfs: level-synchronous breadth-first search (top-down, frontier queue)
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
#include "../common.h"

#include <stdlib.h>
#include <string.h>

#define NNODES (1 << 21)
#define NSOURCES 4
#define LOCAL_BUFFER 1024 /* per-thread discovered nodes before one flush into `next` */

/* frontier and next are swapped after every level, so they are plain
 * (not restrict) pointers. */
static void bfs(int n, const int *restrict rowptr, const int *restrict col, int source,
                int *restrict dist, int *frontier, int *next)
{
#pragma omp parallel for schedule(static)
    for (int v = 0; v < n; v++) {
        dist[v] = -1;
    }
    dist[source] = 0;
    frontier[0] = source;
    int nfrontier = 1;
    int level = 0;

    while (nfrontier > 0) {
        int nnext = 0;
#pragma omp parallel
        {
            int local[LOCAL_BUFFER];
            int nlocal = 0;
#pragma omp for schedule(dynamic, 64)
            for (int f = 0; f < nfrontier; f++) {
                int v = frontier[f];
                for (int e = rowptr[v]; e < rowptr[v + 1]; e++) {
                    int w = col[e];
                    int seen;
#pragma omp atomic read
                    seen = dist[w];
                    if (seen < 0) {
                        int old;
#pragma omp atomic capture
                        {
                            old = dist[w];
                            dist[w] = level + 1;
                        }
                        if (old < 0) {
                            if (nlocal == LOCAL_BUFFER) {
                                int at;
#pragma omp atomic capture
                                {
                                    at = nnext;
                                    nnext += nlocal;
                                }
                                memcpy(next + at, local, (size_t)nlocal * sizeof *local);
                                nlocal = 0;
                            }
                            local[nlocal++] = w;
                        }
                    }
                }
            }
            int at;
#pragma omp atomic capture
            {
                at = nnext;
                nnext += nlocal;
            }
            memcpy(next + at, local, (size_t)nlocal * sizeof *local);
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
