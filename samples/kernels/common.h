/* Shared helpers for the ParaSlm sample kernels: timing, deterministic input
 * generation and result printing.  Header-only, C11 and C++17 compatible.
 *
 * Nothing in here is called from a hot loop; the helpers are only used to
 * build inputs, time the kernel and print the result. */
#ifndef PARASLM_KERNELS_COMMON_H
#define PARASLM_KERNELS_COMMON_H

#if !defined(__cplusplus) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L /* clock_gettime under strict -std=c11 */
#endif

#include <stdint.h>
#include <stdio.h>
#include <time.h>

/* Wall-clock seconds from CLOCK_MONOTONIC. */
static inline double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* 64-bit linear congruential generator (Knuth's MMIX constants).
 * Returns the high 32 bits, which are the well-mixed ones. */
static inline uint32_t lcg_next(uint64_t *state)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(*state >> 32);
}

/* Uniform double in [0, 1). */
static inline double lcg_uniform(uint64_t *state)
{
    return (double)lcg_next(state) * (1.0 / 4294967296.0);
}

/* Uniform integer in [0, bound), bound > 0. */
static inline int lcg_range(uint64_t *state, int bound)
{
    return (int)(((uint64_t)lcg_next(state) * (uint64_t)bound) >> 32);
}

/* The two output lines every kernel prints. */
static inline void print_result_double(double checksum, double seconds)
{
    printf("checksum: %.10e\n", checksum);
    printf("time: %.6f s\n", seconds);
}

static inline void print_result_u64(uint64_t checksum, double seconds)
{
    printf("checksum: %llu\n", (unsigned long long)checksum);
    printf("time: %.6f s\n", seconds);
}

#endif /* PARASLM_KERNELS_COMMON_H */
