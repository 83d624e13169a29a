package sandbox

import (
	"fmt"
	"io"
	"os"
	"sync"
	"syscall"
)

// spawnLock keeps programs from being started while ExecOnlyCopy holds a
// file open for writing: Spawn takes it for reading, ExecOnlyCopy for
// writing. (os/exec takes syscall.ForkLock for writing for the same
// reason; ExecOnlyCopy holds that one for reading.)
var spawnLock sync.RWMutex

// ExecOnlyCopy writes a copy of the executable src at dst, mode 0711:
// a sandboxed program (another uid) can execute it but not read it. The
// grader's executable embeds the exercises, hidden scenarios included;
// a program that must run the grader (a fixture proving the reference
// server, `{grader} serve ws`) gets this copy while the original is
// hidden.
//
// No process is started while dst is open for writing: one started then
// would hold the descriptor until it executes, and executing dst at
// that moment fails with "text file busy".
func ExecOnlyCopy(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("could not copy the grader's executable: %w", err)
	}
	defer in.Close()
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	spawnLock.Lock()
	defer spawnLock.Unlock()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o700)
	if err != nil {
		return fmt.Errorf("could not copy the grader's executable: %w", err)
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// Not subject to the umask, unlike the mode given to OpenFile.
		err = os.Chmod(dst, 0o711)
	}
	if err != nil {
		os.Remove(dst)
		return fmt.Errorf("could not copy the grader's executable: %w", err)
	}
	return nil
}
