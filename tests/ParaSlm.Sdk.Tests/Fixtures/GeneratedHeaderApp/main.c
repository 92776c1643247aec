#include <stdio.h>
#include <stdlib.h>

void fold_rows(double *rows, const double *in, int n);
void scale_cols(double *cols, const double *in, int n);

#define N 3000000

int main(void)
{
    double *in = malloc(N * sizeof *in), *rows = calloc(N, sizeof *rows), *cols = malloc(N * sizeof *cols);
    if (!in || !rows || !cols) return 1;
    int x = 1;
    for (int i = 0; i < N; i++) {
        x = (x * 5 + 1) % 17;
        in[i] = x;
    }
    fold_rows(rows, in, N);
    scale_cols(cols, in, N);
    double s = 0;
    for (int i = 0; i < N; i += 1000) s += cols[i];
    printf("rows0=%.1f cols=%.1f\n", rows[0], s);
    free(in);
    free(rows);
    free(cols);
    return 0;
}
