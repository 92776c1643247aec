// std::vector and std::array: operator[], size() bounds, range-based loops, references, push_back.
#include <array>
#include <cmath>
#include <cstddef>
#include <vector>
#include <algorithm>

static std::vector<double> g_in(1000), g_out(1000);

std::vector<double> make_squares(std::size_t n)
{
    std::vector<double> v(n);
    // expect: parallel
    for (std::size_t i = 0; i < v.size(); i++)
        v[i] = static_cast<double>(i) * static_cast<double>(i);
    return v;
}

double vector_sum(const std::vector<double>& v)
{
    double s = 0.0;
    // expect: parallel reduction(+:s)
    for (std::size_t i = 0; i < v.size(); i++)
        s += v[i];
    return s;
}

void double_all(std::vector<double>& v)
{
    // expect: parallel
    for (auto& x : v)
        x *= 2;
}

double range_sum(const std::vector<double>& v)
{
    double s = 0.0;
    // expect: parallel reduction(+:s)
    for (double x : v)
        s += x;
    return s;
}

int range_count_negative(const std::vector<int>& v)
{
    int neg = 0;
    // expect: parallel reduction(+:neg)
    for (const int& x : v)
        if (x < 0)
            ++neg;
    return neg;
}

void globals_distinct(void)
{
    // expect: parallel
    for (std::size_t i = 0; i < g_out.size(); i++)
        g_out[i] = std::sqrt(g_in[i]) + 1.0;
}

std::vector<double> by_value_copy(std::vector<double> v, const std::vector<double>& w)
{
    // expect: parallel
    for (std::size_t i = 0; i < v.size(); i++)
        v[i] = v[i] * w[i];
    return v;
}

void axpy(std::vector<double>& y, const std::vector<double>& x, double a)
{
    // expect: runtime-check
    for (std::size_t i = 0; i < y.size(); i++)
        y[i] += a * x[i];
}

void forward_difference(std::vector<double>& out, const std::vector<double>& in)
{
    const std::size_t n = in.size();
    // expect: runtime-check
    for (std::size_t i = 1; i < n; i++)
        out[i - 1] = in[i] - in[i - 1];
}

void shift_right(std::vector<int>& v)
{
    // expect: sequential
    for (std::size_t i = 1; i < v.size(); i++)
        v[i] = v[i - 1];
}

float local_vectors(std::size_t n)
{
    std::vector<float> a(n, 0.5f), b(n, 2.0f), c(n);
    // expect: parallel
    for (std::size_t i = 0; i < n; i++)
        c[i] = a[i] * b[i];
    float m = 0.0f;
    // expect: parallel reduction(max:m)
    for (std::size_t i = 0; i < n; i++)
        m = std::max(m, c[i]);
    return m;
}

std::vector<int> collect_positive(const std::vector<int>& in)
{
    std::vector<int> out;
    // expect: sequential
    for (std::size_t i = 0; i < in.size(); i++)
        if (in[i] > 0)
            out.push_back(in[i]);
    return out;
}

std::vector<double> collect_range(const std::vector<double>& in)
{
    std::vector<double> out;
    // expect: sequential
    for (double x : in)
        out.push_back(2.0 * x);
    return out;
}

void running_sum_in_place(std::vector<double>& v)
{
    double run = 0.0;
    // expect: sequential
    for (auto& x : v) {
        run += x;
        x = run;
    }
}

double array_stats()
{
    std::array<double, 64> a{};
    // expect: parallel
    for (std::size_t i = 0; i < a.size(); i++)
        a[i] = std::sqrt(static_cast<double>(i));
    double m = 0.0;
    // expect: parallel reduction(max:m)
    for (std::size_t i = 0; i < a.size(); i++)
        m = std::max(m, a[i]);
    double lo = a[63];
    // expect: parallel reduction(min:lo)
    for (double x : a)
        lo = std::min(x, lo);
    return m - lo;
}

void array_recurrence(std::array<int, 32>& fib)
{
    fib[0] = 0;
    fib[1] = 1;
    // expect: sequential
    for (std::size_t i = 2; i < fib.size(); i++)
        fib[i] = fib[i - 1] + fib[i - 2];
}

double grid_of_vectors(std::size_t n, std::size_t m)
{
    std::vector<std::vector<double>> g(n, std::vector<double>(m));
    // expect: parallel
    for (std::size_t i = 0; i < n; i++) {
        // expect: parallel
        for (std::size_t j = 0; j < m; j++)
            g[i][j] = static_cast<double>(i + j);
    }
    return g.empty() || g[0].empty() ? 0.0 : g[0][0];
}

void add_vectors(std::vector<float>& c, const std::vector<float>& a, const std::vector<float>& b)
{
    // expect: runtime-check
    for (std::size_t i = 0; i < c.size(); i++)
        c[i] = a[i] + b[i];
}

void blend_into(std::vector<double>& dst, const std::vector<double>& src, double t)
{
    const std::size_t n = std::min(dst.size(), src.size());
    // expect: runtime-check
    for (std::size_t i = 0; i < n; i++)
        dst[i] = (1.0 - t) * dst[i] + t * src[i];
}

struct Point {
    double x, y;
};

std::vector<Point> make_points(std::size_t n)
{
    std::vector<Point> pts;
    // expect: sequential
    for (std::size_t i = 0; i < n; i++)
        pts.emplace_back(Point{static_cast<double>(i), 0.0});
    return pts;
}

void drop_negatives(std::vector<int>& v)
{
    // expect: sequential
    for (std::size_t i = 0; i < v.size(); i++) {
        if (v[i] < 0) {
            v.erase(v.begin() + static_cast<std::ptrdiff_t>(i));
            --i;
        }
    }
}
