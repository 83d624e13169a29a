package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/netlab-grader/grader/grader/ready"
	"github.com/netlab-grader/grader/grader/run"
	"github.com/netlab-grader/grader/grader/sandbox"
	"github.com/netlab-grader/grader/grader/wire"
	"github.com/netlab-grader/grader/reference/echo"
)

// where times, in this process, the pieces a scenario is made of, with
// the grader's own packages, so an overhead above can be read as a sum.
func (b *bench) where(listen listenTimes) {
	reps := max(b.runs, 30)
	b.printf("Where a scenario's time goes: the grader's building blocks timed in-process (medians of %d)\n", reps)
	tw := tabwriter.NewWriter(b.out, 0, 8, 2, ' ', 0)
	// row times f reps times; f returns the duration of the part that
	// counts, or 0 to have the whole call timed.
	row := func(label, note string, f func() (time.Duration, error)) time.Duration {
		var s sample
		for range reps {
			t0 := time.Now()
			d, err := f()
			if err != nil {
				fmt.Fprintf(tw, "  %s\t(failed: %v)\t\n", label, err)
				return 0
			}
			if d == 0 {
				d = time.Since(t0)
			}
			s = append(s, d)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", label, spread(s), note)
		return s.median()
	}
	env := run.Environ(os.TempDir(), nil)
	start := func(argv ...string) (*run.Proc, error) {
		return run.Start(run.Spec{Argv: argv, Env: env})
	}
	var startBoxed func(argv ...string) (*run.Proc, error)
	var works []string // the sandboxed runs' folders, removed at the end
	defer func() {
		for _, w := range works {
			_ = os.RemoveAll(w)
		}
	}()
	// startWait times Start to reaping; the Cleanup that follows is timed
	// on its own below.
	startWait := func(argv ...string) func() (time.Duration, error) {
		return func() (time.Duration, error) {
			t0 := time.Now()
			p, err := start(argv...)
			if err != nil {
				return 0, err
			}
			r := p.Wait(5 * time.Second)
			d := time.Since(t0)
			p.Cleanup()
			if r.ExitCode != 0 {
				return 0, fmt.Errorf("exit code %d", r.ExitCode)
			}
			return d, nil
		}
	}
	row("run.Start+Wait /bin/true", "process start and reaping as the grader does it (setpgid, pdeathsig, pipes)", startWait("/bin/true"))
	if boxed, err := b.sandboxed(); err != nil {
		fmt.Fprintf(tw, "  … in the sandbox\t(not measured: %v)\t\n", err)
	} else {
		startBoxed = func(argv ...string) (*run.Proc, error) {
			c := boxed
			c.Work, err = os.MkdirTemp("", "grader-bench-")
			if err != nil {
				return nil, err
			}
			works = append(works, c.Work)
			if err := os.Chown(c.Work, c.UID, c.GID); err != nil {
				return nil, err
			}
			return run.Start(run.Spec{Argv: argv, Env: env, Dir: c.Work, Sandbox: &run.Sandbox{Launcher: b.grader, Config: c}})
		}
		row("  … in the sandbox", "sandbox.Spawn: a clone set up in new pid and mount namespaces (private /tmp, limits, uid), then the exec", func() (time.Duration, error) {
			t0 := time.Now()
			p, err := startBoxed("/bin/true")
			if err != nil {
				return 0, err
			}
			r := p.Wait(5 * time.Second)
			d := time.Since(t0)
			p.Cleanup()
			if r.ExitCode != 0 || r.Setup != "" {
				return 0, fmt.Errorf("exit code %d %s", r.ExitCode, r.Setup)
			}
			return d, nil
		})
	}
	row("Proc.Stop of a running program", "ends a server scenario: /proc scans for survivors, SIGKILL, reaping", func() (time.Duration, error) {
		p, err := start("sleep", "10")
		if err != nil {
			return 0, err
		}
		t0 := time.Now()
		p.Stop()
		d := time.Since(t0)
		p.Cleanup()
		return d, nil
	})
	if startBoxed != nil {
		row("  … in the sandbox", "SIGKILL to the namespace's first process; the kernel ends the rest", func() (time.Duration, error) {
			p, err := startBoxed("sleep", "10")
			if err != nil {
				return 0, err
			}
			t0 := time.Now()
			p.Stop()
			d := time.Since(t0)
			p.Cleanup()
			return d, nil
		})
	}
	row("Proc.Cleanup after it ended", "deferred at the end of every scenario: /proc scans for daemons left behind", func() (time.Duration, error) {
		p, err := start("/bin/true")
		if err != nil {
			return 0, err
		}
		p.Wait(5 * time.Second)
		t0 := time.Now()
		p.Cleanup()
		return time.Since(t0), nil
	})
	procs := 0
	if ents, err := os.ReadDir("/proc"); err == nil {
		for _, e := range ents {
			if _, err := strconv.Atoi(e.Name()); err == nil {
				procs++
			}
		}
	}
	// Find returns early when the process has no socket yet; once it has
	// one it reads the whole /proc/net table of the network namespace.
	// readiness polls: one row each for the two halves of a poll
	if p, err := start("sleep", "10"); err == nil {
		row("Proc.Pids of a running program", fmt.Sprintf("first half of every readiness poll: /proc scans over all %d processes", procs), func() (time.Duration, error) {
			p.Pids()
			return 0, nil
		})
		row("ready.Find, no socket yet", "second half of a poll before the program listens: its /proc/PID/fd", func() (time.Duration, error) {
			_, err := ready.Find("tcp", []int{p.Pid()})
			return 0, err
		})
		p.Stop()
		p.Cleanup()
	}
	pid := os.Getpid()
	if l, err := net.Listen("tcp", "127.0.0.1:0"); err == nil {
		all, timeWait := tcpEntries()
		row("ready.Find, listening", fmt.Sprintf("/proc/PID/fd, then /proc/net/tcp{,6} (%d entries now, %d in TIME_WAIT): the poll that succeeds", all, timeWait), func() (time.Duration, error) {
			socks, err := ready.Find("tcp", []int{pid})
			if err == nil && len(socks) == 0 {
				err = errors.New("own listening socket not found")
			}
			return 0, err
		})
		_ = l.Close()
	}
	row("run.Descendants", "/proc/*/stat of every process: in Pids and in every kill", func() (time.Duration, error) {
		run.Descendants(pid)
		return 0, nil
	})
	row("run.Tagged", "/proc/*/environ of every process: in Pids, Gone and every kill", func() (time.Duration, error) {
		run.Tagged("benchcmd-no-such-tag")
		return 0, nil
	})
	row("echo.NewTCP+Settle+Close", "a client scenario's reference server, settled once", func() (time.Duration, error) {
		srv, err := echo.NewTCP(echo.Config{Addr: "127.0.0.1:0", Transcript: wire.New()})
		if err != nil {
			return 0, err
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if err := srv.Settle(ctx); err != nil {
			return 0, err
		}
		return 0, srv.Close()
	})
	row("MkdirTemp+RemoveAll", "a scenario folder", func() (time.Duration, error) {
		d, err := os.MkdirTemp("", "grader-bench-")
		if err != nil {
			return 0, err
		}
		return 0, os.RemoveAll(d)
	})
	if len(cases) > 0 {
		src := filepath.Join(b.root, cases[0].fixture)
		row("run.Prepare (copy)", "work folder and copy of "+cases[0].fixture+": once per check", func() (time.Duration, error) {
			d, err := os.MkdirTemp("", "grader-bench-")
			if err != nil {
				return 0, err
			}
			defer os.RemoveAll(d)
			_, err = run.Prepare(b.cfg, src, d, "")
			return 0, err
		})
	}
	_ = tw.Flush()

	b.printf("\n")
}

// tcpEntries counts the sockets in /proc/net/tcp and tcp6, and those in
// TIME_WAIT: every readiness check reads all of them.
func tcpEntries() (all, timeWait int) {
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for i, line := range strings.Split(string(data), "\n") {
			fs := strings.Fields(line)
			if i == 0 || len(fs) < 4 {
				continue
			}
			all++
			if fs[3] == "06" {
				timeWait++
			}
		}
	}
	return all, timeWait
}

// sandboxed returns the sandbox configuration the grader would give a
// program here, or why there is none (not root, no namespaces).
func (b *bench) sandboxed() (sandbox.Config, error) {
	if err := sandbox.Available(); err != nil {
		return sandbox.Config{}, err
	}
	uid := sandbox.NewID()
	l := sandbox.DefaultLimits
	l.CPU = sandbox.CPUFor(5 * time.Second)
	return sandbox.Config{UID: uid, GID: uid, Limits: l}, nil
}
