/* Loop-carried dependences and subscript tests on one-dimensional arrays. */

#define N 4096

static double a[N], b[N], c[N];
static int ia[N];

void flow_distance_one(int n)
{
    // expect: sequential
    for (int i = 1; i < n; i++)
        a[i] = a[i - 1] + b[i];
}

void anti_distance_one(int n)
{
    // expect: sequential
    for (int i = 0; i < n - 1; i++)
        a[i] = a[i + 1] * 0.5;
}

void flow_distance_two(int n)
{
    // expect: sequential
    for (int i = 2; i < n; i++)
        a[i] = a[i - 2] + c[i];
}

void unknown_distance(int n, int k)
{
    // expect: sequential
    for (int i = k; i < n; i++)
        a[i] = a[i - k] + 1.0;
}

void write_ahead(int n)
{
    // expect: sequential
    for (int i = 0; i < n - 1; i++)
        ia[i + 1] = ia[i] * 3 + 1;
}

void same_cell_every_iteration(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        c[0] = b[i] + 1.0;
}

void carried_through_first_cell(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++) {
        b[i] = a[0] * c[i];
        a[0] = c[i];
    }
}

void anti_across_statements(int n)
{
    // expect: sequential
    for (int i = 0; i < n - 1; i++) {
        a[i] = b[i] * 2.0;
        c[i] = a[i + 1] - 1.0;
    }
}

void same_iteration_reuse(int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++) {
        a[i] = b[i] * 2.0;
        c[i] = a[i] - 1.0;
    }
}

/* a[0] is only read: the loop starts at 1. */
void first_cell_read_only(int n)
{
    // expect: parallel
    for (int i = 1; i < n; i++)
        a[i] = a[0] * b[i];
}

/* Iteration 0 writes a[0], every other iteration reads it. */
void first_cell_written_then_read(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        a[i] = a[0] + b[i];
}

/* Distance N/2 equals the trip count. */
void distance_covers_trip(void)
{
    // expect: parallel
    for (int i = 0; i < N / 2; i++)
        a[i] = a[i + N / 2] + 1.0;
}

/* Symbolic distance n with 0 <= i < n. */
void symbolic_distance(int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        b[i] = b[i + n] * 2.0;
}

/* The offset m is unrelated to the trip count. */
void symbolic_other_offset(int n, int m)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        b[i] = b[i + m] * 2.0;
}

/* Even cells written, odd cells read: the GCD test proves independence. */
void even_odd(int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        c[2 * i] = c[2 * i + 1] + a[i];
}

void even_next_even(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        c[2 * i] = c[2 * i + 2] + a[i];
}

/* Odd cells written, even neighbours read. */
void odd_from_even_neighbours(int n)
{
    // expect: parallel
    for (int i = 1; i < n - 1; i += 2)
        a[i] = 0.5 * (a[i - 1] + a[i + 1]);
}

void stride_two_chain(int n)
{
    // expect: sequential
    for (int i = 2; i < n; i += 2)
        a[i] = a[i - 2] + b[i];
}

/* Each iteration swaps cells i and n-1-i; the two halves never meet. */
void reverse_in_place(int n)
{
    // expect: parallel
    for (int i = 0; i < n / 2; i++) {
        double t = a[i];
        a[i] = a[n - 1 - i];
        a[n - 1 - i] = t;
    }
}

void mirror_whole_range(int n)
{
    // expect: sequential
    for (int i = 0; i < n; i++)
        b[i] = b[n - 1 - i] + 1.0;
}

void bubble_sort(int n)
{
    // expect: sequential
    for (int i = 0; i < n - 1; i++) {
        // expect: sequential
        for (int j = 0; j < n - 1 - i; j++) {
            if (ia[j] > ia[j + 1]) {
                int t = ia[j];
                ia[j] = ia[j + 1];
                ia[j + 1] = t;
            }
        }
    }
}

void insertion_sort(int n)
{
    // expect: sequential
    for (int i = 1; i < n; i++) {
        int key = ia[i];
        int j = i - 1;
        while (j >= 0 && ia[j] > key) {
            ia[j + 1] = ia[j];
            j--;
        }
        ia[j + 1] = key;
    }
}

static int dp[512][512];

int edit_distance(const char *s, int n, const char *t, int m)
{
    // expect: parallel
    for (int i = 0; i <= n; i++)
        dp[i][0] = i;
    // expect: parallel
    for (int j = 0; j <= m; j++)
        dp[0][j] = j;
    // expect: sequential
    for (int i = 1; i <= n; i++) {
        // expect: sequential
        for (int j = 1; j <= m; j++) {
            int sub = dp[i - 1][j - 1] + (s[i - 1] != t[j - 1]);
            int del = dp[i - 1][j] + 1;
            int ins = dp[i][j - 1] + 1;
            int best = sub < del ? sub : del;
            dp[i][j] = best < ins ? best : ins;
        }
    }
    return dp[n][m];
}

int knapsack_01(const int *wt, const int *val, int items, int cap)
{
    static int best[4096];

    // expect: parallel
    for (int c = 0; c <= cap; c++)
        best[c] = 0;
    // expect: sequential
    for (int it = 0; it < items; it++) {
        // expect: sequential
        for (int c = cap; c >= wt[it]; c--) {
            int take = best[c - wt[it]] + val[it];
            if (take > best[c])
                best[c] = take;
        }
    }
    return best[cap];
}
