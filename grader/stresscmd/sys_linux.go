package main

import (
	"os/exec"
	"syscall"
)

// detach puts cmd in its own process group, so that killGroup reaches the
// grader and every submission it started, and has the kernel kill it if
// this command dies first.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// killGroup kills cmd's whole process group.
func killGroup(cmd *exec.Cmd) error {
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
}
