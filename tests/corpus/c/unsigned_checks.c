// Run-time checks over unsigned values (`unsigned`, `size_t`): each check computes in signed `long long`, so an unsigned
// `n - 1` at n = 0 is -1, not UINT_MAX. Written in the symbols' own types, the overlap check of `shift` read
// `a + m <= b + (n - 1)`, true at n = 0 (b + 4294967295) while `b[i - 1]` meets `a`; and the subscript check of `rows`
// read `-n >= 0`, true for every unsigned n while `a[i][j - n]` reaches the row before.
#include <stddef.h>

// a[i] = b[i + n - 1] with b = a + 2 is an anti-dependence the check must reject at n = 0 and n = 1.
void shift(double *a, const double *b, long m, unsigned n) {
    // expect: runtime-check
    for (long i = 0; i < m; i++) {
        a[i] = b[i + n - 1] * 0.5 + 1.0;
    }
}

// The same with a `size_t` offset (the user's cast computes in `long`).
void shift_size(double *a, const double *b, long m, size_t n) {
    // expect: runtime-check
    for (long i = 0; i < m; i++) {
        a[i] = b[i + (long)n - 1] * 0.5 + 1.0;
    }
}

// Columns j - n of rows of 8: inside the row only if n <= 0 and k - n <= 8.
void rows(double (*a)[8], long r, long k, unsigned n) {
    // expect: sequential
    for (long i = 1; i < r; i++) {
        // expect: runtime-check
        for (long j = 0; j < k; j++) {
            a[i][j - n] = a[i][j - n] + a[i - 1][7] * 0.25;
        }
    }
}
