// Stream operators on objects of template-dependent type (BabelStream's `print_labels` shape, written anew): with no
// `operator<<` visible where the template is defined, clang keeps `os << x` as an operator node that reads like a
// built-in shift; instantiated with a stream, it writes the stream. No operator is declared before the templates.
#include <cstddef>

struct Item {
    const char* label;
    double value;
};

template <class Stream>
void dump_labels(Stream& os, const Item* items, std::size_t n)
{
    // expect: sequential
    for (std::size_t i = 0; i < n; ++i)
        os << items[i].label;
}

template <class Stream>
void dump_pairs(Stream& os, const Item* items, std::size_t n)
{
    // expect: sequential
    for (std::size_t i = 0; i < n; ++i)
        os << items[i].label << items[i].value;
}

template <class In>
void read_values(In& is, double* v, std::size_t n)
{
    // expect: sequential
    for (std::size_t i = 0; i < n; ++i)
        is >> v[i];
}

template <class Stream>
struct Logger {
    Stream* out;
    void log_all(const double* x, std::size_t n)
    {
        // expect: sequential
        for (std::size_t i = 0; i < n; ++i)
            *out << x[i];
    }
};

void print_all(const Item* items, std::size_t n)
{
    auto print_labels = [&](auto& os) {
        // expect: sequential
        for (std::size_t i = 0; i < n; ++i)
            os << items[i].label;
    };
    (void)print_labels;
}

// A helper template called from an ordinary loop: its body streams into the caller's object.
template <class S>
void put(S& os, const char* s)
{
    os << s;
}

// Controls: shifts of values the code owns (an element of a pointer, a local declared in the iteration or the callee).
template <class T>
void shift_elements(T* out, const T* in, std::size_t n)
{
    // expect: runtime-check
    for (std::size_t i = 0; i < n; ++i)
        out[i] = in[i] << 2;
}

template <class T>
void shift_locals(T* out, const T* in, std::size_t n)
{
    // expect: runtime-check
    for (std::size_t i = 0; i < n; ++i) {
        T v = in[i];
        out[i] = v >> 1;
    }
}

template <class T>
T half_bits(T v)
{
    T w = v;
    return w >> 1;
}

struct Sink {
    long count;
};

Sink& operator<<(Sink& s, const char* t)
{
    s.count += t[0];
    return s;
}

Sink g_sink;

void put_all(const Item* items, std::size_t n)
{
    // expect: sequential
    for (std::size_t i = 0; i < n; ++i)
        put(g_sink, items[i].label);
}

void halve_all(unsigned* __restrict out, const unsigned* __restrict in, std::size_t n)
{
    // expect: parallel
    for (std::size_t i = 0; i < n; ++i)
        out[i] = half_bits(in[i]);
}
