//go:build !cgo

package sandbox

import (
	"errors"
	"os"
)

// CanSpawn says whether Spawn works in this build: not without cgo, where
// programs start through the launcher (Wrap).
const CanSpawn = false

// Spawn needs cgo.
func Spawn(Config, string, []string, []string, string, [4]*os.File) (int, error) {
	return 0, errors.New("sandbox: Spawn needs a build with cgo")
}
