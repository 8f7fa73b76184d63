/// Solves (I + M) x = b for a k×k matrix M by LU factorisation with partial pivoting, in
/// storage allocated once: similarity matching's lateral solve, y = (I + M)⁻¹ W x.
///
/// I + M is not symmetric there (row i of M learns at neuron i's own rate), so Cholesky does
/// not apply, and Gauss–Seidel/Jacobi sweeps need a diagonal dominance M does not promise; the
/// direct solve costs k³/3 flops, below the k·d of the W update whenever k² < 3d.
struct LUSolver: ~Copyable {
  let size: Int
  var lu: OwnedBuffer<Float>
  var pivot: OwnedBuffer<Int>

  init(size k: Int) {
    size = k
    lu = OwnedBuffer(count: k * k)
    pivot = OwnedBuffer(count: k, repeating: 0)
  }

  /// Factors I + M (k×k, row-major) in place of the previous factors.
  mutating func factor(identityPlus m: borrowing OwnedBuffer<Float>) {
    let k = size
    let lu = self.lu.base
    for i in 0..<(k * k) { lu[i] = m[i] }
    for i in 0..<k { lu[i * k + i] += 1 }
    for c in 0..<k {
      var best = c
      var bestAbs = Swift.abs(lu[c * k + c])
      for r in (c + 1)..<Swift.max(c + 1, k) where Swift.abs(lu[r * k + c]) > bestAbs {
        best = r
        bestAbs = Swift.abs(lu[r * k + c])
      }
      pivot[c] = best
      if best != c { for j in 0..<k { lu.swapAt(c * k + j, best * k + j) } }
      let piv = lu[c * k + c]
      if piv == 0 { continue }
      for r in (c + 1)..<Swift.max(c + 1, k) {
        let f = lu[r * k + c] / piv
        lu[r * k + c] = f
        if f != 0 { for j in (c + 1)..<k { lu[r * k + j] -= f * lu[c * k + j] } }
      }
    }
  }

  /// out = (I + M)⁻¹ rhs with the factors of the last ``factor(identityPlus:)``; a zero pivot
  /// (singular I + M) gives 0 for that unknown rather than an infinity.
  func solve(_ rhs: borrowing OwnedBuffer<Float>, into out: inout OwnedBuffer<Float>) {
    let k = size
    let lu = self.lu.base
    let o = out.base
    for i in 0..<k { o[i] = rhs[i] }
    for c in 0..<k where pivot[c] != c { o.swapAt(c, pivot[c]) }
    for r in 0..<k {
      var s = o[r]
      for j in 0..<r { s -= lu[r * k + j] * o[j] }
      o[r] = s
    }
    var r = k - 1
    while r >= 0 {
      var s = o[r]
      for j in (r + 1)..<k { s -= lu[r * k + j] * o[j] }
      let piv = lu[r * k + r]
      o[r] = piv != 0 ? s / piv : 0
      r -= 1
    }
  }
}

extension UnsafeMutablePointer where Pointee == Float {
  @inline(__always)
  func swapAt(_ a: Int, _ b: Int) {
    let t = self[a]
    self[a] = self[b]
    self[b] = t
  }
}
