// Member functions with loops, macros in loop headers and bodies, shared header helpers.
#include "corpus_helpers.h"

#include <algorithm>
#include <cstddef>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#define ROWS 64
#define COLS 48
#define AT(m, r, c) (m)[(r) * COLS + (c)]
#define RELU(x) ((x) > 0.0 ? (x) : 0.0)
#define ACCUM(s, v) ((s) += (v))

class Signal {
public:
    explicit Signal(std::size_t n) : s_(n, 0.0) {}

    void gain(double g)
    {
        // expect: parallel
        for (std::size_t i = 0; i < s_.size(); i++)
            s_[i] *= g;
    }

    double energy() const
    {
        double e = 0.0;
        // expect: parallel reduction(+:e)
        for (double x : s_)
            e += x * x;
        return e;
    }

    void smooth()
    {
        // expect: sequential
        for (std::size_t i = 1; i < s_.size(); i++)
            s_[i] = 0.5 * (s_[i] + s_[i - 1]);
    }

    void print() const
    {
        // expect: sequential
        for (std::size_t i = 0; i < s_.size(); i++)
            std::printf("%zu %f\n", i, s_[i]);
    }

    double filtered_tail(double alpha)
    {
        // expect: sequential
        for (std::size_t i = 0; i < s_.size(); i++)
            state_ = alpha * state_ + (1.0 - alpha) * s_[i];
        return state_;
    }

    void clamp_abs(double hi)
    {
        // expect: parallel
        for (std::size_t i = 0; i < s_.size(); i++)
            s_[i] = std::min(std::abs(s_[i]), hi);
    }

private:
    std::vector<double> s_;
    double state_ = 0.0;
};

std::vector<double> relu_grid(const std::vector<double>& in)
{
    std::vector<double> out(ROWS * COLS);
    // expect: parallel
    for (int r = 0; r < ROWS; r++) {
        // expect: parallel
        for (int c = 0; c < COLS; c++)
            AT(out, r, c) = RELU(AT(in, r, c));
    }
    return out;
}

std::vector<double> column_sums(const std::vector<double>& in)
{
    std::vector<double> sums(COLS, 0.0);
    // expect: sequential
    for (int r = 0; r < ROWS; r++) {
        // expect: parallel
        for (int c = 0; c < COLS; c++)
            sums[c] += AT(in, r, c);
    }
    return sums;
}

double macro_total(const std::vector<double>& in)
{
    double total = 0.0;
    // expect: parallel reduction(+:total)
    for (std::size_t i = 0; i < in.size(); i++)
        ACCUM(total, CH_SQR(in[i]));
    return total;
}

std::vector<double> header_helpers(const std::vector<double>& in)
{
    std::vector<double> out(in.size());
    // expect: parallel
    for (std::size_t i = 0; i < in.size(); i++)
        out[i] = ch_sigmoid(CH_CLAMP(in[i], -8.0, 8.0));
    return out;
}

void header_trace(const std::vector<double>& in)
{
    // expect: sequential
    for (std::size_t i = 0; i < in.size(); i++)
        ch_trace("in", static_cast<int>(i), in[i]);
}

std::vector<int> random_labels(std::size_t n)
{
    std::vector<int> labels(n);
    // expect: sequential
    for (std::size_t i = 0; i < n; i++)
        labels[i] = std::rand() % 10;
    return labels;
}

double run_signal()
{
    Signal s(256);
    s.gain(2.0);
    s.smooth();
    s.clamp_abs(1.0);
    return s.energy() + s.filtered_tail(0.9);
}
