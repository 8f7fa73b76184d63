/* plastic_backward_step's contract: both trace rules over the plastic layer shapes
 * (plastic_current/plastic_current-contract.h), η = 0.3, every operand and incoming gradient
 * uniform in [−1, 1). dL/da_j is a column reduction of m terms times 1 − y_j² (S counts 1 and
 * y_j², which an FMA may cancel differently); the gradients of w, α and H add one product of
 * it, dL/dx_i reduces n such terms and dL/dη all m·n, so every output is within (m·n + 8)ε·S,
 * the bound at the largest m·n of the shapes. With G_j the magnitude of dL/da_j, S is G_j for
 * dL/da_j, |gw| + |x_i|G_j for dL/dw, |gα| + |H x_i|G_j for dL/dα,
 * |gH|·keep + |α x_i|G_j for dL/dH (keep = 1 + η, or 1 + |η y_j²| for Oja), and
 * |gx_i| + Σ_j ((|w| + |αH|)G_j + |η gH y_j|) for dL/dx_i. */
#include "../plastic_current/plastic_current-contract.h"

void hb_plastic_backward_step_f32__sweep(hb_sweep *h, hb_plastic_backward_step_fn ref,
                                         hb_plastic_backward_step_fn k) {
  const float eta = 0.3f;
  h->tolerance = (float)(hb_plastic_shapes_max(true) + 8) * HB_EPS;
  for (hb_trace_rule rule = HB_TRACE_DECAY; rule <= HB_TRACE_OJA; rule++) {
    const bool oja = rule == HB_TRACE_OJA;
    for (size_t s = 0; s < HB_PLASTIC_SHAPES; s++) {
      size_t m, n, ld, nm;
      hb_plastic_shape(s, &m, &n, &ld, &nm);
      const float *w = hb_sweep_uniform(h, nm), *al = hb_sweep_uniform(h, nm);
      const float *hh = hb_sweep_uniform(h, nm);
      const float *x = hb_sweep_uniform(h, m), *y = hb_sweep_uniform(h, n);
      const float *gy = hb_sweep_uniform(h, n), *gH = hb_sweep_uniform(h, nm);
      const float *gx = hb_sweep_uniform(h, m), *gw = hb_sweep_uniform(h, nm);
      const float *ga = hb_sweep_uniform(h, nm);
      float *gyr = hb_sweep_copy(h, gy, n), *gHr = hb_sweep_copy(h, gH, nm);
      float *gxr = hb_sweep_copy(h, gx, m), *gwr = hb_sweep_copy(h, gw, nm);
      float *gar = hb_sweep_copy(h, ga, nm);
      float *gyv = hb_sweep_copy(h, gy, n), *gHv = hb_sweep_copy(h, gH, nm);
      float *gxv = hb_sweep_copy(h, gx, m), *gwv = hb_sweep_copy(h, gw, nm);
      float *gav = hb_sweep_copy(h, ga, nm);
      const float er = ref(rule, m, n, eta, w, al, hh, ld, x, y, gyr, gHr, gxr, gwr, gar);
      const float ev = k(rule, m, n, eta, w, al, hh, ld, x, y, gyv, gHv, gxv, gwv, gav);
      /* G_j: the magnitude of dL/da_j, which every other gradient multiplies. */
      float bigG[HB_LENGTHS_MAX];
      float sEta = 0;
      for (size_t j = 0; j < n; j++) {
        const float yj = fabsf(y[j]);
        float sj = fabsf(gy[j]);
        for (size_t i = 0; i < m; i++) {
          const size_t e = i * ld + j;
          const float c = fabsf(eta * x[i]) + (oja ? 2 * fabsf(eta * hh[e] * y[j]) : 0);
          sj += fabsf(gH[e]) * c;
          sEta += fabsf(gH[e]) * (fabsf(x[i] * y[j]) + fabsf(hh[e]) * (oja ? yj * yj : 1));
        }
        bigG[j] = sj;
      }
      for (size_t j = 0; j < n + HB_GUARD; j++) hb_compare(h, gyr[j], gyv[j], j < n ? bigG[j] : 0);
      hb_compare(h, er, ev, sEta);
      for (size_t e = 0; e < nm + HB_GUARD; e++) {
        const size_t i = e / ld, j = e % ld;
        const bool in = e < nm && j < n;
        hb_compare(h, gwr[e], gwv[e], in ? fabsf(gw[e]) + fabsf(x[i]) * bigG[j] : 0);
      }
      for (size_t e = 0; e < nm + HB_GUARD; e++) {
        const size_t i = e / ld, j = e % ld;
        const bool in = e < nm && j < n;
        hb_compare(h, gar[e], gav[e], in ? fabsf(ga[e]) + fabsf(hh[e] * x[i]) * bigG[j] : 0);
      }
      for (size_t e = 0; e < nm + HB_GUARD; e++) {
        const size_t i = e / ld, j = e % ld;
        float se = 0;
        if (e < nm && j < n) {
          const float keep = oja ? 1 + fabsf(eta * y[j] * y[j]) : 1 + eta;
          se = fabsf(gH[e]) * keep + fabsf(al[e] * x[i]) * bigG[j];
        }
        hb_compare(h, gHr[e], gHv[e], se);
      }
      for (size_t i = 0; i < m + HB_GUARD; i++) {
        float si = 0;
        if (i < m) {
          si = fabsf(gx[i]);
          for (size_t j = 0; j < n; j++) {
            const size_t e = i * ld + j;
            si += (fabsf(w[e]) + fabsf(al[e] * hh[e])) * bigG[j];
            si += fabsf(eta * gH[e] * y[j]);
          }
        }
        hb_compare(h, gxr[i], gxv[i], si);
      }
      h->cases++;
      /* Every shape draws fresh operands: free them before the next one. */
      hb_sweep_release(h);
    }
  }
}

static void run(hb_workload *w) {
  void **o = w->op;
  memcpy(o[6], o[5], w->d * sizeof(float));
  w->scalar[0] = ((hb_plastic_backward_step_fn)w->body)(HB_TRACE_DECAY, w->k, w->d, 0, o[0],
                                                        o[1], o[2], w->d, o[3], o[4], o[6],
                                                        o[7], o[8], o[9], o[10]);
}

void hb_plastic_backward_step_f32__workload(hb_workload *w, hb_rng *r) {
  const size_t k = w->k, d = w->d;
  hb_plastic_layer(w, r);
  /* With η = 0 the trace gradient keeps its scale (no (1 − η)ⁿ decay into subnormals, which
   * would time microcode assists) and grows by |α x dL/da| ≤ 0.01 per call; dL/da is restored
   * from gy0 (op[5]) each call (d floats, beside the kernel's k·d) because the kernel
   * overwrites it (op[6]) with (1 − y²)·dL/dy. */
  hb_workload_uniform(w, r, d, -1, 1);
  hb_workload_floats(w, d);
  hb_workload_uniform(w, r, k * d, -1, 1);
  hb_workload_uniform(w, r, k, -1, 1);
  hb_workload_uniform(w, r, k * d, -1, 1);
  hb_workload_uniform(w, r, k * d, -1, 1);
  w->run = run;
  /* About 20 flops per element: pass 1 (2) and the fused pass 2 (18). */
  w->flops = 20 * k * d;
}
