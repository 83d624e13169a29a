// Package run starts a submission's program under the grader's rules: its
// own process group, a closed stdin unless input is given, capped output,
// a deadline, and on the way out the death of every process it spawned.
package run

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/netlab-grader/grader/grader/sandbox"
)

// Spec describes one process to start.
type Spec struct {
	Argv []string
	Dir  string
	Env  []string
	// Stdin is fed to the program and then closed; nil means no input.
	Stdin []byte
	// OutputCap bounds what is kept of stdout and of stderr.
	OutputCap int64
	// Sandbox, when set, starts the program through the sandbox launcher
	// in its own pid and mount namespaces (see package sandbox). The
	// network namespace is the calling thread's.
	Sandbox *Sandbox
}

// Sandbox is how a program is confined.
type Sandbox struct {
	// Launcher is the grader's executable, which acts as the launcher
	// in builds without cgo (see package sandbox).
	Launcher string
	Config   sandbox.Config
}

// Result is what is known about a process once it has ended.
type Result struct {
	ExitCode int // -1 when killed by a signal
	// Signal names the signal that ended it, if any.
	Signal string
	// TimedOut is set when the grader killed it at its deadline.
	TimedOut bool
	// Stopped is set when the grader ended it because it was no longer
	// needed (a server after the last step): not the student's fault.
	Stopped bool
	Stdout  []byte
	Stderr  []byte
	// StdoutLost and StderrLost count bytes past the cap.
	StdoutLost int64
	StderrLost int64
	Duration   time.Duration
	// CPU is user+system time of the process and its waited-for children.
	CPU time.Duration
	// Setup, when set, says why the sandbox could not start the program:
	// the grader's fault, never the student's. It comes on a descriptor
	// the program never has, so no output can forge it.
	Setup string
}

// Crashed reports whether the program died of a signal the grader did
// not send (a segfault, an abort).
func (r Result) Crashed() bool { return r.Signal != "" && !r.TimedOut && !r.Stopped }

// Proc is a started process.
type Proc struct {
	pid int
	// waitFn waits for the program and returns how it ended.
	waitFn func() (*os.ProcessState, error)
	out    *capBuffer
	errb   *capBuffer
	start  time.Time
	done   chan struct{}
	mu     sync.Mutex
	reason string // "timeout" or "stopped" when we killed it
	res    Result
	// tag marks the environment of every process of this run.
	tag string
	// setup receives the sandbox launcher's failure, if any.
	setup chan string
	// pipes are the read ends of stdout and stderr; copied closes when
	// each has been read to its end.
	pipes  []*os.File
	copied []chan struct{}
	// swept is set once the program has ended and a sweep after its end
	// found nothing of it left.
	swept bool
	// boxed is set for a sandboxed run: the program is the first process
	// of a pid namespace of its own, every process of the run descends
	// from it, and when it dies the kernel kills the rest and reaps them
	// before its parent can wait for it. Nothing has to be looked for in
	// /proc then: no scan for strays, no sweep after the end.
	boxed bool
}

// Start launches the process in a new process group.
func Start(s Spec) (*Proc, error) {
	if len(s.Argv) == 0 {
		return nil, errors.New("no command to run")
	}
	if s.OutputCap <= 0 {
		s.OutputCap = 1 << 20
	}
	tag := newTag()
	env := append(append([]string(nil), s.Env...), TagVar+"="+tag)
	p := &Proc{out: newCap(s.OutputCap), errb: newCap(s.OutputCap), done: make(chan struct{}), tag: tag, boxed: s.Sandbox != nil}
	// The grader owns the output pipes (os/exec would drop what is still
	// in them after its WaitDelay, which a loaded machine can reach).
	var opened []*os.File
	closeAll := func() {
		for _, f := range opened {
			f.Close()
		}
	}
	pipe := func() (r, w *os.File, err error) {
		if r, w, err = os.Pipe(); err == nil {
			opened = append(opened, r, w)
		}
		return r, w, err
	}
	outR, outW, err := pipe()
	if err != nil {
		return nil, fmt.Errorf("could not create the output pipe: %w", err)
	}
	errR, errW, err := pipe()
	if err != nil {
		closeAll()
		return nil, fmt.Errorf("could not create the output pipe: %w", err)
	}
	var setupR, setupW *os.File
	if s.Sandbox != nil {
		if setupR, setupW, err = pipe(); err != nil {
			closeAll()
			return nil, fmt.Errorf("could not create the sandbox pipe: %w", err)
		}
	}
	attr := sysProcAttr()
	p.start = time.Now()
	if s.Sandbox != nil && sandbox.CanSpawn {
		err = p.spawn(s, env, attr, outW, errW, setupW)
	} else {
		err = p.exec(s, env, attr, outW, errW, setupW)
	}
	// The child has its copies of the write ends.
	outW.Close()
	errW.Close()
	if setupW != nil {
		setupW.Close()
	}
	if err != nil {
		outR.Close()
		errR.Close()
		if setupR != nil {
			setupR.Close()
		}
		return nil, fmt.Errorf("could not start %s: %w", s.Argv[0], err)
	}
	if setupR != nil {
		// The pipe ends when the set-up executes the program (the
		// descriptor is close-on-exec) or dies; a message means it failed.
		p.setup = make(chan string, 1)
		go func() {
			b, _ := io.ReadAll(io.LimitReader(setupR, 4096))
			setupR.Close()
			p.setup <- string(b)
		}()
	}
	p.pipes = []*os.File{outR, errR}
	p.copied = []chan struct{}{make(chan struct{}), make(chan struct{})}
	go copyPipe(outR, p.out, p.copied[0])
	go copyPipe(errR, p.errb, p.copied[1])
	go p.wait()
	return p, nil
}

