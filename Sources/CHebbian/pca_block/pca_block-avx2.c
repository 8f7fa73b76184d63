/* The PCA driver's loop at d <= 16 on AVX2: the IMU regime, where one step is a few dozen
 * cycles and moving the state through memory costs as much again. W lives for the whole block
 * in a 32-byte aligned scratch padded with zeros to whole vectors (whole-vector moves forward
 * from one sample's store to the next sample's load; the masked moves of the general kernels
 * do not), or for GHA at d <= 8, k <= 4 as values of the loop (gha_in_registers); the running
 * mean and the centred sample in registers. Bit for bit the general loop
 * of pca_block.c on the AVX2 variant: the centring in plain multiplies and adds lane by lane,
 * |xc|^2 in hb_dot_f32__avx2's order, the steps in their small-d bodies' (rules-small-avx2.h),
 * the scalar arithmetic shared (pca_block.h).
 *
 * The loop is skewed by one sample: the centring, |xc|^2 and the sample's rates (everything
 * that does not depend on W) of sample r + 1 come before the step of sample r. A sample is
 * some 200 instructions, about the reorder window, so in program order the core saw little
 * of the next sample while one step's chain ran; ahead, they fill the chain's idle issue
 * slots. Same operations on the same values, so the same bits. */
#include "pca_block.h"
#include "../rules-small-avx2.h"

#if HB_BUILD_AVX2

/* Sample r of the block, centred, with what it gives the rates. */
typedef struct {
  __m256 x0, x1;
  hb_pca_sample_rates q;
} centred;

/* The next sample: t = samples_seen + 1, the running mean (m0, m1) moved to it, the input
 * power updated. */
HB_AVX2_INLINE centred next_sample(size_t D, hb_pca_state *s, const float *x, __m256 *m0,
                                   __m256 *m1) {
  centred c;
  hb_avx2_row_load(D, false, x, &c.x0, &c.x1);
  const int64_t t = ++s->samples_seen;
  const float inv_t = 1.0f / (float)t;
  if (s->centering) {
    const __m256 b = _mm256_set1_ps(hb_pca_mean_weight(inv_t, s->rate_floor));
    *m0 = _mm256_add_ps(*m0, _mm256_mul_ps(b, _mm256_sub_ps(c.x0, *m0)));
    *m1 = _mm256_add_ps(*m1, _mm256_mul_ps(b, _mm256_sub_ps(c.x1, *m1)));
    c.x0 = _mm256_sub_ps(c.x0, *m0);
    c.x1 = _mm256_sub_ps(c.x1, *m1);
  }
  c.q = hb_pca_sample(s, t, inv_t, hb_avx2_dot_short(D, c.x0, c.x1, c.x0, c.x1));
  return c;
}

/* The rows' rates of a stepped sample (hb_pca_row_rate) for eight rows at once, lane by lane
 * the scalar's compares and one division for all rows. */
HB_AVX2_INLINE __m256 row_rates8(const hb_pca_sample_rates *q, __m256 power) {
  const __m256 floor = _mm256_set1_ps(q->floor_power), clip = _mm256_set1_ps(q->clip);
  const __m256 si = _mm256_blendv_ps(power, floor, _mm256_cmp_ps(floor, power, _CMP_GE_OQ));
  const __m256 v = _mm256_blendv_ps(clip, _mm256_div_ps(_mm256_set1_ps(q->alpha), si),
                                    _mm256_cmp_ps(si, _mm256_setzero_ps(), _CMP_GT_OQ));
  return _mm256_blendv_ps(v, clip, _mm256_cmp_ps(clip, v, _CMP_LT_OQ));
}

/* power_i += beta (y_i^2 - power_i) for eight rows, unfused as in hb_pca_outputs. */
HB_AVX2_INLINE __m256 row_powers8(float beta, __m256 power, __m256 y) {
  const __m256 e = _mm256_sub_ps(_mm256_mul_ps(y, y), power);
  return _mm256_add_ps(power, _mm256_mul_ps(_mm256_set1_ps(beta), e));
}

