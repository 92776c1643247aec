/* Interchanged column recurrences under a serial repetition loop, cut into strips of the parallel level (TSVC_2's 256x256
   shapes written anew). Strips of 2 KiB (512 floats) over 256 columns were one strip, so one thread ran the nest in a region
   entered on every pass: a level under two such strips is cut into four (StripCountTests), a level of at most a line's worth
   (16 floats) is one strip and stays serial, a 2048-column level keeps strips of 512, and the 256x256 nest whose arrays fit
   in a core's cache is priced as lane work (its new innermost loop is stride-1 and branch-free) and stays serial. */
#define ROWS 4096
#define COLS 256
#define WIDE 2048
#define FEW 16

float tall_a[ROWS][COLS], tall_b[ROWS][COLS];
float wide_a[COLS][WIDE], wide_b[COLS][WIDE];
float few_a[ROWS * 4][FEW], few_b[ROWS * 4][FEW];
float sq_a[COLS][COLS], sq_b[COLS][COLS];
void sink(void);

/* 256 columns of 4,096 rows (8 MiB): four strips of 64. */
void tall(int reps)
{
    // expect: sequential
    for (int nl = 0; nl < reps; nl++) {
        // expect: parallel
        for (int i = 0; i < COLS; i++) {
            // expect: sequential
            for (int j = 1; j < ROWS; j++)
                tall_a[j][i] = tall_a[j - 1][i] * 0.5f + tall_b[j][i];
        }
        sink();
    }
}

/* 2,048 columns: four strips of 512 already. */
void wide(int reps)
{
    // expect: sequential
    for (int nl = 0; nl < reps; nl++) {
        // expect: parallel
        for (int i = 0; i < WIDE; i++) {
            // expect: sequential
            for (int j = 1; j < COLS; j++)
                wide_a[j][i] = wide_a[j - 1][i] * 0.5f + wide_b[j][i];
        }
        sink();
    }
}

/* 16 columns: a line's worth of floats, one strip whatever the width; planned serial. */
void few(int reps)
{
    // expect: sequential
    for (int nl = 0; nl < reps; nl++) {
        // expect: parallel
        for (int i = 0; i < FEW; i++) {
            // expect: sequential
            for (int j = 1; j < ROWS * 4; j++)
                few_a[j][i] = few_a[j - 1][i] * 0.5f + few_b[j][i];
        }
        sink();
    }
}

/* 256x256 floats (512 KiB in all): lane work that fits in a core's cache; planned serial (s231's shape). */
void square(int reps)
{
    // expect: sequential
    for (int nl = 0; nl < reps; nl++) {
        // expect: parallel
        for (int i = 0; i < COLS; i++) {
            // expect: sequential
            for (int j = 1; j < COLS; j++)
                sq_a[j][i] = sq_a[j - 1][i] + sq_b[j][i];
        }
        sink();
    }
}
