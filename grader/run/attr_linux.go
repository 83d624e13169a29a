package run

import "syscall"

// procAttr puts the program in its own process group and kills it if the
// grader itself dies, so no student process outlives a crashed grader.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
