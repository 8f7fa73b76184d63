#include "../steps.h"

#if HB_BUILD_AVX2
#include "../simd-avx2.h"

/* One dt of pair-based STDP on a k x d block; the same algebra as the scalar reference:
 *   dW_ij = s_i (a_post x_j + c_post) + s_j (a_pre y_i + c_pre), bounded; traces decay and jump. */
HB_AVX2 void hb_stdp_trace_step_f32__avx2(size_t k, size_t d, const hb_stdp_params *p,
                                          const float *pre_spikes, float *pre_trace,
                                          const float *post_spikes, float *post_trace, float *W,
                                          size_t ldw) {
  const __m256 vdecay = _mm256_set1_ps(p->decay_pre);
  __m256 vany = _mm256_setzero_ps();
  int any_pre = 0;
  size_t j = 0;
  for (; j + 8 <= d; j += 8) {
    _mm256_storeu_ps(pre_trace + j, _mm256_mul_ps(vdecay, _mm256_loadu_ps(pre_trace + j)));
    vany = _mm256_or_ps(vany, _mm256_loadu_ps(pre_spikes + j));
  }
  any_pre = _mm256_movemask_ps(_mm256_cmp_ps(vany, _mm256_setzero_ps(), _CMP_NEQ_UQ)) != 0;
  for (; j < d; j++) {
    pre_trace[j] *= p->decay_pre;
    any_pre |= pre_spikes[j] != 0.0f;
  }
  const float lo = p->w_min, hi = p->w_max;
  const __m256 vlo = _mm256_set1_ps(lo), vhi = _mm256_set1_ps(hi);
  const __m256 vap = _mm256_set1_ps(p->a_post), vcp = _mm256_set1_ps(p->c_post);
  const __m256 zero = _mm256_setzero_ps();
  for (size_t i = 0; i < k; i++) {
    post_trace[i] *= p->decay_post;
    const float sp = post_spikes[i];
    if (sp == 0.0f && !any_pre) continue;
    const float b = p->a_pre * post_trace[i] + p->c_pre;
    const __m256 vsp = _mm256_set1_ps(sp), vb = _mm256_set1_ps(b);
    float *w = W + i * ldw;
    j = 0;
    if (p->bounds == HB_STDP_SOFT) {
      for (; j + 8 <= d; j += 8) {
        __m256 dw = _mm256_mul_ps(vsp, _mm256_fmadd_ps(vap, _mm256_loadu_ps(pre_trace + j), vcp));
        dw = _mm256_fmadd_ps(_mm256_loadu_ps(pre_spikes + j), vb, dw);
        __m256 v = _mm256_loadu_ps(w + j);
        /* [dW]+ (hi - v) + [dW]- (v - lo), both from the old v */
        __m256 t = _mm256_fmadd_ps(_mm256_min_ps(dw, zero), _mm256_sub_ps(v, vlo), v);
        t = _mm256_fmadd_ps(_mm256_max_ps(dw, zero), _mm256_sub_ps(vhi, v), t);
        _mm256_storeu_ps(w + j, _mm256_min_ps(_mm256_max_ps(t, vlo), vhi));
      }
    } else {
      for (; j + 8 <= d; j += 8) {
        __m256 dw = _mm256_mul_ps(vsp, _mm256_fmadd_ps(vap, _mm256_loadu_ps(pre_trace + j), vcp));
        dw = _mm256_fmadd_ps(_mm256_loadu_ps(pre_spikes + j), vb, dw);
        __m256 t = _mm256_add_ps(_mm256_loadu_ps(w + j), dw);
        _mm256_storeu_ps(w + j, _mm256_min_ps(_mm256_max_ps(t, vlo), vhi));
      }
    }
    for (; j < d; j++)
      w[j] = hb_stdp_weight_step(p, sp, b, pre_trace[j], pre_spikes[j], w[j]);
  }
  const float near = p->pairing == HB_STDP_NEAREST ? 1.0f : 0.0f;
  const __m256 vnear = _mm256_set1_ps(near), one = _mm256_set1_ps(1.0f);
  j = 0;
  for (; j + 8 <= d; j += 8) {
    __m256 x = _mm256_loadu_ps(pre_trace + j);
    __m256 gap = _mm256_fnmadd_ps(vnear, x, one); /* 1 - near x */
    _mm256_storeu_ps(pre_trace + j, _mm256_fmadd_ps(_mm256_loadu_ps(pre_spikes + j), gap, x));
  }
  for (; j < d; j++) pre_trace[j] = hb_stdp_trace_jump(pre_trace[j], pre_spikes[j], near);
  for (size_t i = 0; i < k; i++)
    post_trace[i] = hb_stdp_trace_jump(post_trace[i], post_spikes[i], near);
}
#endif
