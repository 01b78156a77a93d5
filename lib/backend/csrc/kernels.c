/*
 * SIMD kernels for fer-au's wasm training path, compiled with Debian's clang/lld into a small WebAssembly module
 * that imports tfjs-backend-wasm's own memory, so it reads and writes tensors in place (build.sh; loader:
 * ../kernels/native.ts). Every pointer is a byte offset into that memory. The functions use no stack, no globals
 * and no data segments (the loader refuses a module with data segments, which would overwrite the heap).
 *
 * Layout: channels last; a tensor is `n` rows of `c` floats. Sums accumulate in double (as the cpu backend does),
 * in 4-float blocks promoted to two f64x2 lanes.
 *
 * Threads (../kernels/native_pool.ts): a kernel that takes a range ([k0, k1) of channels, [b0, b1) of batches,
 * [a0, a1) of rows) computes only that part of its output, and every output element is computed exactly as in the
 * whole call (ranges start at multiples of 4 channels), so splitting a call between threads gives the same bits.
 * Element-wise and row-wise kernels are split by the caller offsetting their pointers. Reductions over rows
 * (row_sums, sq_dev_sums, bn_grad_sums) are cut into row chunks that the shape alone fixes, each summing into its
 * own accumulator, and the caller adds the chunks in order: the same bits on any number of threads.
 */
#include <wasm_simd128.h>

#define EXPORT __attribute__((visibility("default")))

static inline void acc_add(double *acc, v128_t v) {
  v128_t lo = wasm_f64x2_promote_low_f32x4(v);
  v128_t hi = wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 0, 1));
  wasm_v128_store(acc, wasm_f64x2_add(wasm_v128_load(acc), lo));
  wasm_v128_store(acc + 2, wasm_f64x2_add(wasm_v128_load(acc + 2), hi));
}

static inline v128_t act_mask(v128_t z, int act) {
  /* act'(y) from z = act(y): relu passes z > 0, relu6 passes 0 < z < 6, linear everything */
  if (act == 0) return wasm_i32x4_splat(-1);
  v128_t m = wasm_f32x4_gt(z, wasm_f32x4_splat(0.f));
  if (act == 2) m = wasm_v128_and(m, wasm_f32x4_lt(z, wasm_f32x4_splat(6.f)));
  return m;
}

static inline float act_mask1(float z, int act) {
  if (act == 0) return 1.f;
  if (!(z > 0.f)) return 0.f;
  if (act == 2 && !(z < 6.f)) return 0.f;
  return 1.f;
}

/* Zeroes doubles [k0, k1). */
static void zero_range(double *p, int k0, int k1) {
  for (int k = k0; k < k1; k++) p[k] = 0.0;
}

/*
 * Row sums of an [n, c] block in double: acc[0..c) = sum over its rows of x. The callers cut a reduction into row
 * chunks fixed by the shape (../kernels/row_partials.ts), one acc per chunk, and add the chunks' sums in chunk order.
 */
EXPORT void row_sums(const float *x, int n, int c, double *acc) {
  zero_range(acc, 0, c);
  for (int r = 0; r < n; r++) {
    const float *row = x + (long)r * c;
    int k = 0;
    for (; k + 4 <= c; k += 4) acc_add(acc + k, wasm_v128_load(row + k));
    for (; k < c; k++) acc[k] += row[k];
  }
}

/* acc[0..c) = sum over the rows of (x - mean)^2 (the second pass of a two-pass variance, as tf.moments), as row_sums. */
EXPORT void sq_dev_sums(const float *x, int n, int c, const float *mean, double *acc) {
  zero_range(acc, 0, c);
  for (int r = 0; r < n; r++) {
    const float *row = x + (long)r * c;
    int k = 0;
    for (; k + 4 <= c; k += 4) {
      v128_t d = wasm_f32x4_sub(wasm_v128_load(row + k), wasm_v128_load(mean + k));
      acc_add(acc + k, wasm_f32x4_mul(d, d));
    }
    for (; k < c; k++) {
      float d = row[k] - mean[k];
      acc[k] += d * d;
    }
  }
}

