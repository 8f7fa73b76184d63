#include "../rules-neon.h"

#if HB_BUILD_NEON

/* Rows l and l + 1 of a group (loaded in a and b; y and eta y in lanes l and l + 1 of c), both
 * residuals from the incoming r: r - y_l w_l and r - (y_l w_l + y_(l+1) w_(l+1)). The
 * residual carried down the rows then waits on one subtraction per two rows, not on a
 * multiply-add per row: the chain that held a row of one vector at 9-11x its pipe bound on
 * in-order cores. Products and their sum round before the subtraction (up to two
 * roundings more than the scalar reference's fused form, inside the contract's bound). */
#define GHA_PAIR(nb, r, c, w, ldw, a, b, l)                                                  \
  for (size_t v_ = 0; v_ < (nb); v_++) {                                                     \
    const float32x4_t pa_ = HB_NEON_MUL_LANE((a)[v_], (c).y, l);                             \
    const float32x4_t pb_ = vaddq_f32(pa_, HB_NEON_MUL_LANE((b)[v_], (c).y, (l) + 1));       \
    const float32x4_t ra_ = vsubq_f32((r).v[v_], pa_);                                       \
    (r).v[v_] = vsubq_f32((r).v[v_], pb_);                                                   \
    vst1q_f32((w) + 4 * v_, HB_NEON_FMA_LANE((a)[v_], ra_, (c).ey, l));                      \
    vst1q_f32((w) + (ldw) + 4 * v_, HB_NEON_FMA_LANE((b)[v_], (r).v[v_], (c).ey, (l) + 1));  \
  }

/* The last row of a group, alone. */
#define GHA_ONE(nb, r, c, w, a, l)                                                           \
  for (size_t v_ = 0; v_ < (nb); v_++) {                                                     \
    (r).v[v_] = vsubq_f32((r).v[v_], HB_NEON_MUL_LANE((a)[v_], (c).y, l));                   \
    vst1q_f32((w) + 4 * v_, HB_NEON_FMA_LANE((a)[v_], (r).v[v_], (c).ey, l));                \
  }

#define GHA_LOAD(nb, a, p)                                                                   \
  for (size_t v_ = 0; v_ < (nb); v_++) (a)[v_] = vld1q_f32((p) + 4 * v_)

#if HB_NEON_PANEL > 4
/* Four rows of one vector, their coefficients and the products of GHA_PAIR: all of a group
 * that does not wait on the residual. The pair's sum is fused here (y_l w_l + y_(l+1)
 * w_(l+1) rounds once): 3 operations a row against 3.5, which an out-of-order core's FP
 * pipe sees (a Cortex-A72 8 % slower with the unfused pair than row by row). */
typedef struct {
  float32x4_t a0, a1, a2, a3, p0, q0, p1, q1;
  hb_neon_coefs c;
} gha_group;

HB_NEON_INLINE gha_group gha_group_at(const float *w, size_t ldw, const float *eta,
                                      const float *y) {
  gha_group g;
  g.c = hb_neon_coefs_at(4, eta, y);
  g.a0 = vld1q_f32(w);
  g.a1 = vld1q_f32(w + ldw);
  g.a2 = vld1q_f32(w + 2 * ldw);
  g.a3 = vld1q_f32(w + 3 * ldw);
  g.p0 = HB_NEON_MUL_LANE(g.a0, g.c.y, 0);
  g.p1 = HB_NEON_MUL_LANE(g.a2, g.c.y, 2);
  g.q0 = HB_NEON_FMA_LANE(g.p0, g.a1, g.c.y, 1);
  g.q1 = HB_NEON_FMA_LANE(g.p1, g.a3, g.c.y, 3);
  return g;
}

/* The group's residuals from r, its rows' updates to w; the residual after its last row. */
HB_NEON_INLINE float32x4_t gha_group_apply(const gha_group g, float32x4_t r, float *w,
                                           size_t ldw) {
  const float32x4_t r0 = vsubq_f32(r, g.p0), r1 = vsubq_f32(r, g.q0);
  const float32x4_t r2 = vsubq_f32(r1, g.p1), r3 = vsubq_f32(r1, g.q1);
  vst1q_f32(w, HB_NEON_FMA_LANE(g.a0, r0, g.c.ey, 0));
  vst1q_f32(w + ldw, HB_NEON_FMA_LANE(g.a1, r1, g.c.ey, 1));
  vst1q_f32(w + 2 * ldw, HB_NEON_FMA_LANE(g.a2, r2, g.c.ey, 2));
  vst1q_f32(w + 3 * ldw, HB_NEON_FMA_LANE(g.a3, r3, g.c.ey, 3));
  return r3;
}
#endif

