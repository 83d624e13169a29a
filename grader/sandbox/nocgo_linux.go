//go:build !cgo

package sandbox

// LauncherInC says which launcher this binary carries: built without cgo,
// Launch runs from init, after the Go runtime and the packages before it.
const LauncherInC = false
