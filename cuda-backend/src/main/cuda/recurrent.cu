// recurrent4j's CUDA kernels: the Elman RNN, LSTM and GRU, forward and backward, in FP32.
//
// The Java side (org.recurrent4j.cuda.GpuRecurrent) owns the loop; these kernels are its steps:
//   gemm          the input projection of all steps, the recurrent product of one step, the weight gradients
//   add_bias      the bias onto the projection of all steps
//   col_sum       the bias gradients
//   *_fwd/_bwd    the fused gate arithmetic of one step of the whole batch, one thread per (row, unit)
// The math is the CPU kernels' (core/src/main/java/org/recurrent4j/kernels), which equal PyTorch's. Every matrix is
// row-major. A step's mask is null or B floats, 0 where the step is padding: a padded row keeps its state, outputs 0,
// and passes its state gradient through unchanged.
//
// Only plain CUDA C is used (shared memory and __syncthreads, no warp intrinsics, no cuBLAS), so that the same source
// also compiles as C++ against the emulation header in src/test/cuda, where CI checks it without a GPU.

#define GEMM_TILE 32
#define GEMM_K 32
#define GEMM_THREADS 16

// C[M,N] = op(A)[M,K] op(B)[K,N] + beta*C. op(A) is A [M,K] (row stride lda), or with ta the transpose of A [K,M];
// likewise B. A 32x32 tile of C per block of 16x16 threads, each thread 2x2 outputs.
extern "C" __global__ void gemm(int M, int N, int K, const float* A, int lda, int ta, const float* B, int ldb, int tb,
                                float* C, int ldc, float beta) {
    __shared__ float As[GEMM_K][GEMM_TILE + 1];
    __shared__ float Bs[GEMM_K][GEMM_TILE + 1];
    int tx = threadIdx.x;
    int ty = threadIdx.y;
    int tid = ty * GEMM_THREADS + tx;
    int row0 = blockIdx.y * GEMM_TILE;
    int col0 = blockIdx.x * GEMM_TILE;
    float acc[2][2] = {{0.0f, 0.0f}, {0.0f, 0.0f}};
    for (int k0 = 0; k0 < K; k0 += GEMM_K) {
        // 32x32 elements of each tile, 4 per thread; the mapping keeps neighbouring threads on neighbouring addresses
        for (int q = 0; q < 4; q++) {
            int e = tid + q * GEMM_THREADS * GEMM_THREADS;
            int fast = e % GEMM_TILE;
            int slow = e / GEMM_TILE;
            int m = ta ? fast : slow;   // A^T is read along m, A along k
            int k = ta ? slow : fast;
            int gm = row0 + m;
            int gk = k0 + k;
            float a = 0.0f;
            if (gm < M && gk < K) {
                a = ta ? A[(long) gk * lda + gm] : A[(long) gm * lda + gk];
            }
            As[k][m] = a;
            int n = tb ? slow : fast;   // B is read along n, B^T along k
            int kb = tb ? fast : slow;
            int gn = col0 + n;
            int gkb = k0 + kb;
            float b = 0.0f;
            if (gn < N && gkb < K) {
                b = tb ? B[(long) gn * ldb + gkb] : B[(long) gkb * ldb + gn];
            }
            Bs[kb][n] = b;
        }
        __syncthreads();
        for (int k = 0; k < GEMM_K; k++) {
            float a0 = As[k][ty];
            float a1 = As[k][ty + GEMM_THREADS];
            float b0 = Bs[k][tx];
            float b1 = Bs[k][tx + GEMM_THREADS];
            acc[0][0] += a0 * b0;
            acc[0][1] += a0 * b1;
            acc[1][0] += a1 * b0;
            acc[1][1] += a1 * b1;
        }
        __syncthreads();
    }
    for (int i = 0; i < 2; i++) {
        int gm = row0 + ty + i * GEMM_THREADS;
        if (gm >= M) {
            continue;
        }
        for (int j = 0; j < 2; j++) {
            int gn = col0 + tx + j * GEMM_THREADS;
            if (gn < N) {
                float* c = C + (long) gm * ldc + gn;
                *c = beta == 0.0f ? acc[i][j] : acc[i][j] + beta * *c;
            }
        }
    }
}

