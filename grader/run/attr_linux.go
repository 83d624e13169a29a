package run

import (
	"sync"
	"syscall"

	"github.com/netlab-grader/grader/grader/sandbox"
)

// procAttr puts the program in its own process group and kills it if the
// grader itself dies, so no student process outlives a crashed grader.
func procAttr() *syscall.SysProcAttr {
	adoptOnce.Do(adoptOrphans)
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

var adoptOnce sync.Once

// adopting is true once the grader is a child subreaper: a daemon that
// double-forks away from its program is reparented to the grader instead
// of init, so it stays findable and killable.
var adopting bool

func adoptOrphans() {
	const prSetChildSubreaper = 36
	_, _, errno := syscall.RawSyscall6(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0, 0, 0, 0)
	adopting = errno == 0
	if adopting {
		reapAdopted()
	}
}

// boxAttr adds the sandbox launcher's namespaces to attr.
func boxAttr(attr *syscall.SysProcAttr) error {
	attr.Cloneflags |= sandbox.Cloneflags
	return nil
}
