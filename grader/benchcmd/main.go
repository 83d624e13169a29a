// Command benchcmd prints the grader's overhead: how long `grader check`
// takes per scenario beyond the submission's own run, and how long the
// grader takes to start; then the reference HTTP server's keep-alive
// throughput next to nginx's under the same wrk load (nginx and wrk are
// installed with apt-get when missing and possible, else that part is
// skipped with a notice). It is the second half of `make bench`:
//
//	go run ./grader/benchcmd -grader ./bin/grader [-runs 20] [-only start|overhead|batch|http]
//
// Everything runs on loopback with ephemeral ports and stops by itself:
// every command has a deadline. It exits 0 whatever the numbers are (they
// are a report, not a test) and 1 when something could not be measured.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/netlab-grader/grader/grader/config"
	"github.com/netlab-grader/grader/grader/spec"
)

// The targets of the issue that asked for `make bench`.
const (
	coldStartTarget = 20 * time.Millisecond
	overheadTarget  = 5 * time.Millisecond
)

// cases are the compiled C fixtures measured: a client and a server
// exercise.
var cases = []struct{ exercise, fixture string }{
	{"echo-tcp-client", "fixtures/submissions/echo-tcp-client/c"},
	{"echo-tcp-server", "fixtures/submissions/echo-tcp-server/c"},
}

func main() {
	os.Exit(mainErr(os.Args[1:], os.Stdout, os.Stderr))
}

func mainErr(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("benchcmd", flag.ContinueOnError)
	fs.SetOutput(stderr)
	grader := fs.String("grader", "./bin/grader", "the grader binary to measure (`PATH`)")
	runs := fs.Int("runs", 20, "runs of each measurement (`N`); medians are reported")
	root := fs.String("root", "", "repository root (`DIR`, default: the folder holding go.mod above the current one)")
	only := fs.String("only", "", "run one part alone (`PART`: start, the cold start; overhead, the overhead per scenario and where it goes; batch, the batch throughput; http, the HTTP keep-alive throughput against nginx)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	switch *only {
	case "", "start", "overhead", "batch", "http":
	default:
		fmt.Fprintf(stderr, "benchcmd: -only: got %q, want start, overhead, batch or http\n", *only)
		return 2
	}
	if *runs < 1 {
		fmt.Fprintln(stderr, "benchcmd: -runs must be at least 1")
		return 2
	}
	b, err := newBench(*grader, *root, *runs, stdout)
	if err != nil {
		fmt.Fprintln(stderr, "benchcmd:", err)
		return 1
	}
	b.only = *only
	if !b.run() {
		return 1
	}
	return 0
}

type bench struct {
	grader, root string
	runs         int
	// only names the one part to run ("http"...); "" runs them all.
	only      string
	out       io.Writer
	cfg       *config.Config
	exercises map[string]*spec.Exercise
	// summary lines, one per target, printed last.
	summary []string
	failed  bool
}

func newBench(grader, root string, runs int, out io.Writer) (*bench, error) {
	var err error
	if root == "" {
		if root, err = findRoot(); err != nil {
			return nil, err
		}
	}
	if grader, err = filepath.Abs(grader); err != nil {
		return nil, err
	}
	if _, err := os.Stat(grader); err != nil {
		return nil, fmt.Errorf("%v (build it first: make build)", err)
	}
	cfg, err := config.Load(filepath.Join(root, "grader.yaml"))
	if err != nil {
		return nil, err
	}
	list, err := spec.LoadFS(os.DirFS(root), "exercises")
	if err != nil {
		return nil, err
	}
	b := &bench{grader: grader, root: root, runs: runs, out: out, cfg: cfg, exercises: map[string]*spec.Exercise{}}
	for _, ex := range list {
		b.exercises[ex.ID] = ex
	}
	return b, nil
}

func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the current folder; use -root")
		}
		dir = parent
	}
}

func (b *bench) printf(format string, a ...any) { fmt.Fprintf(b.out, format, a...) }