// Z[r, j] += bias[j] for a rows x cols block
extern "C" __global__ void add_bias(int rows, int cols, float* Z, const float* bias) {
    long e = (long) blockIdx.x * blockDim.x + threadIdx.x;
    if (e < (long) rows * cols) {
        Z[e] += bias[e % cols];
    }
}

// out[j] = sum over rows of Z[r*ldz + j], j < cols: one thread per column, rows read in order (coalesced across threads)
extern "C" __global__ void col_sum(int rows, int cols, const float* Z, int ldz, float* out) {
    int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j < cols) {
        float s = 0.0f;
        for (int r = 0; r < rows; r++) {
            s += Z[(long) r * ldz + j];
        }
        out[j] = s;
    }
}

__device__ __forceinline__ float sigmoid_f(float x) {
    return 1.0f / (1.0f + expf(-x));
}

__device__ __forceinline__ bool live(const float* mask, int b) {
    return mask == 0 || mask[b] != 0.0f;
}

// ---- Elman RNN: h = f(z), f = tanh (0), relu (1) or identity (2). z [B,H] is overwritten with h.

extern "C" __global__ void rnn_fwd(int B, int H, int act, float* z, const float* hPrev, float* hOut, float* y,
                                   const float* mask) {
    int e = blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= B * H) {
        return;
    }
    if (!live(mask, e / H)) {
        hOut[e] = hPrev[e];
        y[e] = 0.0f;
        return;
    }
    float v = z[e];
    float h = act == 0 ? tanhf(v) : act == 1 ? fmaxf(v, 0.0f) : v;
    z[e] = h;
    hOut[e] = h;
    y[e] = h;
}

// dz = (dy + dh) f'(.); dh becomes the part of dL/dh_{t-1} not through the recurrent weights (0 on live rows)
extern "C" __global__ void rnn_bwd(int B, int H, int act, const float* z, const float* dy, float* dh, float* dz,
                                   const float* mask) {
    int e = blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= B * H) {
        return;
    }
    if (!live(mask, e / H)) {
        dz[e] = 0.0f;
        return;
    }
    float g = dy[e] + dh[e];
    float a = z[e];
    dz[e] = act == 0 ? g * (1.0f - a * a) : act == 1 ? (a > 0.0f ? g : 0.0f) : g;
    dh[e] = 0.0f;
}

// ---- LSTM, gate blocks i|f|g|o in z [B,4H], overwritten with the activated gates.

extern "C" __global__ void lstm_fwd(int B, int H, float* z, const float* hPrev, const float* cPrev, float* hOut,
                                    float* cOut, float* y, const float* mask) {
    int e = blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= B * H) {
        return;
    }
    int b = e / H;
    int j = e % H;
    if (!live(mask, b)) {
        hOut[e] = hPrev[e];
        cOut[e] = cPrev[e];
        y[e] = 0.0f;
        return;
    }
    float* zr = z + (long) b * 4 * H;
    float i = sigmoid_f(zr[j]);
    float f = sigmoid_f(zr[H + j]);
    float g = tanhf(zr[2 * H + j]);
    float o = sigmoid_f(zr[3 * H + j]);
    float c = f * cPrev[e] + i * g;
    float h = o * tanhf(c);
    zr[j] = i;
    zr[H + j] = f;
    zr[2 * H + j] = g;
    zr[3 * H + j] = o;
    cOut[e] = c;
    hOut[e] = h;
    y[e] = h;
}

