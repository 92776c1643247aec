// Single-head scaled dot-product attention, softmax variants and layer norm.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

// Q, K, V are n x d row-major; returns n x d.
std::vector<float> attention(const std::vector<float>& Q, const std::vector<float>& K,
                             const std::vector<float>& V, int n, int d)
{
    std::vector<float> scores(static_cast<std::size_t>(n) * n);
    std::vector<float> out(static_cast<std::size_t>(n) * d, 0.0f);
    const float scale = 1.0f / std::sqrt(static_cast<float>(d));

    // expect: parallel
    for (int i = 0; i < n; i++) {
        // expect: parallel
        for (int j = 0; j < n; j++) {
            float s = 0.0f;
            // expect: parallel reduction(+:s)
            for (int k = 0; k < d; k++)
                s += Q[i * d + k] * K[j * d + k];
            scores[i * n + j] = s * scale;
        }
    }

    // expect: parallel
    for (int i = 0; i < n; i++) {
        float m = -std::numeric_limits<float>::infinity();
        // expect: parallel reduction(max:m)
        for (int j = 0; j < n; j++)
            m = std::max(m, scores[i * n + j]);
        float sum = 0.0f;
        // expect: parallel reduction(+:sum)
        for (int j = 0; j < n; j++) {
            float e = std::exp(scores[i * n + j] - m);
            scores[i * n + j] = e;
            sum += e;
        }
        // expect: parallel
        for (int j = 0; j < n; j++)
            scores[i * n + j] /= sum;
    }

    // expect: parallel
    for (int i = 0; i < n; i++) {
        // expect: sequential
        for (int j = 0; j < n; j++) {
            const float p = scores[i * n + j];
            // expect: parallel
            for (int k = 0; k < d; k++)
                out[i * d + k] += p * V[j * d + k];
        }
    }
    return out;
}

// Causal variant: row i only attends to keys 0..i; weighted sum with k outside j.
void causal_weighted_sum(float* out, const float* P, const float* V, int n, int d)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++) {
        // expect: runtime-check
        for (int k = 0; k < d; k++) {
            float acc = 0.0f;
            // expect: parallel reduction(+:acc)
            for (int j = 0; j <= i; j++)
                acc += P[i * n + j] * V[j * d + k];
            out[i * d + k] = acc;
        }
    }
}

// One-pass (online) softmax normaliser: the running max feeds the rescaling.
float online_softmax_denominator(const std::vector<float>& s)
{
    float m = -std::numeric_limits<float>::infinity();
    float l = 0.0f;
    // expect: sequential
    for (std::size_t j = 0; j < s.size(); j++) {
        const float mn = std::max(m, s[j]);
        l = l * std::exp(m - mn) + std::exp(s[j] - mn);
        m = mn;
    }
    return l;
}

void softmax_pointers(float* out, const float* in, int n)
{
    float m = in[0];
    // expect: parallel reduction(max:m)
    for (int i = 1; i < n; i++)
        m = std::max(m, in[i]);
    float sum = 0.0f;
    // expect: runtime-check reduction(+:sum)
    for (int i = 0; i < n; i++) {
        out[i] = std::exp(in[i] - m);
        sum += out[i];
    }
    // expect: parallel
    for (int i = 0; i < n; i++)
        out[i] /= sum;
}

void layer_norm(std::vector<float>& x, const std::vector<float>& gamma, const std::vector<float>& beta)
{
    const std::size_t n = x.size();
    float mean = 0.0f;
    // expect: parallel reduction(+:mean)
    for (std::size_t i = 0; i < n; i++)
        mean += x[i];
    mean /= static_cast<float>(n);
    float var = 0.0f;
    // expect: parallel reduction(+:var)
    for (std::size_t i = 0; i < n; i++) {
        const float c = x[i] - mean;
        var += c * c;
    }
    var /= static_cast<float>(n);
    const float inv = 1.0f / std::sqrt(var + 1e-5f);
    // expect: runtime-check
    for (std::size_t i = 0; i < n; i++)
        x[i] = (x[i] - mean) * inv * gamma[i] + beta[i];
}

void add_bias_rows(float* scores, const float* bias, int n)
{
    // expect: runtime-check
    for (int i = 0; i < n; i++) {
        // expect: runtime-check
        for (int j = 0; j < n; j++)
            scores[i * n + j] += bias[j];
    }
}

int greedy_token(const std::vector<float>& logits)
{
    float best = -std::numeric_limits<float>::infinity();
    int token = -1;
    // expect: sequential
    for (std::size_t i = 0; i < logits.size(); i++) {
        if (logits[i] > best) {
            best = logits[i];
            token = static_cast<int>(i);
        }
    }
    return token;
}

std::vector<int> top_k(const std::vector<float>& scores, int k)
{
    std::vector<int> idx(k, -1);
    std::vector<float> best(k, -std::numeric_limits<float>::infinity());
    const int n = static_cast<int>(scores.size());
    // expect: sequential
    for (int i = 0; i < n; i++) {
        if (k == 0 || scores[i] <= best[k - 1])
            continue;
        int p = k - 1;
        while (p > 0 && best[p - 1] < scores[i]) {
            best[p] = best[p - 1];
            idx[p] = idx[p - 1];
            p--;
        }
        best[p] = scores[i];
        idx[p] = i;
    }
    return idx;
}
