/* Loops whose header sets and advances two counters together (CoMD's atom loops `for (int iOff = MAXATOMS*iBox, ii = 0;
 * ii < n; ii++, iOff++)`, PRK DGEMM's tile loops `for (jg = jj, j = 0; …; j++, jg++)`). The counter the condition tests
 * is the loop's; the other is read as a function of it (`o = base + i`), so accesses through it are analyzed like any
 * affine subscript. OpenMP's loop form has one counter: a parallel two-counter loop is written with one, the other
 * defined first in its body; a second counter declared before the loop keeps the loop serial (its last value would be
 * lost), though a loop around it may run in parallel (tests: TwoCounterHeaderTests). */

#define ROWS 64
#define WIDTH 128
#define SLOTS 32

double src[ROWS * WIDTH], dst[ROWS * WIDTH], pos[ROWS * SLOTS], vel[ROWS * SLOTS];
int count[ROWS];

/* The second counter is an offset into another array: each iteration writes its own element. */
void offset_copy(int base, int n)
{
    // expect: parallel
    for (int o = base, i = 0; i < n; i++, o++)
        dst[o] = src[i] * 2.0;
}

/* Rows addressed by a running offset: the row loop runs in parallel (the offset stays in its row), so does the inner one. */
void row_offsets(int rows)
{
    // expect: parallel
    for (int r = 0; r < rows; r++)
    {
        // expect: parallel
        for (int k = r * WIDTH, j = 0; j < WIDTH; j++, k++)
            dst[k] = src[k] + 1.0;
    }
}

/* CoMD's shape: boxes of up to SLOTS atoms, `count[box]` of them used. No bound keeps `i` below SLOTS, so two boxes may
 * reach one element and the box loop stays serial; the atom loop runs in parallel. (A plain `pos[o] += …` would make the
 * box loop an array reduction over `pos`.) */
void advance_boxes(int boxes, double dt)
{
    // expect: sequential
    for (int box = 0; box < boxes; box++)
    {
        // expect: parallel
        for (int o = SLOTS * box, i = 0; i < count[box]; i++, o++)
            pos[o] = 0.5 * pos[o] + dt * vel[o];
    }
}

/* Running down: the second counter falls as the first rises (a reversed copy). */
void reversed_copy(int n)
{
    // expect: parallel
    for (int i = 0, j = n - 1; i < n; i++, j--)
        dst[j] = src[i];
}

/* A second counter that moves by twice the first's step. */
void strided_gather(int n)
{
    // expect: parallel
    for (int i = 0, k = 0; i < n; i++, k += 2)
        dst[i] = src[k] + src[k + 1];
}

/* Counters declared before the loop (DGEMM's shape): the loop itself stays serial, the row loop around it runs in
 * parallel with both counters private. */
void declared_before(int rows)
{
    int j, k;
    // expect: parallel private(j, k)
    for (int r = 0; r < rows; r++)
    {
        // expect: sequential
        for (k = r * WIDTH, j = 0; j < WIDTH; j++, k++)
            dst[k] = src[k] * 0.5;
    }
}

/* Near misses. A step of 1 beside a step of 2: the second counter is not a function of the first. */
void half_step(int n)
{
    // expect: sequential
    for (int i = 0, k = 0; i < n; i += 2, k++)
        dst[k] = src[i];
}

/* The body moves the second counter too. */
void body_moves_counter(int n)
{
    // expect: sequential
    for (int o = 0, i = 0; i < n; i++, o++)
    {
        dst[o] = src[i];
        if (src[i] < 0.0) o++;
    }
}

/* The start of the second counter changes inside the loop: the one-counter form would read it anew. */
void start_changes(int base, int n)
{
    // expect: sequential
    for (int o = base, i = 0; i < n; i++, o++)
    {
        dst[o] = src[i];
        base = 7;
    }
}

/* Both counters in the condition (an in-place reversal meeting in the middle): not a counter and a function of it. */
void meet_in_middle(int n)
{
    // expect: sequential
    for (int i = 0, j = n - 1; i < j; i++, j--)
    {
        double t = src[i];
        src[i] = src[j];
        src[j] = t;
    }
}
