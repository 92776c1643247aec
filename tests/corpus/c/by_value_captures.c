/* Loops that store integers or bytes and read the function's own bounds and pointers. clang's outlined region reads a
 * shared variable through its address, and an `int` or `char` store may change it as far as clang can tell: the copy
 * then reloads the bound or the base on every iteration and is not vectorized. The region takes the variables it only
 * reads by value (`firstprivate`); a variable whose address is taken, or one the loop writes, is never copied
 * (tests: ByValueCaptureTests). */

/* int rows: n, m, a and b are taken by value. */
void scale_rows_int(int *restrict a, const int *restrict b, int n, int m)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        // expect: parallel
        for (int j = 0; j < m; j++)
            a[i * m + j] = b[i * m + j] * 3 + 1;
}

/* Bytes may alias anything: the image, its sizes and the threshold are taken by value. */
void threshold_bytes(unsigned char *img, int w, int h, int t)
{
    // expect: parallel
    for (int y = 0; y < h; y++)
        // expect: parallel
        for (int x = 0; x < w; x++)
            img[y * w + x] = img[y * w + x] > t ? 255 : 0;
}

/* Only doubles are stored: under strict aliasing they cannot change an int or a pointer, so nothing is copied. */
void scale_rows_double(double *restrict a, const double *restrict b, int n, int m)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        // expect: parallel
        for (int j = 0; j < m; j++)
            a[i * m + j] = b[i * m + j] * 3.0 + 1.0;
}

/* `k`'s address is taken: a store could reach it through `pk`, so it stays shared; `n` and `a` are copied. */
void address_taken(int *restrict a, int n, int **out)
{
    int k = n / 2;
    int *pk = &k;
    *out = pk;
    // expect: parallel
    for (int i = 0; i < n; i++)
        a[i] = k + i;
}

/* A static local (one object for every call) and a const bound are never copied; the pointer is. */
void static_and_const(int *restrict a, int n)
{
    static int offset = 7;
    const int m = n - 1;
    // expect: parallel
    for (int i = 0; i < m; i++)
        a[i] = offset + i;
}

/* A Collatz count: a `while` loop per element, which vector lanes cannot run (parallel, no `simd`). */
void collatz_steps(int *restrict steps, int n)
{
    // expect: parallel
    for (int i = 1; i < n; i++) {
        long x = i;
        int s = 0;
        while (x != 1) {
            x = (x & 1) ? 3 * x + 1 : x / 2;
            s++;
        }
        steps[i] = s;
    }
}

/* A global pointer the loop stores `int`s through: clang reads it from memory every iteration, and a pointer read so may
 * point at the region's own iteration bounds. No `int` store can change a pointer, so it is taken by value too. */
int *shared_table;
void fill_table(int lo, int hi)
{
    // expect: parallel
    for (int i = lo; i < hi; i++)
        shared_table[i] = i & 7;
}

/* A byte store may change any object, a pointer too: the global pointer stays shared (the bounds are copied). */
unsigned char *shared_pixels;
void clear_pixels(int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        shared_pixels[i] = 0;
}

/* An int column recurrence whose nest is interchanged (rows outside, the columns of a row in lanes): the interchanged
 * directive takes the bounds and pointers the nest only reads by value as the plain one does. */
void int_columns(int *restrict c, const int *restrict d, int rows, int cols)
{
    // expect: parallel
    for (int i = 0; i < rows; i++) {
        // expect: sequential
        for (int j = 1; j < cols; j++)
            c[j * rows + i] = c[(j - 1) * rows + i] / 2 + d[j * rows + i];
    }
}