/* z = act(x * scale + shift) per channel. */
EXPORT void bn_apply(const float *x, float *z, int n, int c, const float *scale, const float *shift, int act) {
  int c4 = c & ~3;
  v128_t zero = wasm_f32x4_splat(0.f), six = wasm_f32x4_splat(6.f);
  for (int r = 0; r < n; r++) {
    const float *row = x + (long)r * c;
    float *out = z + (long)r * c;
    int k = 0;
    for (; k < c4; k += 4) {
      v128_t y = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(row + k), wasm_v128_load(scale + k)), wasm_v128_load(shift + k));
      if (act != 0) y = wasm_f32x4_pmax(y, zero);
      if (act == 2) y = wasm_f32x4_pmin(y, six);
      wasm_v128_store(out + k, y);
    }
    for (; k < c; k++) {
      float y = row[k] * scale[k] + shift[k];
      if (act != 0 && y < 0.f) y = 0.f;
      if (act == 2 && y > 6.f) y = 6.f;
      out[k] = y;
    }
  }
}

/* acc[0..c) = sum g, acc[cp..cp+c) = sum g * (x - mean), g = dz * act'(z), channels [k0, k1). acc: 2*cp doubles. */
EXPORT void bn_grad_sums(const float *x, const float *z, const float *dz, const float *mean, int n, int c, int k0, int k1, int act,
                         double *acc) {
  int cp = (c + 3) & ~3;
  double *acc2 = acc + cp;
  zero_range(acc, k0, k1);
  zero_range(acc2, k0, k1);
  for (int r = 0; r < n; r++) {
    long o = (long)r * c;
    int k = k0;
    for (; k + 4 <= k1; k += 4) {
      v128_t g = wasm_v128_and(wasm_v128_load(dz + o + k), act_mask(wasm_v128_load(z + o + k), act));
      acc_add(acc + k, g);
      acc_add(acc2 + k, wasm_f32x4_mul(g, wasm_f32x4_sub(wasm_v128_load(x + o + k), wasm_v128_load(mean + k))));
    }
    for (; k < k1; k++) {
      float g = dz[o + k] * act_mask1(z[o + k], act);
      acc[k] += g;
      acc2[k] += g * (x[o + k] - mean[k]);
    }
  }
}

/* dx = a * (g - b - (x - mean) * e) with per-channel a = gamma*rstd, b = dbeta/n, e = rstd*dgamma/n. */
EXPORT void bn_grad_dx(const float *x, const float *z, const float *dz, const float *mean, const float *a, const float *b,
                       const float *e, int n, int c, int act, float *dx) {
  int c4 = c & ~3;
  for (int r = 0; r < n; r++) {
    long o = (long)r * c;
    int k = 0;
    for (; k < c4; k += 4) {
      v128_t g = wasm_v128_and(wasm_v128_load(dz + o + k), act_mask(wasm_v128_load(z + o + k), act));
      v128_t xc = wasm_f32x4_sub(wasm_v128_load(x + o + k), wasm_v128_load(mean + k));
      v128_t t = wasm_f32x4_sub(wasm_f32x4_sub(g, wasm_v128_load(b + k)), wasm_f32x4_mul(xc, wasm_v128_load(e + k)));
      wasm_v128_store(dx + o + k, wasm_f32x4_mul(wasm_v128_load(a + k), t));
    }
    for (; k < c; k++) {
      float g = dz[o + k] * act_mask1(z[o + k], act);
      dx[o + k] = a[k] * (g - b[k] - (x[o + k] - mean[k]) * e[k]);
    }
  }
}

/*
 * Depthwise conv filter gradient, channel multiplier 1, channels [k0, k1):
 * out[i, j, k] = sum_{b,p,q} x[b, p*sh + i*dh - top, q*sw + j*dw - left, k] * dy[b, p, q, k]
 * Per output row (b, p) the products accumulate in float (row: kh*kw*c floats of scratch, at most wo terms each),
 * then into double: acc[(i*kw + j)*cp + k] (kh*kw*cp doubles) holds the sums over the nb batches given. The caller
 * cuts the batch into chunks, one acc each, and adds them in order (../kernels/row_partials.ts).
 */
