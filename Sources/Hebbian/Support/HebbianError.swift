/// Errors thrown by the checked entry points of the library. Each case carries what is needed
/// to print one clear line; ``message`` is that line.
public enum HebbianError: Error, Equatable {
  /// A vector or matrix had the wrong length along some axis.
  case dimensionMismatch(what: String, expected: Int, got: Int)
  /// A parameter is outside its valid range (the string names the contract).
  case invalidParameter(String)
  /// A non-finite value (NaN or infinity) at this index of an input.
  case nonFinite(index: Int)
  /// An update was refused because the weights would blow up; state is unchanged.
  case diverged(String)
  /// `HEBBIAN_ISA` or an explicit request named a variant this CPU or build lacks.
  case isaUnavailable(String)
  /// `HEBBIAN_ISA` named no known variant.
  case unknownISA(String)
  /// Serialized data (a model or checkpoint) is malformed.
  case format(String)

  /// One line, suitable for a command-line error message.
  public var message: String {
    switch self {
    case .dimensionMismatch(let what, let expected, let got):
      return "\(what): expected \(expected), got \(got)"
    case .invalidParameter(let s): return s
    case .nonFinite(let index): return "non-finite value (NaN or infinity) at index \(index)"
    case .diverged(let s): return s
    case .isaUnavailable(let name):
      return "instruction set '\(name)' is not supported on this CPU or build"
    case .unknownISA(let name): return "unknown instruction set '\(name)' (scalar, avx2, neon)"
    case .format(let s): return s
    }
  }
}

// The length checks of the entry points. `what` is built only when a check throws: a check of
// a good call allocates nothing, even with an interpolated name.

/// Refuses `got` entries where exactly `expected` are needed.
@inline(__always)
func checkShape(_ what: @autoclosure () -> String, _ expected: Int, _ got: Int)
  throws(HebbianError)
{
  if got != expected { throw .dimensionMismatch(what: what(), expected: expected, got: got) }
}

/// Refuses an output with room for `got` entries where `expected` are written.
@inline(__always)
func checkRoom(_ what: @autoclosure () -> String, _ expected: Int, _ got: Int)
  throws(HebbianError)
{
  if got < expected { throw .dimensionMismatch(what: what(), expected: expected, got: got) }
}

/// Refuses a simulation step that is not a finite positive number of milliseconds: the one
/// check of dt that the LIF population, the Poisson inputs and both kinds of STDP synapses share.
func checkTimeStep(_ dt: Double) throws(HebbianError) {
  if !(dt > 0 && dt.isFinite) { throw .invalidParameter("dt must be finite and > 0 ms") }
}
