package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/netlab-grader/grader/grader/check"
	"github.com/netlab-grader/grader/grader/config"
	"github.com/netlab-grader/grader/grader/run"
	"github.com/netlab-grader/grader/grader/spec"
	"github.com/netlab-grader/grader/grader/wire"
	"github.com/netlab-grader/grader/reference/echo"
)

// fixture is one submission compiled once, the way grader.yaml builds it,
// so its own run time can be measured without the grader around it.
type fixture struct {
	ex   *spec.Exercise
	path string // as given to `grader check`, relative to the repository
	cfg  *config.Config
	prog *run.Program
	work string
}

// prepare copies and builds the fixture with the grader's own runner
// settings (same compiler, same flags) in a private folder.
func prepare(cfg *config.Config, ex *spec.Exercise, root, path string) (*fixture, error) {
	work, err := os.MkdirTemp("", "grader-bench-")
	if err != nil {
		return nil, err
	}
	f := &fixture{ex: ex, path: path, cfg: cfg, work: work}
	f.prog, err = run.Prepare(cfg, filepath.Join(root, path), work, "")
	if err != nil {
		f.cleanup()
		return nil, err
	}
	if f.prog.NeedsBuild() {
		ctx, cancel := context.WithTimeout(context.Background(), cfg.BuildTimeout())
		defer cancel()
		b := f.prog.Compile(ctx, cfg.BuildTimeout(), int64(cfg.Limits.Output))
		if !b.OK {
			f.cleanup()
			return nil, fmt.Errorf("building %s: %s", path, strings.TrimSpace(b.Output))
		}
	}
	return f, nil
}

func (f *fixture) cleanup() { _ = os.RemoveAll(f.work) }

// argv returns the command for args: wrapped as the grader runs it
// (grader.yaml's run line, e.g. an interpreter before it) or bare (the
// program itself, what its own run is).
func (f *fixture) argv(args []string, wrapped bool) []string {
	full := f.prog.Command(args)
	if wrapped || !f.prog.NeedsBuild() {
		// An interpreter is part of the program's own run.
		return full
	}
	for i, a := range full {
		if a == f.prog.Bin {
			return full[i:]
		}
	}
	return full
}

// wrapper describes grader.yaml's run line when it wraps the binary.
func (f *fixture) wrapper() string {
	bare := f.argv(nil, false)
	full := f.argv(nil, true)
	if len(full) == len(bare) {
		return ""
	}
	return strings.Join(full[:len(full)-len(bare)], " ")
}

// environ is the environment the grader gives the program.
func (f *fixture) environ(dir string, extra map[string]string) []string {
	env := map[string]string{}
	for k, v := range f.prog.Env() {
		env[k] = v
	}
	for k, v := range f.ex.Run.Env {
		env[k] = v
	}
	for k, v := range extra {
		env[k] = v
	}
	return run.Environ(dir, env)
}

func expand(args []string, v map[string]string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		for k, val := range v {
			a = strings.ReplaceAll(a, "{"+k+"}", val)
		}
		out[i] = a
	}
	return out
}

func (f *fixture) args(sc *spec.Scenario, v map[string]string) []string {
	if sc.Args != nil {
		return expand(sc.Args, v)
	}
	return expand(f.ex.Run.Args, v)
}

func stdin(ex *spec.Exercise, sc *spec.Scenario) io.Reader {
	s := ex.Run.Stdin
	if sc.Stdin != nil {
		s = sc.Stdin
	}
	if s == nil {
		return nil
	}
	return strings.NewReader(*s)
}

func loopback(family string) string {
	if family == "ipv6" {
		return "::1"
	}
	return "127.0.0.1"
}

// ownRun is one measured run of the program by itself.
type ownRun struct {
	d time.Duration
	// mismatch says how the run differed from what the scenario expects,
	// if it did: then it is not the same work as the grader's run.
	mismatch string
}

// own measures the program's own run for one scenario.
func (f *fixture) own(sc *spec.Scenario, wrapped bool) (ownRun, error) {
	if f.ex.Role == "client" {
		return f.ownClient(sc, wrapped)
	}
	return f.ownServer(sc, wrapped)
}

// refServer is the part of the reference servers used here.
type refServer interface {
	Addr() net.Addr
	Close() error
}

