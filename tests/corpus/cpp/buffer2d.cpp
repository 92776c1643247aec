// A 2-D buffer whose inlined accessor flattens (i, j) with a run-time row length (`data[j + i * sizeY]`, as
// CloverLeaf's `clover::Buffer2D`): rows are told apart by a check before the loop that the `j` a loop touches span
// less than `sizeY`, and different buffers by the usual overlap check on their `data` pointers.
#include <cstddef>

template <typename T> struct Buffer2D {
    std::size_t sizeX, sizeY;
    T *data;

    T &operator()(std::size_t i, std::size_t j) const { return data[j + i * sizeY]; }
};

// Only the accessor is public: a check at the loop's site cannot name `ny` or `cells`.
class Sealed2D {
    std::size_t ny;
    double *cells;

public:
    double &operator()(std::size_t i, std::size_t j) const { return cells[j + i * ny]; }
};

// The ideal-gas shape: three buffers read, two written, the remainder `j` is the outer counter.
void ideal_gas(int x_min, int x_max, int y_min, int y_max, Buffer2D<double> &density, Buffer2D<double> &energy,
               Buffer2D<double> &pressure, Buffer2D<double> &soundspeed) {
    // expect: runtime-check
    for (int j = y_min + 1; j < y_max + 2; j++) {
        // expect: runtime-check
        for (int i = x_min + 1; i < x_max + 2; i++) {
            double v = 1.0 / density(i, j);
            pressure(i, j) = 0.4 * density(i, j) * energy(i, j);
            double pe = 0.4 * density(i, j);
            double pv = -density(i, j) * pressure(i, j);
            soundspeed(i, j) = v * v * (pressure(i, j) * pe - pv);
        }
    }
}

// A stencil across rows of one buffer into another.
void smooth(Buffer2D<float> &out, const Buffer2D<float> &in, int nx, int ny) {
    // expect: runtime-check
    for (int j = 1; j < ny - 1; j++)
        // expect: runtime-check
        for (int i = 0; i < nx; i++)
            out(i, j) = in(i, j - 1) + in(i, j) + in(i, j + 1);
}

// In place, one buffer: only the row check is needed.
void scale(Buffer2D<double> &a, int nx, int ny) {
    // expect: runtime-check
    for (int j = 0; j < ny; j++)
        // expect: runtime-check
        for (int i = 0; i < nx; i++)
            a(i, j) = 2.0 * a(i, j);
}

// Near miss: the row length is written inside the loop (the inner loop, which does not write it, checks it each time it starts).
void resize_rows(Buffer2D<double> &a, int nx, int ny, std::size_t w) {
    // expect: sequential
    for (int j = 0; j < ny; j++) {
        a.sizeY = w;
        // expect: runtime-check
        for (int i = 0; i < nx; i++)
            a(i, j) = 0.0;
    }
}

// Near miss: the elements are `size_t`, so a store through `data` may change `sizeY` itself.
void count_rows(Buffer2D<std::size_t> &a, int nx, int ny) {
    // expect: sequential
    for (int j = 0; j < ny; j++)
        // expect: sequential
        for (int i = 0; i < nx; i++)
            a(i, j) = 2 * a(i, j);
}

// Near miss: the row length is private, so no check can be written at the loop's site.
void scale_sealed(Sealed2D &a, int nx, int ny) {
    // expect: sequential
    for (int j = 0; j < ny; j++)
        // expect: sequential
        for (int i = 0; i < nx; i++)
            a(i, j) = 2.0 * a(i, j);
}

// Flattened by hand on a std::size_t row length, C++ style.
void transpose(double *out, const double *in, std::size_t n, int rows, int cols) {
    // expect: runtime-check
    for (int i = 0; i < rows; i++)
        // expect: runtime-check
        for (int j = 0; j < cols; j++)
            out[i * n + j] = in[j * n + i];
}
