internal import CHebbian

extension KernelSelfTest {
  /// The plasticity family against its scalar reference: k ∈ {1, 2, 5} rows, d = 1…67,
  /// ldw = d + 3 (the gap and a guard tail must stay untouched), misaligned operands.
  ///
  /// Every weight moves by at most three products and adds, computed in the same order by
  /// every variant except that vector bodies fuse a multiply with an add. Per element, with
  /// S the sum of the magnitudes of the terms:
  /// - hebb_decay (1−λ)w + ηy·x, instar w + ηy(x − w), bcm w + g·x: ≤ 2ε·S, bound 4ε;
  /// - stdp_trace: Δw = s_i(a₊x_j + c₊) + s_j b_i is formed with two fusable steps and then
  ///   applied (times the distance to a bound for soft bounds): ≤ 4ε·S with
  ///   S = |w| + (|a₊x_j| + |c₊| + |b_i|)·max(1, w_max − w_min), bound 6ε; the traces,
  ///   x ← decay·x then x + s(1 − near·x), are exact in both (s ∈ {0, 1}, near ∈ {0, 1}), so
  ///   they are compared with S = |x| + 1 under the same bound.
  static func plasticity(_ h: inout Harness) {
    guard let refTable = hb_plasticity_kernels_for(HB_ISA_SCALAR) else { return }
    let ref = refTable.pointee
    let s = Scratch(slots: 12, floats: 5 * 70)
    let g = Scratch.guardCount
    let ks = [1, 2, 5]
    for isa in ISA.supported {
      guard let table = hb_plasticity_kernels_for(isa.c) else {
        h.missing("table", isa)
        continue
      }
      let k = table.pointee
      for kernel in ["hebb_decay_step", "instar_step", "bcm_step"] {
        h.row(kernel, isa, tolerance: 4 * eps) { h, t in
          for kk in ks {
            for d in lengths {
              let ldw = d + 3, nw = (kk - 1) * ldw + d
              let x = s(0), y = s(1), theta = s(2), w = s(3), wr = s(4), wv = s(5)
              h.fill(x, d)
              h.fill(y, kk)
              h.fill(theta, kk)
              h.fill(w, nw + g)
              wr.update(from: w, count: nw + g)
              wv.update(from: w, count: nw + g)
              let eta: Float = 0.05, lambda: Float = 0.01
              switch kernel {
              case "hebb_decay_step":
                ref.hebb_decay_step(kk, d, eta, lambda, x, y, wr, ldw)
                k.hebb_decay_step(kk, d, eta, lambda, x, y, wv, ldw)
              case "instar_step":
                ref.instar_step(kk, d, eta, x, y, wr, ldw)
                k.instar_step(kk, d, eta, x, y, wv, ldw)
              default:
                ref.bcm_step(kk, d, eta, x, y, theta, wr, ldw)
                k.bcm_step(kk, d, eta, x, y, theta, wv, ldw)
              }
              t.compare(wr, wv, nw + g) { e in
                let i = e / ldw, j = e % ldw
                guard e < nw && j < d else { return 0 }
                let gain = eta * y[i].magnitude
                switch kernel {
                case "hebb_decay_step": return w[e].magnitude + gain * x[j].magnitude
                case "instar_step": return w[e].magnitude + gain * (x[j].magnitude + w[e].magnitude)
                default:
                  return w[e].magnitude + gain * (y[i] - theta[i]).magnitude * x[j].magnitude
                }
              }
              t.cases += 1
            }
          }
        }
      }
      h.row("stdp_trace_step", isa, tolerance: 6 * eps) { h, t in
        for mode in 0..<5 {
          // hard/soft × all-to-all/nearest, then the Vogels form (constant pre-spike term).
          var p = hb_stdp_params(
            decay_pre: 0.95, decay_post: 0.9, a_pre: mode == 4 ? 0.01 : -0.0105,
            c_pre: mode == 4 ? -0.004 : 0, a_post: 0.01, c_post: 0, w_min: 0, w_max: 1,
            soft_bounds: Int32(mode & 1), nearest: Int32((mode >> 1) & 1))
          for kk in ks {
            for d in lengths {
              let ldw = d + 3, nw = (kk - 1) * ldw + d
              let pre = s(0), post = s(1), xr = s(2), xv = s(3), yr = s(4), yv = s(5)
              let w = s(6), wr = s(7), wv = s(8), x0 = s(9), y0 = s(10)
              for j in 0..<d { pre[j] = h.rng.uniform() < 0.3 ? 1 : 0 }
              for i in 0..<kk { post[i] = h.rng.uniform() < 0.5 ? 1 : 0 }
              for j in 0..<(d + g) { x0[j] = 2 * Float(h.rng.uniform()) }
              for i in 0..<(kk + g) { y0[i] = 2 * Float(h.rng.uniform()) }
              for e in 0..<(nw + g) { w[e] = Float(h.rng.uniform()) }
              xr.update(from: x0, count: d + g)
              xv.update(from: x0, count: d + g)
              yr.update(from: y0, count: kk + g)
              yv.update(from: y0, count: kk + g)
              wr.update(from: w, count: nw + g)
              wv.update(from: w, count: nw + g)
              ref.stdp_trace_step(kk, d, &p, pre, xr, post, yr, wr, ldw)
              k.stdp_trace_step(kk, d, &p, pre, xv, post, yv, wv, ldw)
              t.compare(wr, wv, nw + g) { e in
                let i = e / ldw, j = e % ldw
                guard e < nw && j < d else { return 0 }
                let b = p.a_pre.magnitude * y0[i] + p.c_pre.magnitude
                return w[e].magnitude + (p.a_post.magnitude * x0[j] + p.c_post.magnitude + b)
              }
              t.compare(xr, xv, d + g) { j in j < d ? x0[j] + 1 : 0 }
              t.compare(yr, yv, kk + g) { i in i < kk ? y0[i] + 1 : 0 }
              t.cases += 1
            }
          }
        }
      }
    }
  }
}