// ownClient runs a client program against fresh in-process reference
// servers (the same package the grader uses) and times it from fork to
// reaping. Starting and closing the servers is not timed.
func (f *fixture) ownClient(sc *spec.Scenario, wrapped bool) (ownRun, error) {
	var servers []refServer
	defer func() {
		for _, s := range servers {
			_ = s.Close()
		}
	}()
	v, env := map[string]string{}, map[string]string{}
	for i, s := range f.ex.Servers {
		cfg := echo.Config{Addr: net.JoinHostPort(loopback(s.Family), "0"), Transcript: wire.New()}
		if s.Suffix != nil {
			cfg.Suffix = *s.Suffix
		}
		if n := sc.Network; n != nil {
			cfg.Segment, cfg.Delay = n.Segment, time.Duration(n.Delay)
			if n.Spoof != nil {
				cfg.Spoof = []byte(*n.Spoof)
			}
		}
		var srv refServer
		var err error
		switch s.Kind {
		case "echo-tcp":
			srv, err = echo.NewTCP(cfg)
		case "echo-udp":
			srv, err = echo.NewUDP(cfg)
		case "udp-time":
			cfg.Reply = func(msg []byte) []byte { return []byte(fmt.Sprintf("Your data was %d bytes long ", len(msg))) }
			srv, err = echo.NewUDP(cfg)
		default:
			return ownRun{}, fmt.Errorf("reference server kind %q is not supported here", s.Kind)
		}
		if err != nil {
			return ownRun{}, err
		}
		servers = append(servers, srv)
		h, p, _ := net.SplitHostPort(srv.Addr().String())
		if i == 0 {
			v["host"], v["port"], env["HOST"], env["PORT"] = h, p, h, p
		}
		v[s.Name+"_host"], v[s.Name+"_port"] = h, p
		key := strings.ToUpper(strings.ReplaceAll(s.Name, "-", "_"))
		env[key+"_HOST"], env[key+"_PORT"] = h, p
	}
	dir, err := os.MkdirTemp(f.work, "own-")
	if err != nil {
		return ownRun{}, err
	}
	defer os.RemoveAll(dir)
	v["out"] = filepath.Join(dir, "out")
	timeout := sc.Timeout.Std(f.ex.Run.Timeout.Std(f.cfg.ScenarioTimeout()))
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	argv := f.argv(f.args(sc, v), wrapped)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir, cmd.Env, cmd.Stdin = dir, f.environ(dir, env), stdin(f.ex, sc)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return ownRun{}, err
	}
	werr := cmd.Wait()
	r := ownRun{d: time.Since(t0)}
	r.mismatch = mismatch(sc, werr, ctx.Err(), stdout.Bytes(), stderr.Bytes())
	return r, nil
}

// mismatch compares a finished run with the scenario's stdout, stderr and
// exit expectations.
func mismatch(sc *spec.Scenario, werr, ctxErr error, stdout, stderr []byte) string {
	if ctxErr != nil {
		return "timed out"
	}
	code := 0
	var ee *exec.ExitError
	if errors.As(werr, &ee) {
		code = ee.ExitCode()
	} else if werr != nil {
		return werr.Error()
	}
	x := sc.Expect
	if x.Exit != nil && code != *x.Exit {
		return fmt.Sprintf("exit code %d, expected %d", code, *x.Exit)
	}
	if x.Stdout != nil {
		if c := check.Match("stdout", x.Stdout, stdout, "it printed"); !c.Passed {
			return c.Message
		}
	}
	if x.Stderr != nil {
		if c := check.Match("stderr", x.Stderr, stderr, "it wrote to stderr"); !c.Passed {
			return c.Message
		}
	}
	return ""
}

