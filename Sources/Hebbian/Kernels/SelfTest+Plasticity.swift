internal import CHebbian

extension KernelSweep {
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
  static var plasticityCases: [Case] {
    let ks = plasticityKs
    let rate = ["hebb_decay_step", "instar_step", "bcm_step"].map { kernel in
      Case(kernel: kernel, tolerance: 4 * eps) { h, isa, t in
        guard let (ref, k) = tables(hb_plasticity_kernels_for, isa, &t) else { return }
        let s = scratch(6, floats: ks.last! * (lengths.upperBound + 3))
        let g = Buffer<Float>.defaultGuard
        matrixShapes(ks) { kk, d, ldw, nw in
          let x = s[0].p, y = s[1].p, theta = s[2].p, w = s[3].p, wr = s[4].p, wv = s[5].p
          h.fill(x, d)
          h.fill(y, kk)
          h.fill(theta, kk)
          h.fill(w, nw + g)
          twin(w, wr, wv, nw + g)
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
    let stdp = Case(kernel: "stdp_trace_step", tolerance: 6 * eps) { h, isa, t in
      guard let (ref, k) = tables(hb_plasticity_kernels_for, isa, &t) else { return }
      let s = scratch(11, floats: ks.last! * (lengths.upperBound + 3))
      let g = Buffer<Float>.defaultGuard
      for mode in 0..<5 {
        // hard/soft × all-to-all/nearest, then the Vogels form (constant pre-spike term).
        var p = hb_stdp_params(
          decay_pre: 0.95, decay_post: 0.9, a_pre: mode == 4 ? 0.01 : -0.0105,
          c_pre: mode == 4 ? -0.004 : 0, a_post: 0.01, c_post: 0, w_min: 0, w_max: 1,
          bounds: hb_stdp_bounds(UInt32(mode & 1)),
          pairing: hb_stdp_pairing(UInt32((mode >> 1) & 1)))
        matrixShapes(ks) { kk, d, ldw, nw in
          let pre = s[0].p, post = s[1].p, xr = s[2].p, xv = s[3].p, yr = s[4].p, yv = s[5].p
          let w = s[6].p, wr = s[7].p, wv = s[8].p, x0 = s[9].p, y0 = s[10].p
          for j in 0..<d { pre[j] = h.rng.uniform() < 0.3 ? 1 : 0 }
          for i in 0..<kk { post[i] = h.rng.uniform() < 0.5 ? 1 : 0 }
          for j in 0..<(d + g) { x0[j] = 2 * Float(h.rng.uniform()) }
          for i in 0..<(kk + g) { y0[i] = 2 * Float(h.rng.uniform()) }
          for e in 0..<(nw + g) { w[e] = Float(h.rng.uniform()) }
          twin(x0, xr, xv, d + g)
          twin(y0, yr, yv, kk + g)
          twin(w, wr, wv, nw + g)
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
    return rate + [stdp]
  }
}

extension KernelSweep {
  /// The plastic layer family (m × n matrices with ld = n + 3, both trace rules) against its
  /// scalar reference. Inputs are uniform in [−1, 1), as a tanh layer's are. Per element,
  /// with S the sum of the magnitudes of the terms that form it:
  /// - plastic_current a_j + Σ_i (w_ij + α_ij H_ij) x_i: a reduction of m terms that each
  ///   round up to three times, ≤ (m + 4)ε·S, bound at the largest m of the shapes;
  /// - hebb_trace_step, decay (1 − η)H + ηx_i y_j or Oja H + ηy_j(x_i − H y_j): at most four
  ///   roundings either side, some fused in the vector bodies: ≤ 4ε·S, bound 6ε;
  /// - plastic_backward_step: dL/da_j is a column reduction of m terms times 1 − y_j² (S
  ///   counts 1 and y_j², which an FMA may cancel differently); the gradients of w, α and H
  ///   add one product of it, dL/dx_i reduces n such terms and dL/dη all m·n, so every output
  ///   is within (m·n + 8)ε·S, the row's bound at the largest m·n of the shapes.
  static var plasticCases: [Case] {
    let eta: Float = 0.3
    let rules = [HB_TRACE_DECAY, HB_TRACE_OJA]
    let maxM = plasticShapes.map { $0.m }.max()!
    let maxMN = plasticShapes.map { $0.m * $0.n }.max()!
    let current = Case(kernel: "plastic_current", tolerance: Float(maxM + 4) * eps) { h, isa, t in
      guard let (ref, k) = tables(hb_plastic_kernels_for, isa, &t) else { return }
      let g = Buffer<Float>.defaultGuard
      for (m, n) in plasticShapes {
        let ld = n + 3, nm = (m - 1) * ld + n
        let w = h.uniform(nm), al = h.uniform(nm), hh = h.uniform(nm), x = h.uniform(m)
        let a = h.uniform(n), ar = a.copy(), av = a.copy()
        ref.plastic_current(m, n, w.p, al.p, hh.p, ld, x.p, ar.p)
        k.plastic_current(m, n, w.p, al.p, hh.p, ld, x.p, av.p)
        t.compare(ar.p, av.p, n + g) { j in
          guard j < n else { return 0 }
          var s = a[j].magnitude
          for i in 0..<m {
            s +=
              (w[i * ld + j].magnitude + (al[i * ld + j] * hh[i * ld + j]).magnitude)
              * x[i].magnitude
          }
          return s
        }
        t.cases += 1
      }
    }
    let trace = Case(kernel: "hebb_trace_step", tolerance: 6 * eps) { h, isa, t in
      guard let (ref, k) = tables(hb_plastic_kernels_for, isa, &t) else { return }
      let g = Buffer<Float>.defaultGuard
      for rule in rules {
        for (m, n) in plasticShapes {
          let ld = n + 3, nm = (m - 1) * ld + n
          let x = h.uniform(m), y = h.uniform(n), hh = h.uniform(nm)
          let hr = hh.copy(), hv = hh.copy()
          ref.hebb_trace_step(rule, m, n, eta, x.p, y.p, hr.p, ld)
          k.hebb_trace_step(rule, m, n, eta, x.p, y.p, hv.p, ld)
          t.compare(hr.p, hv.p, nm + g) { e in
            let i = e / ld, j = e % ld
            guard e < nm && j < n else { return 0 }
            let hv = hh[e].magnitude, ey = (eta * y[j]).magnitude
            return rule == HB_TRACE_OJA
              ? hv + ey * (x[i].magnitude + hv * y[j].magnitude)
              : (1 - eta) * hv + ey * x[i].magnitude
          }
          t.cases += 1
        }
      }
    }
    let backward = Case(kernel: "plastic_backward_step", tolerance: Float(maxMN + 8) * eps) {
      h, isa, t in
      guard let (ref, k) = tables(hb_plastic_kernels_for, isa, &t) else { return }
      let g = Buffer<Float>.defaultGuard
      for rule in rules {
        let oja = rule == HB_TRACE_OJA
        for (m, n) in plasticShapes {
          let ld = n + 3, nm = (m - 1) * ld + n
          let w = h.uniform(nm), al = h.uniform(nm), hh = h.uniform(nm)
          let x = h.uniform(m), y = h.uniform(n)
          let gy = h.uniform(n), gH = h.uniform(nm), gx = h.uniform(m)
          let gw = h.uniform(nm), ga = h.uniform(nm)
          let gyr = gy.copy(), gHr = gH.copy(), gxr = gx.copy(), gwr = gw.copy(), gar = ga.copy()
          let gyv = gy.copy(), gHv = gH.copy(), gxv = gx.copy(), gwv = gw.copy(), gav = ga.copy()
          let er = ref.plastic_backward_step(
            rule, m, n, eta, w.p, al.p, hh.p, ld, x.p, y.p, gyr.p, gHr.p, gxr.p, gwr.p, gar.p)
          let ev = k.plastic_backward_step(
            rule, m, n, eta, w.p, al.p, hh.p, ld, x.p, y.p, gyv.p, gHv.p, gxv.p, gwv.p, gav.p)
          // G_j: the magnitude of dL/da_j, which every other gradient multiplies.
          var bigG = [Float](repeating: 0, count: n)
          var sEta: Float = 0
          for j in 0..<n {
            let yj = y[j].magnitude
            var s = gy[j].magnitude
            for i in 0..<m {
              let e = i * ld + j
              let c = (eta * x[i]).magnitude + (oja ? 2 * (eta * hh[e] * y[j]).magnitude : 0)
              s += gH[e].magnitude * c
              sEta +=
                gH[e].magnitude * ((x[i] * y[j]).magnitude + hh[e].magnitude * (oja ? yj * yj : 1))
            }
            bigG[j] = s
          }
          t.compare(gyr.p, gyv.p, n + g) { j in j < n ? bigG[j] : 0 }
          t.compare(er, ev, scale: sEta)
          t.compare(gwr.p, gwv.p, nm + g) { e in
            let i = e / ld, j = e % ld
            return e < nm && j < n ? gw[e].magnitude + x[i].magnitude * bigG[j] : 0
          }
          t.compare(gar.p, gav.p, nm + g) { e in
            let i = e / ld, j = e % ld
            return e < nm && j < n ? ga[e].magnitude + (hh[e] * x[i]).magnitude * bigG[j] : 0
          }
          t.compare(gHr.p, gHv.p, nm + g) { e in
            let i = e / ld, j = e % ld
            guard e < nm && j < n else { return 0 }
            let keep = oja ? 1 + (eta * y[j] * y[j]).magnitude : 1 + eta
            return gH[e].magnitude * keep + (al[e] * x[i]).magnitude * bigG[j]
          }
          t.compare(gxr.p, gxv.p, m + g) { i in
            guard i < m else { return 0 }
            var s = gx[i].magnitude
            for j in 0..<n {
              let e = i * ld + j
              s += (w[e].magnitude + (al[e] * hh[e]).magnitude) * bigG[j]
              s += (eta * gH[e] * y[j]).magnitude
            }
            return s
          }
          t.cases += 1
        }
      }
    }
    return [current, trace, backward]
  }

  /// `count` values uniform in [−1, 1), guard tail included, one float past a 64-byte boundary.
  mutating func uniform(_ count: Int) -> Buffer<Float> {
    let b = Buffer<Float>(count: count)
    for i in 0..<b.total { b[i] = Float(2 * rng.uniform() - 1) }
    return b
  }
}
