/// Parameters of a conductance-based leaky integrate-and-fire neuron. Voltages in mV, times in
/// ms, conductances in units of the leak conductance (so a jump of 0.01 is 1 % of g_L).
public struct LIFParameters: Sendable, Equatable {
  public var membraneTimeConstant: Double
  public var restPotential: Double
  public var threshold: Double
  public var resetPotential: Double
  public var refractoryPeriod: Double
  public var excitatoryReversal: Double
  public var inhibitoryReversal: Double
  public var excitatoryTimeConstant: Double
  public var inhibitoryTimeConstant: Double

  public init(
    membraneTimeConstant: Double = 20, restPotential: Double = -70, threshold: Double = -54,
    resetPotential: Double = -60, refractoryPeriod: Double = 0, excitatoryReversal: Double = 0,
    inhibitoryReversal: Double = -70, excitatoryTimeConstant: Double = 5,
    inhibitoryTimeConstant: Double = 5
  ) {
    self.membraneTimeConstant = membraneTimeConstant
    self.restPotential = restPotential
    self.threshold = threshold
    self.resetPotential = resetPotential
    self.refractoryPeriod = refractoryPeriod
    self.excitatoryReversal = excitatoryReversal
    self.inhibitoryReversal = inhibitoryReversal
    self.excitatoryTimeConstant = excitatoryTimeConstant
    self.inhibitoryTimeConstant = inhibitoryTimeConstant
  }

  /// Song, Miller & Abbott (2000): τ_m = 20 ms, V_rest = −70, V_th = −54, V_reset = −60 mV,
  /// E_ex = 0, E_in = −70 mV, τ_ex = τ_in = 5 ms.
  public static let song2000 = LIFParameters()

  /// Vogels et al. (2011), single cell: τ_m = 20 ms, V_rest = V_reset = −60, V_th = −50 mV,
  /// 5 ms refractory, E_E = 0, E_I = −80 mV, τ_E = 5 ms, τ_I = 10 ms.
  public static let vogels2011 = LIFParameters(
    restPotential: -60, threshold: -50, resetPotential: -60, refractoryPeriod: 5,
    inhibitoryReversal: -80, inhibitoryTimeConstant: 10)

  func validate(dt: Double) throws(HebbianError) {
    try checkTimeStep(dt)
    if !(membraneTimeConstant > 0 && excitatoryTimeConstant > 0 && inhibitoryTimeConstant > 0) {
      throw .invalidParameter("LIF time constants must be > 0")
    }
    if !(threshold > resetPotential) { throw .invalidParameter("LIF threshold must exceed reset") }
    if !(refractoryPeriod >= 0) { throw .invalidParameter("refractory period must be >= 0") }
  }
}

/// A population of conductance-based LIF neurons advanced by a fixed step dt:
///
///   τ_m dV/dt = (E_L − V) + g_E (E_E − V) + g_I (E_I − V),   τ_E dg_E/dt = −g_E,  τ_I dg_I/dt = −g_I
///
/// Within a step the conductances are replaced by their exact mean over the step,
/// ḡ = g τ_s (1 − e^(−dt/τ_s)) / dt; the membrane equation is then linear and is integrated
/// exactly, V ← V∞ + (V − V∞) e^(−G dt/τ_m) with G = 1 + ḡ_E + ḡ_I and
/// V∞ = (E_L + ḡ_E E_E + ḡ_I E_I)/G, so the step is stable for any dt. A neuron that reaches
/// threshold spikes, is reset and held at reset for the refractory period. Presynaptic spikes
/// arrive as conductance jumps (``addExcitatory(_:to:)``) before the step.
public struct LIFPopulation: ~Copyable {
  public let count: Int
  public let parameters: LIFParameters
  public let dt: Double
  public private(set) var time: Double = 0
  var v: OwnedBuffer<Double>
  var gE: OwnedBuffer<Double>
  var gI: OwnedBuffer<Double>
  var refractory: OwnedBuffer<Double>
  /// 0/1 per neuron for the last step: the postsynaptic spikes of a plasticity kernel.
  var spikes: OwnedBuffer<Float>
  var spikeCounts: OwnedBuffer<Int>
  let decayE: Double, decayI: Double, meanE: Double, meanI: Double
  // Currents of the last step, ḡ (E − V) in mV (i.e. × g_L), for E/I balance diagnostics.
  var currentE: OwnedBuffer<Double>
  var currentI: OwnedBuffer<Double>

