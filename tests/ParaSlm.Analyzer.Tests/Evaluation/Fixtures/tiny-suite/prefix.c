/* prefix: inclusive prefix sum of 2^20 integers, 20 times (a loop-carried dependence; integer checksum).
 * It has no expert version on purpose: the evaluation must report that variant with its reason. */
#include "tiny.h"

#define N (1 << 20)
#define REPS 20

static uint64_t v[N];

int main(void)
{
    for (int i = 0; i < N; i++) v[i] = (uint64_t)(i % 7);
    double t0 = now_seconds();
    for (int r = 0; r < REPS; r++) {
        for (int i = 1; i < N; i++) {
            v[i] = (v[i] + v[i - 1]) % 1000003u;
        }
    }
    double t1 = now_seconds();
    uint64_t checksum = 0;
    for (int i = 0; i < N; i++) checksum += v[i] * (uint64_t)(1 + i % 8);
    printf("checksum: %llu\ntime: %.6f s\n", (unsigned long long)checksum, t1 - t0);
    return 0;
}
