#include <stdio.h>

#define N 2000000
static double x[N];

int main(void)
{
    x[0] = 1.0;
    for (int i = 1; i < N; i++)
        x[i] = 0.5 * x[i - 1] + 1.0 / (double)i;
    printf("x[N-1] = %.6e\n", x[N - 1]);
#ifdef __clang__
    printf("mark 2.50\n"); /* the same program, another compiler, another answer: the evaluation must report it */
#else
    printf("mark 2.47\n");
#endif
    return 0;
}
