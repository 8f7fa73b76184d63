/// The patterns a memory keeps as they were given: `capacity` rows of `dimension` entries
/// (X with one pattern per row) and how many rows are filled. The memories that recall from
/// the patterns themselves (modern, dense, two-layer, normative) keep them here, so the
/// checks of `store` and the meaning of `removeAll` are the same for all of them.
struct PatternStore: ~Copyable {
  /// The memory's name, as its messages give it.
  let memory: String
  let dimension: Int
  let capacity: Int
  private(set) var count = 0
  /// Row μ is pattern μ, from index μ·dimension.
  var rows: OwnedBuffer<Float>

  /// Sizes already checked by the memory (its budget included).
  init(_ memory: String, dimension: Int, capacity: Int) {
    self.memory = memory
    self.dimension = dimension
    self.capacity = capacity
    rows = OwnedBuffer(count: capacity * dimension)
  }

  /// Appends `pattern` as the next row: its entries as given (each must be finite), or with
  /// `signs` as ±1. Returns the row's first index. Refuses a wrong length or a full store.
  @discardableResult
  mutating func append(_ pattern: Span<Float>, signs: Bool = false) throws(HebbianError) -> Int {
    try checkShape("\(memory) pattern", dimension, pattern.count)
    try checkCapacity(memory, count, capacity)
    let row = count * dimension
    if signs {
      storeSigns(pattern, into: &rows, at: row)
    } else {
      try storeFinite(pattern, into: &rows, at: row)
    }
    count += 1
    return row
  }

  /// Forgets every pattern; the storage stays.
  mutating func removeAll() { count = 0 }
}
