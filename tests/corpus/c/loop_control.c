/* Loop headers (canonical or not), counters and bounds changed in the body, volatile and atomics. */
#include <stdatomic.h>
#include <string.h>

#define N 4096

static double a[N], b[N];
static volatile int stop_flag;
static volatile double sink;
static volatile double vbuf[N];
static _Atomic int hits;
static atomic_long total;

void counter_skips_ahead(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++) {
        if (a[i] == 0.0)
            i++;
        b[i] = a[i];
    }
}

void counter_assigned(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++) {
        b[i] = a[i];
        if (b[i] < 0.0)
            i = n;
    }
}

void doubling_step(int n)
{
    // expect: sequential
    for (int i = 1; i < n; i *= 2)
        b[i] = a[i] + 1.0;
}

void shifting_step(int n)
{
    // expect: sequential
    for (int i = 1; i < n; i <<= 1)
        a[i] = 0.0;
}

void sentinel_condition(void)
{
    // expect: sequential
    for (int i = 0; a[i] != 0.0; i++)
        b[i] = a[i] * 2.0;
}

void extra_condition(int n)
{
    // expect: sequential
    for (int i = 0; i < n && a[i] > 0.0; i++)
        b[i] = a[i];
}

void shrinking_bound(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++) {
        if (a[i] < 0.0)
            n--;
        b[i] = a[i];
    }
}

void two_counters(int n)
{
    // expect: sequential
    for (int i = 0, j = n - 1; i < j; i++, j--) {
        double t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

void counting_down_to_one(int n)
{
    // expect: parallel
    for (int i = n; i > 0; i--)
        b[i - 1] = a[i - 1] * 3.0;
}

void inclusive_bound(int n)
{
    // expect: parallel
    for (int i = 0; i <= n; i++)
        b[i] = a[i] + 1.0;
}

void step_of_three(int n)
{
    // expect: parallel
    for (int i = 0; i < n; i += 3)
        b[i] = a[i] - 1.0;
}

void bound_in_local(int n)
{
    int lim = n / 2;

    // expect: parallel
    for (int i = 0; i < lim; i++)
        b[i] = a[2 * i] + a[2 * i + 1];
}

void poll_volatile_flag(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++) {
        if (stop_flag)
            continue;
        b[i] = a[i];
    }
}

void volatile_sink(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        sink = a[i];
}

void volatile_array_store(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        vbuf[i] = a[i];
}

void atomic_counter(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        if (a[i] > 0.5)
            hits++;
}

void atomic_fetch_add_loop(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        atomic_fetch_add(&total, (long)b[i]);
}

int collatz_steps(long x)
{
    int steps = 0;

    // expect: sequential
    for (;;) {
        if (x == 1)
            break;
        x = (x % 2 == 0) ? x / 2 : 3 * x + 1;
        steps++;
    }
    return steps;
}

int copy_string(char *dst, const char *s)
{
    int i;

    // expect: sequential
    for (i = 0; s[i] != '\0'; i++)
        dst[i] = s[i];
    dst[i] = '\0';
    return i;
}

int sieve(unsigned char *composite, int n)
{
    int count = 0;

    memset(composite, 0, (size_t)n + 1);
    // expect: sequential
    for (int i = 2; i * i <= n; i++) {
        if (composite[i])
            continue;
        // expect: parallel
        for (int j = i * i; j <= n; j += i)
            composite[j] = 1;
    }
    // expect: parallel reduction(+:count)
    for (int i = 2; i <= n; i++)
        count += !composite[i];
    return count;
}

void sample_unit_interval(void)
{
    int k = 0;

    // expect: sequential
    for (double x = 0.0; x < 1.0; x += 0.125)
        b[k++] = x * x;
}