// On entry dh and dc hold the gradients reaching h_t and c_t from later steps; on exit dc that of c_{t-1} and dh
// the part of dL/dh_{t-1} not through the recurrent weights.
extern "C" __global__ void lstm_bwd(int B, int H, const float* z, const float* cPrev, const float* c, const float* dy,
                                    float* dh, float* dc, float* dz, const float* mask) {
    int e = blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= B * H) {
        return;
    }
    int b = e / H;
    int j = e % H;
    float* dzr = dz + (long) b * 4 * H;
    if (!live(mask, b)) {
        dzr[j] = 0.0f;
        dzr[H + j] = 0.0f;
        dzr[2 * H + j] = 0.0f;
        dzr[3 * H + j] = 0.0f;
        return;
    }
    const float* zr = z + (long) b * 4 * H;
    float i = zr[j];
    float f = zr[H + j];
    float g = zr[2 * H + j];
    float o = zr[3 * H + j];
    float tc = tanhf(c[e]);
    float dht = dy[e] + dh[e];
    float dct = dc[e] + dht * o * (1.0f - tc * tc);
    dzr[j] = dct * g * i * (1.0f - i);
    dzr[H + j] = dct * cPrev[e] * f * (1.0f - f);
    dzr[2 * H + j] = dct * i * (1.0f - g * g);
    dzr[3 * H + j] = dht * tc * o * (1.0f - o);
    dc[e] = dct * f;
    dh[e] = 0.0f;
}

// ---- GRU, blocks r|z|n. zx [B,3H]: x W + b, overwritten with the activated r|z|n.
// Reset-after: zh [B,3H] = h_{t-1} R; its n block becomes h_{t-1} R_n + rb (rb may be null).

extern "C" __global__ void gru_fwd(int B, int H, float* zx, float* zh, const float* rb, const float* hPrev,
                                   float* hOut, float* y, const float* mask) {
    int e = blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= B * H) {
        return;
    }
    int b = e / H;
    int j = e % H;
    if (!live(mask, b)) {
        hOut[e] = hPrev[e];
        y[e] = 0.0f;
        return;
    }
    float* xr = zx + (long) b * 3 * H;
    float* hr = zh + (long) b * 3 * H;
    float r = sigmoid_f(xr[j] + hr[j]);
    float u = sigmoid_f(xr[H + j] + hr[H + j]);
    float hn = hr[2 * H + j] + (rb == 0 ? 0.0f : rb[j]);
    hr[2 * H + j] = hn;
    float n = tanhf(xr[2 * H + j] + r * hn);
    float h = (1.0f - u) * n + u * hPrev[e];
    xr[j] = r;
    xr[H + j] = u;
    xr[2 * H + j] = n;
    hOut[e] = h;
    y[e] = h;
}

// Gradients of the x-side (dzx) and h-side (dzh) pre-activations; dh as in lstm_bwd.
extern "C" __global__ void gru_bwd(int B, int H, const float* zx, const float* zh, const float* hPrev, const float* dy,
                                   float* dh, float* dzx, float* dzh, const float* mask) {
    int e = blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= B * H) {
        return;
    }
    int b = e / H;
    int j = e % H;
    long o = (long) b * 3 * H;
    if (!live(mask, b)) {
        for (int k = 0; k < 3; k++) {
            dzx[o + k * H + j] = 0.0f;
            dzh[o + k * H + j] = 0.0f;
        }
        return;
    }
    float r = zx[o + j];
    float u = zx[o + H + j];
    float n = zx[o + 2 * H + j];
    float hn = zh[o + 2 * H + j];
    float g = dy[e] + dh[e];
    float dn = g * (1.0f - u) * (1.0f - n * n);
    float dr = dn * hn * r * (1.0f - r);
    float du = g * (hPrev[e] - n) * u * (1.0f - u);
    dzx[o + j] = dr;
    dzx[o + H + j] = du;
    dzx[o + 2 * H + j] = dn;
    dzh[o + j] = dr;
    dzh[o + H + j] = du;
    dzh[o + 2 * H + j] = dn * r;
    dh[e] = g * u;
}