/* Columns [j, j + 4) of rows one vector wide (nb = 1: the IMU regime's d = 4..7): rows four
 * at a time, their y and eta y in the lanes of two vectors (no scalar load, multiply or VDUP
 * per row), every row of the four loaded before the first store, the rows in pairs. AArch64
 * software-pipelines the groups: the next group's loads and products are issued with this
 * group's residuals and updates, so an in-order core has independent work while the short
 * residual chain runs; two groups an iteration, so that no group is copied from register to
 * register. ARMv7's 16 Q registers do not hold two groups. */
HB_NEON_INLINE void gha_panel_short(size_t nb, hb_neon_residual r, size_t k, const float *eta,
                                    float *W, size_t ldw, const float *y) {
  float32x4_t a0[1], a1[1], a2[1], a3[1];
  size_t i = 0;
#if HB_NEON_PANEL > 4
  if (k >= 8) {
    gha_group g = gha_group_at(W, ldw, eta, y);
    for (; i + 12 <= k; i += 8) {
      const gha_group h = gha_group_at(W + (i + 4) * ldw, ldw, eta + i + 4, y + i + 4);
      r.v[0] = gha_group_apply(g, r.v[0], W + i * ldw, ldw);
      g = gha_group_at(W + (i + 8) * ldw, ldw, eta + i + 8, y + i + 8);
      r.v[0] = gha_group_apply(h, r.v[0], W + (i + 4) * ldw, ldw);
    }
    if (i + 8 <= k) {
      const gha_group h = gha_group_at(W + (i + 4) * ldw, ldw, eta + i + 4, y + i + 4);
      r.v[0] = gha_group_apply(g, r.v[0], W + i * ldw, ldw);
      g = h;
      i += 4;
    }
    r.v[0] = gha_group_apply(g, r.v[0], W + i * ldw, ldw);
    i += 4;
  }
#endif
  /* On AArch64 at most one group is left here (k < 8): straight-line code, not a loop. */
  const int once = HB_NEON_PANEL > 4;
  for (; i + 4 <= k; i += 4) {
    float *w = W + i * ldw;
    const hb_neon_coefs c = hb_neon_coefs_at(4, eta + i, y + i);
    HB_NEON_LOAD_ROWS4(nb, a0, a1, a2, a3, w, ldw);
    GHA_PAIR(nb, r, c, w, ldw, a0, a1, 0);
    GHA_PAIR(nb, r, c, w + 2 * ldw, ldw, a2, a3, 2);
    if (once) {
      i += 4;
      break;
    }
  }
  const size_t n = k - i;
  if (n == 0) return;
  float *w = W + i * ldw;
  const hb_neon_coefs c = hb_neon_coefs_at(n, eta + i, y + i);
  GHA_LOAD(nb, a0, w);
  if (n == 1) {
    GHA_ONE(nb, r, c, w, a0, 0);
    return;
  }
  GHA_LOAD(nb, a1, w + ldw);
  if (n == 3) GHA_LOAD(nb, a2, w + 2 * ldw);
  GHA_PAIR(nb, r, c, w, ldw, a0, a1, 0);
  if (n == 3) GHA_ONE(nb, r, c, w + 2 * ldw, a2, 2);
}

/* Row l of a group in a, fused as in the scalar reference: r -= y_l a, then a += (eta y_l)
 * r, the new row, stored later by GHA_STORE. */
#define GHA_ROW(nb, r, a, c, l)                                                              \
  for (size_t v_ = 0; v_ < (nb); v_++) (r)[v_] = HB_NEON_FMS_LANE((r)[v_], (a)[v_], (c).y, l)
