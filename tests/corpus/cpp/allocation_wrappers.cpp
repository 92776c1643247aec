// Fresh memory through the user's allocation wrappers: a call of a function whose body is here and whose every
// `return` yields malloc/calloc/new[] (through a cast, a local defined once, or another such wrapper), and which keeps
// the pointer nowhere else, returns memory no other pointer reaches, as LULESH's `Allocate<T>` does. Near misses keep
// their overlap check (tests: AllocationWrapperTests).

#include <cstddef>
#include <cstdlib>

double *g_last;
double g_pool[4096];
std::size_t g_used;
double g_small[16];
extern double *obtain(std::size_t n);

template <typename T>
T *Allocate(std::size_t size)
{
    return static_cast<T *>(malloc(sizeof(T) * size));
}

static double *allocate_zeroed(std::size_t n)
{
    double *p = (double *)calloc(n, sizeof *p);
    return p;
}

static double *allocate_twice_wrapped(std::size_t n) { return Allocate<double>(n); }

static double *allocate_array(std::size_t n) { return new double[n]; }

static double *allocate_and_record(std::size_t n)
{
    double *p = (double *)malloc(n * sizeof *p);
    g_last = p;
    return p;
}

static double *allocate_from_pool(std::size_t n)
{
    double *p = g_pool + g_used;
    g_used += n;
    return p;
}

static double *allocate_small_or_heap(std::size_t n)
{
    if (n <= 16) return g_small;
    return (double *)malloc(n * sizeof(double));
}

static double *allocate_either(std::size_t n, bool heap) { return heap ? (double *)malloc(n * sizeof(double)) : g_last; }

void scale_into_template_buffer(const double *in, int n)
{
    double *x = Allocate<double>(n);
    // expect: parallel
    for (int i = 0; i < n; i++)
        x[i] = 2.0 * in[i];
    free(x);
}

void scale_into_zeroed_buffer(double *in, int n)
{
    double *x = allocate_zeroed(n);
    // expect: parallel
    for (int i = 0; i < n; i++)
        x[i] += in[i];
    free(x);
}

void scale_into_twice_wrapped_buffer(double *in, int n)
{
    double *x = allocate_twice_wrapped(n);
    // expect: parallel
    for (int i = 0; i < n; i++)
        x[i] = in[i] * in[i];
    free(x);
}

void scale_into_new_array(double *in, int n)
{
    double *x = allocate_array(n);
    // expect: parallel
    for (int i = 0; i < n; i++)
        x[i] = in[i] + 1.0;
    delete[] x;
}

void scale_into_recorded_buffer(double *in, int n)
{
    double *x = allocate_and_record(n);
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        x[i] = 2.0 * in[i];
}

void scale_into_pool_slice(double *in, int n)
{
    double *x = allocate_from_pool(n);
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        x[i] = 2.0 * in[i];
}

void scale_into_small_or_heap(double *in, int n)
{
    double *x = allocate_small_or_heap(n);
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        x[i] = 2.0 * in[i];
}

void scale_into_either(double *in, int n)
{
    double *x = allocate_either(n, n > 64);
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        x[i] = 2.0 * in[i];
}

void scale_into_unseen_allocation(double *in, int n)
{
    double *x = obtain(n);
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        x[i] = 2.0 * in[i];
}

void scale_into_published_template_buffer(double *in, int n)
{
    double *x = Allocate<double>(n);
    g_last = x;
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        x[i] = 2.0 * in[i];
}

template <typename T>
void Release(T **ptr)
{
    if (*ptr != NULL) {
        free(*ptr);
        *ptr = NULL;
    }
}

template <typename T>
void Stash(T **ptr)
{
    g_last = *ptr;
}

// LULESH's shape: the buffer is released through its address after the loop (freed and set to null there).
void scale_then_release(double *in, int n)
{
    double *x = Allocate<double>(n);
    // expect: parallel
    for (int i = 0; i < n; i++)
        x[i] = 2.0 * in[i];
    Release(&x);
}

// Released before the loop: the write through the address reaches the loop.
void release_then_scale(double *in, int n)
{
    double *x = Allocate<double>(n);
    Release(&x);
    x = Allocate<double>(n);
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        x[i] = 2.0 * in[i];
    Release(&x);
}

// Released inside an outer loop that does not re-run the allocation: the next pass sees the released pointer.
void scale_repeatedly_then_release(double *in, int n, int passes)
{
    double *x = Allocate<double>(n);
    // expect: sequential
    for (int p = 0; p < passes; p++) {
        // expect: runtime-check
        for (int i = 0; i < n; i++)
            x[i] = 2.0 * in[i];
        Release(&x);
    }
}

// A callee given the address copies the pointer read through it into a global.
void scale_then_stash(double *in, int n)
{
    double *x = Allocate<double>(n);
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        x[i] = 2.0 * in[i];
    Stash(&x);
}
