/* Strided reads beside a written buffer: the overlap check needs the stride's sign. An unsigned stride is
 * non-negative by its type, so its check has no `step >= 0` term (gcc -Wextra: "comparison of unsigned expression
 * in '>= 0' is always true", an error under -Werror); a signed one keeps it (tests: UnsignedStrideCheckTests). */
#include <stdint.h>

typedef struct { uint32_t stride; int count; } channel_layout;

/* Deinterleave one channel: every `step`-th sample of an interleaved buffer. */
void take_channel_u(const float *interleaved, uint32_t step, int n, float *out)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        out[i] = interleaved[i * step];
}

/* The same with a signed stride: its sign is an assumption the check tests. */
void take_channel_s(const float *interleaved, int step, int n, float *out)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++)
        out[i] = interleaved[i * step];
}

/* An unsigned stride read from a struct field. */
void take_channel_field(const float *interleaved, const channel_layout *layout, float *out)
{
    // expect: runtime-check
    for (int i = 0; i < layout->count; i++)
        out[i] = interleaved[i * layout->stride];
}
