/* dot's contract: every length 1…67 and every pair of strides 1 and 3; the result is a
 * reduction of n terms, within (n + 2)ε·S of the reference, S = Σ|x_i y_i| (each length's own
 * bound: S scaled by n + 2 against a tolerance of ε). n = 0 is an empty sum: exactly the
 * reference's. */
#include "../contract.h"

void hb_dot_f32__sweep(hb_sweep *h, hb_dot_fn ref, hb_dot_fn k) {
  h->tolerance = HB_EPS;
  float *s[2];
  hb_sweep_scratch(h, s, 2, 3 * HB_LENGTHS_MAX);
  float *x = s[0], *y = s[1];
  for (size_t n = 1; n <= HB_LENGTHS_MAX; n++) {
    for (size_t a = 0; a < 2; a++) {
      for (size_t b = 0; b < 2; b++) {
        const size_t incx = hb_strides[a], incy = hb_strides[b];
        hb_fill(h, x, (n - 1) * incx + 1, 1);
        hb_fill(h, y, (n - 1) * incy + 1, 1);
        float sum = 0;
        for (size_t i = 0; i < n; i++) sum += fabsf(x[i * incx] * y[i * incy]);
        hb_compare(h, ref(n, x, incx, y, incy), k(n, x, incx, y, incy), (float)(n + 2) * sum);
        h->cases++;
      }
    }
  }
  hb_compare(h, ref(0, x, 1, y, 1), k(0, x, 1, y, 1), 0);
  h->cases++;
}

static void run(hb_workload *w) {
  w->scalar[0] = ((hb_dot_fn)w->body)(w->d, w->op[0], 1, w->op[1], 1);
}

void hb_dot_f32__workload(hb_workload *w, hb_rng *r) {
  hb_workload_vectors(w, r, 2);
  w->run = run;
  w->flops = 2 * w->d;
}
