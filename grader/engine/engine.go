// Package engine grades one submission against one exercise: it prepares
// and builds the program, runs every scenario in a fresh folder with the
// reference servers or the grader's client steps, evaluates the checks and
// scores the result.
package engine

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/netlab-grader/grader/grader/check"
	"github.com/netlab-grader/grader/grader/config"
	"github.com/netlab-grader/grader/grader/ready"
	"github.com/netlab-grader/grader/grader/result"
	"github.com/netlab-grader/grader/grader/run"
	"github.com/netlab-grader/grader/grader/sandbox"
	"github.com/netlab-grader/grader/grader/spec"
	"github.com/netlab-grader/grader/grader/steps"
	"github.com/netlab-grader/grader/grader/wire"
)

// Options tune one grading run.
type Options struct {
	// Run replaces the runner's command (--run). {grader} in it is the
	// grader's executable (Self): with the sandbox, an execute-only copy
	// in the work folder, since the original is hidden (it embeds the
	// exercises, hidden scenarios included).
	Run string
	// Self is the grader's executable, for {grader} in Run (default
	// os.Executable()).
	Self string
	// Ports is "seed" or "free" (see grader.yaml).
	Ports string
	// TempDir is where work folders are made (default os.TempDir()).
	TempDir string
	// ShowHidden keeps the details of hidden scenarios (teachers, selftest).
	ShowHidden bool
	// Keep leaves the work folder in place for debugging.
	Keep bool
	// PcapDir, when set, is where each scenario's transcript is written
	// as PcapPrefix-EXERCISE-SCENARIO.pcapng (packets synthesised for
	// Wireshark; see wire.Transcript.WritePcapng); hidden scenarios only
	// with ShowHidden.
	PcapDir string
	// PcapPrefix starts the pcapng file names when set (a student's name
	// in a batch, so several share one folder without colliding).
	PcapPrefix string
	Log        *slog.Logger
	// Sandbox confines the submission (see package sandbox): a network
	// namespace of its own, in which the reference servers take the seed
	// ports, and programs started through Launcher (the grader's
	// executable) as an unprivileged uid. Hide lists folders the programs
	// must not see.
	Sandbox  bool
	Launcher string
	Hide     []string

	// box is the sandbox of the submission being graded.
	box *box
}

// self returns the grader's executable.
func (opt Options) self() (string, error) {
	if opt.Self != "" {
		return opt.Self, nil
	}
	p, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("could not find the grader's executable for {grader}: %w", err)
	}
	return p, nil
}

// box is what a sandboxed submission's programs share.
type box struct {
	uid   int
	work  string
	hosts string
	hide  []string
}

// runSandbox returns how a program of the submission is confined for a
// run of the given timeout, or nil without the sandbox.
func (opt Options) runSandbox(timeout time.Duration) *run.Sandbox {
	if opt.box == nil {
		return nil
	}
	l := sandbox.DefaultLimits
	l.CPU = sandbox.CPUFor(timeout)
	return &run.Sandbox{Launcher: opt.Launcher, Config: sandbox.Config{
		UID: opt.box.uid, GID: opt.box.uid, Work: opt.box.work, Hosts: opt.box.hosts, Hide: opt.box.hide, Limits: l,
	}}
}

// Engine grades submissions with one configuration.
type Engine struct {
	Cfg *config.Config
}

// GraderError is a failure of the grader or its machine, never the
// student's: the command exits 3 for it.
type GraderError struct{ Err error }

func (e *GraderError) Error() string { return e.Err.Error() }
func (e *GraderError) Unwrap() error { return e.Err }

// outputExcerpt bounds the program output kept in a report.
const outputExcerpt = 8 << 10

