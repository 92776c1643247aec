// attention: multi-head scaled dot-product attention (one transformer
// attention block without projections): for every head h and query i,
//   out[h][i] = softmax(Q[h][i] . K[h][j] / sqrt(D), over j) @ V[h]
// with the numerically stable max-subtracted softmax.
//
// Tensors are std::vector<double> laid out [head][seq][dim] with
// compile-time strides, so every subscript is affine.  The h and i loops are
// parallel (each (h, i) writes its own output row; `scores` is a local array
// declared inside the i body).  Inside a row: the j loop computing scores is
// parallel, the row maximum is a scalar max reduction, the softmax
// denominator is a scalar + reduction.
//
// Checksum: sum of |out| in double.  A parallel run over h/i gives
// bit-identical outputs; reordering the in-row reductions and the checksum
// sum moves it by <= 1e-12 relative (1.9e-14 measured); compare with
// tolerance 1e-9.
#include "common.h"

#include <cmath>
#include <vector>

/* PARASLM_KERNELS_SMALL (the CMake option of that name) shrinks the inputs so that tests can run the suite
 * under sanitizers many times; the code and its loops stay the same. */
#ifdef PARASLM_KERNELS_SMALL
constexpr int HEADS = 2;
constexpr int S = 128; // sequence length
constexpr int D = 32;  // head dimension
#else
constexpr int HEADS = 16;
constexpr int S = 1024; // sequence length
constexpr int D = 64;   // head dimension
#endif

static std::vector<double> attention(const std::vector<double>& Q, const std::vector<double>& K,
                                     const std::vector<double>& V)
{
    std::vector<double> out(static_cast<size_t>(HEADS) * S * D);
    const double scale = 1.0 / std::sqrt(static_cast<double>(D));

    for (int h = 0; h < HEADS; h++) {
        for (int i = 0; i < S; i++) {
            double scores[S];
            for (int j = 0; j < S; j++) {
                double dot = 0.0;
                for (int k = 0; k < D; k++) {
                    dot += Q[(h * S + i) * D + k] * K[(h * S + j) * D + k];
                }
                scores[j] = dot * scale;
            }

            double m = scores[0];
            for (int j = 1; j < S; j++) {
                if (scores[j] > m) m = scores[j];
            }

            double denom = 0.0;
            for (int j = 0; j < S; j++) {
                scores[j] = std::exp(scores[j] - m);
                denom += scores[j];
            }

            for (int k = 0; k < D; k++) {
                out[(h * S + i) * D + k] = 0.0;
            }
            for (int j = 0; j < S; j++) {
                double p = scores[j] / denom;
                for (int k = 0; k < D; k++) {
                    out[(h * S + i) * D + k] += p * V[(h * S + j) * D + k];
                }
            }
        }
    }
    return out;
}

int main()
{
    const size_t size = static_cast<size_t>(HEADS) * S * D;
    std::vector<double> Q(size), K(size), V(size);
    uint64_t seed = 777;
    for (size_t e = 0; e < size; e++) {
        Q[e] = 2.0 * lcg_uniform(&seed) - 1.0;
        K[e] = 2.0 * lcg_uniform(&seed) - 1.0;
        V[e] = 2.0 * lcg_uniform(&seed) - 1.0;
    }

    double t0 = now_seconds();
    std::vector<double> out = attention(Q, K, V);
    double t1 = now_seconds();

    double checksum = 0.0;
    for (size_t e = 0; e < size; e++) {
        checksum += std::fabs(out[e]);
    }
    print_result_double(checksum, t1 - t0);
    return 0;
}
