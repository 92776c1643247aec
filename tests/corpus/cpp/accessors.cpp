// Accessors, user operator()/operator[], getters and array parameters in C++ (issue 11: holes seen on real code).
// Ground truth is what the program allows, whatever any analyzer says.
#include <vector>

struct Domain {
    std::vector<double> m_x, m_xd;
    std::vector<int> m_bc;
    double m_dt = 0.1;
    int m_n = 0;
    double& x(int k) { return m_x[k]; }
    double& xd(int k) { return m_xd[k]; }
    int& bc(int k) { return m_bc[k]; }
    double dt() const { return m_dt; }
    int numNode() const { return m_n; }
    double twice(int k) const
    {
        double t = m_x[k];
        return 2.0 * t;
    }
};

// Distinct members through accessors, a getter for a scalar member.
void advance(Domain& d, int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        d.x(i) = d.x(i) + d.dt() * d.xd(i);
}

// The accessor's argument is the subscript: x(i-1) is written by the previous iteration.
void prefix(Domain& d, int n)
{
    // expect: sequential
    for (int i = 1; i < n; i++)
        d.x(i) = d.x(i - 1) + d.xd(i);
}

// The proxy-application pattern: bc(i*E + j) in the inner loop and bc(j*E) below touch other rows' cells.
void boundary(Domain& d, int E)
{
    // expect: sequential
    for (int i = 0; i < E; i++) {
        // expect: parallel
        for (int j = 0; j < E; j++)
            d.bc(i * E + j) |= 1;
        if (i == 0) {
            // E >= 1 whenever this runs, so j*E differs for different j.
            // expect: parallel
            for (int j = 0; j < E; j++)
                d.bc(j * E) |= 2;
        }
    }
}

// A method that is not one `return`: it reads the object, and x(i+1) is written by the next iteration.
void through_method(Domain& d, int n)
{
    // expect: sequential
    for (int i = 0; i < n - 1; i++)
        d.x(i) = d.twice(i + 1);
}

// A member function in the loop condition that only returns a member: an invariant bound.
void bounded_by_getter(Domain& d)
{
    // expect: parallel
    for (int i = 0; i < d.numNode(); i++)
        d.xd(i) = 0.0;
}

struct Grid {
    double* data;
    int n;
    double& operator()(int i, int j) { return data[i * n + j]; }
};

// operator() of a user class: (i, j) -> data[i*n + j], rows of n cells.
void clear(Grid& g)
{
    // expect: parallel
    for (int i = 0; i < g.n; i++) {
        // expect: parallel
        for (int j = 0; j < g.n; j++)
            g(i, j) = 0.0;
    }
}

// g(i-1, j) is the row the previous iteration wrote.
void sweep_rows(Grid& g)
{
    // expect: sequential
    for (int i = 1; i < g.n; i++) {
        // expect: parallel
        for (int j = 0; j < g.n; j++)
            g(i, j) = g(i - 1, j) * 0.5;
    }
}

struct Vec64 {
    double a[64];
    double& operator[](int i) { return a[i]; }
};

// operator[] of a user class: local objects are distinct.
double copy_local(const double* in)
{
    Vec64 v, w;
    // expect: parallel
    for (int i = 0; i < 64; i++)
        w[i] = in[i];
    // expect: parallel
    for (int i = 0; i < 64; i++)
        v[i] = w[i] * 2.0;
    // expect: sequential
    for (int i = 1; i < 64; i++)
        v[i] = v[i - 1] + w[i];
    return v[63];
}

struct Opaque {
    double& at(int k);  // defined elsewhere: the analyzer cannot see what it returns
};

// A reference returned by a function the analyzer cannot see is written: the target is unknown.
void unknown_reference(Opaque& o, int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        o.at(i) = 1.0;
}

// Array-syntax parameters in C++ are pointers too.
void shift(int n, double a[], const double b[])
{
    // expect: runtime-check
    for (int i = 1; i < n; i++)
        a[i] = b[i - 1] + 1.0;
}

double table[32][32];

// table[i][j-1] with j = 0 is table[i-1][31].
void rows_from_zero()
{
    // expect: sequential
    for (int i = 0; i < 32; i++) {
        // expect: sequential
        for (int j = 0; j < 32; j++)
            table[i][j] = table[i][j - 1] + 1.0;
    }
}
