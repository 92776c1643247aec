/* Deliberately broken: the function body is never closed. */
#define N 64

static double a[N], b[N];

void scale(int n)
{
    for (int i = 0; i < n; i++) {
        b[i] = 2.0 * a[i];

double sum(int n)
{
    double s = 0.0;
    for (int i = 0; i < n; i++)
        s += b[i];
    return s;
}