// ---- GRU reset-before: n = tanh(x W_n + b_n + (r*h_{t-1}) R_n + rb). zh [B,2H] = h_{t-1} R_rz; a step runs
// gru_rb_reset, then the GEMM zn = rh R_n, then gru_rb_fwd.

extern "C" __global__ void gru_rb_reset(int B, int H, const float* zx, const float* zh, const float* hPrev, float* rh,
                                        const float* mask) {
    int e = blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= B * H) {
        return;
    }
    int b = e / H;
    int j = e % H;
    float r = sigmoid_f(zx[(long) b * 3 * H + j] + zh[(long) b * 2 * H + j]);
    rh[e] = live(mask, b) ? r * hPrev[e] : 0.0f;
}

// zn [B,H] = (r*h) R_n, becomes (r*h) R_n + rb
extern "C" __global__ void gru_rb_fwd(int B, int H, float* zx, const float* zh, float* zn, const float* rb,
                                      const float* hPrev, float* hOut, float* y, const float* mask) {
    int e = blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= B * H) {
        return;
    }
    int b = e / H;
    int j = e % H;
    if (!live(mask, b)) {
        hOut[e] = hPrev[e];
        y[e] = 0.0f;
        return;
    }
    float* xr = zx + (long) b * 3 * H;
    const float* hr = zh + (long) b * 2 * H;
    float r = sigmoid_f(xr[j] + hr[j]);
    float u = sigmoid_f(xr[H + j] + hr[H + j]);
    float hn = zn[e] + (rb == 0 ? 0.0f : rb[j]);
    zn[e] = hn;
    float n = tanhf(xr[2 * H + j] + hn);
    float h = (1.0f - u) * n + u * hPrev[e];
    xr[j] = r;
    xr[H + j] = u;
    xr[2 * H + j] = n;
    hOut[e] = h;
    y[e] = h;
}

// First half of a reset-before step's gradient: update gate and candidate; dh left holding g = dL/dh_t.
extern "C" __global__ void gru_rb_bwd_candidate(int B, int H, const float* zx, const float* hPrev, const float* dy,
                                                float* dh, float* dzx, float* dzn, const float* mask) {
    int e = blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= B * H) {
        return;
    }
    int b = e / H;
    int j = e % H;
    if (!live(mask, b)) {
        dzn[e] = 0.0f;
        return;
    }
    long o = (long) b * 3 * H;
    float u = zx[o + H + j];
    float n = zx[o + 2 * H + j];
    float g = dy[e] + dh[e];
    float dn = g * (1.0f - u) * (1.0f - n * n);
    dzx[o + H + j] = g * (hPrev[e] - n) * u * (1.0f - u);
    dzx[o + 2 * H + j] = dn;
    dzn[e] = dn;
    dh[e] = g;
}

// Second half, with drh = dL/d(r*h_{t-1}) = dzn R_n^T: the reset gate and the direct path to h_{t-1}.
extern "C" __global__ void gru_rb_bwd_reset(int B, int H, const float* zx, const float* hPrev, const float* drh,
                                            float* dh, float* dzx, float* dzh, const float* mask) {
    int e = blockIdx.x * blockDim.x + threadIdx.x;
    if (e >= B * H) {
        return;
    }
    int b = e / H;
    int j = e % H;
    long o = (long) b * 3 * H;
    long ho = (long) b * 2 * H;
    if (!live(mask, b)) {
        dzx[o + j] = 0.0f;
        dzx[o + H + j] = 0.0f;
        dzx[o + 2 * H + j] = 0.0f;
        dzh[ho + j] = 0.0f;
        dzh[ho + H + j] = 0.0f;
        return;
    }
    float r = zx[o + j];
    float u = zx[o + H + j];
    float dr = drh[e] * hPrev[e] * r * (1.0f - r);
    dzx[o + j] = dr;
    dzh[ho + j] = dr;
    dzh[ho + H + j] = dzx[o + H + j];
    dh[e] = dh[e] * u + drh[e] * r;
}
