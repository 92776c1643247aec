// Scalars whose address escapes, C++ spellings (issue 11): a pointer or a reference that holds a variable's
// address reaches the shared original, not a private copy or a partial sum. Ground truth is what the C++ semantics
// allow, whatever any analyzer says.
#include <vector>

double running;
double& running_ref = running;

void prefix_through_pointer(const std::vector<double>& x, std::vector<double>& y, int n)
{
    double s = 0.0;
    double* ps = &s;
    // expect: sequential
    for (int i = 0; i < n; i++) {
        s += x[i];
        y[i] = *ps;
    }
}

void copy_through_pointer(const double* x, double* __restrict y, int n)
{
    double t = 0.0;
    const double* pt = &t;
    // expect: sequential
    for (int i = 0; i < n; i++) {
        t = x[i] + 1.0;
        y[i] = *pt;
    }
}

// A reference parameter may be bound to the global.
void global_sum_through_reference(const double* __restrict x, double* __restrict y, const double& seen, int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++) {
        running += x[i];
        y[i] = seen;
    }
}

// The global is read back through a global reference.
void global_sum_through_global_reference(const double* __restrict x, double* __restrict y, int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++) {
        running += x[i];
        y[i] = running_ref;
    }
}

double sum_read_after(const std::vector<double>& x, int n)
{
    double s = 0.0;
    double* ps = &s;
    // expect: parallel reduction(+:s)
    for (int i = 0; i < n; i++)
        s += x[i];
    return *ps;
}
