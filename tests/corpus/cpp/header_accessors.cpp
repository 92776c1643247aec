// Loops over a field whose element accessors live in a header (include/corpus_grid.hpp): the reasons must name
// the calls written here (`out(i, j)`) and give this file's lines, not the accessor's text and line in the header.
#include "corpus_grid.hpp"

// A row length known only at run time: the rows of different `j` cannot be proven apart.
void scale_field(Field2<double> &out, int x0, int x1, int y0, int y1) {
    // expect: sequential
    for (int j = y0; j < y1; j++) {
        // expect: sequential
        for (int i = x0; i < x1; i++) {
            out(i, j) = 2.0 * out(i, j);
        }
    }
}

// Two fields passed by reference may share their storage.
void copy_cells(Field2<float> &dst, const Field2<float> &src, int n) {
    // expect: sequential
    for (int k = 0; k < n; k++)
        dst.at(k) = src.at(k) + 1.0f;
}

// Only reads through the accessor, into a local array: nothing shared is written.
double sum_row(const Field2<double> &f, int j, int n) {
    double s = 0.0;
    // expect: parallel reduction(+:s)
    for (int i = 0; i < n; i++)
        s += f(i, j);
    return s;
}
