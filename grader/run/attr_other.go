//go:build unix && !linux

package run

import (
	"errors"
	"syscall"
)

// adopting is false where the grader cannot become a child subreaper:
// strays are then found by reading every process's environment.
var adopting = false

func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

// boxAttr fails: there are no namespaces here.
func boxAttr(*syscall.SysProcAttr) error {
	return errors.New("the sandbox needs Linux namespaces")
}
