/* Scalar-expanded column loops under a serial repetition loop (TSVC_2's s2275 / s2102 shapes written anew). The column loop
   `i` sits outside a reduction loop `j` that walks a column; expanded, `j` runs outside and `i` innermost, stride-1. Where the
   columns fit in one strip of the form (512 floats of the expanded `s`, 256 iterations where nothing is expanded), one thread
   would run the whole nest in a region entered on every pass: the loop stays serial and runs the expanded form
   (`scalar-expand(s,i)` as a serial plan). 2,048 columns are four strips: the parallel form stays. A triangular reduction
   (its bounds read `i`) is not expandable and keeps its plan (ExpandedStripTests, ExpandedStripRunTests). */
#define N 256
#define ROWS 64
#define WIDE 2048

float na[N][N], nb[N][N], nv[N];
float wa[ROWS][WIDE], wb[ROWS][WIDE], wv[WIDE];
float da[N][N];
float ta[N][N], tv[N];
void sink(void);

/* 256 columns, one strip of 512: serial, expanded. */
void narrow(int reps)
{
    // expect: sequential
    for (int nl = 0; nl < reps; nl++) {
        // expect: parallel
        for (int i = 0; i < N; i++) {
            float s = 0.0f;
            // expect: parallel reduction(+:s)
            for (int j = 0; j < N; j++)
                s += na[j][i] * nb[j][i];
            nv[i] = s * 0.5f + nv[i];
        }
        sink();
    }
}

/* Nothing expanded (the column is written in memory, then its diagonal): 256 columns, one strip of 256: serial, expanded. */
void diagonal(int reps)
{
    // expect: sequential
    for (int nl = 0; nl < reps; nl++) {
        // expect: parallel
        for (int i = 0; i < N; i++) {
            // expect: parallel
            for (int j = 0; j < N; j++)
                da[j][i] = (float)(j - i) * 0.25f;
            da[i][i] = 1.0f;
        }
        sink();
    }
}

/* 2,048 columns: four strips of 512, shared among the threads. */
void wide(int reps)
{
    // expect: sequential
    for (int nl = 0; nl < reps; nl++) {
        // expect: parallel
        for (int i = 0; i < WIDE; i++) {
            float s = 0.0f;
            // expect: parallel reduction(+:s)
            for (int j = 0; j < ROWS; j++)
                s += wa[j][i] * wb[j][i];
            wv[i] = s * 0.5f + wv[i];
        }
        sink();
    }
}

/* Near miss: the reduction's bound reads `i` (a triangle), so the column loop cannot run its reduction outside `i`. */
void triangle(int reps)
{
    // expect: sequential
    for (int nl = 0; nl < reps; nl++) {
        // expect: parallel
        for (int i = 0; i < N; i++) {
            float s = 0.0f;
            // expect: parallel reduction(+:s)
            for (int j = 0; j <= i; j++)
                s += ta[j][i];
            tv[i] = s * 0.5f + tv[i];
        }
        sink();
    }
}
