/* Early exits: break, return, goto, exit, abort, longjmp; continue is harmless. */
#include <math.h>
#include <setjmp.h>
#include <stdlib.h>

#define N 1024

static double a[N], b[N];
static int keys[N];
static double grid[256][256];
static int first_zero[256];
static double row_total[256];
static jmp_buf recover;

int find_first(int n, int key)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        if (keys[i] == key)
            return i;
    return -1;
}

int find_with_break(int n, int key)
{
    int pos = -1;

    // expect: sequential
    for (int i = 0; i < n; i++) {
        if (keys[i] == key) {
            pos = i;
            break;
        }
    }
    return pos;
}

void copy_until_negative(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++) {
        if (a[i] < 0.0)
            goto done;
        b[i] = a[i];
    }
done:
    b[0] += 0.0;
}

void die_on_nan(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++) {
        if (isnan(a[i]))
            exit(1);
        b[i] = 2.0 * a[i];
    }
}

void abort_on_negative_key(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++) {
        if (keys[i] < 0)
            abort();
        b[i] = keys[i];
    }
}

static void halve_or_jump(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++) {
        if (a[i] > 1e300)
            longjmp(recover, 1);
        b[i] = a[i] * 0.5;
    }
}

int guarded_halve(int n)
{
    if (setjmp(recover))
        return -1;
    halve_or_jump(n);
    return 0;
}

void reciprocal_skip_zero(double *dst, const double *src, int n)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++) {
        if (src[i] == 0.0)
            continue;
        dst[i] = 1.0 / src[i];
    }
}

void reciprocal_skip_zero_globals(int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++) {
        if (a[i] == 0.0)
            continue;
        b[i] = 1.0 / a[i];
    }
}

void first_zero_per_row(int n, int m)
{
    // expect: parallel
    for (int i = 0; i < n; i++) {
        int j;
        // expect: sequential
        for (j = 0; j < m; j++)
            if (grid[i][j] == 0.0)
                break;
        first_zero[i] = j;
    }
}

int first_row_with_zero(int n, int m)
{
    // expect: sequential
    for (int i = 0; i < n; i++) {
        // expect: sequential
        for (int j = 0; j < m; j++)
            if (grid[i][j] == 0.0)
                return i;
    }
    return -1;
}

/* The goto leaves the inner loop only; its target is still inside the outer body. */
void sum_rows_unless_negative(int n, int m)
{
    // expect: parallel
    for (int i = 0; i < n; i++) {
        double s = 0.0;
        row_total[i] = -1.0;
        // expect: sequential
        for (int j = 0; j < m; j++) {
            if (grid[i][j] < 0.0)
                goto next_row;
            s += grid[i][j];
        }
        row_total[i] = s;
    next_row:
        ;
    }
}

void goto_out_of_both(int n, int m)
{
    // expect: sequential
    for (int i = 0; i < n; i++) {
        // expect: sequential
        for (int j = 0; j < m; j++) {
            if (grid[i][j] > 1e9)
                goto fail;
            grid[i][j] *= 2.0;
        }
    }
    return;
fail:
    grid[0][0] = 0.0;
}

void skip_rows_with_continue(int n, int m)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++) {
        if (row_total[i] < 0.0)
            continue;
        // expect: parallel
        for (int j = 0; j < m; j++)
            grid[i][j] /= row_total[i] + 1.0;
    }
}