#define GHA_UPDATE(nb, a, r, c, l)                                                           \
  for (size_t v_ = 0; v_ < (nb); v_++) (a)[v_] = HB_NEON_FMA_LANE((a)[v_], (r)[v_], (c).ey, l)
#define GHA_STORE(nb, w, a)                                                                  \
  for (size_t v_ = 0; v_ < (nb); v_++) vst1q_f32((w) + 4 * v_, (a)[v_])

/* Rows of two vectors (nb = 2), four rows at a time with their y and eta y in lanes (one
 * vector load and multiply per four rows, none per row), all four loaded first, fused row
 * by row as the scalar reference: 2 operations a vector and row. The one-vector path's split
 * residual takes 3 (3.5 with the add), which cost an out-of-order core more than the chain it
 * shortens once two chains run side by side. Row l's update is issued before row l + 1's
 * residual (both wait on row l's) and its store after it, so that an in-order core does not
 * stall on a multiply-add's result with independent work left; no register copy of the
 * residual is needed. */
HB_NEON_INLINE void gha_panel_rows(size_t nb, hb_neon_residual r, size_t k, const float *eta,
                                   float *W, size_t ldw, const float *y) {
  float32x4_t a0[2], a1[2], a2[2], a3[2];
  size_t i = 0;
  for (; i + 4 <= k; i += 4) {
    float *w = W + i * ldw;
    const hb_neon_coefs c = hb_neon_coefs_at(4, eta + i, y + i);
    HB_NEON_LOAD_ROWS4(nb, a0, a1, a2, a3, w, ldw);
    GHA_ROW(nb, r.v, a0, c, 0);
    GHA_UPDATE(nb, a0, r.v, c, 0);
    GHA_ROW(nb, r.v, a1, c, 1);
    GHA_STORE(nb, w, a0);
    GHA_UPDATE(nb, a1, r.v, c, 1);
    GHA_ROW(nb, r.v, a2, c, 2);
    GHA_STORE(nb, w + ldw, a1);
    GHA_UPDATE(nb, a2, r.v, c, 2);
    GHA_ROW(nb, r.v, a3, c, 3);
    GHA_STORE(nb, w + 2 * ldw, a2);
    GHA_UPDATE(nb, a3, r.v, c, 3);
    GHA_STORE(nb, w + 3 * ldw, a3);
  }
  const size_t n = k - i;
  if (n == 0) return;
  float *w = W + i * ldw;
  const hb_neon_coefs c = hb_neon_coefs_at(n, eta + i, y + i);
  GHA_LOAD(nb, a0, w);
  if (n > 1) GHA_LOAD(nb, a1, w + ldw);
  GHA_ROW(nb, r.v, a0, c, 0);
  GHA_UPDATE(nb, a0, r.v, c, 0);
  GHA_STORE(nb, w, a0);
  if (n == 1) return;
  GHA_ROW(nb, r.v, a1, c, 1);
  GHA_UPDATE(nb, a1, r.v, c, 1);
  GHA_STORE(nb, w + ldw, a1);
  if (n == 2) return;
  GHA_LOAD(nb, a2, w + 2 * ldw);
  GHA_ROW(nb, r.v, a2, c, 2);
  GHA_UPDATE(nb, a2, r.v, c, 2);
  GHA_STORE(nb, w + 2 * ldw, a2);
}

/* Rows of one vector, out of line: on ARMv7 one copy for the panels of one vector and the last
 * vector of three (board programs link every kernel, and stay under 100 KB). */
__attribute__((noinline)) static void gha_panel_one(hb_neon_residual r, size_t k, const float *eta,
                                                    float *W, size_t ldw, const float *y) {
  gha_panel_short(1, r, k, eta, W, ldw, y);
}

#if HB_NEON_PANEL > 4
/* Rows of NB = two or three vectors on AArch64, scheduled by hand for an in-order core
 * (Cortex-A53). Fused row by row as gha_panel_rows, the same operations on the same values (the
 * same bits). The residual's chain, one multiply-add a row (10 cycles in the A53 model), sets
 * the pace: a row's residual multiply-adds and the previous row's updates issue together, and
 * in the cycles until the next row's residual is ready go the loads and stores, which the
 * model does not let write back before a multiply-add issued earlier. The loads are the next
 * group's (into the rows the stores have freed) and the stores two rows behind their update,
 * so none waits on a result. Each window ends in GHAP_WINDOW_END and the functions are out of
 * gcc's instruction scheduling, so the order is as written; the row addresses are computed at
 * a group's start (GHAP_PIN: in registers, not folded into loads with write-back, which in
 * the model wait for every earlier write-back). Three vectors take 31 of the 32 registers
 * (two groups of rows, the residual, two groups' coefficients); four would spill. */
