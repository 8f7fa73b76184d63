internal import CHebbian

/// Library version, shared with the C layer.
public let hebbianVersion = "0.1.0"