// exec starts the program with os/exec: directly, or through the
// sandbox launcher (the grader's binary) in new namespaces.
func (p *Proc) exec(s Spec, env []string, attr *syscall.SysProcAttr, outW, errW, setupW *os.File) error {
	argv := s.Argv
	if s.Sandbox != nil {
		wrapped, err := sandbox.Wrap(s.Sandbox.Launcher, s.Sandbox.Config, argv)
		if err != nil {
			return err
		}
		argv = wrapped
		if err := boxAttr(attr); err != nil {
			return err
		}
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = s.Dir
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = outW, errW
	if s.Stdin != nil {
		cmd.Stdin = bytes.NewReader(s.Stdin)
	}
	cmd.SysProcAttr = attr
	if setupW != nil {
		cmd.ExtraFiles = []*os.File{setupW} // the launcher's sandbox.SetupFD
	}
	// A grandchild that keeps stdin open without reading must not hold
	// Wait forever.
	cmd.WaitDelay = 500 * time.Millisecond
	started.Lock()
	defer started.Unlock()
	if err := cmd.Start(); err != nil {
		return err
	}
	register(cmd.Process.Pid)
	p.pid = cmd.Process.Pid
	p.waitFn = func() (*os.ProcessState, error) {
		err := cmd.Wait()
		return cmd.ProcessState, err
	}
	return nil
}

// spawn starts the program confined, with no launcher in between (see
// sandbox.Spawn), on the calling thread, whose network namespace the
// program gets.
func (p *Proc) spawn(s Spec, env []string, attr *syscall.SysProcAttr, outW, errW, setupW *os.File) error {
	path := s.Argv[0]
	if filepath.Base(path) == path {
		found, err := exec.LookPath(path)
		if err != nil {
			return err
		}
		path = found
	}
	var stdin *os.File
	var feed []byte
	if s.Stdin != nil {
		r, w, err := os.Pipe()
		if err != nil {
			return fmt.Errorf("could not create the input pipe: %w", err)
		}
		defer r.Close()
		stdin, feed = r, s.Stdin
		go func() {
			// A program that never reads gets its input refused (EPIPE)
			// when it ends; nothing waits on this.
			_, _ = w.Write(feed)
			w.Close()
		}()
	} else {
		null, err := os.Open(os.DevNull)
		if err != nil {
			return err
		}
		defer null.Close()
		stdin = null
	}
	_ = attr // the adoption of orphans it sets up also matters here
	started.Lock()
	defer started.Unlock()
	pid, err := sandbox.Spawn(s.Sandbox.Config, path, s.Argv, env, s.Dir, [4]*os.File{stdin, outW, errW, setupW})
	if err != nil {
		return err
	}
	register(pid)
	proc, err := os.FindProcess(pid)
	if err != nil {
		_ = syscall.Kill(pid, syscall.SIGKILL)
		var ws syscall.WaitStatus
		_, _ = syscall.Wait4(pid, &ws, 0, nil)
		unregister(pid)
		return err
	}
	p.pid = pid
	p.waitFn = func() (*os.ProcessState, error) {
		st, err := proc.Wait()
		if err == nil && !st.Success() {
			err = &exec.ExitError{ProcessState: st}
		}
		return st, err
	}
	return nil
}

// strayDelay is how long the output pipes may stay open after the program
// has ended (held by a process that left its group); what they hold by
// then is still read.
const strayDelay = 500 * time.Millisecond

// copyPipe copies r to w until every writer has closed it, or until the
// read deadline set by wait; then it takes what is already buffered
// without blocking, so nothing the program wrote before it ended is lost,
// however late this goroutine was scheduled.
func copyPipe(r *os.File, w io.Writer, done chan<- struct{}) {
	defer close(done)
	defer r.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			_, _ = w.Write(buf[:n])
		}
		if err == nil {
			continue
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			_ = r.SetReadDeadline(time.Time{})
			if rc, err := r.SyscallConn(); err == nil {
				_ = rc.Read(func(fd uintptr) bool {
					for {
						n, err := syscall.Read(int(fd), buf)
						if n > 0 {
							_, _ = w.Write(buf[:n])
						}
						if n <= 0 || err != nil {
							return true
						}
					}
				})
			}
		}
		return
	}
}

