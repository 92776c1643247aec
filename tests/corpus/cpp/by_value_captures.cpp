// The C++ cases of c/by_value_captures.c: a variable bound to a reference or passed to a reference parameter may be
// written through it, and a lambda may hold any local by reference, so none of them is taken by value
// (tests: ByValueCaptureTests).
#include <algorithm>

// `m` is bound to `r`; `n` and `a` are copied.
void bound_to_reference(int *__restrict a, int n, int m)
{
    int &r = m;
    r += 1;
    // expect: parallel
    for (int i = 0; i < n; i++)
        a[i] = m + i;
}

// `std::min` takes its arguments by reference: `n` and `m` stay shared; `a` is copied.
void passed_by_reference(int *__restrict a, int n, int m)
{
    // expect: parallel
    for (int i = 0; i < std::min(n, m); i++)
        a[i] = i * 2;
}

// A lambda in the function: nothing is copied.
int with_lambda(int *__restrict a, int n)
{
    auto twice = [&](int v) { return v * 2 + n; };
    // expect: parallel
    for (int i = 0; i < n; i++)
        a[i] = i + 1;
    return twice(a[0]);
}

namespace grid { int *cells; }

// A pointer in a namespace is not named by its plain name in a directive: it stays shared (`n` is copied).
void fill_cells(int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        grid::cells[i] = i;
}

int *cells;

// The global `cells`, but a parameter of that name in the function: the plain name could find the parameter.
void fill_global_cells(int n, int cells_unused)
{
    int *copy = nullptr;
    {
        int cells = 0;
        copy = &cells;
    }
    // expect: parallel
    for (int i = 0; i < n; i++)
        ::cells[i] = i;
    (void)copy;
    (void)cells_unused;
}
