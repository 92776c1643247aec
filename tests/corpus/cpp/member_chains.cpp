// Grids reached through chains of members (`fl.heat(i, j)`, `t.f.flux(i, j)`, `p->f.heat(i, j)`, `this->f.heat(i, j)`):
// the inlined accessor's `this` is a member of a member, so its row length is `fl.heat.ny` and its storage
// `fl.heat.cells`. Rows are told apart under a run-time row-length check, buffers under an overlap check on the loaded
// pointers, both naming the whole chain, and both trusted only where no store of the loop may reach the chain.
#include <cstddef>

template <typename T> struct Grid {
    std::size_t nx, ny;
    T *cells;

    T &operator()(std::size_t i, std::size_t j) const { return cells[j + i * ny]; }
};

struct Fields {
    Grid<double> heat;
    Grid<double> flux;
    int tag;
};

struct Tile {
    Fields f;
    int id;

    void scale(int nx, int ny, double s);
};

// A grid whose accessor is not const and writes its own row length: not an accessor the analyzer may read in place.
struct Restless {
    Grid<double> g;

    double &operator()(std::size_t i, std::size_t j) {
        g.ny = 7;
        return g.cells[j + i * g.ny];
    }
};

// A halo copy: rows of `i`, columns 1 - k and 2 + k: the columns span 2 * depth, less than a row when the check holds.
void halo(Fields &fl, int lo, int hi, int depth) {
    // expect: runtime-check
    for (int i = lo; i < hi; i++) {
        // expect: parallel
        for (int k = 0; k < depth; k++) {
            fl.heat(i, 1 - k) = fl.heat(i, 2 + k);
        }
    }
}

// Two members of a member: rows split, the two grids' cells checked apart.
void copy_tile(Tile &t, int nx, int ny) {
    // expect: runtime-check
    for (int i = 0; i < nx; i++) {
        // expect: runtime-check
        for (int j = 0; j < ny; j++) {
            t.f.flux(i, j) = 2.0 * t.f.heat(i, j);
        }
    }
}

// The same through a pointer to the tile.
void copy_tile_ptr(Tile *p, int nx, int ny) {
    // expect: runtime-check
    for (int i = 0; i < nx; i++) {
        // expect: runtime-check
        for (int j = 0; j < ny; j++) {
            p->f.flux(i, j) = p->f.heat(i, j) + 1.0;
        }
    }
}

// The same inside a member function of the tile: `this->f.heat`.
void Tile::scale(int nx, int ny, double s) {
    // expect: runtime-check
    for (int i = 0; i < nx; i++) {
        // expect: runtime-check
        for (int j = 0; j < ny; j++) {
            f.heat(i, j) = s * f.flux(i, j);
        }
    }
}

// Near miss: the row length is reassigned in the loop.
void reassigned(Fields &fl, const Fields &other, int nx, int ny) {
    // expect: sequential
    for (int i = 0; i < nx; i++) {
        // expect: runtime-check
        for (int j = 0; j < ny; j++) {
            fl.heat(i, j) = 1.0 + fl.flux(i, j);
        }
        fl.heat.ny = other.heat.ny;
    }
}

// Near miss: a `size_t` written through a pointer that may point at `fl.heat.ny`.
void aliased(Fields &fl, std::size_t *len, int nx, int ny) {
    // expect: sequential
    for (int i = 0; i < nx; i++) {
        // expect: parallel
        for (int j = 0; j < ny; j++) {
            fl.heat(i, j) = 1.0;
        }
        *len = (std::size_t)i;
    }
}

// Near miss: the object itself reached through a pointer the loop writes through.
void aliased_object(Fields &fl, Fields *alias, int nx, int ny) {
    // expect: sequential
    for (int i = 0; i < nx; i++) {
        // expect: parallel
        for (int j = 0; j < ny; j++) {
            fl.heat(i, j) = 1.0;
        }
        alias->heat.ny = (std::size_t)ny;
    }
}

// Near miss: a non-const operator() that writes a member.
void restless(Restless &r, int nx, int ny) {
    // expect: sequential
    for (int i = 0; i < nx; i++) {
        // expect: sequential
        for (int j = 0; j < ny; j++) {
            r(i, j) = 1.0;
        }
    }
}