func (p *Proc) wait() {
	state, err := p.waitFn()
	unregister(p.pid)
	// Whatever the program left in its group dies with it.
	killGroup(p.pid)
	// The pipes end once every writer is gone; a process outside the
	// group may keep them open, so after strayDelay only what they
	// already hold is taken.
	t := time.AfterFunc(strayDelay, func() {
		for _, f := range p.pipes {
			_ = f.SetReadDeadline(time.Now())
		}
	})
	for _, c := range p.copied {
		<-c
	}
	t.Stop()
	res := Result{Duration: time.Since(p.start), ExitCode: state.ExitCode()}
	if state != nil {
		if ws, ok := state.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			res.Signal = ws.Signal().String()
			res.ExitCode = -1
		}
		res.CPU = state.UserTime() + state.SystemTime()
	}
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) && !errors.Is(err, exec.ErrWaitDelay) {
		res.Signal = "error: " + err.Error()
	}
	if p.setup != nil {
		res.Setup = <-p.setup
	}
	res.Stdout, res.StdoutLost = p.out.bytes()
	res.Stderr, res.StderrLost = p.errb.bytes()
	p.mu.Lock()
	switch p.reason {
	case "timeout":
		res.TimedOut = true
	case "stopped":
		res.Stopped = true
	}
	p.res = res
	if p.boxed {
		// The pid namespace emptied before the wait returned.
		p.swept = true
	}
	p.mu.Unlock()
	close(p.done)
}

// Pid is the process id (also its process group id).
func (p *Proc) Pid() int { return p.pid }

// Pids lists every live process of the run: the program while it runs,
// its descendants, and any daemon it left behind.
func (p *Proc) Pids() []int {
	var out []int
	running := !p.Exited()
	if running {
		out = append(out, p.Pid())
	}
	if p.boxed {
		if !running {
			return nil
		}
		return append(out, under(p.Pid())...)
	}
	return append(out, strays(p.Pid(), p.tag, running)...)
}

// MainPid returns the program's pid while it runs (0 after): the cheap
// first place to look for a listening socket.
func (p *Proc) MainPid() int {
	if p.Exited() {
		return 0
	}
	return p.Pid()
}

// Gone reports whether the program and everything it started have ended.
func (p *Proc) Gone() bool {
	return p.Exited() && (p.boxed || len(strays(p.Pid(), p.tag, false)) == 0)
}

// Cleanup kills whatever the run left behind (daemons that outlived the
// program); call it when the scenario is over.
func (p *Proc) Cleanup() {
	if !p.Exited() {
		p.kill("stopped")
		<-p.done
	}
	p.mu.Lock()
	swept := p.swept
	p.mu.Unlock()
	if !swept {
		killTree(p.Pid(), p.tag, false)
	}
}

// Done is closed once the process has ended and its output is collected.
func (p *Proc) Done() <-chan struct{} { return p.done }

// Exited reports without blocking whether the process has ended.
func (p *Proc) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Wait waits up to timeout for the process to end by itself; past it the
// whole process tree is killed and the result says TimedOut.
func (p *Proc) Wait(timeout time.Duration) Result {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-p.done:
	case <-t.C:
		p.kill("timeout")
		<-p.done
	}
	return p.result()
}

