/* Parallel stride-1 loops whose `parallel for simd` clang-19's optimizer cannot vectorize (NPB IS's shapes written anew):
 * it warns "loop not vectorized: the optimizer was unable to perform the requested transformation" [-Wpass-failed], a
 * warning the serial build never has and an error under -Werror. Its worksharing loop keeps the bound in a memory slot
 * of the counter's type, so a store of that integer width through a pointer makes the trip count unknown (clear_keys);
 * a reduction updated under a branch is not recognized (count_unsorted). gcc vectorizes all three. Control: a double
 * scale clang vectorizes (scale_values). The engine compiles a clang copy once with -Werror=pass-failed and writes it
 * without `simd` where clang refuses (tests: OptimizerSimdCheckTests). */

#include <stdio.h>
#include <stdlib.h>

#define KEYS 262144

int *keys;
long *sorted;
double *values;

/* Every key set to zero through a global pointer: an `int` store under an `int` counter. */
void clear_keys(void)
{
    // expect: parallel
    for (int i = 0; i < KEYS; i++)
        keys[i] = 0;
}

/* How many neighbours are out of order: a count updated only when the branch is taken. */
long count_unsorted(void)
{
    long bad = 0;
    // expect: parallel reduction(+:bad)
    for (int i = 1; i < KEYS; i++)
        if (sorted[i - 1] > sorted[i])
            bad++;
    return bad;
}

/* Control: a double scale, vectorized by clang too. */
void scale_values(double s)
{
    // expect: parallel
    for (int i = 0; i < KEYS; i++)
        values[i] = s * values[i];
}

int main(void)
{
    keys = malloc(sizeof(int) * KEYS);
    sorted = malloc(sizeof(long) * KEYS);
    values = malloc(sizeof(double) * KEYS);
    // expect: parallel
    for (int i = 0; i < KEYS; i++) {
        keys[i] = i % 7;
        sorted[i] = (long)i * 3 - (i % 97 == 0 ? 5 : 0);
        values[i] = (i % 13) * 0.25;
    }
    clear_keys();
    scale_values(4.0);
    long sum = 0;
    // expect: parallel reduction(+:sum)
    for (int i = 0; i < KEYS; i++)
        sum += keys[i] + (long)values[i];
    printf("%ld %ld\n", count_unsorted(), sum);
    free(keys);
    free(sorted);
    free(values);
    return 0;
}
