/* dijkstra: single-source shortest paths with a binary min-heap (lazy
 * deletion: a node may be pushed several times, stale entries are skipped
 * when popped) on a random weighted directed graph in CSR form, run from
 * NSOURCES sources chained through the previous result.
 *
 * Graph: NNODES nodes, a ring edge v -> v+1 (weight 50, so every node is
 * reachable) plus 2..14 random out-edges with integer weights 1..100.
 *
 * Inherently sequential: the whole main loop -- each pop depends on the
 * heap state left by all previous relaxations, relaxing an edge writes
 * dist[w] through a data-dependent index and pushes onto the shared heap,
 * and the sift-up / sift-down loops walk a data-dependent path.
 * Parallel-friendly: only the dist initialization loop.
 *
 * Checksum: integer, sum over searches of sum_v dist[v] * (1 + v % 8) --
 * exact (integer weights; shortest distances are unique). */
#include "common.h"

#include <stdlib.h>

/* PARASLM_KERNELS_SMALL (the CMake option of that name) shrinks the inputs so that tests can run the suite
 * under sanitizers many times; the code and its loops stay the same. */
#ifdef PARASLM_KERNELS_SMALL
#define NNODES (1 << 12)
#define NSOURCES 1
#else
#define NNODES (1 << 20)
#define NSOURCES 2
#endif

typedef struct {
    long long key;
    int node;
} HeapEntry;

static void heap_push(HeapEntry *heap, int *size, long long key, int node)
{
    int i = (*size)++;
    while (i > 0) {
        int parent = (i - 1) / 2;
        if (heap[parent].key <= key) break;
        heap[i] = heap[parent];
        i = parent;
    }
    heap[i].key = key;
    heap[i].node = node;
}

static HeapEntry heap_pop(HeapEntry *heap, int *size)
{
    HeapEntry top = heap[0];
    HeapEntry last = heap[--(*size)];
    int n = *size;
    int i = 0;
    while (2 * i + 1 < n) {
        int child = 2 * i + 1;
        if (child + 1 < n && heap[child + 1].key < heap[child].key) child++;
        if (last.key <= heap[child].key) break;
        heap[i] = heap[child];
        i = child;
    }
    heap[i] = last;
    return top;
}

static void dijkstra(int n, const int *restrict rowptr, const int *restrict col,
                     const int *restrict weight, int source, long long *restrict dist,
                     HeapEntry *restrict heap)
{
    for (int v = 0; v < n; v++) {
        dist[v] = -1;
    }
    int size = 0;
    dist[source] = 0;
    heap_push(heap, &size, 0, source);

    while (size > 0) {
        HeapEntry top = heap_pop(heap, &size);
        int v = top.node;
        if (top.key > dist[v]) continue; /* stale entry */
        for (int e = rowptr[v]; e < rowptr[v + 1]; e++) {
            int w = col[e];
            long long nd = top.key + weight[e];
            if (dist[w] < 0 || nd < dist[w]) {
                dist[w] = nd;
                heap_push(heap, &size, nd, w);
            }
        }
    }
}

int main(void)
{
    const int n = NNODES;
    int *rowptr = malloc(((size_t)n + 1) * sizeof *rowptr);
    int *col = malloc((size_t)n * 15 * sizeof *col);
    int *weight = malloc((size_t)n * 15 * sizeof *weight);
    long long *dist = malloc((size_t)n * sizeof *dist);
    /* Each successful relaxation pushes once: at most one push per edge
     * plus the source. */
    HeapEntry *heap = malloc(((size_t)n * 15 + 1) * sizeof *heap);
    if (!rowptr || !col || !weight || !dist || !heap) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }

    uint64_t seed = 5551212;
    int nedges = 0;
    rowptr[0] = 0;
    for (int v = 0; v < n; v++) {
        col[nedges] = v + 1 < n ? v + 1 : 0;
        weight[nedges] = 50;
        nedges++;
        int deg = 2 + lcg_range(&seed, 13);
        for (int d = 0; d < deg; d++) {
            col[nedges] = lcg_range(&seed, n);
            weight[nedges] = 1 + lcg_range(&seed, 100);
            nedges++;
        }
        rowptr[v + 1] = nedges;
    }

    uint64_t checksum = 0;
    int source = 0;
    double elapsed = 0.0;
    for (int s = 0; s < NSOURCES; s++) {
        double t0 = now_seconds();
        dijkstra(n, rowptr, col, weight, source, dist, heap);
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
    free(weight);
    free(dist);
    free(heap);
    return 0;
}