// Check grades submission against ex. A returned error is a *run.UsageError
// (bad submission path or language) or a *GraderError.
func (e *Engine) Check(ctx context.Context, ex *spec.Exercise, submission string, opt Options) (*result.Report, error) {
	start := time.Now()
	log := opt.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opt.Ports == "" {
		opt.Ports = e.Cfg.Ports
	}
	work, err := os.MkdirTemp(opt.TempDir, "grader-"+ex.ID+"-")
	if err != nil {
		return nil, &GraderError{fmt.Errorf("could not create a work folder: %w", err)}
	}
	if opt.Keep {
		log.Info("keeping work folder", "dir", work)
	} else {
		defer os.RemoveAll(work)
	}
	selfCopy := ""
	if strings.Contains(opt.Run, "{grader}") {
		self, err := opt.self()
		if err != nil {
			return nil, &GraderError{err}
		}
		if opt.Sandbox {
			selfCopy = filepath.Join(work, "bin", "grader")
			self = selfCopy
		}
		opt.Run = strings.ReplaceAll(opt.Run, "{grader}", self)
	}
	prog, err := run.Prepare(e.Cfg, submission, work, opt.Run)
	if err != nil {
		return nil, err
	}
	if err := prog.LookPath(); err != nil {
		return nil, &GraderError{err}
	}
	rep := &result.Report{Exercise: ex.ID, Title: ex.Title, Submission: submission}
	buildFailed := false
	if prog.NeedsBuild() {
		b := prog.Compile(ctx, e.Cfg.BuildTimeout(), int64(e.Cfg.Limits.Output))
		sc := result.Scenario{ID: "build", Name: "compiles", Status: result.Passed, DurationMS: b.Duration.Milliseconds(), CPUMS: b.CPU.Milliseconds()}
		c := result.Check{Name: "compiles", Passed: b.OK, Expected: "the build succeeds", Actual: strings.Join(b.Command, " ")}
		if !b.OK {
			buildFailed = true
			sc.Status = result.Failed
			c.Message = "the build failed:\n" + check.Sanitize([]byte(b.Output), 4000)
			if strings.TrimSpace(b.Output) == "" {
				// Nothing to quote: say at least how the compiler ended.
				how := fmt.Sprintf("it exited with status %d", b.ExitCode)
				if b.Signal != "" {
					how = "a signal killed it (" + b.Signal + ")"
				}
				c.Message += "(the compiler printed nothing; " + how + ")"
			}
			if b.TimedOut {
				c.Message = fmt.Sprintf("the build did not finish within %v", e.Cfg.BuildTimeout())
			}
			c.Hint = "Fix the first error the compiler reports; every scenario needs a program that builds."
		}
		sc.Checks = []result.Check{c}
		rep.Scenarios = append(rep.Scenarios, sc)
		log.Debug("build", "ok", b.OK, "took", b.Duration)
	}
	if opt.Sandbox && !buildFailed {
		ns, err := e.enterSandbox(work, &opt, selfCopy)
		if err != nil {
			return nil, &GraderError{err}
		}
		defer ns.Close()
		defer os.Remove(opt.box.hosts)
		ns.Do(func() { e.scenarios(ctx, ex, prog, work, opt, buildFailed, rep) })
	} else {
		e.scenarios(ctx, ex, prog, work, opt, buildFailed, rep)
	}
	rep.Tally(time.Since(start))
	return rep, nil
}