/* The step of sample c on W's scratch: y to y[] and, rows 0-7 and 8-15, to yv. GHA hands
 * rows 0-7 back in a register (rows 8-15 and the other rules' y are read back from y). */
HB_AVX2_INLINE void step_small(size_t D, const hb_pca_state *s, bool alias, const float *eta,
                               const centred *c, float *wl, size_t ldl, float *y, __m256 *yv) {
  switch (s->rule) {
  case HB_PCA_OJA:
    y[0] = hb_avx2_oja_small(D, true, eta[0], c->x0, c->x1, wl);
    yv[0] = _mm256_setr_ps(y[0], 0, 0, 0, 0, 0, 0, 0);
    break;
  case HB_PCA_SUBSPACE:
    hb_avx2_subspace_small(D, true, alias, s->k, eta, c->x0, c->x1, wl, ldl, y);
    yv[0] = _mm256_load_ps(y);
    yv[1] = _mm256_load_ps(y + 8);
    break;
  default:
    hb_avx2_gha_small(D, true, alias, s->k, eta, c->x0, c->x1, wl, ldl, y, yv);
    if (s->k > 8) yv[1] = _mm256_load_ps(y + 8);
    break;
  }
}

/* GHA at d <= 8 and k <= GHA_REG_ROWS holds W's rows for the whole block as values of the
 * loop (hb_avx2_halves), not as memory the step addresses, and takes the rows' rates from
 * their register. Both chains of a sample run through them: W_i's update to the next
 * sample's y_i, and y_i through the row's power to its rate and, a sample on, to W_i's
 * update. Through W's scratch and the rates' array each had a store-to-load forwarding on
 * it. What the compiler cannot keep in registers it spills to fixed stack slots.
 * d = 6, k = 3, `imu-modes.sh`: the driver 14.9 -> 14.1 ns per sample; in the halves but
 * through the scratch it was 15.6. */
#define GHA_REG_ROWS 4

HB_AVX2_INLINE bool gha_in_registers(size_t D, const hb_pca_state *s) {
  return D <= 8 && s->rule == HB_PCA_GHA && s->k <= GHA_REG_ROWS;
}

/* The GHA step of sample c on rows w in registers, the rates in lanes 0-3 of e: as
 * hb_avx2_gha_small, row by row, y to y[] and to yv[0]. */
HB_AVX2_INLINE void gha_registers(size_t D, size_t k, __m256 e, const centred *c,
                                  hb_avx2_halves *w, float *y, __m256 *yv) {
  const __m128 e4 = _mm256_castps256_ps128(e);
  const hb_avx2_halves x = {_mm256_castps256_ps128(c->x0), _mm256_extractf128_ps(c->x0, 1)};
  hb_avx2_halves r = x;
#pragma GCC unroll 4
  for (size_t i = 0; i < GHA_REG_ROWS; i++) {
    if (i == k) break;
    y[i] = hb_avx2_halves_gha_step(D, e4[i], x, &r, &w[i]);
    yv[0] = hb_avx2_lane_set(yv[0], i, y[i]);
  }
}

