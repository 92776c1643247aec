/* 2-D convolution, ReLU, max and average pooling, 1-D filters. */
#include <float.h>

#define H 128
#define W 128
#define K 5
#define CIN 3
#define OH (H - K + 1)
#define OW (W - K + 1)

static float img[CIN][H][W];
static float kern[CIN][K][K];
static float bias = 0.1f;
static float conv_out[OH][OW];

void conv2d(void)
{
    // expect: parallel
    for (int y = 0; y < OH; y++) {
        // expect: parallel
        for (int x = 0; x < OW; x++) {
            float acc = bias;
            // expect: parallel reduction(+:acc)
            for (int c = 0; c < CIN; c++) {
                // expect: parallel reduction(+:acc)
                for (int ky = 0; ky < K; ky++) {
                    // expect: parallel reduction(+:acc)
                    for (int kx = 0; kx < K; kx++)
                        acc += img[c][y + ky][x + kx] * kern[c][ky][kx];
                }
            }
            conv_out[y][x] = acc;
        }
    }
}

void maxpool_2x2_pointers(float *out, const float *in, int h, int w)
{
    const int ph = h / 2, pw = w / 2;

    // expect: runtime-check
    for (int py = 0; py < ph; py++) {
        // expect: runtime-check
        for (int px = 0; px < pw; px++) {
            float m = -FLT_MAX;
            // expect: parallel reduction(max:m)
            for (int dy = 0; dy < 2; dy++) {
                // expect: parallel reduction(max:m)
                for (int dx = 0; dx < 2; dx++) {
                    float v = in[(2 * py + dy) * w + 2 * px + dx];
                    if (v > m)
                        m = v;
                }
            }
            out[py * pw + px] = m;
        }
    }
}

void avgpool_flat(float *out, const float *in, int h, int w)
{
    // expect: runtime-check
    for (int y = 0; y < h / 2; y++) {
        // expect: runtime-check
        for (int x = 0; x < w / 2; x++) {
            const float *p = in + (2 * y) * w + 2 * x;
            out[y * (w / 2) + x] = 0.25f * (p[0] + p[1] + p[w] + p[w + 1]);
        }
    }
}

void conv1d_valid(float *out, const float *in, const float *taps, int n, int k)
{
    // expect: runtime-check
    for (int i = 0; i <= n - k; i++) {
        float s = 0.0f;
        // expect: parallel reduction(+:s)
        for (int t = 0; t < k; t++)
            s += in[i + t] * taps[t];
        out[i] = s;
    }
}

void iir_first_order(float *restrict y, const float *restrict x, float alpha, int n)
{
    y[0] = x[0];
    // expect: sequential
    for (int i = 1; i < n; i++)
        y[i] = alpha * x[i] + (1.0f - alpha) * y[i - 1];
}

void conv2d_flat(float *out, const float *in, const float *k, int h, int w, int ks)
{
    const int oh = h - ks + 1, ow = w - ks + 1;

    // expect: runtime-check
    for (int y = 0; y < oh; y++) {
        // expect: runtime-check
        for (int x = 0; x < ow; x++) {
            float acc = 0.0f;
            // expect: parallel reduction(+:acc)
            for (int ky = 0; ky < ks; ky++) {
                // expect: parallel reduction(+:acc)
                for (int kx = 0; kx < ks; kx++)
                    acc += in[(y + ky) * w + x + kx] * k[ky * ks + kx];
            }
            out[y * ow + x] = acc;
        }
    }
}

void relu_pointer(float *x, int n)
{
    // expect: parallel
    for (int i = 0; i < n; i++)
        x[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

void add_channel_bias(float *act, const float *bias_v, int channels, int hw)
{
    // expect: runtime-check
    for (int c = 0; c < channels; c++) {
        // expect: runtime-check
        for (int p = 0; p < hw; p++)
            act[c * hw + p] += bias_v[c];
    }
}

void moving_average(float *restrict out, const float *restrict in, int n, int w)
{
    float s = 0.0f;

    // expect: parallel reduction(+:s)
    for (int i = 0; i < w; i++)
        s += in[i];
    out[w - 1] = s / w;
    // expect: sequential
    for (int i = w; i < n; i++) {
        s += in[i] - in[i - w];
        out[i] = s / w;
    }
}