// enterSandbox prepares a sandboxed submission: a uid that owns its work
// folder, a hosts file naming the seeds' hosts, and a network namespace
// where the reference servers take the seed ports (no other submission
// can be on them).
//
// selfCopy, when set, is where the programs get an execute-only copy of
// the grader's executable (see Options.Run); the executable itself is
// hidden from them either way.
func (e *Engine) enterSandbox(work string, opt *Options, selfCopy string) (*sandbox.NetNS, error) {
	if opt.Launcher == "" {
		return nil, errors.New("the sandbox needs the grader's executable as launcher")
	}
	uid := sandbox.NewID()
	// The program may read its sources and build but not change them (a
	// scenario must not alter what the next one runs): they stay root's,
	// readable by all; the work folder can be crossed, not listed. Each
	// scenario folder is the program's own (see scenario).
	err := filepath.WalkDir(work, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.Type()&fs.ModeSymlink != 0 {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		mode := info.Mode().Perm() | 0o444
		if d.IsDir() || mode&0o100 != 0 {
			mode |= 0o111
		}
		if path == work {
			mode = 0o711
		}
		return os.Chmod(path, mode)
	})
	if err != nil {
		return nil, fmt.Errorf("could not open the work folder to uid %d: %w", uid, err)
	}
	// The hosts file lives beside the work folder, owned by root, so the
	// program cannot change what its later runs see.
	hosts := work + ".hosts"
	if err := os.WriteFile(hosts, []byte(sandbox.Hosts(sandbox.SeedHosts)), 0o644); err != nil {
		return nil, fmt.Errorf("could not write the hosts file: %w", err)
	}
	// The grader's executable embeds the exercises, hidden scenarios
	// included: the programs must not read it, and those that run it get
	// a copy they can execute but not read.
	hide := append([]string(nil), opt.Hide...)
	for _, p := range []string{opt.Launcher, opt.Self} {
		if p != "" && !slices.Contains(hide, p) {
			hide = append(hide, p)
		}
	}
	if selfCopy != "" {
		self, err := opt.self()
		if err == nil {
			err = os.Mkdir(filepath.Dir(selfCopy), 0o711)
		}
		if err == nil {
			err = sandbox.ExecOnlyCopy(self, selfCopy)
		}
		if err != nil {
			os.Remove(hosts)
			return nil, err
		}
	}
	ns, err := sandbox.NewNetNS()
	if err != nil {
		os.Remove(hosts)
		return nil, err
	}
	opt.box = &box{uid: uid, work: work, hosts: hosts, hide: hide}
	opt.Ports = "seed"
	return ns, nil
}

// scenarios runs every scenario of ex in order, appending to rep.
func (e *Engine) scenarios(ctx context.Context, ex *spec.Exercise, prog *run.Program, work string, opt Options, buildFailed bool, rep *result.Report) {
	log := opt.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	status := map[string]string{}
	for i := range ex.Scenarios {
		sc := &ex.Scenarios[i]
		r := result.Scenario{ID: sc.ID, Name: sc.Name, MaxScore: sc.Points, Hidden: sc.Hidden}
		if r.Name == "" {
			r.Name = sc.ID
		}
		switch {
		case ctx.Err() != nil:
			r.Status, r.Reason = result.Skipped, "grading was interrupted"
		case buildFailed:
			r.Status, r.Reason = result.Skipped, "the build failed"
		case needsBrowser(sc):
			r.Status, r.Reason = result.Skipped, "needs Chromium, which is not installed here (Debian package chromium)"
		default:
			for _, d := range sc.Depends {
				if status[d] != result.Passed {
					r.Status, r.Reason = result.Skipped, fmt.Sprintf("depends on %s, which did not pass", d)
					break
				}
			}
		}
		if r.Status == "" {
			t0 := time.Now()
			e.scenario(ctx, ex, sc, prog, work, opt, &r)
			r.DurationMS = time.Since(t0).Milliseconds()
			log.Debug("scenario", "id", sc.ID, "status", r.Status, "took", time.Since(t0))
		}
		if r.Status != result.Passed {
			r.Hint = sc.Hint
		}
		if sc.Hidden && !opt.ShowHidden {
			r.Checks, r.Transcript, r.Stdout, r.Stderr, r.Hint = nil, nil, "", "", ""
		}
		status[sc.ID] = r.Status
		rep.Scenarios = append(rep.Scenarios, r)
	}
}

// needsBrowser reports a scenario with a browser step on a machine
// without Chromium.
func needsBrowser(sc *spec.Scenario) bool {
	for _, st := range sc.Steps {
		if st.Browser != nil {
			_, err := steps.Chromium()
			return err != nil
		}
	}
	return false
}