#define GHAP_PIN(p) __asm__("" : "+r"(p))
#define GHAP_EACH _Pragma("GCC unroll 4") for (size_t v_ = 0; v_ < (NB); v_++)
#define GHAP_WINDOW_END()                                                                    \
  do {                                                                                       \
    GHAP_EACH __asm__ volatile("" : "+w"(r[v_]));                                            \
    __asm__ volatile("" : : : "memory");                                                     \
  } while (0)
/* Row l of a group: C[NB l .. NB l + NB). */
#define GHAP_LOAD(C, l, p) GHAP_EACH C[(NB) * (l) + v_] = vld1q_f32((p) + 4 * v_)
#define GHAP_STORE(p, C, l) GHAP_EACH vst1q_f32((p) + 4 * v_, C[(NB) * (l) + v_])
/* Row m's residual (r -= y_m w_m), ... */
#define GHAP_RESIDUAL(D, dy, m)                                                              \
  GHAP_EACH r[v_] = vfmsq_laneq_f32(r[v_], D[(NB) * (m) + v_], dy, m)
/* ... and with it row l's update (w_l += eta y_l r), l the row before m, interleaved by vector. */
#define GHAP_UPDATE_RESIDUAL(C, cey, l, D, dy, m)                                            \
  GHAP_EACH {                                                                                \
    C[(NB) * (l) + v_] = vfmaq_laneq_f32(C[(NB) * (l) + v_], r[v_], cey, l);                 \
    r[v_] = vfmsq_laneq_f32(r[v_], D[(NB) * (m) + v_], dy, m);                               \
  }

/* Rows -2 .. 7 from the group at w (pm2, pm1, w, p1 .. p7) and the next group's coefficients
 * (yn, en), in registers as computed (the unused ones are dropped). */
#define GHAP_ROWS_AT(w)                                                                      \
  float *pm2 = (w) - 2 * ldw, *pm1 = (w) - ldw, *p1 = (w) + ldw, *p2 = (w) + 2 * ldw;        \
  float *p3 = (w) + 3 * ldw, *p4 = (w) + 4 * ldw, *p5 = (w) + 5 * ldw, *p6 = (w) + 6 * ldw;  \
  float *p7 = (w) + 7 * ldw;                                                                 \
  GHAP_PIN(pm2); GHAP_PIN(pm1); GHAP_PIN(p1); GHAP_PIN(p2); GHAP_PIN(p3);                    \
  GHAP_PIN(p4); GHAP_PIN(p5); GHAP_PIN(p6); GHAP_PIN(p7); GHAP_PIN(yn); GHAP_PIN(en)

/* Group C (rows at w, y and eta y in cy, cey): four windows, one a row. Also the previous
 * group's last update and its rows 2 and 3's stores (its rows in N, its eta y in ney), and
 * if next the next group's rows and coefficients into N, ny, ney. */
