package sandbox

// Unwrap exposes unwrap to the specs.
var Unwrap = unwrap