func (b *bench) run() bool {
	version, _, _ := b.exec(10*time.Second, "version")
	b.printf("grader overhead benchmark\n")
	b.printf("  grader   %s (%s)\n", b.grader, strings.TrimSpace(string(version)))
	b.printf("  machine  %s/%s, %d CPUs, load average %s\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), loadavg())
	b.printf("  runs     %d of each measurement; medians, with [p10 … p90]\n", b.runs)
	if busy() {
		b.printf("  NOTE     the machine is busy (load average ≥ CPUs): every time below is inflated; compare\n")
		b.printf("           with /bin/true's, or rerun on an idle machine\n")
	}
	b.printf("\n")

	part := func(name string) bool { return b.only == "" || b.only == name }
	if part("start") {
		b.coldStart()
	}
	if part("overhead") {
		var listen listenTimes
		for _, c := range cases {
			b.overhead(c.exercise, c.fixture, &listen)
		}
		b.where(listen)
	}
	if part("batch") {
		b.batchThroughput()
	}
	if part("http") {
		b.httpThroughput()
	}

	b.printf("Summary\n")
	for _, s := range b.summary {
		b.printf("  %s\n", s)
	}
	return !b.failed
}

// busy reports a 1-minute load average at or above the CPU count.
func busy() bool {
	var l float64
	if _, err := fmt.Sscan(loadavg(), &l); err != nil {
		return false
	}
	return l >= float64(runtime.NumCPU())
}

func loadavg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// exec runs the grader with args from the repository root and returns
// its stdout and the wall time from fork to reaping.
func (b *bench) exec(timeout time.Duration, args ...string) ([]byte, time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, b.grader, args...)
	cmd.Dir = b.root
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	t0 := time.Now()
	err := cmd.Run()
	d := time.Since(t0)
	if ctx.Err() != nil {
		err = fmt.Errorf("grader %s: no answer within %v", strings.Join(args, " "), timeout)
	} else if err != nil {
		err = fmt.Errorf("grader %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.Bytes(), d, err
}

// spread formats a sample as "4.1 ms [3.9 … 4.8]".
func spread(s sample) string {
	return fmt.Sprintf("%s [%.1f … %.1f]", ms(s.median()), float64(s.quantile(0.1))/1e6, float64(s.quantile(0.9))/1e6)
}

func (b *bench) coldStart() {
	b.printf("Cold start: wall time of a grader command that grades nothing, fork to exit\n")
	tw := tabwriter.NewWriter(b.out, 0, 8, 2, ' ', 0)
	var version sample
	for _, c := range []struct {
		label string
		args  []string
	}{
		{"grader version", []string{"version"}},
		{"grader list", []string{"list"}},
	} {
		var s sample
		for range b.runs {
			_, d, err := b.exec(10*time.Second, c.args...)
			if err != nil {
				b.printf("  %s: %v\n", c.label, err)
				b.failed = true
				return
			}
			s = append(s, d)
		}
		if c.args[0] == "version" {
			version = s
		}
		fmt.Fprintf(tw, "  %s\t%s\t\n", c.label, spread(s))
	}
	var floor sample
	for range b.runs {
		t0 := time.Now()
		if err := exec.Command("/bin/true").Run(); err == nil {
			floor = append(floor, time.Since(t0))
		}
	}
	if len(floor) > 0 {
		fmt.Fprintf(tw, "  /bin/true, for scale\t%s\t(fork+exec+wait of a trivial program on this machine)\n", spread(floor))
	}
	_ = tw.Flush()
	m := version.median()
	line := fmt.Sprintf("cold start: %s (target ≤ %v) %s", ms(m), whole(coldStartTarget), verdict(m, coldStartTarget))
	b.printf("  %s\n\n", line)
	b.summary = append(b.summary, line)
}

// report is the part of `grader check --format json` read here.
type report struct {
	Status     string `json:"status"`
	DurationMS int64  `json:"duration_ms"`
	Scenarios  []struct {
		ID         string `json:"id"`
		Status     string `json:"status"`
		Reason     string `json:"reason"`
		DurationMS int64  `json:"duration_ms"`
	} `json:"scenarios"`
}

// listenTimes are the server fixture's own time to listen, bare and
// wrapped, for the readiness analysis.
type listenTimes struct{ bare, wrapped sample }

func (b *bench) overhead(exID, path string, listen *listenTimes) {
	b.printf("Overhead per scenario: %s with %s\n", exID, path)
	ex := b.exercises[exID]
	if ex == nil {
		b.printf("  exercise %s not found\n\n", exID)
		b.failed = true
		return
	}
	f, err := prepare(b.cfg, ex, b.root, path)
	if err != nil {
		b.printf("  %v\n\n", err)
		b.failed = true
		return
	}
	defer f.cleanup()
	wrap := f.wrapper()
	b.printf("  grader    the scenario's duration_ms in `grader check %s %s --format json --ports free`\n", exID, path)
	b.printf("            (whole ms, truncated: the true value is up to 1 ms more)\n")
	b.printf("  own       the same program, compiled once with grader.yaml's runner, run by this tool alone:\n")
	if ex.Role == "client" {
		b.printf("            against fresh in-process reference servers (reference/echo, as in the grader), same\n")
		b.printf("            arguments and environment, timed from fork to reaping\n")
	} else {
		b.printf("            on a free loopback port, its first connect retried every 100 µs (readiness), the\n")
		b.printf("            scenario's steps played by this tool's own minimal client; timed from fork to where\n")
		b.printf("            the grader's run ends: listening (no steps), last step done, or exit (when stdout,\n")
		b.printf("            stderr or the exit code is checked)\n")
	}
	b.printf("  overhead  grader − own (bare)")
	if wrap != "" {
		b.printf("; the grader runs `%s PROG`, and own (%s) is the same run through\n", wrap, strings.Fields(wrap)[0])
		b.printf("            that wrapper: what it adds is part of the overhead\n")
	} else {
		b.printf("\n")
	}
	b.printf("  runs      interleaved (one grader check, then one own run per scenario), after a warm-up of each\n")

	// Per grader check: its wall time, its build, and the splits of the
	// rest, so each split is a median of per-run differences.
	var walls, builds, scenSums, engineRest, outside, rests sample
	graded := map[string]sample{}
	own := map[string]sample{}
	ownWrapped := map[string]sample{}
	problems := map[string]string{}
	scenarios := ex.Scenarios
	check := func(warm bool) bool {
		out, wall, err := b.exec(5*time.Minute, "check", exID, path, "--format", "json", "--ports", "free")
		var rep report
		if jerr := json.Unmarshal(out, &rep); jerr != nil {
			b.printf("  grader check: %v (report unreadable: %v)\n\n", err, jerr)
			b.failed = true
			return false
		}
		if warm {
			return true
		}
		walls = append(walls, wall)
		total := time.Duration(rep.DurationMS) * time.Millisecond
		var build, sum time.Duration
		for _, sc := range rep.Scenarios {
			d := time.Duration(sc.DurationMS) * time.Millisecond
			if sc.ID == "build" {
				build = d
				continue
			}
			sum += d
			if sc.Status != "passed" && problems[sc.ID] == "" {
				problems[sc.ID] = "grader: " + sc.Status + " " + sc.Reason
			}
			graded[sc.ID] = append(graded[sc.ID], d)
		}
		builds = append(builds, build)
		scenSums = append(scenSums, sum)
		engineRest = append(engineRest, total-build-sum)
		outside = append(outside, wall-total)
		rests = append(rests, wall-build)
		return true
	}
	measureOwn := func(warm bool) {
		for i := range scenarios {
			sc := &scenarios[i]
			for _, wrapped := range []bool{false, true} {
				if wrapped && wrap == "" {
					continue
				}
				r, err := f.own(sc, wrapped)
				if err == nil && r.mismatch != "" {
					err = errors.New(r.mismatch)
				}
				if err != nil {
					if problems[sc.ID] == "" {
						problems[sc.ID] = "own run: " + err.Error()
					}
					continue
				}
				if warm {
					continue
				}
				if wrapped {
					ownWrapped[sc.ID] = append(ownWrapped[sc.ID], r.d)
				} else {
					own[sc.ID] = append(own[sc.ID], r.d)
				}
			}
		}
	}
	if !check(true) {
		return
	}
	measureOwn(true)
	for range b.runs {
		if !check(false) {
			return
		}
		measureOwn(false)
	}

	tw := tabwriter.NewWriter(b.out, 0, 8, 2, ' ', tabwriter.AlignRight)
	// AlignRight for the numbers; ids padded so they read left-aligned.
	width := len("scenario")
	for _, sc := range scenarios {
		width = max(width, len(sc.ID))
	}
	pad := func(s string) string { return fmt.Sprintf("%-*s", width, s) }
	wrapCol := ""
	if wrap != "" {
		wrapCol = "own (" + strings.Fields(wrap)[0] + ")\t"
	}
	fmt.Fprintf(tw, "  %s\tgrader\town (bare)\t%soverhead\t/ %v target\t\n", pad("scenario"), wrapCol, whole(overheadTarget))
	var worst time.Duration
	worstID := ""
	var overheads sample
	var sumOwn time.Duration
	for _, sc := range scenarios {
		g, o := graded[sc.ID].median(), own[sc.ID].median()
		sumOwn += o
		wcol := ""
		if wrap != "" {
			wcol = ms(ownWrapped[sc.ID].median()) + "\t"
		}
		if len(graded[sc.ID]) == 0 || len(own[sc.ID]) == 0 {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s-\t-\t\n", pad(sc.ID), ms(g), ms(o), wcol)
			continue
		}
		over := g - o
		overheads = append(overheads, over)
		if worstID == "" || over > worst {
			worst, worstID = over, sc.ID
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s%s\t%s\t\n", pad(sc.ID), ms(g), ms(o), wcol, msSigned(over), ratio(over, overheadTarget))
	}
	_ = tw.Flush()
	for _, sc := range scenarios {
		if p := problems[sc.ID]; p != "" {
			b.printf("  ! %s: %s: its numbers do not compare like with like\n", sc.ID, p)
			b.failed = true
		}
	}
	if wrap != "" {
		var w sample
		for _, sc := range scenarios {
			if len(ownWrapped[sc.ID]) > 0 && len(own[sc.ID]) > 0 {
				w = append(w, ownWrapped[sc.ID].median()-own[sc.ID].median())
			}
		}
		b.printf("  %s alone: %s per run (median over scenarios), inside the overhead above\n", strings.Fields(wrap)[0], msSigned(w.median()))
	}
	n := time.Duration(len(scenarios))
	build := builds.median()
	b.printf("  whole check (medians of per-run parts): wall %s\n", spread(walls))
	b.printf("               build %s (the compiler: reported apart, not per-scenario overhead)\n", ms(build))
	b.printf("               scenarios %s (Σ duration_ms of the scenarios)\n", ms(scenSums.median()))
	b.printf("               %s in the engine outside scenarios (work folder, copy, tool look-up: report duration_ms − build − scenarios)\n", ms(engineRest.median()))
	b.printf("               %s outside the engine (process start, config and exercises, JSON report, removal of the work folder, exit)\n", ms(outside.median()))
	if n > 0 {
		amort := (rests.median() - sumOwn) / n
		b.printf("  amortised:   (wall − build − Σ own) / %d scenarios = %s per scenario (everything but the compiler and the program)\n", n, ms(amort))
	}
	if ex.Role == "server" {
		for _, sc := range scenarios {
			if len(sc.Steps) == 0 {
				listen.bare, listen.wrapped = own[sc.ID], ownWrapped[sc.ID]
				break
			}
		}
	}
	b.printf("\n")
	if len(overheads) > 0 {
		b.summary = append(b.summary, fmt.Sprintf("overhead per scenario, %s/%s: worst %s (%s), median %s over %d scenarios (target ≤ %v; worst %s) %s",
			exID, filepath.Base(path), ms(worst), worstID, ms(overheads.median()), len(overheads), whole(overheadTarget), ratio(worst, overheadTarget), verdict(worst, overheadTarget)))
	}
	if len(builds) > 0 {
		b.summary = append(b.summary, fmt.Sprintf("build of %s (reported apart, no target): %s", path, ms(build)))
	}
}
