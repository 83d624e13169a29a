//go:build cgo

package sandbox

// #cgo CFLAGS: -O2 -Wall
// #include <stdlib.h>
// #include "spawn_linux.h"
import "C"

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"syscall"
	"unsafe"
)

// CanSpawn says whether Spawn works in this build.
const CanSpawn = true

// Spawn starts the program at path with argv and env, in dir, confined
// with c, and returns its pid: a child cloned into new pid and mount
// namespaces does the launcher's set-up and executes the program, with no
// launcher process in between (one exec per run instead of two). files
// become its stdin, stdout and stderr, and files[3] receives a set-up
// failure (see SetupFD). Call it on the thread whose network namespace
// the program gets (NetNS.Do); the caller waits for the pid.
func Spawn(c Config, path string, argv, env []string, dir string, files [4]*os.File) (int, error) {
	c, err := c.clean()
	if err != nil {
		return 0, err
	}
	if len(argv) == 0 {
		return 0, errors.New("sandbox: no program to run")
	}
	var strs []unsafe.Pointer
	cstr := func(s string) *C.char {
		p := C.CString(s)
		strs = append(strs, unsafe.Pointer(p))
		return p
	}
	carray := func(list []string) **C.char {
		a := (**C.char)(C.calloc(C.size_t(len(list)+1), C.size_t(unsafe.Sizeof((*C.char)(nil)))))
		strs = append(strs, unsafe.Pointer(a))
		items := unsafe.Slice(a, len(list)+1)
		for i, s := range list {
			items[i] = cstr(s)
		}
		return a
	}
	defer func() {
		for _, p := range strs {
			C.free(p)
		}
	}()
	s := (*C.struct_grader_spawn)(C.calloc(1, C.size_t(unsafe.Sizeof(C.struct_grader_spawn{}))))
	defer C.free(unsafe.Pointer(s))
	s.c.uid, s.c.gid = C.longlong(c.UID), C.longlong(c.GID)
	s.c.cpu, s.c.memory = C.longlong(c.Limits.CPU), C.longlong(c.Limits.Memory)
	s.c.processes, s.c.filesize = C.longlong(c.Limits.Processes), C.longlong(c.Limits.FileSize)
	s.c.openfiles = C.longlong(c.Limits.OpenFiles)
	s.c.work, s.c.hosts = cstr(c.Work), cstr(c.Hosts)
	s.c.hide, s.c.nhide = carray(c.Hide), C.longlong(len(c.Hide))
	s.path, s.dir = cstr(path), cstr(dir)
	s.argv, s.envp = carray(argv), carray(env)
	for i, f := range files {
		if f == nil {
			return 0, fmt.Errorf("sandbox: descriptor %d missing", i)
		}
		s.fds[i] = C.int(f.Fd())
	}
	spawnLock.RLock()
	pid := C.grader_spawn(s)
	spawnLock.RUnlock()
	// The descriptors must stay open until the child has its copies.
	runtime.KeepAlive(files)
	if pid < 0 {
		return 0, fmt.Errorf("could not start a sandboxed process: %w", syscall.Errno(-pid))
	}
	return int(pid), nil
}
