/* Nests whose inner loops have run-time lengths that are short in practice (a codec's 16x16 matrices, a few
   subframes): their body work is unknown at compile time, so the cost guard must count the inner iterations too. */

/* c' * W * c for a symmetric D x D matrix, from the upper triangle: rows of D - i - 1 elements. */
float quad_form(const float *restrict W, const float *restrict c, int D) {
    float nrg = 0.0f;
    // expect: parallel reduction(+:nrg)
    for (int i = 0; i < D; i++) {
        float tmp = 0.0f;
        // expect: parallel reduction(+:tmp)
        for (int j = i + 1; j < D; j++)
            tmp += W[i * D + j] * c[j];
        nrg += c[i] * (2.0f * tmp + W[i * D + i] * c[i]);
    }
    return nrg;
}

/* One sum per codebook entry over a few subframes; the entry is cleared before its inner loop. */
void codebook_sums(float *restrict cc, const float *restrict C, int ncb, int nsub, int stride) {
    // expect: parallel
    for (int j = 0; j < ncb; j++) {
        cc[j] = 0.0f;
        // expect: sequential
        for (int i = 0; i < nsub; i++)
            cc[j] += C[i * stride + j];
    }
}

/* Bands of a spectrum whose lengths come from a table: the work of an iteration has no closed form before the loop. */
void band_counts(const float *restrict x, const short *restrict edges, int nbands, int *restrict counts) {
    // expect: parallel
    for (int b = 0; b < nbands; b++) {
        int n = edges[b + 1] - edges[b];
        int c = 0;
        // expect: parallel reduction(+:c)
        for (int j = 0; j < n; j++)
            c += x[edges[b] + j] > 0.5f;
        counts[b] = c;
    }
}

/* Thirteen bands of a stereo pair, their lengths read from a table: a constant trip count of unknown work. */
float stereo_sums(const float *restrict x, const short *restrict edges, int n0) {
    float sum = 0.0f;
    // expect: parallel reduction(+:sum)
    for (int i = 0; i < 13; i++) {
        // expect: parallel reduction(+:sum)
        for (int j = edges[i]; j < edges[i + 1]; j++)
            sum += x[j] * x[n0 + j];
    }
    return sum;
}

/* Sixteen channels of a run-time length: a constant trip count whose nest has a closed form. */
void scale_channels(float *restrict y, const float *restrict g, int n) {
    // expect: parallel
    for (int c = 0; c < 16; c++) {
        // expect: parallel
        for (int i = 0; i < n; i++)
            y[c * n + i] *= g[c];
    }
}
