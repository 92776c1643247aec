// Function templates and class templates whose members contain loops.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

template <typename T>
void scale_in_place(T* a, T f, int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        a[i] *= f;
}

template <typename T>
void add_arrays(T* c, const T* a, const T* b, int n)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        c[i] = a[i] + b[i];
}

template <typename T>
void axpy_t(T a, const T* x, T* y, int n)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        y[i] += a * x[i];
}

template <typename T>
void blur3(T* out, const T* in, int n)
{
    // expect: runtime-check
    for (int i = 1; i < n - 1; i++)
        out[i] = (in[i - 1] + in[i] + in[i] + in[i + 1]) / T(4);
}

template <typename T>
T multiply_and_sum(T* prod, const T* a, const T* b, int n)
{
    T s = T(0);
    // expect: runtime-check reduction(+:s)
    for (int i = 0; i < n; i++) {
        prod[i] = a[i] * b[i];
        s += prod[i];
    }
    return s;
}

template <typename T>
T dot(const T* a, const T* b, int n)
{
    T s = T(0);
    // expect: parallel reduction(+:s)
    for (int i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

template <typename T>
T max_abs(const std::vector<T>& v)
{
    T m = T(0);
    // expect: parallel reduction(max:m)
    for (std::size_t i = 0; i < v.size(); i++)
        m = std::max(m, std::abs(v[i]));
    return m;
}

template <typename T>
void inclusive_scan(std::vector<T>& v)
{
    // expect: sequential
    for (std::size_t i = 1; i < v.size(); i++)
        v[i] += v[i - 1];
}

template <int N>
void zero_fixed(double (&a)[N])
{
    // expect: parallel
    for (int i = 0; i < N; i++)
        a[i] = 0.0;
}

template <typename T, int N>
struct Vec {
    T d[N];

    Vec<T, N> plus(const Vec<T, N>& o) const
    {
        Vec<T, N> r;
        // expect: parallel
        for (int i = 0; i < N; i++)
            r.d[i] = d[i] + o.d[i];
        return r;
    }

    T norm2() const
    {
        T s = T(0);
        // expect: parallel reduction(+:s)
        for (int i = 0; i < N; i++)
            s += d[i] * d[i];
        return s;
    }

    void cumulative()
    {
        // expect: sequential
        for (int i = 1; i < N; i++)
            d[i] += d[i - 1];
    }

    void rotate_left()
    {
        T first = d[0];
        // expect: sequential
        for (int i = 0; i < N - 1; i++)
            d[i] = d[i + 1];
        d[N - 1] = first;
    }
};

template <typename T>
class Matrix {
public:
    Matrix(int rows, int cols)
        : rows_(rows), cols_(cols), data_(static_cast<std::size_t>(rows) * cols) {}

    void fill(T value)
    {
        // expect: parallel
        for (std::size_t i = 0; i < data_.size(); i++)
            data_[i] = value;
    }

    T trace() const
    {
        T s = T(0);
        const int n = std::min(rows_, cols_);
        // expect: parallel reduction(+:s)
        for (int i = 0; i < n; i++)
            s += data_[static_cast<std::size_t>(i) * cols_ + i];
        return s;
    }

    Matrix<T> transposed() const
    {
        Matrix<T> t(cols_, rows_);
        // expect: parallel
        for (int i = 0; i < rows_; i++) {
            // expect: parallel
            for (int j = 0; j < cols_; j++)
                t.data_[j * rows_ + i] = data_[i * cols_ + j];
        }
        return t;
    }

    void cumulative_rows()
    {
        // expect: parallel
        for (int i = 0; i < rows_; i++) {
            // expect: sequential
            for (int j = 1; j < cols_; j++)
                data_[i * cols_ + j] += data_[i * cols_ + j - 1];
        }
    }

private:
    int rows_, cols_;
    std::vector<T> data_;
};

template <typename T>
void running_max(std::vector<T>& v)
{
    // expect: sequential
    for (std::size_t i = 1; i < v.size(); i++)
        v[i] = std::max(v[i], v[i - 1]);
}

double instantiate_all()
{
    double buf[16] = {};
    float fa[8] = {}, fb[8] = {}, fc[8] = {};
    std::vector<double> v(10, 1.0);

    scale_in_place(buf, 2.0, 16);
    add_arrays(fc, fa, fb, 8);
    axpy_t(2.0f, fa, fb, 8);
    blur3(fc, fa, 8);
    float fs = multiply_and_sum(fc, fa, fb, 8);
    double s = dot(buf, buf, 16);
    s += max_abs(v);
    inclusive_scan(v);
    running_max(v);
    zero_fixed(buf);

    Vec<double, 4> p{}, q{};
    Vec<double, 4> r = p.plus(q);
    r.rotate_left();
    r.cumulative();
    s += r.norm2();

    Matrix<double> m(3, 4);
    m.fill(1.5);
    m.cumulative_rows();
    s += m.transposed().trace();
    return s + fc[0] + fs;
}