EXPORT void dw_filter_grad(const float *x, const float *dy, int nb, int h, int w, int c, int k0, int k1, int ho, int wo, int kh,
                           int kw, int sh, int sw, int dh, int dw, int top, int left, float *row, double *acc) {
  int cp = (c + 3) & ~3, taps = kh * kw;
  for (int tp = 0; tp < taps; tp++) zero_range(acc + tp * cp, k0, k1);
  for (int b = 0; b < nb; b++) {
    for (int p = 0; p < ho; p++) {
      for (int tp = 0; tp < taps; tp++)
        for (int k = k0; k < k1; k++) row[tp * c + k] = 0.f;
      const float *dyr = dy + ((long)(b * ho + p) * wo) * c;
      for (int i = 0; i < kh; i++) {
        int xr = p * sh + i * dh - top;
        if (xr < 0 || xr >= h) continue;
        const float *xrow = x + ((long)(b * h + xr) * w) * c;
        for (int j = 0; j < kw; j++) {
          float *rt = row + (i * kw + j) * c;
          for (int q = 0; q < wo; q++) {
            int xc = q * sw + j * dw - left;
            if (xc < 0 || xc >= w) continue;
            const float *xp = xrow + (long)xc * c;
            const float *dp = dyr + (long)q * c;
            int k = k0;
            for (; k + 4 <= k1; k += 4)
              wasm_v128_store(rt + k, wasm_f32x4_add(wasm_v128_load(rt + k), wasm_f32x4_mul(wasm_v128_load(xp + k), wasm_v128_load(dp + k))));
            for (; k < k1; k++) rt[k] += xp[k] * dp[k];
          }
        }
      }
      for (int tp = 0; tp < taps; tp++) {
        float *rt = row + tp * c;
        double *at = acc + tp * cp;
        int k = k0;
        for (; k + 4 <= k1; k += 4) acc_add(at + k, wasm_v128_load(rt + k));
        for (; k < k1; k++) at[k] += rt[k];
      }
    }
  }
}

/*
 * Transposes of 4-byte elements (float32, int32). in is [P, A, B, C]; only input rows a in [alo, ahi) of every p:
 *   transpose_swap_outer_inner: out[p, c, b, a] = in[p, a, b, c]   (e.g. [M, C] -> [C, M]; NHWC -> CHWN)
 *   transpose_swap_outer_middle: out[p, b, a, :] = in[p, a, b, :]  (contiguous rows of C elements move)
 * tfjs-backend-wasm's own Transpose walks the output element by element (about 19 ns per element here).
 */
EXPORT void transpose_swap_outer_inner(const float *in, float *out, int P, int A, int B, int C, int alo, int ahi) {
  const int T = 16; /* tile edge: a 16x16 tile of each side stays in L1 */
  for (int p = 0; p < P; p++) {
    const float *ip = in + (long)p * A * B * C;
    float *op = out + (long)p * A * B * C;
    for (int b = 0; b < B; b++) {
      for (int a0 = alo; a0 < ahi; a0 += T) {
        int a1 = a0 + T < ahi ? a0 + T : ahi;
        for (int c0 = 0; c0 < C; c0 += T) {
          int c1 = c0 + T < C ? c0 + T : C;
          for (int a = a0; a < a1; a++) {
            const float *src = ip + ((long)a * B + b) * C;
            for (int c = c0; c < c1; c++) op[((long)c * B + b) * A + a] = src[c];
          }
        }
      }
    }
  }
}

EXPORT void transpose_swap_outer_middle(const float *in, float *out, int P, int A, int B, int C, int alo, int ahi) {
  int c4 = C & ~3;
  for (int p = 0; p < P; p++) {
    const float *ip = in + (long)p * A * B * C;
    float *op = out + (long)p * A * B * C;
    for (int a = alo; a < ahi; a++) {
      for (int b = 0; b < B; b++) {
        const float *src = ip + ((long)a * B + b) * C;
        float *dst = op + ((long)b * A + a) * C;
        int c = 0;
        for (; c < c4; c += 4) wasm_v128_store(dst + c, wasm_v128_load(src + c));
        for (; c < C; c++) dst[c] = src[c];
      }
    }
  }
}

/* ---- Kernels for stock tfjs ops and their gradients (../kernels/stock_grads.ts, reductions.ts) ---- */

/* out[r, k] = v[k] / div for n rows (tfjs's Mean gradient: dy / reduceSize, broadcast). */
EXPORT void fill_rows(const float *v, int n, int c, float div, float *out) {
  for (int k = 0; k < c; k++) out[k] = v[k] / div;
  int c4 = c & ~3;
  for (int r = 1; r < n; r++) {
    float *o = out + (long)r * c;
    int k = 0;
    for (; k < c4; k += 4) wasm_v128_store(o + k, wasm_v128_load(out + k));
    for (; k < c; k++) o[k] = out[k];
  }
}