#define GHAP_GROUP(C, cy, cey, N, ny, ney, first, next)                                      \
  do {                                                                                       \
    GHAP_ROWS_AT(w);                                                                         \
    if (first)                                                                               \
      GHAP_RESIDUAL(C, cy, 0);                                                               \
    else                                                                                     \
      GHAP_UPDATE_RESIDUAL(N, ney, 3, C, cy, 0);                                             \
    if (!(first)) GHAP_STORE(pm2, N, 2);                                                     \
    if (next) {                                                                              \
      GHAP_LOAD(N, 0, p4);                                                                   \
      ny = vld1q_f32(yn), ney = vld1q_f32(en);                                               \
    }                                                                                        \
    GHAP_WINDOW_END();                                                                       \
    GHAP_UPDATE_RESIDUAL(C, cey, 0, C, cy, 1);                                               \
    if (!(first)) GHAP_STORE(pm1, N, 3);                                                     \
    if (next) GHAP_LOAD(N, 1, p5);                                                           \
    GHAP_WINDOW_END();                                                                       \
    if (next) ney = vmulq_f32(ney, ny);                                                      \
    GHAP_UPDATE_RESIDUAL(C, cey, 1, C, cy, 2);                                               \
    GHAP_STORE(w, C, 0);                                                                     \
    if (next) GHAP_LOAD(N, 2, p6);                                                           \
    GHAP_WINDOW_END();                                                                       \
    GHAP_UPDATE_RESIDUAL(C, cey, 2, C, cy, 3);                                               \
    GHAP_STORE(p1, C, 1);                                                                    \
    if (next) GHAP_LOAD(N, 3, p7);                                                           \
    GHAP_WINDOW_END();                                                                       \
    w += 4 * ldw, yn += 4, en += 4;                                                          \
  } while (0)

/* After the last group (at w - 4 ldw): its last update, and its rows 2 and 3's stores. */
#define GHAP_LAST(C, cey)                                                                    \
  do {                                                                                       \
    GHAP_EACH C[3 * (NB) + v_] = vfmaq_laneq_f32(C[3 * (NB) + v_], r[v_], cey, 3);           \
    GHAP_STORE(w - 2 * ldw, C, 2);                                                           \
    GHAP_STORE(w - ldw, C, 3);                                                               \
  } while (0)

/* The whole groups of four rows; returns the rows done. Two groups an iteration, A and N
 * taking turns as the group and the next one (no copies). */
#define GHAP_BODY                                                                            \
  const size_t groups = k / 4;                                                               \
  if (groups == 0) return 0;                                                                 \
  float32x4_t r[NB], A[4 * (NB)], N[4 * (NB)], Ay, Aey, Ny, Ney;                             \
  GHAP_EACH r[v_] = rp->v[v_];                                                               \
  Ay = vld1q_f32(y), Aey = vmulq_f32(vld1q_f32(eta), Ay);                                    \
  GHAP_LOAD(A, 0, W);                                                                        \
  GHAP_LOAD(A, 1, W + ldw);                                                                  \
  GHAP_LOAD(A, 2, W + 2 * ldw);                                                              \
  GHAP_LOAD(A, 3, W + 3 * ldw);                                                              \
  float *w = W;                                                                              \
  const float *yn = y + 4, *en = eta + 4;                                                    \
  if (groups == 1) {                                                                         \
    GHAP_GROUP(A, Ay, Aey, N, Ny, Ney, 1, 0);                                                \
    GHAP_LAST(A, Aey);                                                                       \
  } else {                                                                                   \
    GHAP_GROUP(A, Ay, Aey, N, Ny, Ney, 1, 1);                                                \
    size_t g = 1;                                                                            \
    for (; g + 2 < groups; g += 2) {                                                         \
      GHAP_GROUP(N, Ny, Ney, A, Ay, Aey, 0, 1);                                              \
      GHAP_GROUP(A, Ay, Aey, N, Ny, Ney, 0, 1);                                              \
    }                                                                                        \
    if (g + 1 < groups) {                                                                    \
      GHAP_GROUP(N, Ny, Ney, A, Ay, Aey, 0, 1);                                              \
      GHAP_GROUP(A, Ay, Aey, N, Ny, Ney, 0, 0);                                              \
      GHAP_LAST(A, Aey);                                                                     \
    } else {                                                                                 \
      GHAP_GROUP(N, Ny, Ney, A, Ay, Aey, 0, 0);                                              \
      GHAP_LAST(N, Ney);                                                                     \
    }                                                                                        \
  }                                                                                          \
  GHAP_EACH rp->v[v_] = r[v_];                                                               \
  return 4 * groups;

#define GHAP_NOSCHED                                                                         \
  __attribute__((optimize("no-schedule-insns", "no-schedule-insns2", "no-auto-inc-dec")))
#define NB 2
GHAP_NOSCHED static size_t gha_rows2_pipe(hb_neon_residual *rp, size_t k, const float *eta,
                                          float *W, size_t ldw, const float *y) {
  GHAP_BODY
}
#undef NB
#define NB 3
GHAP_NOSCHED static size_t gha_rows3_pipe(hb_neon_residual *rp, size_t k, const float *eta,
                                          float *W, size_t ldw, const float *y) {
  GHAP_BODY
}
#undef NB

