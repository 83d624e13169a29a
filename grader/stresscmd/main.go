// Command stresscmd runs `grader selftest --format json` several times
// while the CPU is oversubscribed, and fails when a fixture's verdict
// (its scenario statuses, failed checks and score) is not the same in
// every run: a flip is a timing bug, in the grader or in an exercise,
// that a student would meet as a grade that changes on a busy laptop. It
// is `make stress`:
//
//	go run ./grader/stresscmd -grader ./bin/grader [-runs 20] [-jobs 2] [-load 2] [EXERCISE...]
//
// During each run, load x NumCPU processes of this command spin on the
// CPU (a bounded busy loop each); they are killed when the run ends, die
// with this command (Linux), and stop by themselves after -run-timeout
// and a grace in any case. A run that outlives -run-timeout is killed,
// with its process group. Exit status: 0 when every fixture got one
// verdict in every run and passed; 1 on a flip, a fixture failing in
// every run, or a run that did not finish; 2 on a usage error.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/netlab-grader/grader/grader/selftest"
)

// spinGrace is how long a spinner may outlive the run it loads, at most,
// should nothing kill it.
const spinGrace = 30 * time.Second

func main() {
	os.Exit(mainErr(os.Args[1:], os.Stdout, os.Stderr))
}

func mainErr(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("stresscmd", flag.ContinueOnError)
	fs.SetOutput(stderr)
	grader := fs.String("grader", "./bin/grader", "the grader binary (`PATH`)")
	runs := fs.Int("runs", 20, "selftest runs (`N`)")
	jobs := fs.Int("jobs", 2, "fixtures graded at once in each run (selftest --jobs `N`)")
	load := fs.Int("load", 2, "busy processes per CPU during each run (`N`)")
	runTimeout := fs.Duration("run-timeout", 30*time.Minute, "hard bound on one run (`DURATION`)")
	spin := fs.Duration("spin", 0, "internal: be one busy process for at most `DURATION`")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *spin > 0 {
		spinFor(*spin)
		return 0
	}
	if *runs < 2 || *jobs < 1 || *load < 0 || *runTimeout <= 0 {
		fmt.Fprintln(stderr, "stresscmd: want -runs >= 2, -jobs >= 1, -load >= 0 and a positive -run-timeout")
		return 2
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(stderr, "stresscmd:", err)
		return 1
	}
	s := &stress{grader: *grader, self: self, jobs: *jobs, spinners: *load * runtime.NumCPU(), runTimeout: *runTimeout, only: fs.Args(), out: stdout}
	return s.run(*runs)
}

// spinFor keeps one CPU busy until d has passed.
func spinFor(d time.Duration) {
	runtime.GOMAXPROCS(1)
	deadline := time.Now().Add(d)
	x := 0
	for time.Now().Before(deadline) {
		for i := 0; i < 1<<20; i++ {
			x += i
		}
	}
	_ = x
}

type stress struct {
	grader, self string
	jobs         int
	spinners     int
	runTimeout   time.Duration
	only         []string
	out          io.Writer
}

// runResult is one selftest run: every fixture's verdict, in the order
// they finished.
type runResult struct {
	verdicts []selftest.Verdict
	took     time.Duration
	err      error
}

func (s *stress) run(runs int) int {
	fmt.Fprintf(s.out, "stress: %d runs of %s selftest --jobs %d, %d busy processes on %d CPUs\n", runs, s.grader, s.jobs, s.spinners, runtime.NumCPU())
	t0 := time.Now()
	var results []runResult
	for i := 1; i <= runs; i++ {
		r := s.once(i)
		results = append(results, r)
		ok := 0
		for _, v := range r.verdicts {
			if v.OK {
				ok++
			}
		}
		fmt.Fprintf(s.out, "run %d/%d: %d fixtures, %d as expected, %s", i, runs, len(r.verdicts), ok, r.took.Round(time.Second))
		if r.err != nil {
			fmt.Fprintf(s.out, ": %v", r.err)
		}
		fmt.Fprintln(s.out)
	}
	return s.report(results, time.Since(t0))
}

