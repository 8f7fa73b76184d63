/* The per-sample loop of online PCA (include/hebbian/hb_pca.h): centring, input power, rate,
 * the rule's step kernel of the active variant, output power, sample after sample. */
#include "pca_block.h"

/* The loop a k x d learner runs on variant isa: the AVX2 variant's own at small d and k (W in
 * registers), else the general loop over the variant's kernels from the list. The one place
 * the driver is chosen; hb_pca_block_driver reports it. */
static bool small_avx2(hb_isa isa, size_t k, size_t d) {
#if HB_BUILD_AVX2
  return isa == HB_ISA_AVX2 && d >= 1 && d <= HB_SMALL_D_MAX && k <= HB_SMALL_D_MAX;
#else
  (void)isa, (void)k, (void)d;
  return false;
#endif
}

const char *hb_pca_block_driver(hb_isa isa, size_t k, size_t d) {
  if (small_avx2(isa, k, d)) return "avx2-small";
  return hb_rule_kernels_for(isa) != NULL ? hb_isa_name(isa) : hb_isa_name(HB_ISA_SCALAR);
}

void hb_pca_hebbian_block_f32(hb_pca_state *s, size_t n, const float *X, size_t ldx, float *Y) {
  const size_t k = s->k, d = s->d;
#if HB_BUILD_AVX2
  if (small_avx2(hb_isa_current(), k, d)) {
    hb_pca_hebbian_block_f32__avx2(s, n, X, ldx, Y);
    return;
  }
#endif
  /* The dispatched entry points, not the variant's tables: a program that learns PCA then
   * links the three step bodies and the dot product, not every kernel of the list. */
  float *y = s->y;
  for (size_t r = 0; r < n; r++) {
    const float *x = X + r * ldx;
    const int64_t t = ++s->samples_seen;
    const float inv_t = 1.0f / (float)t;
    if (s->centering) {
      const float b = hb_pca_mean_weight(inv_t, s->rate_floor);
      for (size_t j = 0; j < d; j++) {
        s->mean[j] += b * (x[j] - s->mean[j]);
        s->xc[j] = x[j] - s->mean[j];
      }
      x = s->xc;
    }
    const hb_pca_sample_rates q = hb_pca_sample(s, t, inv_t, hb_dot_f32(d, x, 1, x, 1));
    if (!q.step) {
      for (size_t i = 0; i < k; i++) y[i] = 0.0f;
    } else {
      hb_pca_rates(&q, k, s->power, s->eta);
      switch (s->rule) {
      case HB_PCA_OJA: y[0] = hb_oja_step_f32(d, s->eta[0], x, s->W); break;
      case HB_PCA_SUBSPACE: hb_subspace_step_f32(k, d, s->eta, x, s->W, s->ldw, y); break;
      default: hb_gha_step_f32(k, d, s->eta, x, s->W, s->ldw, y); break;
      }
    }
    hb_pca_outputs(s, s->power, q.beta, y, Y, r);
  }
}