  public init(count: Int, parameters: LIFParameters = .song2000, dt: Double = 0.1)
    throws(HebbianError)
  {
    if count < 1 { throw .invalidParameter("neuron count must be >= 1, got \(count)") }
    try MemoryBudget.check("LIF population", "\(count) neurons", [[8, count]])
    try parameters.validate(dt: dt)
    self.count = count
    self.parameters = parameters
    self.dt = dt
    decayE = Math.exp(-dt / parameters.excitatoryTimeConstant)
    decayI = Math.exp(-dt / parameters.inhibitoryTimeConstant)
    meanE = parameters.excitatoryTimeConstant * (1 - decayE) / dt
    meanI = parameters.inhibitoryTimeConstant * (1 - decayI) / dt
    v = OwnedBuffer(count: count, repeating: parameters.restPotential)
    gE = OwnedBuffer(count: count, repeating: 0)
    gI = OwnedBuffer(count: count, repeating: 0)
    refractory = OwnedBuffer(count: count, repeating: 0)
    spikes = OwnedBuffer(count: count)
    spikeCounts = OwnedBuffer(count: count, repeating: 0)
    currentE = OwnedBuffer(count: count, repeating: 0)
    currentI = OwnedBuffer(count: count, repeating: 0)
  }

  /// Adds a conductance jump (units of g_L) to neuron i's excitatory synapses.
  @inline(__always)
  public mutating func addExcitatory(_ amount: Float, to i: Int) { gE[i] += Double(amount) }

  /// Adds a conductance jump (units of g_L) to neuron i's inhibitory synapses.
  @inline(__always)
  public mutating func addInhibitory(_ amount: Float, to i: Int) { gI[i] += Double(amount) }

  /// Advances every neuron by dt; afterwards ``spiked(_:)`` tells which fired.
  public mutating func step() {
    let p = parameters
    let rate = dt / p.membraneTimeConstant
    for i in 0..<count {
      let ge = gE[i] * meanE, gi = gI[i] * meanI
      var vi = v[i]
      currentE[i] = ge * (p.excitatoryReversal - vi)
      currentI[i] = gi * (vi - p.inhibitoryReversal)
      spikes[i] = 0
      if refractory[i] > 0 {
        refractory[i] -= dt
        vi = p.resetPotential
      } else {
        let g = 1 + ge + gi
        let vInf = (p.restPotential + ge * p.excitatoryReversal + gi * p.inhibitoryReversal) / g
        vi = vInf + (vi - vInf) * Math.exp(-g * rate)
        if vi >= p.threshold {
          spikes[i] = 1
          spikeCounts[i] += 1
          vi = p.resetPotential
          // The step that fired counts as the first refractory step.
          refractory[i] = p.refractoryPeriod - dt * 0.5
        }
      }
      v[i] = vi
      gE[i] *= decayE
      gI[i] *= decayI
    }
    time += dt
  }

  public func spiked(_ i: Int) -> Bool { spikes[i] != 0 }
  /// The excitatory conductance of neuron i (× g_L) at the start of the next step.
  public func conductanceE(_ i: Int) -> Double { gE[i] }
  /// The inhibitory conductance of neuron i (× g_L) at the start of the next step.
  public func conductanceI(_ i: Int) -> Double { gI[i] }
  public func potential(_ i: Int) -> Double { v[i] }
  /// Spikes of neuron i since the last ``resetSpikeCounts()``.
  public func spikeCount(_ i: Int) -> Int { spikeCounts[i] }
  public mutating func resetSpikeCounts() { spikeCounts.fill(0) }
  /// Excitatory synaptic current of the last step, ḡ_E (E_E − V), in mV (× g_L); positive.
  public func excitatoryCurrent(_ i: Int) -> Double { currentE[i] }
  /// Inhibitory synaptic current of the last step, ḡ_I (V − E_I), in mV (× g_L); positive
  /// when it hyperpolarises.
  public func inhibitoryCurrent(_ i: Int) -> Double { currentI[i] }
}