/* Rows of four vectors on AArch64, scheduled by hand as the loops above, but pipelined by
 * rows, not groups: two groups of four rows of four vectors are 32 registers. Row i is in the
 * set S[i mod 4]; a group's window l issues row l's residual with row l - 1's update, stores
 * row l - 2 and loads row l + 2 into its set, so that four rows are in registers (16 of them)
 * with the residual and two groups' coefficients. The windows end in a memory fence only: a
 * fence on the residual too made gcc copy it from register to register. */
#define GHAR_WEND() __asm__ volatile("" : : : "memory")
#define GHAR_UX(Su, ceyu, lu, Sx, cyx, lx)                                                   \
  GHAP_EACH {                                                                                \
    Su[v_] = vfmaq_laneq_f32(Su[v_], r[v_], ceyu, lu);                                       \
    r[v_] = vfmsq_laneq_f32(r[v_], Sx[v_], cyx, lx);                                         \
  }
#define GHAR_X(Sx, cyx, lx) GHAP_EACH r[v_] = vfmsq_laneq_f32(r[v_], Sx[v_], cyx, lx)
#define GHAR_LD(S, p) GHAP_EACH S[v_] = vld1q_f32((p) + 4 * v_)
#define GHAR_ST(p, S) GHAP_EACH vst1q_f32((p) + 4 * v_, S[v_])
/* The group at w, its y and eta y in cy, cey; the previous group's eta y in pey; the next
 * group's coefficients loaded into ny, ney. */
#define GHAR_GROUP(cy, cey, pey, ny, ney, first, next)                                       \
  do {                                                                                       \
    GHAP_ROWS_AT(w);                                                                         \
    if (first)                                                                               \
      GHAR_X(S0, cy, 0);                                                                     \
    else                                                                                     \
      GHAR_UX(S3, pey, 3, S0, cy, 0);                                                        \
    if (!(first)) GHAR_ST(pm2, S2);                                                          \
    GHAR_LD(S2, p2);                                                                         \
    GHAR_WEND();                                                                             \
    GHAR_UX(S0, cey, 0, S1, cy, 1);                                                          \
    if (!(first)) GHAR_ST(pm1, S3);                                                          \
    GHAR_LD(S3, p3);                                                                         \
    GHAR_WEND();                                                                             \
    GHAR_UX(S1, cey, 1, S2, cy, 2);                                                          \
    GHAR_ST(w, S0);                                                                          \
    if (next) {                                                                              \
      GHAR_LD(S0, p4);                                                                       \
      ny = vld1q_f32(yn), ney = vld1q_f32(en);                                               \
    }                                                                                        \
    GHAR_WEND();                                                                             \
    if (next) ney = vmulq_f32(ney, ny);                                                      \
    GHAR_UX(S2, cey, 2, S3, cy, 3);                                                          \
    GHAR_ST(p1, S1);                                                                         \
    if (next) GHAR_LD(S1, p5);                                                               \
    GHAR_WEND();                                                                             \
    w += 4 * ldw, yn += 4, en += 4;                                                          \
  } while (0)
#define GHAR_LAST(cey)                                                                       \
  do {                                                                                       \
    GHAP_EACH S3[v_] = vfmaq_laneq_f32(S3[v_], r[v_], cey, 3);                               \
    GHAR_ST(w - 2 * ldw, S2);                                                                \
    GHAR_ST(w - ldw, S3);                                                                    \
  } while (0)
