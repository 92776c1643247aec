/* A 2-D field whose rows have a run-time length, with its element accessors in this header: a loop in another
   file that calls them is judged on the accesses the accessors return, which lie in this file, not in the loop's. */
#ifndef CORPUS_GRID_HPP
#define CORPUS_GRID_HPP

#include <cstddef>

template <typename T> struct Field2 {
    std::size_t nx, ny;
    T *cells;

    T &operator()(std::size_t i, std::size_t j) const { return cells[j + i * ny]; }
    T &at(std::size_t k) const { return cells[k]; }
};

#endif