/* Gradient of relu (tfjs: dy * step(x), step(x) = x > 0): out = x > 0 ? dy : 0, over n floats. */
EXPORT void relu_grad(const float *x, const float *dy, int n, float *out) {
  int n4 = n & ~3, i = 0;
  v128_t zero = wasm_f32x4_splat(0.f);
  for (; i < n4; i += 4) wasm_v128_store(out + i, wasm_v128_and(wasm_v128_load(dy + i), wasm_f32x4_gt(wasm_v128_load(x + i), zero)));
  for (; i < n; i++) out[i] = x[i] > 0.f ? dy[i] : 0.f;
}

/* Gradient of clipByValue (tfjs: where(x >= lo && x <= hi, dy, 0)), over n floats. */
EXPORT void clip_grad(const float *x, const float *dy, int n, float lo, float hi, float *out) {
  int n4 = n & ~3, i = 0;
  v128_t l = wasm_f32x4_splat(lo), h = wasm_f32x4_splat(hi);
  for (; i < n4; i += 4) {
    v128_t v = wasm_v128_load(x + i);
    v128_t m = wasm_v128_and(wasm_f32x4_ge(v, l), wasm_f32x4_le(v, h));
    wasm_v128_store(out + i, wasm_v128_and(wasm_v128_load(dy + i), m));
  }
  for (; i < n; i++) out[i] = (x[i] >= lo && x[i] <= hi) ? dy[i] : 0.f;
}

/* Gradient of square (tfjs: dy * (x * 2)), over n floats. */
EXPORT void square_grad(const float *x, const float *dy, int n, float *out) {
  int n4 = n & ~3, i = 0;
  v128_t two = wasm_f32x4_splat(2.f);
  for (; i < n4; i += 4) wasm_v128_store(out + i, wasm_f32x4_mul(wasm_v128_load(dy + i), wasm_f32x4_mul(wasm_v128_load(x + i), two)));
  for (; i < n; i++) out[i] = dy[i] * (x[i] * 2.f);
}

/*
 * Adam's update of one variable, op for op as tfjs-core's AdamOptimizer.applyGradients (float32, same order):
 *   m' = m*b1 + g*(1-b1); v' = v*b2 + (g*g)*(1-b2); x' = (m'/c1) / (sqrt(v'/c2) + eps) * (-lr) + x
 * with c1 = 1 - beta1^t, c2 = 1 - beta2^t, into new buffers xo, mo, vo. (wasm has no fused multiply-add, so clang
 * keeps every rounding step: the result equals tfjs's op-by-op update bit for bit.)
 */
EXPORT void adam_update(const float *x, const float *m, const float *v, const float *g, int n, float b1, float omb1, float b2,
                        float omb2, float c1, float c2, float eps, float neglr, float *xo, float *mo, float *vo) {
  for (int i = 0; i < n; i++) {
    float gi = g[i];
    float mi = m[i] * b1 + gi * omb1;
    float vi = v[i] * b2 + (gi * gi) * omb2;
    mo[i] = mi;
    vo[i] = vi;
    xo[i] = ((mi / c1) / (__builtin_sqrtf(vi / c2) + eps)) * neglr + x[i];
  }
}

/*
 * im2col, transposed: cols[t*C + k, m] for tap t = (i, j) and output position m = (b, p, q):
 *   x[b, p*sh + i*dh - top, q*sw + j*dw - left, k], or 0 outside the input. cols: [kh*kw*C, nb*ho*wo].
 * Batches [b0, b1) only (the columns m of those batches).
 */
EXPORT void im2col_t(const float *x, int nb, int b0, int b1, int h, int w, int c, int ho, int wo, int kh, int kw, int sh, int sw, int dh,
                     int dw, int top, int left, float *cols) {
  long mtot = (long)nb * ho * wo;
  for (int i = 0; i < kh; i++) {
    for (int j = 0; j < kw; j++) {
      for (int k = 0; k < c; k++) {
        float *dst = cols + ((long)(i * kw + j) * c + k) * mtot;
        long m = (long)b0 * ho * wo;
        for (int b = b0; b < b1; b++) {
          for (int p = 0; p < ho; p++) {
            int xr = p * sh + i * dh - top;
            const float *xrow = x + ((long)(b * h + xr) * w) * c + k;
            for (int q = 0; q < wo; q++, m++) {
              int xc = q * sw + j * dw - left;
              dst[m] = (xr >= 0 && xr < h && xc >= 0 && xc < w) ? xrow[(long)xc * c] : 0.f;
            }
          }
        }
      }
    }
  }
}

