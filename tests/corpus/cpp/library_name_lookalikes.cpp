// The project's own functions that share a name with a pure library function (a logger called `log`, a `max` that
// records what it saw), declared here and defined in another file: they are the project's functions, not libm's.
#include <cmath>

void log(const char* msg);
int max(int level, const char* tag);

struct Message {
    const char* text;
    int level;
};

void log(const Message& m);

double exp(double); // the library's own signature, redeclared: still libm's exp

void with_logger(double* __restrict y, const double* __restrict x, int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++) {
        y[i] = std::sqrt(x[i]);
        log("step");
    }
}

void with_message(double* __restrict y, const double* __restrict x, int n)
{
    Message m{"step", 1};
    // expect: sequential
    for (int i = 0; i < n; i++) {
        y[i] = 2.0 * x[i];
        log(m);
    }
}

void with_tagged_max(double* __restrict y, const double* __restrict x, int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        y[i] = x[i] + max(i, "k");
}

// Controls: libm's log, and exp redeclared with its library signature.
void with_libm_log(double* __restrict y, const double* __restrict x, int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        y[i] = log(x[i]);
}

void with_redeclared_exp(double* __restrict y, const double* __restrict x, int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        y[i] = exp(x[i]);
}