// scenario runs one scenario and fills r.
func (e *Engine) scenario(ctx context.Context, ex *spec.Exercise, sc *spec.Scenario, prog *run.Program, work string, opt Options, r *result.Scenario) {
	dir, err := os.MkdirTemp(work, "run-"+sc.ID+"-")
	if err == nil && opt.box != nil {
		err = os.Lchown(dir, opt.box.uid, opt.box.uid)
	}
	if err != nil {
		r.Status, r.Reason = result.Error, "could not create the scenario folder: "+err.Error()
		return
	}
	timeout := sc.Timeout.Std(ex.Run.Timeout.Std(e.Cfg.ScenarioTimeout()))
	stdin := ex.Run.Stdin
	if sc.Stdin != nil {
		stdin = sc.Stdin
	}
	var in []byte
	if stdin != nil {
		in = []byte(*stdin)
	}
	t := wire.New()
	if ex.Role != "server" {
		e.clientScenario(ctx, ex, sc, prog, dir, timeout, in, opt, t, r)
	} else {
		e.serverScenario(ctx, ex, sc, prog, dir, timeout, in, opt, t, r)
	}
	r.Transcript = result.Chunks(t)
	if d := t.Dropped(); d > 0 {
		r.Reason = strings.TrimSpace(r.Reason + fmt.Sprintf(" (the transcript keeps the first %d bytes; %d more were not recorded)", wire.DefaultLimit, d))
	}
	// A hidden scenario's packets stay as hidden as its transcript.
	if opt.PcapDir != "" && (!sc.Hidden || opt.ShowHidden) {
		if err := writePcap(opt, ex, sc, t); err != nil && opt.Log != nil {
			opt.Log.Warn("could not write the pcapng file", "scenario", sc.ID, "err", err)
		}
	}
}

// writePcap writes the scenario's transcript as a pcapng file in
// opt.PcapDir. The reference servers record a client exercise's
// transcript (Local is the server); the grader's client steps record a
// server exercise's (Local is the client).
func writePcap(opt Options, ex *spec.Exercise, sc *spec.Scenario, t *wire.Transcript) error {
	if err := os.MkdirAll(opt.PcapDir, 0o755); err != nil {
		return err
	}
	name := ex.ID + "-" + sc.ID
	if opt.PcapPrefix != "" {
		name = opt.PcapPrefix + "-" + name
	}
	name = strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return '_'
	}, name)
	f, err := os.Create(filepath.Join(opt.PcapDir, name+".pcapng"))
	if err != nil {
		return err
	}
	recorder := wire.RecorderServer
	if ex.Role == "server" {
		recorder = wire.RecorderClient
	}
	err = t.WritePcapngOptions(f, wire.PcapOptions{Recorder: recorder, Comment: fmt.Sprintf("netlab-grader: exercise %s, scenario %s", ex.ID, sc.ID)})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// vars are the template values for args and the environment.
