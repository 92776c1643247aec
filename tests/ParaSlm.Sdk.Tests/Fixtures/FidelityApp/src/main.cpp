// C++ with standard headers (their paths must not make no-op builds re-run the engine).
#include <cmath>
#include <cstdio>
#include <vector>

extern "C" {
int mode(void);
double sum_modes(const double *a, int n);
double scaled_total(const double *a, int n);
double skipped(const double *a, int n);
}

int main()
{
    const int n = 1 << 16;
    std::vector<double> v(n);
    for (int i = 0; i < n; i++)
        v[i] = std::sqrt((double)(i % 97));
    long cells = 0;
    for (int i = 0; i < n; i++)
        cells += (long)v[i];
    std::printf("mode=%d cells=%ld modes=%.3f scaled=%.3f skipped=%.3f\n", mode(), cells, sum_modes(v.data(), n),
                scaled_total(v.data(), n), skipped(v.data(), n));
    return 0;
}
