//go:build unix

package run

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

func sysProcAttr() *syscall.SysProcAttr {
	closeInherited()
	return procAttr()
}

// closeInherited marks close-on-exec every descriptor above stderr that
// is open across exec: those the grader inherited (a make jobserver's
// pipes, a CI runner's files) or that C code in it opened so. os/exec
// passes those on to every program it starts, and a student's program
// has no business with them. The grader's own descriptors are
// close-on-exec already; reading the list costs a few microseconds per
// descriptor at each start.
func closeInherited() {
	for _, dir := range []string{"/proc/self/fd", "/dev/fd"} {
		ents, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range ents {
			if fd, err := strconv.Atoi(e.Name()); err == nil && fd > 2 {
				syscall.CloseOnExec(fd)
			}
		}
		return
	}
}

// TagVar is the environment variable that marks every process a run
// starts, so the grader finds them all even after they daemonize.
const TagVar = "GRADER_RUN"

// started guards the table of programs the grader started itself: a scan
// must never reap one of them (os/exec waits for those), so Start holds
// the lock from fork to registration.
var started = struct {
	sync.Mutex
	pids map[int]bool
}{pids: map[int]bool{}}

func register(pid int)   { started.pids[pid] = true }
func unregister(pid int) { started.Lock(); delete(started.pids, pid); started.Unlock() }

// proc is one line of the process table.
type proc struct {
	pid, ppid, pgid int
	zombie          bool
}

// snapshot reads the process table once: one stat file per process.
func snapshot() []proc {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	out := make([]proc, 0, len(entries))
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) < 3 {
			continue
		}
		pp, _ := strconv.Atoi(f[1])
		pg, _ := strconv.Atoi(f[2])
		out = append(out, proc{pid: p, ppid: pp, pgid: pg, zombie: f[0] == "Z"})
	}
	return out
}

// descendantsIn lists the live descendants of pid in a snapshot.
func descendantsIn(table []proc, pid int) []int {
	parent := make(map[int]int, len(table))
	for _, p := range table {
		parent[p.pid] = p.ppid
	}
	var out []int
	for _, p := range table {
		if p.zombie {
			continue
		}
		for q, n := p.ppid, 0; q > 1 && n < 64; q, n = parent[q], n+1 {
			if q == pid {
				out = append(out, p.pid)
				break
			}
		}
	}
	return out
}

// Descendants lists pid's live descendants (children, grandchildren...)
// as /proc shows them now; empty where /proc is missing.
func Descendants(pid int) []int { return descendantsIn(snapshot(), pid) }

// under lists pid's live descendants by following the children lists of
// /proc/PID/task/TID/children, which touches the run's own processes
// only; where the kernel has no such lists it falls back to Descendants,
// a scan of every process.
func under(pid int) []int {
	if _, err := os.Stat("/proc/" + strconv.Itoa(pid) + "/task"); err != nil {
		return nil // gone
	}
	var out []int
	queue := []int{pid}
	for len(queue) > 0 && len(out) < 4096 {
		p := queue[0]
		queue = queue[1:]
		tasks, err := os.ReadDir("/proc/" + strconv.Itoa(p) + "/task")
		if err != nil {
			continue
		}
		for _, t := range tasks {
			b, err := os.ReadFile("/proc/" + strconv.Itoa(p) + "/task/" + t.Name() + "/children")
			if errors.Is(err, fs.ErrNotExist) && p == pid && len(out) == 0 {
				if _, serr := os.Stat("/proc/" + strconv.Itoa(p) + "/task/" + t.Name()); serr == nil {
					return Descendants(pid) // no children lists in this kernel
				}
			}
			for _, f := range strings.Fields(string(b)) {
				if c, err := strconv.Atoi(f); err == nil {
					out = append(out, c)
					queue = append(queue, c)
				}
			}
		}
	}
	return out
}

// hasTag reports whether pid's environment holds TagVar=tag.
func hasTag(pid int, tag string) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/environ")
	if err != nil {
		return false
	}
	return bytes.Contains(append(append([]byte{0}, b...), 0), []byte("\x00"+TagVar+"="+tag+"\x00"))
}

// Tagged lists the live processes whose environment holds TagVar=tag,
// reading every process's environment: the fallback where the grader
// cannot adopt orphans.
func Tagged(tag string) []int {
	if tag == "" {
		return nil
	}
	self := os.Getpid()
	var out []int
	for _, p := range snapshot() {
		if p.pid != self && !p.zombie && hasTag(p.pid, tag) {
			out = append(out, p.pid)
		}
	}
	return out
}

// strays lists, from one snapshot, the processes of a run that are still
// alive: the program's descendants while it runs, what is left in its
// process group, and, where the grader adopts orphans, its own children
// that carry the run's tag (daemons whose parent has died). Zombie
// orphans of the grader are reaped on the way.
func strays(pid int, tag string, running bool) []int {
	self := os.Getpid()
	table := snapshot()
	var out []int
	if running {
		out = descendantsIn(table, pid)
	}
	started.Lock()
	defer started.Unlock()
	for _, p := range table {
		switch {
		case p.pid == pid || p.pid == self:
		case p.pgid == pid && !p.zombie:
			out = append(out, p.pid)
		case adopting && p.ppid == self && !started.pids[p.pid]:
			if p.zombie {
				var ws syscall.WaitStatus
				_, _ = syscall.Wait4(p.pid, &ws, syscall.WNOHANG, nil)
			} else if hasTag(p.pid, tag) {
				out = append(out, p.pid)
			}
		case !adopting && !p.zombie && hasTag(p.pid, tag):
			out = append(out, p.pid)
		}
	}
	// a descendant is most often in the group too: list it once
	slices.Sort(out)
	return slices.Compact(out)
}

// killTree kills the process group of pid and every stray of the run. It
// repeats while it finds survivors (a fork bomb keeps forking between
// scans), a bounded number of times, reaping the orphans it killed.
func killTree(pid int, tag string, running bool) {
	killGroup(pid)
	for range 8 {
		victims := strays(pid, tag, running)
		if len(victims) == 0 {
			return
		}
		for _, v := range victims {
			_ = syscall.Kill(v, syscall.SIGKILL)
		}
		killGroup(pid)
	}
}

func killGroup(pid int) {
	_ = syscall.Kill(-pid, syscall.SIGKILL)
}
