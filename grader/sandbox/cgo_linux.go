//go:build cgo

package sandbox

// Importing C links launch_linux.c, the launcher that runs before the Go
// runtime starts.

// #cgo CFLAGS: -O2 -Wall
import "C"

// LauncherInC says which launcher this binary carries.
const LauncherInC = true
