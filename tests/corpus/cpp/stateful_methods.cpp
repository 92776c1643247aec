// Methods called on an object shared by all iterations (issue 11: a compressed array whose element accessor
// updates a shared cache). A method that writes state reachable from `this` (a member, a `mutable` member,
// memory through a member pointer, a functor member) is an effect on the object, even when it is const.
// Ground truth is what the program allows, whatever any analyzer says.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <fstream>
#include <map>
#include <vector>

// A direct-mapped cache of decoded blocks: operator[] is const but refills the cache line on a miss.
class CachedArray {
public:
    double operator[](int i) const
    {
        int block = i / 8;
        if (tag[block % 4] != block) {
            // `store` may point into `line`.
            // expect: sequential
            for (int k = 0; k < 8; k++) line[block % 4][k] = store[block * 8 + k];
            tag[block % 4] = block;
        }
        return line[block % 4][i % 8];
    }
    double at(int i) const { return (*this)[i]; }
    const double* store = nullptr;
    mutable int tag[4] = {-1, -1, -1, -1};
    mutable double line[4][8] = {};
};

// A const getter that counts its calls.
class CountedView {
public:
    double get(int i) const
    {
        ++reads;
        return data[i];
    }
    double peek(int i) const { return data[i] * scale; }   // pure: reads members only
    double twice(int i) const { return 2.0 * peek(i); }     // pure through another pure getter
    const double* data = nullptr;
    double scale = 1.0;
    mutable long reads = 0;
};

struct Stats {
    long loads = 0;
};

struct Tick {
    mutable long k = 0;
    void operator()() const { ++k; }
};

// Writes reach the object through a member pointer, a functor member, or a cast-away const.
class Instrumented {
public:
    double viaPointer(int i) const
    {
        stats->loads++;
        return data[i];
    }
    double viaFunctor(int i) const
    {
        tick();
        return data[i];
    }
    double viaConstCast(int i) const
    {
        const_cast<Instrumented*>(this)->last = i;
        return data[i];
    }
    const double* data = nullptr;
    Stats* stats = nullptr;
    Tick tick;
    int last = 0;
};

// A proxy reference: the conversion reads through the array, which updates its cache.
class Proxy {
public:
    Proxy(const CachedArray* a, int i) : a(a), i(i) {}
    operator double() const { return (*a)[i]; }
    const CachedArray* a;
    int i;
};

class ProxiedArray {
public:
    Proxy operator[](int i) const { return Proxy(&arr, i); }
    CachedArray arr;
};

double max_error_cached(const CachedArray& a, const double* f, int n)
{
    double emax = 0;
    // expect: sequential
    for (int i = 0; i < n; i++)
        emax = std::max(emax, std::fabs(f[i] - a[i]));
    return emax;
}

void copy_cached(const CachedArray& a, double* __restrict out, int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        out[i] = a.at(i);
}

void copy_proxied(const ProxiedArray& a, double* __restrict out, int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        out[i] = a[i];
}

void copy_counted(const CountedView& v, double* __restrict out, int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        out[i] = v.get(i);
}

void copy_pure(const CountedView& v, double* __restrict out, int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        out[i] = v.peek(i) + v.twice(i);
}

double sum_pure(const CountedView& v, int n)
{
    double s = 0;
    // expect: parallel reduction(+:s)
    for (int i = 0; i < n; i++)
        s += v.peek(i);
    return s;
}

void copy_via_pointer(const Instrumented& v, double* __restrict out, int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        out[i] = v.viaPointer(i);
}

void copy_via_functor(const Instrumented& v, double* __restrict out, int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        out[i] = v.viaFunctor(i);
}

void copy_via_const_cast(const Instrumented& v, double* __restrict out, int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        out[i] = v.viaConstCast(i);
}

// In a template the operator is the instantiation's: a[i] may be CachedArray::operator[].
template <class Array>
double max_error(const Array& a, const double* f, int n)
{
    double emax = 0;
    // expect: sequential
    for (int i = 0; i < n; i++)
        emax = std::max(emax, std::fabs(f[i] - a[i]));
    return emax;
}

// *it and it->x call the iterator's operators.
template <class It>
double sum_range(It first, int n)
{
    double s = 0;
    It it = first;
    // expect: sequential
    for (int i = 0; i < n; i++)
        s += *(it + i);
    return s;
}

// A template over a pointer type: p[i] is the built-in subscript whatever T is.
template <class T>
void scale_pointer(T* __restrict p, int n, T c)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        p[i] = p[i] * c;
}

double use(const CachedArray& a, const double* f, int n, double* p)
{
    scale_pointer(p, n, 2.0);
    return max_error(a, f, n) + sum_range(f, n);
}

// The cached operator[] or a std::map's inserting operator[] inside a helper is still a call on the shared object.
static double read_through(const CachedArray& a, int i)
{
    double v = a[i];
    return v;
}

static double lookup(std::map<int, double>& m, int k)
{
    double v = m[k];
    return v;
}

static double at_vector(const std::vector<double>& v, int k)
{
    double x = v[k] + static_cast<double>(v.size());
    return x;
}

void copy_through_helper(const CachedArray& a, double* __restrict out, int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        out[i] = read_through(a, i);
}

void copy_map(std::map<int, double>& m, double* __restrict out, int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        out[i] = lookup(m, i);
}

void copy_vector(const std::vector<double>& v, double* __restrict out, int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        out[i] = at_vector(v, i);
}

// Destructors run in the iteration that creates the object: locals, temporaries, members and bases.
long g_alive = 0;
struct Tracked {
    int v;
    ~Tracked() { --g_alive; }
};
struct Wrapper {
    Tracked t;
    double x;
};
struct Heir : Tracked {
    double y;
};
struct Quiet {
    double x;
    ~Quiet() {}
};

void local_tracked(double* __restrict out, int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++) {
        Tracked t{i};
        out[i] = t.v;
    }
}

void temporary_tracked(double* __restrict out, int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        out[i] = (Tracked{i}).v;
}

void member_tracked(double* __restrict out, int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++) {
        Wrapper w{{i}, 1.0};
        out[i] = w.t.v + w.x;
    }
}

void base_tracked(double* __restrict out, int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++) {
        Heir h{{i}, 2.0};
        out[i] = h.v * h.y;
    }
}

void local_quiet(double* __restrict out, int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++) {
        Quiet q{2.0 * i};
        out[i] = q.x;
    }
}

// In a template, `ofs << x` with a dependent `x` is an overloaded operator of the stream the analyzer cannot resolve.
template <class V>
void dump(const V& vec, std::ofstream& ofs, int n)
{
    // expect: sequential
    for (int i = 0; i < n; ++i)
        ofs << vec.start + i << " " << vec.coefs[i] << "\n";
}

struct Row {
    int start = 0;
    std::vector<double> coefs;
};

void dump_rows(const Row& r, std::ofstream& ofs, int n) { dump(r, ofs, n); }