/* The block at d = D; regs: gha_in_registers. */
HB_AVX2_INLINE void block_small(size_t D, bool regs, hb_pca_state *heap, size_t n,
                                const float *X, size_t ldx, float *Y) {
  /* The per-sample state (rates, powers, counters) lives for the block in a copy on the
   * stack beside W's scratch, so the compiler keeps the counters in registers and no store
   * of the chain goes to a heap page: `pca` on the IMU stream 40.5-41 ns per sample in
   * updates against 42.5-43.3 with the state in place. The rows' powers and rates are
   * vectors, rows 0-7 and 8-15: their bookkeeping was a third of a sample's instructions
   * as scalar loops over k. */
  if (n == 0) return; /* an empty block touches nothing, not even the state's buffers */
  hb_pca_state local = *heap;
  hb_pca_state *s = &local;
  const size_t k = s->k, ldl = D > 8 ? 16 : 8;
  float power[HB_SMALL_D_MAX] __attribute__((aligned(32))) = {0};
  float eta[HB_SMALL_D_MAX] __attribute__((aligned(32))) = {0};
  float y[HB_SMALL_D_MAX] __attribute__((aligned(32))) = {0};
  for (size_t i = 0; i < k; i++) {
    power[i] = heap->power[i];
    eta[i] = heap->eta[i];
  }
  __m256 p0 = _mm256_load_ps(power), p1 = _mm256_load_ps(power + 8);
  __m256 yv[2] = {_mm256_setzero_ps(), _mm256_setzero_ps()};
  const bool alias = hb_avx2_rows_alias(s->ldw);
  float wl[HB_SMALL_D_MAX * 16] __attribute__((aligned(32)));
  __m256 m0 = _mm256_setzero_ps(), m1 = m0, w0, w1;
  /* The rows in registers: every index a constant (the loops unrolled), or they would live
   * on the stack. */
  hb_avx2_halves wr[GHA_REG_ROWS] = {0};
#pragma GCC unroll 4
  for (size_t i = 0; regs && i < GHA_REG_ROWS; i++)
    if (i < k) wr[i] = hb_avx2_halves_load(D, false, s->W + i * s->ldw);
  for (size_t i = 0; !regs && i < k; i++) {
    hb_avx2_row_load(D, false, s->W + i * s->ldw, &w0, &w1);
    hb_avx2_row_store(D, true, wl + i * ldl, w0, w1);
  }
  if (s->centering) hb_avx2_row_load(D, false, s->mean, &m0, &m1);
  centred c, next = next_sample(D, s, X, &m0, &m1);
  for (size_t r = 0; r < n; r++) {
    c = next;
    if (r + 1 < n) next = next_sample(D, s, X + (r + 1) * ldx, &m0, &m1);
    if (!c.q.step) {
      for (size_t i = 0; i < k; i++) y[i] = 0.0f;
      yv[0] = yv[1] = _mm256_setzero_ps();
    } else {
      const __m256 e0 = row_rates8(&c.q, p0);
      _mm256_store_ps(eta, e0);
      if (k > 8) _mm256_store_ps(eta + 8, row_rates8(&c.q, p1));
      if (regs)
        gha_registers(D, k, e0, &c, wr, y, yv);
      else
        step_small(D, s, alias, eta, &c, wl, ldl, y, yv);
    }
    p0 = row_powers8(c.q.beta, p0, yv[0]);
    if (k > 8) p1 = row_powers8(c.q.beta, p1, yv[1]);
    if (Y != NULL)
      for (size_t i = 0; i < k; i++) Y[r * k + i] = y[i];
  }
  _mm256_store_ps(power, p0);
  _mm256_store_ps(power + 8, p1);
  heap->samples_seen = s->samples_seen;
  heap->input_power = s->input_power;
  for (size_t i = 0; i < k; i++) {
    heap->power[i] = power[i];
    heap->eta[i] = eta[i];
    heap->y[i] = y[i];
    if (regs) continue;
    hb_avx2_row_load(D, true, wl + i * ldl, &w0, &w1);
    hb_avx2_row_store(D, false, s->W + i * s->ldw, w0, w1);
  }
#pragma GCC unroll 4
  for (size_t i = 0; regs && i < GHA_REG_ROWS; i++)
    if (i < k) hb_avx2_halves_store(D, false, s->W + i * s->ldw, wr[i]);
  if (s->centering) {
    hb_avx2_row_store(D, false, s->mean, m0, m1);
    hb_avx2_row_store(D, false, s->xc, c.x0, c.x1);
  }
}

HB_AVX2 void hb_pca_hebbian_block_f32__avx2(hb_pca_state *s, size_t n, const float *X,
                                            size_t ldx, float *Y) {
#define BLOCK_AT(D)                                                                          \
  if (gha_in_registers(D, s))                                                                \
    block_small(D, true, s, n, X, ldx, Y);                                                   \
  else                                                                                       \
    block_small(D, false, s, n, X, ldx, Y)
  HB_SMALL_D_SWITCH(s->d, BLOCK_AT)
#undef BLOCK_AT
}

#endif