#define GHAR_BODY                                                                            \
  const size_t groups = k / 4;                                                               \
  if (groups == 0) return 0;                                                                 \
  float32x4_t r[NB], S0[NB], S1[NB], S2[NB], S3[NB], Ay, Aey, By, Bey;                       \
  GHAP_EACH r[v_] = rp->v[v_];                                                               \
  Ay = vld1q_f32(y), Aey = vmulq_f32(vld1q_f32(eta), Ay);                                    \
  GHAR_LD(S0, W);                                                                            \
  GHAR_LD(S1, W + ldw);                                                                      \
  float *w = W;                                                                              \
  const float *yn = y + 4, *en = eta + 4;                                                    \
  if (groups == 1) {                                                                         \
    GHAR_GROUP(Ay, Aey, Bey, By, Bey, 1, 0);                                                 \
    GHAR_LAST(Aey);                                                                          \
  } else {                                                                                   \
    GHAR_GROUP(Ay, Aey, Bey, By, Bey, 1, 1);                                                 \
    size_t g = 1;                                                                            \
    for (; g + 2 < groups; g += 2) {                                                         \
      GHAR_GROUP(By, Bey, Aey, Ay, Aey, 0, 1);                                               \
      GHAR_GROUP(Ay, Aey, Bey, By, Bey, 0, 1);                                               \
    }                                                                                        \
    if (g + 1 < groups) {                                                                    \
      GHAR_GROUP(By, Bey, Aey, Ay, Aey, 0, 1);                                               \
      GHAR_GROUP(Ay, Aey, Bey, By, Bey, 0, 0);                                               \
      GHAR_LAST(Aey);                                                                        \
    } else {                                                                                 \
      GHAR_GROUP(By, Bey, Aey, Ay, Aey, 0, 0);                                               \
      GHAR_LAST(Bey);                                                                        \
    }                                                                                        \
  }                                                                                          \
  GHAP_EACH rp->v[v_] = r[v_];                                                               \
  return 4 * groups;

#define NB 4
GHAP_NOSCHED static size_t gha_rows4_pipe(hb_neon_residual *rp, size_t k, const float *eta,
                                          float *W, size_t ldw, const float *y) {
  GHAR_BODY
}
#undef NB
#endif

/* Rows of two vectors (above), out of line: issued as written. */
HB_NEON_AS_WRITTEN static void gha_rows2(hb_neon_residual r, size_t k, const float *eta, float *W,
                                         size_t ldw, const float *y) {
#if HB_NEON_PANEL > 4
  /* The last k mod 4 rows (the mask tells gcc there are fewer than four). */
  const size_t m = gha_rows2_pipe(&r, k, eta, W, ldw, y);
  gha_panel_rows(2, r, (k - m) & 3, eta + m, W + m * ldw, ldw, y + m);
#else
  gha_panel_rows(2, r, k, eta, W, ldw, y);
#endif
}

#if HB_NEON_PANEL > 4
/* HB_NEON_FMS_LANE / HB_NEON_FMA_LANE with a lane l that is a constant only once unrolled. */
#define GHA_FMS_LANE_L(a, b, v, l)                                                           \
  ((l) == 0   ? HB_NEON_FMS_LANE(a, b, v, 0)                                                 \
   : (l) == 1 ? HB_NEON_FMS_LANE(a, b, v, 1)                                                 \
   : (l) == 2 ? HB_NEON_FMS_LANE(a, b, v, 2)                                                 \
              : HB_NEON_FMS_LANE(a, b, v, 3))
#define GHA_FMA_LANE_L(a, b, v, l)                                                           \
  ((l) == 0   ? HB_NEON_FMA_LANE(a, b, v, 0)                                                 \
   : (l) == 1 ? HB_NEON_FMA_LANE(a, b, v, 1)                                                 \
   : (l) == 2 ? HB_NEON_FMA_LANE(a, b, v, 2)                                                 \
              : HB_NEON_FMA_LANE(a, b, v, 3))

/* Rows of four to eight vectors, row by row and fused as the scalar reference (the same bits
 * as one row at a time), four rows a group with their y and eta y in lanes: per row no scalar
 * load, multiply, negation or VDUP, which on the Cortex-A72 model held the loop at its
 * dispatch width (3 micro-ops a cycle). Returns the rows done, a multiple of four. */
