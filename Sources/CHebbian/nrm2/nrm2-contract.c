/* nrm2's contract: every length 1…67, strides 1 and 3, and x at four scales: ordinary, huge
 * (2¹⁰⁰: squares overflow float), tiny (2⁻¹⁰⁰: squares underflow) and subnormal (2⁻¹⁴⁰); then
 * the largest inputs the header promises, |x_i| = FLT_MAX/√n for n ∈ {1, 4, 16, 64} (norm
 * FLT_MAX); and n = 0, exactly the reference's. Summed in double (every target but 32-bit ARM)
 * the two norms agree to 1 ulp, ε·S; with a float sum of squares (32-bit ARM) the norm is a
 * reduction of n terms, within (n + 2)ε·S; S = the reference norm. */
#include "../contract.h"

/* The bound of length n, in units of ε·S. */
static float bound(size_t n) {
#if defined(__arm__)
  return (float)(n + 2);
#else
  (void)n;
  return 1;
#endif
}

void hb_nrm2_f32__sweep(hb_sweep *h, hb_nrm2_fn ref, hb_nrm2_fn k) {
  h->tolerance = HB_EPS;
  static const float scales[4] = {1, 0x1p100f, 0x1p-100f, 0x1p-140f};
  float *x;
  hb_sweep_scratch(h, &x, 1, 3 * HB_LENGTHS_MAX);
  for (size_t n = 1; n <= HB_LENGTHS_MAX; n++) {
    for (size_t p = 0; p < 2; p++) {
      const size_t inc = hb_strides[p];
      for (size_t c = 0; c < 4; c++) {
        hb_fill(h, x, (n - 1) * inc + 1, scales[c]);
        const float r = ref(n, x, inc);
        hb_compare(h, r, k(n, x, inc), bound(n) * r);
        h->cases++;
      }
    }
  }
  static const size_t big[4] = {1, 4, 16, 64};
  for (size_t c = 0; c < 4; c++) {
    const size_t n = big[c];
    for (size_t i = 0; i < n; i++) x[i] = FLT_MAX / sqrtf((float)n);
    const float r = ref(n, x, 1);
    hb_compare(h, r, k(n, x, 1), bound(n) * r);
    h->cases++;
  }
  hb_compare(h, ref(0, x, 1), k(0, x, 1), 0);
  h->cases++;
}

static void run(hb_workload *w) { w->scalar[0] = ((hb_nrm2_fn)w->body)(w->d, w->op[0], 1); }

void hb_nrm2_f32__workload(hb_workload *w, hb_rng *r) {
  hb_workload_vectors(w, r, 1);
  w->run = run;
  w->flops = 2 * w->d;
}