// ownServer starts a server program on a free loopback port and plays the
// scenario's steps with a minimal client of its own (not the grader's
// steps package). The clock starts at fork and stops when the program
// has listened (a scenario without steps), when the last step is done, or,
// if the scenario checks stdout, stderr or the exit code, when it has
// exited: the same end points as the grader's run. Readiness is seen by
// retrying the first connect every 100 µs, which for a server that
// accepts one client is the scenario's own connection.
func (f *fixture) ownServer(sc *spec.Scenario, wrapped bool) (ownRun, error) {
	proto := f.ex.Run.Protocol
	if proto != "" && proto != "tcp" {
		return ownRun{}, fmt.Errorf("only TCP server exercises are measured (this one is %s)", proto)
	}
	host := loopback(f.ex.Run.Family)
	port, err := freeTCPPort(host)
	if err != nil {
		return ownRun{}, err
	}
	addr := net.JoinHostPort(host, strconv.Itoa(port))
	dir, err := os.MkdirTemp(f.work, "own-")
	if err != nil {
		return ownRun{}, err
	}
	defer os.RemoveAll(dir)
	v := map[string]string{"host": host, "port": strconv.Itoa(port), "out": filepath.Join(dir, "out")}
	timeout := sc.Timeout.Std(f.ex.Run.Timeout.Std(f.cfg.ScenarioTimeout()))
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	argv := f.argv(f.args(sc, v), wrapped)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir, cmd.Env, cmd.Stdin = dir, f.environ(dir, map[string]string{"HOST": host, "PORT": strconv.Itoa(port)}), stdin(f.ex, sc)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = time.Second
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return ownRun{}, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var werr error
	exited := false
	stop := func() {
		if !exited {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			werr = <-done
			exited = true
		}
	}
	defer stop()

	// Readiness: the first successful connect.
	var conn net.Conn
	readyBy := t0.Add(min(f.ex.Run.Ready.Std(f.cfg.ReadyTimeout()), timeout))
	for conn == nil {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		switch {
		case err == nil:
			conn = c
		case time.Now().After(readyBy):
			return ownRun{}, fmt.Errorf("the program did not listen on %s within %v", addr, readyBy.Sub(t0))
		default:
			select {
			case werr = <-done:
				exited = true
				return ownRun{}, fmt.Errorf("the program exited before it listened: %v; stderr: %s", werr, check.Quote(stderr.Bytes(), 200))
			case <-time.After(100 * time.Microsecond):
			}
		}
	}
	var r ownRun
	if len(sc.Steps) == 0 {
		r.d = time.Since(t0)
		_ = conn.Close()
		return r, nil
	}
	first := true
	for i, st := range sc.Steps {
		switch {
		case st.Connect != "":
			if first {
				first = false
				continue // the readiness connection
			}
			if conn != nil {
				_ = conn.Close()
			}
			if conn, err = net.DialTimeout(st.Connect, addr, 2*time.Second); err != nil {
				r.mismatch = "connect: " + err.Error()
			}
		case st.Send != nil && conn != nil:
			_ = conn.SetWriteDeadline(time.Now().Add(2 * time.Second))
			if _, err := conn.Write(st.Send.Bytes()); err != nil && r.mismatch == "" {
				r.mismatch = "send: " + err.Error()
			}
		case st.Expect != nil && conn != nil:
			got := readReply(ctx, conn, st.Expect)
			if c := check.Match(spec.StepCheckID(i, st.Expect), st.Expect, got, "it sent"); !c.Passed && r.mismatch == "" {
				r.mismatch = c.Message
			}
		case st.Close != nil && conn != nil:
			_ = conn.Close()
			conn = nil
		}
	}
	if conn != nil {
		_ = conn.Close()
	}
	x := sc.Expect
	if x.Stdout == nil && x.Stderr == nil && x.Exit == nil {
		r.d = time.Since(t0)
		return r, nil
	}
	// The grader waits up to the grace period for the server to end.
	select {
	case werr = <-done:
		exited = true
		r.d = time.Since(t0)
		if m := mismatch(sc, werr, nil, stdout.Bytes(), stderr.Bytes()); m != "" && r.mismatch == "" {
			r.mismatch = m
		}
	case <-time.After(f.ex.Run.Grace.Std(f.cfg.GraceTimeout())):
		r.d = time.Since(t0)
		if r.mismatch == "" {
			r.mismatch = "did not exit within the grace period"
		}
	}
	return r, nil
}

// readReply reads until m is satisfied, can no longer be, the peer
// closes, or the step's deadline passes.
func readReply(ctx context.Context, c net.Conn, m *spec.Match) []byte {
	deadline := time.Now().Add(m.Timeout.Std(2 * time.Second))
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	_ = c.SetReadDeadline(deadline)
	var got []byte
	buf := make([]byte, 64<<10)
	for {
		n, err := c.Read(buf)
		got = append(got, buf[:n]...)
		if check.Complete(m, got) || n > 0 && check.Hopeless(m, got) || err != nil || len(got) > 1<<20 {
			return got
		}
	}
}

// freeTCPPort asks the kernel for an ephemeral loopback port.
func freeTCPPort(host string) (int, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
