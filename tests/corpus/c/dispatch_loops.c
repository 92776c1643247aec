/* Element-wise loops whose bodies branch: a `switch` on a per-element opcode and a `goto` back to an earlier label
 * (a retry loop inside the body) are parallel but cannot run in vector lanes, so they get no `simd`; `if`/`else` and
 * forward `goto`s that join again can (tests: SimdControlFlowTests). */

#define CELLS 65536

int opcode[CELLS];
float input[CELLS], output[CELLS], bias[CELLS];

/* One of four operations per element, chosen by its opcode. */
void apply_opcodes(void)
{
    // expect: parallel
    for (int i = 0; i < CELLS; i++) {
        switch (opcode[i]) {
        case 0: output[i] = input[i] + bias[i]; break;
        case 1: output[i] = input[i] - bias[i]; break;
        case 2: output[i] = input[i] * bias[i]; break;
        default: output[i] = input[i]; break;
        }
    }
}

/* Halve a scaled value until it is at most one, at most eight times: the retry is a loop written with a backward `goto`. */
void halve_until_small(void)
{
    // expect: parallel
    for (int i = 0; i < CELLS; i++) {
        float v = input[i] * bias[i];
        int tries = 0;
    again:
        if (v > 1.0f && tries < 8) {
            v *= 0.5f;
            tries++;
            goto again;
        }
        output[i] = v;
    }
}

/* Control: a forward `goto` that skips one assignment and joins again. */
void clamp_forward(void)
{
    // expect: parallel
    for (int i = 0; i < CELLS; i++) {
        float v = input[i] + bias[i];
        if (v >= 0.0f) goto store;
        v = 0.0f;
    store:
        output[i] = v;
    }
}

/* Control: the same choice as `if`/`else`. */
void clamp_select(void)
{
    // expect: parallel
    for (int i = 0; i < CELLS; i++) {
        if (input[i] + bias[i] >= 0.0f)
            output[i] = input[i] + bias[i];
        else
            output[i] = 0.0f;
    }
}
