// Loops over a field whose element accessors live in a header (include/corpus_grid.hpp): the reasons must name
// the calls written here (`out(i, j)`) and give this file's lines, not the accessor's text and line in the header.
#include "corpus_grid.hpp"

// A row length known only at run time: the rows of different `j` are told apart by a check before the loop.
void scale_field(Field2<double> &out, int x0, int x1, int y0, int y1) {
    // expect: runtime-check
    for (int j = y0; j < y1; j++) {
        // expect: runtime-check
        for (int i = x0; i < x1; i++) {
            out(i, j) = 2.0 * out(i, j);
        }
    }
}

// The same over `size_t` cells: a store through `cells` may change the row length `ny` itself, so no check is trusted.
void scale_counts(Field2<std::size_t> &out, int x0, int x1, int y0, int y1) {
    // expect: sequential
    for (int j = y0; j < y1; j++) {
        // expect: sequential
        for (int i = x0; i < x1; i++) {
            out(i, j) = 2 * out(i, j);
        }
    }
}

// Two fields passed by reference may share their storage: their `cells` pointers are checked not to overlap.
void copy_cells(Field2<float> &dst, const Field2<float> &src, int n) {
    // expect: runtime-check
    for (int k = 0; k < n; k++)
        dst.at(k) = src.at(k) + 1.0f;
}

// Two fields of one array may share their storage too, and no check names a pointer loaded through `fields[1]`.
void copy_between(Field2<float> *fields, int n) {
    // expect: sequential
    for (int k = 0; k < n; k++)
        fields[1].at(k) = fields[0].at(k) + 1.0f;
}

// Only reads through the accessor, into a local array: nothing shared is written.
double sum_row(const Field2<double> &f, int j, int n) {
    double s = 0.0;
    // expect: parallel reduction(+:s)
    for (int i = 0; i < n; i++)
        s += f(i, j);
    return s;
}
