#include "../steps.h"

/* One dt of pair-based STDP on a k x d block (see hb_plasticity.h):
 *   x <- decay x, y <- decay y;  dW_ij = s_i (a_post x_j + c_post) + s_j (a_pre y_i + c_pre);
 *   bounded update;  x_j += s_j (1 - nearest x_j).
 * A row whose neuron did not spike in a step without presynaptic spikes has dW = 0 and is
 * skipped, so quiet steps cost O(k + d) instead of O(k d). Weights are assumed in bounds. */
void hb_stdp_trace_step_f32__scalar(size_t k, size_t d, const hb_stdp_params *p,
                                    const float *pre_spikes, float *pre_trace,
                                    const float *post_spikes, float *post_trace, float *W,
                                    size_t ldw) {
  int any_pre = 0;
  for (size_t j = 0; j < d; j++) {
    pre_trace[j] *= p->decay_pre;
    any_pre |= pre_spikes[j] != 0.0f;
  }
  for (size_t i = 0; i < k; i++) {
    post_trace[i] *= p->decay_post;
    const float sp = post_spikes[i];
    if (sp == 0.0f && !any_pre) continue;
    const float b = p->a_pre * post_trace[i] + p->c_pre;
    float *w = W + i * ldw;
    for (size_t j = 0; j < d; j++)
      w[j] = hb_stdp_weight_step(p, sp, b, pre_trace[j], pre_spikes[j], w[j]);
  }
  const float near = p->pairing == HB_STDP_NEAREST ? 1.0f : 0.0f;
  for (size_t j = 0; j < d; j++)
    pre_trace[j] = hb_stdp_trace_jump(pre_trace[j], pre_spikes[j], near);
  for (size_t i = 0; i < k; i++)
    post_trace[i] = hb_stdp_trace_jump(post_trace[i], post_spikes[i], near);
}