/*
 * col2im: dx[b, y, x, k] = sum over taps and output positions that read (b, y, x) of cols[m, t*C + k]
 * (cols: [nb*ho*wo, kh*kw*C], dy times the filter). Batches [b0, b1) only: threads split batches.
 */
EXPORT void col2im(const float *cols, int b0, int b1, int h, int w, int c, int ho, int wo, int kh, int kw, int sh, int sw, int dh, int dw,
                   int top, int left, float *dx) {
  int c4 = c & ~3, kc = kh * kw * c;
  for (long t = (long)b0 * h * w * c; t < (long)b1 * h * w * c; t += 4) {
    if (t + 4 <= (long)b1 * h * w * c) wasm_v128_store(dx + t, wasm_f32x4_splat(0.f));
    else for (long u = t; u < (long)b1 * h * w * c; u++) dx[u] = 0.f;
  }
  for (int b = b0; b < b1; b++) {
    for (int p = 0; p < ho; p++) {
      for (int q = 0; q < wo; q++) {
        const float *src = cols + ((long)(b * ho + p) * wo + q) * kc;
        for (int i = 0; i < kh; i++) {
          int yr = p * sh + i * dh - top;
          if (yr < 0 || yr >= h) continue;
          for (int j = 0; j < kw; j++) {
            int xc = q * sw + j * dw - left;
            if (xc < 0 || xc >= w) continue;
            float *o = dx + ((long)(b * h + yr) * w + xc) * c;
            const float *s = src + (i * kw + j) * c;
            int k = 0;
            for (; k < c4; k += 4) wasm_v128_store(o + k, wasm_f32x4_add(wasm_v128_load(o + k), wasm_v128_load(s + k)));
            for (; k < c; k++) o[k] += s[k];
          }
        }
      }
    }
  }
}

/*
 * The filter gradient of a 1x1 stride-1 convolution as one matmul whose reduction runs over rows:
 *   out[c, o] = sum_{r < m} a[r, c] * b[r, o]      a: [m, ca] (x), b: [m, cb] (dy), out: [ca, cb]; rows c of [c0, c1)
 * Every element is summed in float32 from +0, one product at a time, in row order r = 0, 1, ..., m - 1: the order
 * in which XNNPACK's GEMM sums it when tfjs's BatchMatMul multiplies the transposed a by b (the composition this
 * replaces), so the bits are the same, without the transpose or XNNPACK's packing of b (a new operand every step).
 * Rows go in blocks of MT_ROWS; between blocks the partial sums wait in out (float32 either way), so a block of b
 * stays in cache while every row tile of out reads it. Threads split the rows c of out (never the sum over r).
 */
#define MT_ROWS 64
#define MT_PANEL 64

static inline void mt_tile4x8(const float *a, const float *b, int ca, int cb, int r0, int r1, int c, int o, float *out) {
  float *q0 = out + (long)c * cb + o, *q1 = q0 + cb, *q2 = q1 + cb, *q3 = q2 + cb;
  v128_t s00 = wasm_v128_load(q0), s01 = wasm_v128_load(q0 + 4), s10 = wasm_v128_load(q1), s11 = wasm_v128_load(q1 + 4);
  v128_t s20 = wasm_v128_load(q2), s21 = wasm_v128_load(q2 + 4), s30 = wasm_v128_load(q3), s31 = wasm_v128_load(q3 + 4);
  const float *ap = a + (long)r0 * ca + c, *bp = b + (long)r0 * cb + o;
  for (int r = r0; r < r1; r++, ap += ca, bp += cb) {
    v128_t b0 = wasm_v128_load(bp), b1 = wasm_v128_load(bp + 4);
    v128_t a0 = wasm_v128_load32_splat(ap), a1 = wasm_v128_load32_splat(ap + 1);
    v128_t a2 = wasm_v128_load32_splat(ap + 2), a3 = wasm_v128_load32_splat(ap + 3);
    s00 = wasm_f32x4_add(s00, wasm_f32x4_mul(a0, b0));
    s01 = wasm_f32x4_add(s01, wasm_f32x4_mul(a0, b1));
    s10 = wasm_f32x4_add(s10, wasm_f32x4_mul(a1, b0));
    s11 = wasm_f32x4_add(s11, wasm_f32x4_mul(a1, b1));
    s20 = wasm_f32x4_add(s20, wasm_f32x4_mul(a2, b0));
    s21 = wasm_f32x4_add(s21, wasm_f32x4_mul(a2, b1));
    s30 = wasm_f32x4_add(s30, wasm_f32x4_mul(a3, b0));
    s31 = wasm_f32x4_add(s31, wasm_f32x4_mul(a3, b1));
  }
  wasm_v128_store(q0, s00); wasm_v128_store(q0 + 4, s01); wasm_v128_store(q1, s10); wasm_v128_store(q1 + 4, s11);
  wasm_v128_store(q2, s20); wasm_v128_store(q2 + 4, s21); wasm_v128_store(q3, s30); wasm_v128_store(q3 + 4, s31);
}

