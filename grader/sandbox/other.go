//go:build !linux

package sandbox

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// Cloneflags is zero where there are no namespaces.
const Cloneflags = 0

// Available says why there is no sandbox here.
func Available() error { return errors.New("needs Linux namespaces") }

// NetNS is a stand-in where namespaces do not exist; NewNetNS fails.
type NetNS struct{}

// NewNetNS fails outside Linux.
func NewNetNS() (*NetNS, error) { return nil, Available() }

// Do runs f.
func (*NetNS) Do(f func()) { f() }

// Close does nothing.
func (*NetNS) Close() {}

// Launch fails outside Linux.
func Launch(args []string, stderr io.Writer) int {
	fmt.Fprintln(stderr, "grader sandbox: needs Linux")
	return 126
}

// CanSpawn is false: there is no sandbox outside Linux.
const CanSpawn = false

// Spawn fails outside Linux.
func Spawn(Config, string, []string, []string, string, [4]*os.File) (int, error) {
	return 0, Available()
}
