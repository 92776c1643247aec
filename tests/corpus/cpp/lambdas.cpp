// Loops inside lambda bodies and lambdas called from loops.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <vector>

double norm_via_lambda(const std::vector<double>& v)
{
    auto norm = [](const std::vector<double>& w) {
        double s = 0.0;
        // expect: parallel reduction(+:s)
        for (std::size_t i = 0; i < w.size(); i++)
            s += w[i] * w[i];
        return std::sqrt(s);
    };
    return norm(v);
}

std::vector<double> pure_lambda_call(std::size_t n)
{
    auto sq = [](double x) { return x * x; };
    std::vector<double> in(n), out(n);
    // expect: parallel
    for (std::size_t i = 0; i < n; i++)
        in[i] = 0.5 * static_cast<double>(i);
    // expect: parallel
    for (std::size_t i = 0; i < n; i++)
        out[i] = sq(in[i]) + 1.0;
    return out;
}

std::vector<double> generic_lambda_call(const std::vector<double>& a, const std::vector<double>& b)
{
    auto mix = [](auto x, auto y) { return 0.75 * x + 0.25 * y; };
    std::vector<double> out(a.size());
    // expect: parallel
    for (std::size_t i = 0; i < a.size(); i++)
        out[i] = mix(a[i], b[i]);
    return out;
}

double capture_read_only(const std::vector<double>& v, double scale)
{
    auto f = [&](double x) { return x * scale; };
    double s = 0.0;
    // expect: parallel reduction(+:s)
    for (std::size_t i = 0; i < v.size(); i++)
        s += f(v[i]);
    return s;
}

int capture_and_write_scalar(const std::vector<int>& v)
{
    int count = 0;
    auto bump = [&count](int x) {
        if (x > 0)
            ++count;
    };
    // expect: sequential
    for (std::size_t i = 0; i < v.size(); i++)
        bump(v[i]);
    return count;
}

std::vector<int> mutable_state_lambda(std::size_t n)
{
    auto next_id = [id = 0]() mutable { return id++; };
    std::vector<int> ids(n);
    // expect: sequential
    for (std::size_t i = 0; i < n; i++)
        ids[i] = next_id();
    return ids;
}

void printing_lambda(const std::vector<double>& v)
{
    auto show = [](std::size_t i, double x) { std::printf("%zu: %f\n", i, x); };
    // expect: sequential
    for (std::size_t i = 0; i < v.size(); i++)
        show(i, v[i]);
}

double loops_in_capturing_lambdas(std::size_t n)
{
    std::vector<double> buf(n);
    auto fill = [&](double base) {
        // expect: parallel
        for (std::size_t i = 0; i < buf.size(); i++)
            buf[i] = base + static_cast<double>(i);
    };
    auto smooth = [&]() {
        // expect: sequential
        for (std::size_t i = 1; i < buf.size(); i++)
            buf[i] = 0.5 * (buf[i] + buf[i - 1]);
    };
    fill(1.0);
    smooth();
    return buf.empty() ? 0.0 : buf.back();
}

double lambda_with_nested_loops(const std::vector<double>& m, int rows, int cols)
{
    auto max_row_sum = [&]() {
        double best = 0.0;
        // expect: parallel reduction(max:best)
        for (int r = 0; r < rows; r++) {
            double s = 0.0;
            // expect: parallel reduction(+:s)
            for (int c = 0; c < cols; c++)
                s += std::fabs(m[r * cols + c]);
            if (s > best)
                best = s;
        }
        return best;
    };
    return max_row_sum();
}

void lambda_with_pointer_params(std::vector<float>& y, const std::vector<float>& x)
{
    auto saxpy = [](float* out, const float* in, float a, int n) {
        // expect: runtime-check
        for (int i = 0; i < n; i++)
            out[i] += a * in[i];
    };
    saxpy(y.data(), x.data(), 0.5f, static_cast<int>(std::min(y.size(), x.size())));
}

int lambda_with_early_return(const std::vector<double>& v, double key)
{
    auto find = [&](double k) {
        // expect: sequential
        for (std::size_t i = 0; i < v.size(); i++)
            if (v[i] == k)
                return static_cast<int>(i);
        return -1;
    };
    return find(key);
}
