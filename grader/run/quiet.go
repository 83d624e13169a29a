package run

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"strconv"
)

// Quiet reports whether the processes pids have all gone to sleep: every
// thread asleep (or stopped, or a zombie) in two looks, the same threads
// both times, and none of them on a CPU in between. The looks follow each
// other, so each thread's two reads overlap every other thread's: there
// was an instant when all of them slept at once, with whatever they had
// written already handed to the kernel. From there a program sends
// nothing until something wakes it: input, a child that ends, or a timer
// it set itself (a server that sleeps before it writes is not told apart
// from one that is done).
//
// This is how a reply is known to be over without a quiet time: a server
// that the machine's load keeps off the CPU between two writes is not
// asleep, whatever the clock says. known is false where /proc cannot say
// (not Linux, or not allowed to look); no pids is quiet.
func Quiet(pids []int) (quiet, known bool) {
	a, known := threadMarks(pids)
	if !known || !allAsleep(a) {
		return false, known
	}
	b, known := threadMarks(pids)
	if !known || !allAsleep(b) || len(a) != len(b) {
		return false, known
	}
	for id, m := range a {
		if b[id] != m {
			return false, true
		}
	}
	return true, true
}

// Quiet is the package function on the run's live processes.
func (p *Proc) Quiet() (quiet, known bool) { return Quiet(p.Pids()) }

// threadMark is one thread as /proc shows it: asleep or not, and how many
// times it has left the CPU (a thread that ran since the last look has
// left it at least once more, or is still on it).
type threadMark struct {
	asleep   bool
	switches uint64
}

// threadMarks reads every thread of pids from /proc/PID/task/TID/status,
// keyed by "PID/TID". A process or thread that ends meanwhile counts as
// awake: it did something.
func threadMarks(pids []int) (map[string]threadMark, bool) {
	out := make(map[string]threadMark)
	for _, pid := range pids {
		dir := "/proc/" + strconv.Itoa(pid) + "/task"
		tasks, err := os.ReadDir(dir)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if _, serr := os.Stat("/proc/self/task"); serr != nil {
				return nil, false // no /proc at all
			}
			out[strconv.Itoa(pid)] = threadMark{} // it just ended
			continue
		case err != nil:
			return nil, false
		}
		for _, t := range tasks {
			key := strconv.Itoa(pid) + "/" + t.Name()
			b, err := os.ReadFile(dir + "/" + t.Name() + "/status")
			switch {
			case errors.Is(err, fs.ErrNotExist):
				out[key] = threadMark{}
				continue
			case err != nil:
				return nil, false
			}
			m, ok := parseStatus(b)
			if !ok {
				return nil, false
			}
			out[key] = m
		}
	}
	return out, true
}

// parseStatus takes the state and the context switches from a status
// file: "State:\tS (sleeping)", "voluntary_ctxt_switches:\t12",
// "nonvoluntary_ctxt_switches:\t3".
func parseStatus(b []byte) (threadMark, bool) {
	var m threadMark
	seen := 0
	for line := range bytes.Lines(b) {
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		v = bytes.TrimSpace(v)
		switch string(k) {
		case "State":
			if len(v) == 0 {
				return m, false
			}
			// S sleeping, T stopped, t traced, Z zombie; R runs, D
			// waits for the disk (it is doing I/O), I is kernel-only
			switch v[0] {
			case 'S', 'T', 't', 'Z':
				m.asleep = true
			}
			seen++
		case "voluntary_ctxt_switches", "nonvoluntary_ctxt_switches":
			n, err := strconv.ParseUint(string(v), 10, 64)
			if err != nil {
				return m, false
			}
			m.switches += n
			seen++
		}
	}
	return m, seen == 3
}

func allAsleep(ms map[string]threadMark) bool {
	for _, m := range ms {
		if !m.asleep {
			return false
		}
	}
	return true
}