func vars(host string, port int, servers []started, dir string) (map[string]string, map[string]string) {
	v := map[string]string{"host": host, "port": strconv.Itoa(port), "out": filepath.Join(dir, "out")}
	env := map[string]string{"HOST": host, "PORT": strconv.Itoa(port)}
	for _, s := range servers {
		h, p, _ := net.SplitHostPort(s.srv.Addr().String())
		h = hostOf(s.srv, h)
		v[s.name+"_host"], v[s.name+"_port"] = h, p
		key := strings.ToUpper(strings.ReplaceAll(s.name, "-", "_"))
		env[key+"_HOST"], env[key+"_PORT"] = h, p
	}
	return v, env
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

func (e *Engine) argsFor(ex *spec.Exercise, sc *spec.Scenario, v map[string]string) []string {
	args := ex.Run.Args
	if sc.Args != nil {
		args = sc.Args
	}
	return expand(args, v)
}

func (e *Engine) environ(ex *spec.Exercise, prog *run.Program, dir string, env map[string]string) []string {
	extra := map[string]string{}
	for k, v := range prog.Env() {
		extra[k] = v
	}
	for k, v := range ex.Run.Env {
		extra[k] = v
	}
	for k, v := range env {
		extra[k] = v
	}
	return run.Environ(dir, extra)
}

func (e *Engine) clientScenario(ctx context.Context, ex *spec.Exercise, sc *spec.Scenario, prog *run.Program, dir string, timeout time.Duration, in []byte, opt Options, t *wire.Transcript, r *result.Scenario) {
	servers, err := startServers(ex, sc, opt.Ports, t)
	// A scenario aimed at one server (target) runs it alone, on the first
	// server's seed port when it has none, so a program that ignores PORT
	// meets the target, not another server.
	if err != nil {
		r.Status, r.Reason = result.Error, err.Error()
		return
	}
	defer closeAll(servers)
	host, port := "", 0
	for i, s := range servers {
		if sc.Target == s.name || sc.Target == "" && i == 0 {
			h, p, _ := net.SplitHostPort(s.srv.Addr().String())
			host = hostOf(s.srv, h)
			port, _ = strconv.Atoi(p)
		}
	}
	for _, s := range servers {
		if s.note != "" {
			r.Reason = strings.TrimSpace(r.Reason + " " + s.note)
		}
	}
	v, env := vars(host, port, servers, dir)
	if err := trustTLS(servers, dir, v, env); err != nil {
		r.Status, r.Reason = result.Error, err.Error()
		return
	}
	proc, err := run.Start(run.Spec{Argv: prog.Command(e.argsFor(ex, sc, v)), Dir: dir, Env: e.environ(ex, prog, dir, env), Stdin: in, OutputCap: int64(e.Cfg.Limits.Output), Sandbox: opt.runSandbox(timeout)})
	if err != nil {
		r.Status, r.Reason = result.Error, err.Error()
		return
	}
	defer proc.Cleanup()
	var res run.Result
	if sc.StopWhen != nil {
		res = waitUntil(ctx, proc, sc.StopWhen, servers, timeout)
	} else {
		res = proc.WaitContext(ctx, timeout)
	}
	if ctx.Err() != nil {
		r.Status, r.Reason = result.Skipped, "grading was interrupted"
		return
	}
	// Everything the program sent before it ended must be recorded before
	// the checks read the transcript.
	sctx, cancel := context.WithTimeout(ctx, time.Second)
	for _, s := range servers {
		_ = s.srv.Settle(sctx)
	}
	cancel()
	saveKeyLog(serversKeyLog(servers), dir, opt, ex, sc)
	checks := runChecks(ex, sc, res, t, timeout)
	if x := sc.Expect.Messages; x != nil {
		checks = append(checks, messagesCheck(x, servers))
	}
	if len(sc.Expect.Requests) > 0 {
		checks = append(checks, requestsCheck(sc.Expect.Requests, servers))
	}
	if sc.Expect.File != nil {
		checks = append(checks, fileCheck(sc.Expect.File, dir))
	}
	if sc.Expect.TLS != nil {
		checks = append(checks, tlsChecks(sc.Expect.TLS, servers, res)...)
	}
	finish(r, res, checks, timeout)
}

// waitUntil runs the program until the stop_when conditions all hold
// (then it is stopped, and not blamed for still running), it exits, or the
// timeout passes. It wakes on the program's output and the peers' news.
func waitUntil(ctx context.Context, proc *run.Proc, w *spec.StopWhen, servers []started, timeout time.Duration) run.Result {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	var peerNews <-chan struct{}
	for _, s := range servers {
		if p, ok := s.srv.(peer); ok {
			peerNews = p.Changed()
		}
	}
	for {
		stdout, _ := proc.Output()
		ok := w.Stdout == nil || check.Match("stop", w.Stdout, stdout, "").Passed
		if ok && w.Messages != nil {
			ok = check.Match("stop", w.Messages, decoded(servers), "").Passed
		}
		if ok {
			return proc.Stop()
		}
		select {
		case <-proc.Done():
			return proc.Wait(0)
		case <-ctx.Done():
			return proc.Stop()
		case <-deadline.C:
			return proc.Wait(0)
		case <-proc.StdoutChanged():
		case <-peerNews:
		}
	}
}

func decoded(servers []started) []byte {
	var out []byte
	for _, s := range servers {
		if p, ok := s.srv.(peer); ok {
			out = append(out, p.Decoded()...)
		}
	}
	return out
}

// messagesCheck matches what the peers decrypted from the client and
// adds their notes on what went wrong in the protocol.
func messagesCheck(m *spec.Match, servers []started) result.Check {
	c := check.Match(idOr(m, "messages"), m, decoded(servers), "the reference peer decrypted from your program")
	if !c.Passed {
		for _, s := range servers {
			if p, ok := s.srv.(peer); ok {
				for _, n := range p.Notes() {
					c.Message += "; " + n
				}
			}
		}
	}
	return c
}

func (e *Engine) serverScenario(ctx context.Context, ex *spec.Exercise, sc *spec.Scenario, prog *run.Program, dir string, timeout time.Duration, in []byte, opt Options, t *wire.Transcript, r *result.Scenario) {
	proto := ex.Run.Protocol
	if proto == "" {
		proto = "tcp"
	}
	host := loopback(ex.Run.Family)
	// PORT is always a fresh free port: a server that honours it never
	// meets the TIME_WAIT its previous scenario may have left on a fixed
	// port, and a seed program that binds the sheet's port anyway is found
	// where it listens.
	port, err := freePort(proto, host)
	if err != nil {
		r.Status, r.Reason = result.Error, "could not find a free port: "+err.Error()
		return
	}
	if err := stageWww(ex.Run.Www, dir); err != nil {
		r.Status, r.Reason = result.Error, err.Error()
		return
	}
	v, env := vars(host, port, nil, dir)
	tlsClient, keylog, err := serverTLS(ex, dir, v, env)
	if err != nil {
		r.Status, r.Reason = result.Error, err.Error()
		return
	}
	proc, err := run.Start(run.Spec{Argv: prog.Command(e.argsFor(ex, sc, v)), Dir: dir, Env: e.environ(ex, prog, dir, env), Stdin: in, OutputCap: int64(e.Cfg.Limits.Output), Sandbox: opt.runSandbox(timeout)})
	if err != nil {
		r.Status, r.Reason = result.Error, err.Error()
		return
	}
	defer proc.Cleanup()
	rctx, cancel := context.WithTimeout(ctx, min(ex.Run.Ready.Std(e.Cfg.ReadyTimeout()), timeout))
	socks, rerr := ready.Wait(rctx, proto, ready.Procs{Main: proc.MainPid, All: proc.Pids, Gone: proc.Gone})
	cancel()
	if ctx.Err() != nil {
		r.Status, r.Reason = result.Skipped, "grading was interrupted"
		return
	}
	target := steps.Target{Host: host, Port: port}
	readyCheck := result.Check{Name: "ready", Passed: true, Expected: fmt.Sprintf("a %s socket listening on port %d", strings.ToUpper(proto), port)}
	switch {
	case errors.Is(rerr, ready.ErrUnsupported):
		target.Retry, target.RetryUntil = true, time.Now().Add(ex.Run.Ready.Std(e.Cfg.ReadyTimeout()))
		readyCheck.Actual = "not observable on this system; the first connection is retried instead"
	case rerr != nil:
		readyCheck.Passed = false
		res := proc.Stop()
		if ready.IsExited(rerr) {
			readyCheck.Message = fmt.Sprintf("your program exited (%s) before it listened on a %s port", exitText(res), strings.ToUpper(proto))
		} else {
			readyCheck.Message = fmt.Sprintf("your program did not open a %s socket on any port within %v", strings.ToUpper(proto), ex.Run.Ready.Std(e.Cfg.ReadyTimeout()))
		}
		if len(res.Stderr) > 0 {
			readyCheck.Actual = "stderr: " + check.Quote(res.Stderr, 300)
		}
		readyCheck.Hint = "Bind the port given in PORT (or the exercise's port) and, for TCP, call listen() before anything else that can block."
		finish(r, res, []result.Check{readyCheck}, timeout)
		if r.Status == result.Failed && res.Crashed() {
			r.Status = result.Crash
		}
		return
	default:
		s := pick(socks, port, ex.Run.Family)
		target.Port = int(s.Addr.Port())
		target.Listening = describeSocket(s)
		readyCheck.Actual = "listening on " + target.Listening
		if target.Port != port {
			readyCheck.Actual += fmt.Sprintf(" (PORT was %d; the grader connects where you listen)", port)
		}
	}
	sctx, cancel := context.WithTimeout(ctx, timeout)
	sess := &steps.Session{T: t, Target: target, Network: sc.Network, TLS: tlsClient, Quiet: proc.Quiet}
	checks := append([]result.Check{readyCheck}, sess.Run(sctx, sc.Steps)...)
	cancel()
	if keylog != nil {
		saveKeyLog(keylog.Bytes(), dir, opt, ex, sc)
	}
	if ctx.Err() != nil {
		proc.Stop()
		r.Status, r.Reason = result.Skipped, "grading was interrupted"
		return
	}
	var res run.Result
	if sc.Expect.Stdout != nil || sc.Expect.Stderr != nil || sc.Expect.Exit != nil {
		// Give the server a moment to print and exit by itself.
		grace := time.NewTimer(ex.Run.Grace.Std(e.Cfg.GraceTimeout()))
		select {
		case <-proc.Done():
		case <-ctx.Done():
		case <-grace.C:
		}
		grace.Stop()
	}
	res = proc.Stop()
	checks = append(checks, runChecks(ex, sc, res, t, timeout)...)
	finish(r, res, checks, timeout)
}

// pick chooses the socket to connect to: the one on the port the grader
// gave, else the first of the right family.
func pick(socks []ready.Socket, port int, family string) ready.Socket {
	for _, s := range socks {
		if int(s.Addr.Port()) == port {
			return s
		}
	}
	for _, s := range socks {
		if s.IPv6() == (family == "ipv6") {
			return s
		}
	}
	return socks[0]
}

func describeSocket(s ready.Socket) string {
	a := s.Addr.String()
	if s.Addr.Addr().Is4() {
		return a + " (an IPv4 socket)"
	}
	return a + " (an IPv6 socket)"
}

// runChecks evaluates the scenario's expectations after the run.
func runChecks(ex *spec.Exercise, sc *spec.Scenario, res run.Result, t *wire.Transcript, timeout time.Duration) []result.Check {
	var out []result.Check
	x := sc.Expect
	hint := func(c result.Check) result.Check {
		if h, ok := x.Hints[c.Name]; ok && c.Hint == "" {
			c.Hint = h
		}
		return c
	}
	if x.Connections != nil {
		n := len(t.Conns())
		c := result.Check{Name: "connections", Passed: n == *x.Connections, Expected: plural(*x.Connections, "connection"), Actual: plural(n, "connection")}
		if !c.Passed {
			c.Message = fmt.Sprintf("your client opened %s to the reference server, expected %s", plural(n, "connection"), plural(*x.Connections, "connection"))
			if n == 0 {
				c.Message += ": it never reached it"
				c.Hint = "Connect to the host and port given in HOST and PORT."
			} else if n > *x.Connections {
				c.Hint = "Use one connection for the whole exchange: connect once, then send and receive on the same socket."
			}
		}
		out = append(out, hint(c))
	}
	if x.Sent != nil {
		out = append(out, hint(check.Match(idOr(x.Sent, "sent"), x.Sent, t.Bytes(0, wire.C2S), "your client sent")))
	}
	if x.WSClient != nil {
		var conns [][]byte
		for _, ci := range t.Conns() {
			conns = append(conns, t.Bytes(ci.ID, wire.C2S))
		}
		for _, c := range check.WSClient(x.WSClient, conns) {
			out = append(out, hint(c))
		}
	}
	if x.ClosedByClient != nil {
		c := result.Check{Name: "closed", Passed: true, Expected: "the client closes its connection", Actual: "every connection was closed by the client"}
		for _, ci := range t.Conns() {
			if strings.HasPrefix(ci.Network, "tcp") && ci.ClosedBy != "client" {
				c.Passed = false
				c.Message = fmt.Sprintf("connection %d was still open when your program was stopped", ci.ID)
				c.Hint = "Close the socket when the exchange is over."
			}
		}
		if *x.ClosedByClient != c.Passed {
			c.Passed = !c.Passed
		}
		out = append(out, hint(c))
	}
	if x.Stdout != nil {
		c := check.Match(idOr(x.Stdout, "stdout"), x.Stdout, res.Stdout, "your program printed")
		if res.StdoutLost > 0 {
			c.Message = strings.TrimSpace(c.Message + fmt.Sprintf(" (output capped: %d more bytes were not kept)", res.StdoutLost))
		}
		out = append(out, hint(c))
	}
	if x.Stderr != nil {
		out = append(out, hint(check.Match(idOr(x.Stderr, "stderr"), x.Stderr, res.Stderr, "your program wrote to stderr")))
	}
	if x.Exit != nil {
		c := result.Check{Name: "exit", Expected: fmt.Sprintf("exit code %d", *x.Exit), Actual: exitText(res)}
		c.Passed = !res.TimedOut && !res.Stopped && res.Signal == "" && res.ExitCode == *x.Exit
		if !c.Passed {
			switch {
			case res.TimedOut:
				c.Message = fmt.Sprintf("your program was still running after %v and was killed", timeout)
			case res.Stopped:
				c.Message = "your program was still running after the exchange was over and was stopped"
			default:
				c.Message = fmt.Sprintf("your program ended with %s, expected exit code %d", exitText(res), *x.Exit)
				if len(res.Stderr) > 0 {
					c.Message += "; stderr: " + check.Quote(lastLines(res.Stderr, 5), 400)
				}
			}
		}
		out = append(out, hint(c))
	}
	return out
}

func idOr(m *spec.Match, def string) string {
	if m.ID != "" {
		return m.ID
	}
	return def
}

// finish adds the run's own verdict (timeout, crash) and sets the status.
func finish(r *result.Scenario, res run.Result, checks []result.Check, timeout time.Duration) {
	if res.TimedOut {
		checks = append(checks, result.Check{Name: "timeout", Expected: fmt.Sprintf("the program ends within %v", timeout), Actual: "still running",
			Message: fmt.Sprintf("your program was still running after %v and was killed with everything it started", timeout),
			Hint:    "Does it wait for something that never comes (a reply it already read, a second connection)? Close the socket and exit when the exchange is done."})
	}
	if res.Crashed() {
		checks = append(checks, result.Check{Name: "crash", Expected: "a normal exit", Actual: exitText(res), Message: fmt.Sprintf("your program was killed by %s", res.Signal),
			Hint: "A segmentation fault usually means a buffer overflow or a NULL pointer: check sizes passed to recv() and strcpy()."})
	}
	r.Checks = checks
	r.CPUMS = res.CPU.Milliseconds()
	r.Stdout = check.Sanitize(res.Stdout, outputExcerpt)
	r.Stderr = check.Sanitize(res.Stderr, outputExcerpt)
	r.Status = result.Passed
	if slices.ContainsFunc(checks, func(c result.Check) bool { return !c.Passed }) {
		r.Status = result.Failed
	}
	switch {
	case res.Setup != "":
		r.Status, r.Reason = result.Error, "the sandbox could not start the program: "+res.Setup
	case res.TimedOut:
		r.Status = result.Timeout
	case res.Crashed():
		r.Status = result.Crash
	}
}

func exitText(res run.Result) string {
	switch {
	case res.TimedOut:
		return "killed at the timeout"
	case res.Stopped:
		return "stopped by the grader"
	case res.Signal != "":
		return "signal " + res.Signal
	}
	return "exit code " + strconv.Itoa(res.ExitCode)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

func lastLines(b []byte, n int) []byte {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return []byte(strings.Join(lines, "\n"))
}
