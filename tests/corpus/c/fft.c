/* Iterative radix-2 FFT on split real/imaginary arrays. */
#include <math.h>

#define FFT_N 1024
#define PI 3.14159265358979323846

static double re[FFT_N], im[FFT_N];
static double tw_re[FFT_N / 2], tw_im[FFT_N / 2];
static double power[FFT_N];

static unsigned reverse_bits(unsigned x, int logn)
{
    unsigned r = 0;

    // expect: sequential
    for (int b = 0; b < logn; b++) {
        r = (r << 1) | (x & 1u);
        x >>= 1;
    }
    return r;
}

void bit_reverse_permute(int n, int logn)
{
    // expect: sequential
    for (int i = 0; i < n; i++) {
        unsigned j = reverse_bits((unsigned)i, logn);
        if ((unsigned)i < j) {
            double tr = re[i];
            re[i] = re[j];
            re[j] = tr;
            double ti = im[i];
            im[i] = im[j];
            im[j] = ti;
        }
    }
}

/* Twiddles advanced by complex multiplication inside the butterfly loop. */
void fft_recurrent_twiddle(int n)
{
    // expect: sequential
    for (int len = 2; len <= n; len <<= 1) {
        double ang = -2.0 * PI / len;
        double cr = cos(ang), ci = sin(ang);
        int half = len / 2;
        // expect: parallel
        for (int i = 0; i < n; i += len) {
            double wr = 1.0, wi = 0.0;
            // expect: sequential
            for (int k = 0; k < half; k++) {
                double tr = wr * re[i + k + half] - wi * im[i + k + half];
                double ti = wr * im[i + k + half] + wi * re[i + k + half];
                re[i + k + half] = re[i + k] - tr;
                im[i + k + half] = im[i + k] - ti;
                re[i + k] += tr;
                im[i + k] += ti;
                double nwr = wr * cr - wi * ci;
                wi = wr * ci + wi * cr;
                wr = nwr;
            }
        }
    }
}

void make_twiddles(int n)
{
    // expect: parallel
    for (int k = 0; k < n / 2; k++) {
        tw_re[k] = cos(-2.0 * PI * k / n);
        tw_im[k] = sin(-2.0 * PI * k / n);
    }
}

/* Stage s reads what stage s-1 wrote; groups and butterflies inside a stage are independent.
   xr and xi are caller arrays that might overlap each other. */
void fft_table_twiddle(double *xr, double *xi, int n, int logn)
{
    // expect: sequential
    for (int s = 1; s <= logn; s++) {
        int len = 1 << s;
        int half = len / 2;
        int stride = n / len;
        // expect: runtime-check
        for (int i = 0; i < n; i += len) {
            // expect: runtime-check
            for (int k = 0; k < half; k++) {
                double wr = tw_re[k * stride], wi = tw_im[k * stride];
                double tr = wr * xr[i + k + half] - wi * xi[i + k + half];
                double ti = wr * xi[i + k + half] + wi * xr[i + k + half];
                xr[i + k + half] = xr[i + k] - tr;
                xi[i + k + half] = xi[i + k] - ti;
                xr[i + k] += tr;
                xi[i + k] += ti;
            }
        }
    }
}

/* Same stages on the file's own arrays. */
void fft_table_twiddle_globals(int n, int logn)
{
    // expect: sequential
    for (int s = 1; s <= logn; s++) {
        int len = 1 << s;
        int half = len / 2;
        int stride = n / len;
        // expect: parallel
        for (int i = 0; i < n; i += len) {
            // expect: parallel
            for (int k = 0; k < half; k++) {
                double wr = tw_re[k * stride], wi = tw_im[k * stride];
                double tr = wr * re[i + k + half] - wi * im[i + k + half];
                double ti = wr * im[i + k + half] + wi * re[i + k + half];
                re[i + k + half] = re[i + k] - tr;
                im[i + k + half] = im[i + k] - ti;
                re[i + k] += tr;
                im[i + k] += ti;
            }
        }
    }
}

void inverse_scale(double *xr, double *xi, int n)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++) {
        xr[i] /= n;
        xi[i] /= n;
    }
}

double power_spectrum(double *pw, const double *xr, const double *xi, int n)
{
    double energy = 0.0;

    // expect: runtime-check reduction(+:energy)
    for (int i = 0; i < n; i++) {
        pw[i] = xr[i] * xr[i] + xi[i] * xi[i];
        energy += pw[i];
    }
    return energy;
}

double spectrum_of_globals(int n)
{
    return power_spectrum(power, re, im, n);
}