/* One row c of out, columns [o, o + 4) with o + 4 <= cb (or a scalar column when w == 1). */
static inline void mt_tile1x4(const float *a, const float *b, int ca, int cb, int r0, int r1, int c, int o, float *out) {
  float *q = out + (long)c * cb + o;
  v128_t s = wasm_v128_load(q);
  const float *ap = a + (long)r0 * ca + c, *bp = b + (long)r0 * cb + o;
  for (int r = r0; r < r1; r++, ap += ca, bp += cb) s = wasm_f32x4_add(s, wasm_f32x4_mul(wasm_v128_load32_splat(ap), wasm_v128_load(bp)));
  wasm_v128_store(q, s);
}

static inline void mt_tile1x1(const float *a, const float *b, int ca, int cb, int r0, int r1, int c, int o, float *out) {
  float s = out[(long)c * cb + o];
  const float *ap = a + (long)r0 * ca + c, *bp = b + (long)r0 * cb + o;
  for (int r = r0; r < r1; r++, ap += ca, bp += cb) s = s + *ap * *bp;
  out[(long)c * cb + o] = s;
}

EXPORT void matmul_tn(const float *a, const float *b, int m, int ca, int cb, int c0, int c1, float *out) {
  for (int c = c0; c < c1; c++)
    for (int o = 0; o < cb; o++) out[(long)c * cb + o] = 0.f;
  for (int r0 = 0; r0 < m; r0 += MT_ROWS) {
    int r1 = r0 + MT_ROWS < m ? r0 + MT_ROWS : m;
    for (int p0 = 0; p0 < cb; p0 += MT_PANEL) {
      int p1 = p0 + MT_PANEL < cb ? p0 + MT_PANEL : cb;
      int c = c0;
      for (; c + 4 <= c1; c += 4) {
        int o = p0;
        for (; o + 8 <= p1; o += 8) mt_tile4x8(a, b, ca, cb, r0, r1, c, o, out);
        for (; o < p1; o++)
          for (int i = 0; i < 4; i++) mt_tile1x1(a, b, ca, cb, r0, r1, c + i, o, out);
      }
      for (; c < c1; c++) {
        int o = p0;
        for (; o + 4 <= p1; o += 4) mt_tile1x4(a, b, ca, cb, r0, r1, c, o, out);
        for (; o < p1; o++) mt_tile1x1(a, b, ca, cb, r0, r1, c, o, out);
      }
    }
  }
}

/*
 * im2col, rows: cols[m, t*C + k] for output position m = (b, p, q) and tap t = (i, j):
 *   x[b, p*sh + i*dh - top, q*sw + j*dw - left, k], or 0 outside the input. cols: [nb*ho*wo, kh*kw*C].
 * Batches [b0, b1) only. The same values as im2col_t, laid out for matmul_tn (strided filter gradients).
 */
EXPORT void im2col_rows(const float *x, int b0, int b1, int h, int w, int c, int ho, int wo, int kh, int kw, int sh, int sw, int dh, int dw,
                        int top, int left, float *cols) {
  int kc = kh * kw * c;
  for (int b = b0; b < b1; b++) {
    for (int p = 0; p < ho; p++) {
      for (int q = 0; q < wo; q++) {
        float *dst = cols + ((long)(b * ho + p) * wo + q) * kc;
        for (int i = 0; i < kh; i++) {
          int xr = p * sh + i * dh - top;
          for (int j = 0; j < kw; j++, dst += c) {
            int xc = q * sw + j * dw - left;
            if (xr < 0 || xr >= h || xc < 0 || xc >= w) {
              for (int k = 0; k < c; k++) dst[k] = 0.f;
            } else {
              const float *src = x + ((long)(b * h + xr) * w + xc) * c;
              for (int k = 0; k < c; k++) dst[k] = src[k];
            }
          }
        }
      }
    }
  }
}