// once runs selftest once under load; it prints each fixture that fails
// as it ends, so trouble shows before the run does.
func (s *stress) once(n int) runResult {
	ctx, cancel := context.WithTimeout(context.Background(), s.runTimeout)
	defer cancel()
	stop, err := s.startSpinners()
	defer stop()
	if err != nil {
		return runResult{err: err}
	}
	args := append([]string{"selftest", "--format", "json", "--jobs", strconv.Itoa(s.jobs)}, s.only...)
	cmd := exec.CommandContext(ctx, s.grader, args...)
	detach(cmd)
	cmd.Cancel = func() error { return killGroup(cmd) }
	cmd.WaitDelay = 10 * time.Second
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return runResult{err: err}
	}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return runResult{err: err}
	}
	var r runResult
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		var v selftest.Verdict
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			r.err = fmt.Errorf("selftest printed %q, not a JSON verdict", sc.Text())
			continue
		}
		r.verdicts = append(r.verdicts, v)
		if !v.OK {
			fmt.Fprintf(s.out, "run %d: FAIL %s: %s\n", n, v.Fixture, signature(v))
		}
	}
	werr := cmd.Wait()
	r.took = time.Since(t0)
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		r.err = fmt.Errorf("killed after %v (-run-timeout)", s.runTimeout)
	case errors.As(werr, &exit) && exit.ExitCode() == 1:
		// some fixture did not behave as declared: its verdict says which
	case werr != nil:
		r.err = fmt.Errorf("selftest: %v: %s", werr, lastLines(stderr.String(), 5))
	}
	return r
}

// startSpinners starts the busy processes; stop kills and reaps them.
func (s *stress) startSpinners() (stop func(), err error) {
	var cmds []*exec.Cmd
	stop = func() {
		for _, c := range cmds {
			_ = c.Process.Kill()
			_ = c.Wait()
		}
	}
	for range s.spinners {
		c := exec.Command(s.self, "-spin", (s.runTimeout + spinGrace).String())
		detach(c)
		if err := c.Start(); err != nil {
			return stop, fmt.Errorf("could not start a busy process: %w", err)
		}
		cmds = append(cmds, c)
	}
	return stop, nil
}

// signature is what must not change between runs.
func signature(v selftest.Verdict) string {
	var b strings.Builder
	if v.OK {
		b.WriteString("ok")
	} else {
		b.WriteString("FAIL")
	}
	if !v.Graded {
		b.WriteString(" (not graded)")
		return b.String()
	}
	fmt.Fprintf(&b, " %d/%d", v.Score, v.MaxScore)
	for _, id := range slices.Sorted(maps.Keys(v.Statuses)) {
		fmt.Fprintf(&b, " %s:%s", id, v.Statuses[id])
	}
	if len(v.Failed) > 0 {
		fmt.Fprintf(&b, " failed: %s", strings.Join(v.Failed, ", "))
	}
	return b.String()
}

// report prints every flip and every fixture failing in every run, and
// returns the exit status.
func (s *stress) report(results []runResult, took time.Duration) int {
	// fixture -> signature -> runs (1-based)
	seen := map[string]map[string][]int{}
	var order []string
	problems := map[string][]string{}
	bad := 0
	for i, r := range results {
		if r.err != nil {
			bad++
		}
		for _, v := range r.verdicts {
			if seen[v.Fixture] == nil {
				seen[v.Fixture] = map[string][]int{}
				order = append(order, v.Fixture)
			}
			sig := signature(v)
			seen[v.Fixture][sig] = append(seen[v.Fixture][sig], i+1)
			if !v.OK && len(problems[v.Fixture]) == 0 {
				problems[v.Fixture] = v.Problems
			}
		}
	}
	slices.Sort(order)
	var flips, failing []string
	for _, f := range order {
		n := 0
		for _, rs := range seen[f] {
			n += len(rs)
		}
		switch {
		case len(seen[f]) > 1 || n != len(results):
			flips = append(flips, f)
		case !strings.HasPrefix(onlyKey(seen[f]), "ok"):
			failing = append(failing, f)
		}
	}
	for _, f := range flips {
		fmt.Fprintf(s.out, "FLIP %s\n", f)
		n := 0
		for _, sig := range slices.Sorted(maps.Keys(seen[f])) {
			fmt.Fprintf(s.out, "     runs %s: %s\n", joinInts(seen[f][sig]), sig)
			n += len(seen[f][sig])
		}
		if n != len(results) {
			fmt.Fprintf(s.out, "     missing from %d of %d runs\n", len(results)-n, len(results))
		}
	}
	for _, f := range failing {
		fmt.Fprintf(s.out, "FAIL %s in every run: %s\n", f, onlyKey(seen[f]))
		for _, p := range problems[f] {
			fmt.Fprintf(s.out, "     %s\n", strings.ReplaceAll(p, "\n", "\n     "))
		}
	}
	var times []string
	for _, r := range results {
		times = append(times, r.took.Round(time.Second).String())
	}
	fmt.Fprintf(s.out, "stress: %d fixtures, %d flipped, %d failing in every run, %d runs not finished; %d runs in %s (%s)\n",
		len(order), len(flips), len(failing), bad, len(results), took.Round(time.Second), strings.Join(times, ", "))
	if len(flips) > 0 || len(failing) > 0 || bad > 0 || len(order) == 0 {
		return 1
	}
	return 0
}

func onlyKey(m map[string][]int) string {
	for k := range m {
		return k
	}
	return ""
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ",")
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(len(lines)-n, 0):], "\n")
}
