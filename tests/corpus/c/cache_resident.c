/* Loops entered over and over for a few microseconds of work on arrays that stay in a core's cache (TSVC_2's shapes,
   written anew): the analyzer's verdicts are below; the planner keeps the lane loops serial (CacheResidentCostTests), gives
   the light triangle chunks of several rows, and prices the interchanged column nest as lane work (serial). */
#define LEN 32000
#define N 256

float a[LEN], b[LEN], c[LEN], d[LEN], e[LEN];
float aa[N][N], bb[N][N];
float big_a[300000], big_b[300000], big_c[300000], big_d[300000], big_e[300000];
void sink(void);

/* A lane loop of 7 accesses over 640 KiB of arrays (s1281's shape). */
void lanes_small(int reps)
{
    // expect: sequential
    for (int nl = 0; nl < reps; nl++) {
        // expect: parallel
        for (int i = 0; i < LEN; i++) {
            float x = b[i] * c[i] + a[i] * d[i] + e[i];
            a[i] = x - 1.0f;
            b[i] = x;
        }
        sink();
    }
}

/* The same loop over 5.7 MiB: does not fit. */
void lanes_large(void)
{
    // expect: parallel
    for (int i = 0; i < LEN; i++) {
        float x = big_b[i] * big_c[i] + big_a[i] * big_d[i] + big_e[i];
        big_a[i] = x - 1.0f;
        big_b[i] = x;
    }
}

/* A stride of 2 written from stride-1 reads (s1111's shape), and a stride of 3. */
void pairs(void)
{
    // expect: parallel
    for (int i = 0; i < LEN / 2; i++)
        a[2 * i] = c[i] * b[i] + d[i] * b[i] + c[i] * c[i] + d[i] * b[i] + d[i] * c[i];
    // expect: parallel
    for (int i = 0; i < LEN / 3; i++)
        a[3 * i] = c[i] * b[i] + d[i] * b[i] + c[i] * c[i];
}

/* A run-time stride (s171's shape): parallel while the stride moves each iteration to a new element. */
void strided(int inc)
{
    // expect: runtime-check
    for (int i = 0; i < LEN; i++)
        a[i * inc] += b[i];
}

/* A triangle of light rows that reads a column (s114's shape). */
void triangle(void)
{
    // expect: parallel
    for (int i = 0; i < N; i++)
        // expect: parallel
        for (int j = 0; j < i; j++)
            aa[i][j] = aa[j][i] + bb[i][j];
}

/* A column recurrence over 256 columns (s231's shape): interchanged its innermost loop is stride-1 and branch-free, lane
   work over 512 KiB of arrays: planned serial (strip_count.c holds the nests that stay parallel). */
void columns(int reps)
{
    // expect: sequential
    for (int nl = 0; nl < reps; nl++) {
        // expect: parallel
        for (int i = 0; i < N; ++i) {
            // expect: sequential
            for (int j = 1; j < N; j++)
                aa[j][i] = aa[j - 1][i] + bb[j][i];
        }
        sink();
    }
}
