import Hebbian

/// Runs library code whose errors are about the options given (a shape, a rate, a budget):
/// they become usage errors, exit status 2, with the library's message.
func usageErrors<R: ~Copyable>(_ body: () throws(HebbianError) -> R) throws(CLIError) -> R {
  do {
    return try body()
  } catch {
    throw .usage(error.message)
  }
}
