/* axpy's contract: every length 1…67, every pair of strides 1 and 3, a ∈ {0.75, −1.25, 0}.
 * Each element is one product-add, within 2ε·S of the reference (an FMA does not round the
 * product), S = |y_i| + |a x_i|; the elements between strided ones and the guard tail must stay
 * untouched (S = 0). n = 0 touches nothing. */
#include "../contract.h"

void hb_axpy_f32__sweep(hb_sweep *h, hb_axpy_fn ref, hb_axpy_fn k) {
  h->tolerance = 2 * HB_EPS;
  static const float as[3] = {0.75f, -1.25f, 0};
  float *s[4];
  hb_sweep_scratch(h, s, 4, 3 * HB_LENGTHS_MAX);
  float *x = s[0], *y = s[1], *yr = s[2], *yv = s[3];
  for (size_t n = 1; n <= HB_LENGTHS_MAX; n++) {
    for (size_t p = 0; p < 2; p++) {
      for (size_t q = 0; q < 2; q++) {
        const size_t incx = hb_strides[p], incy = hb_strides[q];
        for (size_t c = 0; c < 3; c++) {
          const float a = as[c];
          const size_t ny = (n - 1) * incy + 1;
          hb_fill(h, x, (n - 1) * incx + 1, 1);
          hb_fill(h, y, ny + HB_GUARD, 1);
          hb_twin(y, yr, yv, ny + HB_GUARD);
          ref(n, a, x, incx, yr, incy);
          k(n, a, x, incx, yv, incy);
          for (size_t i = 0; i < ny + HB_GUARD; i++) {
            const bool on = i % incy == 0 && i < ny;
            hb_compare(h, yr[i], yv[i], on ? fabsf(y[i]) + fabsf(a * x[i / incy * incx]) : 0);
          }
          h->cases++;
        }
      }
    }
  }
  hb_fill(h, y, 1 + HB_GUARD, 1);
  hb_twin(y, yr, yv, 1 + HB_GUARD);
  ref(0, 2, x, 1, yr, 1);
  k(0, 2, x, 1, yv, 1);
  for (size_t i = 0; i < 1 + HB_GUARD; i++) hb_compare(h, yr[i], yv[i], 0);
  h->cases++;
}

static void run(hb_workload *w) {
  ((hb_axpy_fn)w->body)(w->d, 1e-7f, w->op[0], 1, w->op[1], 1);
}

void hb_axpy_f32__workload(hb_workload *w, hb_rng *r) {
  hb_workload_vectors(w, r, 2);
  /* Tiny α: y drifts by 1e-7 per call, nowhere near overflow in any run. */
  w->run = run;
  w->flops = 2 * w->d;
}