HB_NEON_INLINE size_t gha_rows_lanes(size_t nb, hb_neon_residual *rp, size_t k, const float *eta,
                                     float *W, size_t ldw, const float *y) {
  hb_neon_residual r = *rp;
  size_t i = 0;
  for (; i + 4 <= k; i += 4) {
    const hb_neon_coefs c = hb_neon_coefs_at(4, eta + i, y + i);
#pragma GCC unroll 4
    for (size_t l = 0; l < 4; l++) {
      float *w = W + (i + l) * ldw;
#pragma GCC unroll 8
      for (size_t v = 0; v < nb; v++) {
        const float32x4_t wv = vld1q_f32(w + 4 * v);
        r.v[v] = GHA_FMS_LANE_L(r.v[v], wv, c.y, l);
        vst1q_f32(w + 4 * v, GHA_FMA_LANE_L(wv, r.v[v], c.ey, l));
      }
    }
  }
  *rp = r;
  return i;
}
#endif

/* Columns [j, j + 4 nb) (W from column j): r = x, then for each row  r -= y_i W_i ;  W_i +=
 * (eta y_i) r (cumulative GHA residual from the old W_i): one load and one store per W element,
 * the nb residual vectors held in registers across the k rows. A column's residual runs down
 * its own column only, so on ARMv7 rows of three and four vectors go as panels of two and
 * one or two side by side (its 16 Q registers do not hold four rows of them; row by row they
 * ran at 7-8x the A9 model's bound). On AArch64 rows of two and three vectors go through the
 * loops scheduled by hand (above), wider ones row by row with their coefficients in lanes,
 * four rows a group: their nb chains are enough work between one row's residual and the
 * next. The last k mod 4 rows go one at a time. */
HB_NEON_INLINE void gha_panel(size_t nb, hb_neon_residual r, size_t k, const float *eta,
                              float *W, size_t ldw, const float *y) {
  if (nb == 1) {
    /* AArch64 has no other use of it: inlined, its pipelined loop came out 13 % faster on the
     * A53 model. */
#if HB_NEON_PANEL > 4
    gha_panel_short(1, r, k, eta, W, ldw, y);
#else
    gha_panel_one(r, k, eta, W, ldw, y);
#endif
    return;
  }
  if (nb == 2) {
    gha_rows2(r, k, eta, W, ldw, y);
    return;
  }
  if (HB_NEON_PANEL == 4 && nb <= 4) {
    gha_rows2(r, k, eta, W, ldw, y);
    if (nb == 3)
      gha_panel_one(hb_neon_residual_part(r, 2, 1), k, eta, W + 8, ldw, y);
    else
      gha_rows2(hb_neon_residual_part(r, 2, 2), k, eta, W + 8, ldw, y);
    return;
  }
  size_t i0 = 0;
#if HB_NEON_PANEL > 4
  if (nb == 3) i0 = gha_rows3_pipe(&r, k, eta, W, ldw, y);
  if (nb == 4) i0 = gha_rows4_pipe(&r, k, eta, W, ldw, y);
  if (nb >= 5) i0 = gha_rows_lanes(nb, &r, k, eta, W, ldw, y);
#endif
  for (size_t i = i0; i < k; i++) {
    float *w = W + i * ldw;
    float32x4_t yi = vdupq_n_f32(y[i]), ei = vdupq_n_f32(eta[i] * y[i]);
    for (size_t v = 0; v < nb; v++) {
      float32x4_t wv = vld1q_f32(w + 4 * v);
      r.v[v] = vfmsq_f32(r.v[v], yi, wv);
      vst1q_f32(w + 4 * v, vfmaq_f32(wv, ei, r.v[v]));
    }
  }
}

/* One of the last d mod 4 columns, in scalar: NEON has no masked loads. */
HB_NEON_INLINE void gha_column(size_t k, size_t c, const float *eta, const float *x, float *W,
                               size_t ldw, const float *y) {
  float r = x[c];
  for (size_t i = 0; i < k; i++) {
    float *w = &W[i * ldw + c];
    r -= y[i] * *w;
    *w += eta[i] * y[i] * r;
  }
}

/* y = W x;  W += eta (y x^T - LT(y y^T) W).   6kd flop (2kd for y, 4kd for the sweep).
 * W read twice (y, sweep), written once; the last d mod 4 columns go column-wise in scalar. */
void hb_gha_step_f32__neon(size_t k, size_t d, const float *eta, const float *x, float *W, size_t ldw,
                           float *y) {
  HB_NEON_K_RULE_STEP(gha_panel, gha_column, k, d, eta, x, W, ldw, y);
}

#endif