// WaitContext is Wait that also gives up when ctx ends (the grader was
// interrupted): the process is then stopped, and not blamed.
func (p *Proc) WaitContext(ctx context.Context, timeout time.Duration) Result {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-p.done:
	case <-ctx.Done():
		p.kill("stopped")
		<-p.done
	case <-t.C:
		p.kill("timeout")
		<-p.done
	}
	return p.result()
}

// Stop ends the process tree now (if still running) and returns the
// result; a process stopped this way is not blamed for it.
func (p *Proc) Stop() Result {
	p.kill("stopped")
	<-p.done
	return p.result()
}

// StdoutChanged is signalled whenever the program writes to stdout.
func (p *Proc) StdoutChanged() <-chan struct{} { return p.out.changed }

// Output returns what the process printed so far.
func (p *Proc) Output() (stdout, stderr []byte) {
	o, _ := p.out.bytes()
	e, _ := p.errb.bytes()
	return o, e
}

func (p *Proc) result() Result {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.res
}

func (p *Proc) kill(reason string) {
	p.mu.Lock()
	if p.Exited() {
		p.mu.Unlock()
		return
	}
	if p.reason == "" {
		p.reason = reason
	}
	p.mu.Unlock()
	if p.boxed {
		// The program is the namespace's first process: its death takes
		// every other one with it, and the wait returns once they are
		// all gone.
		_ = syscall.Kill(p.pid, syscall.SIGKILL)
		<-p.done
		return
	}
	if adopting {
		// Killing the group ends the program; whatever left the group is
		// reparented to the grader as the program dies, and the sweep
		// below finds it.
		killGroup(p.pid)
	} else {
		killTree(p.pid, p.tag, true)
	}
	<-p.done
	// The program is gone: one more sweep catches what it forked while it
	// was dying, and spares Cleanup another.
	killTree(p.pid, p.tag, false)
	p.mu.Lock()
	p.swept = true
	p.mu.Unlock()
}

func newTag() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// capBuffer keeps the first cap bytes written and counts the rest; it
// never blocks the writer, so a flooding program cannot stall on its pipe.
type capBuffer struct {
	mu   sync.Mutex
	cap  int64
	buf  []byte
	lost int64
	// changed is signalled (without blocking) after every write.
	changed chan struct{}
}

func newCap(n int64) *capBuffer { return &capBuffer{cap: n, changed: make(chan struct{}, 1)} }

func (c *capBuffer) Write(b []byte) (int, error) {
	defer func() {
		select {
		case c.changed <- struct{}{}:
		default:
		}
	}()
	c.mu.Lock()
	defer c.mu.Unlock()
	room := c.cap - int64(len(c.buf))
	switch {
	case room <= 0:
		c.lost += int64(len(b))
	case int64(len(b)) > room:
		c.buf = append(c.buf, b[:room]...)
		c.lost += int64(len(b)) - room
	default:
		c.buf = append(c.buf, b...)
	}
	return len(b), nil
}

func (c *capBuffer) bytes() ([]byte, int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]byte(nil), c.buf...), c.lost
}

// Environ builds a scrubbed environment: only what a runtime needs, plus
// extra (KEY=VALUE). HOME and TMPDIR point into dir.
func Environ(dir string, extra map[string]string) []string {
	env := []string{
		"PATH=" + envOr("PATH", "/usr/local/bin:/usr/bin:/bin"),
		"HOME=" + dir,
		"TMPDIR=" + dir,
		"LANG=C.UTF-8",
		"LC_ALL=C.UTF-8",
	}
	// Toolchains need their caches and roots; nothing else leaks through.
	for _, k := range []string{"GOROOT", "GOPATH", "GOCACHE", "GOMODCACHE", "GOPROXY", "JAVA_HOME", "PYENV_ROOT", "PYENV_VERSION", "NODE_PATH"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	// HOME is the scenario folder, so Go would start a cold build cache
	// (a minute of compiling the standard library) for every submission:
	// point it at the user's usual cache, which the grader's own build
	// has already warmed.
	if _, ok := os.LookupEnv("GOCACHE"); !ok {
		if c, err := os.UserCacheDir(); err == nil {
			env = append(env, "GOCACHE="+filepath.Join(c, "go-build"))
		}
	}
	if _, ok := os.LookupEnv("GOPATH"); !ok {
		if c, err := os.UserCacheDir(); err == nil {
			env = append(env, "GOPATH="+filepath.Join(c, "grader", "gopath"))
		}
	}
	for k, v := range extra {
		env = append(env, k+"="+v)
	}
	return env
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
