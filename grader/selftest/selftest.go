// Package selftest proves the exercises against fixture solutions: every
// fixtures/submissions/<exercise>/<name>/ folder holds a program and an
// expect.yaml that names exactly which checks must fail (none for a good
// solution). A check that cannot fail, or fails for the wrong reason,
// shows up here before it grades a student.
package selftest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/netlab-grader/grader/grader/catalog"
	"github.com/netlab-grader/grader/grader/engine"
	"github.com/netlab-grader/grader/grader/report"
	"github.com/netlab-grader/grader/grader/result"
	"github.com/netlab-grader/grader/grader/spec"
	"gopkg.in/yaml.v3"
)

// Expect is a fixture's expect.yaml.
type Expect struct {
	Description string `yaml:"description"`
	// Score, when set, is the exact total the fixture must get.
	Score *int `yaml:"score"`
	// Fail is exactly the set of checks that must fail, as scenario/check.
	Fail []string `yaml:"fail"`
	// Statuses pins scenario statuses (timeout, crash, skipped...).
	Statuses map[string]string `yaml:"statuses"`
	// ReportContains are texts the text report must contain, such as the
	// message that names the mistake.
	ReportContains []string `yaml:"report_contains"`
	// Run replaces the runner's command, as --run does.
	Run string `yaml:"run"`
	// Sandbox marks a fixture that is only graded as declared inside the
	// sandbox (a seed program with its hard-coded host name, an attack
	// that only the sandbox contains): skipped, and said so, without it.
	Sandbox bool `yaml:"sandbox"`
}

// Fixture is one fixture folder.
type Fixture struct {
	Exercise string
	Name     string
	Dir      string
	Expect   Expect
}

// Outcome is the verdict on one fixture.
type Outcome struct {
	Fixture  Fixture
	OK       bool
	Problems []string
	Report   *result.Report
	Took     time.Duration
	// Skipped says why the fixture was not graded here.
	Skipped string
}

// Discover lists the fixtures under root for the given exercises (all when
// empty), sorted.
func Discover(root string, only []string) ([]Fixture, error) {
	exDirs, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("could not read fixtures: %w (run from the repository, or pass --fixtures DIR)", err)
	}
	var out []Fixture
	for _, ed := range exDirs {
		if !ed.IsDir() || len(only) > 0 && !slices.Contains(only, ed.Name()) {
			continue
		}
		fds, err := os.ReadDir(filepath.Join(root, ed.Name()))
		if err != nil {
			return nil, err
		}
		for _, fd := range fds {
			if !fd.IsDir() {
				continue
			}
			dir := filepath.Join(root, ed.Name(), fd.Name())
			exp, err := readExpect(filepath.Join(dir, "expect.yaml"))
			if err != nil {
				return nil, err
			}
			out = append(out, Fixture{Exercise: ed.Name(), Name: fd.Name(), Dir: dir, Expect: exp})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Exercise != out[j].Exercise {
			return out[i].Exercise < out[j].Exercise
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

func readExpect(file string) (Expect, error) {
	var e Expect
	data, err := os.ReadFile(file)
	if err != nil {
		return e, fmt.Errorf("fixture without expect.yaml: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&e); err != nil {
		return e, fmt.Errorf("%s: %w", file, err)
	}
	if e.Fail == nil {
		var n yaml.Node
		_ = yaml.Unmarshal(data, &n)
		if !hasKey(&n, "fail") {
			return e, fmt.Errorf("%s: fail: missing (list the checks that must fail, [] for a good solution)", file)
		}
	}
	return e, nil
}

func hasKey(n *yaml.Node, k string) bool {
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == k {
			return true
		}
	}
	return false
}

// Runner runs fixtures through an engine.
type Runner struct {
	Engine  *engine.Engine
	Catalog *catalog.Catalog
	Jobs    int
	Options engine.Options
	// Self is the grader's own executable.
	Self string
}

// Run grades every fixture (Jobs at a time) and calls done as each ends,
// in completion order.
func (r *Runner) Run(ctx context.Context, fixtures []Fixture, done func(Outcome)) []Outcome {
	jobs := max(r.Jobs, 1)
	out := make([]Outcome, len(fixtures))
	var wg sync.WaitGroup
	var mu sync.Mutex
	sem := make(chan struct{}, jobs)
	for i, f := range fixtures {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			o := r.one(ctx, f)
			out[i] = o
			mu.Lock()
			done(o)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

func (r *Runner) one(ctx context.Context, f Fixture) Outcome {
	t0 := time.Now()
	o := Outcome{Fixture: f}
	ex, err := r.Catalog.Get(f.Exercise)
	if err != nil {
		o.Problems = []string{err.Error()}
		return o
	}
	opt := r.Options
	if f.Expect.Sandbox && !opt.Sandbox {
		o.OK, o.Skipped = true, "needs the sandbox (root on Linux), which is off here"
		return o
	}
	// {grader} in a fixture's run command is this grader itself, so a
	// fixture can prove a reference server against its own probe (the
	// engine expands it; see engine.Options.Run).
	opt.Run, opt.Self = f.Expect.Run, r.Self
	opt.ShowHidden = true
	rep, err := r.Engine.Check(ctx, ex, f.Dir, opt)
	o.Took = time.Since(t0)
	if err != nil {
		o.Problems = []string{"the grader failed: " + err.Error()}
		return o
	}
	o.Report = rep
	o.Problems = Compare(ex, f.Expect, rep)
	o.OK = len(o.Problems) == 0
	return o
}

// Compare lists every way rep differs from what the fixture expects.
func Compare(ex *spec.Exercise, e Expect, rep *result.Report) []string {
	var probs []string
	got := FailedChecks(rep)
	want := append([]string(nil), e.Fail...)
	sort.Strings(want)
	for _, w := range want {
		if s := find(rep, strings.SplitN(w, "/", 2)[0]); s != nil && s.Status == result.Skipped && strings.Contains(s.Reason, "needs Chromium") {
			continue // proven only where a browser is installed
		}
		if !slices.Contains(got, w) {
			probs = append(probs, fmt.Sprintf("expected %s to fail, but it %s", w, whatHappened(rep, w)))
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			probs = append(probs, fmt.Sprintf("%s failed unexpectedly: %s", g, messageOf(rep, g)))
		}
	}
	if e.Score != nil && rep.Score != *e.Score {
		probs = append(probs, fmt.Sprintf("score %d/%d, expected %d", rep.Score, rep.MaxScore, *e.Score))
	}
	if len(want) == 0 && rep.Score != rep.MaxScore {
		probs = append(probs, fmt.Sprintf("a good fixture must score full marks: %d/%d", rep.Score, rep.MaxScore))
	}
	for id, st := range e.Statuses {
		s := find(rep, id)
		if s == nil {
			probs = append(probs, fmt.Sprintf("statuses: no scenario %q", id))
		} else if s.Status != st {
			probs = append(probs, fmt.Sprintf("scenario %s is %s, expected %s", id, s.Status, st))
		}
	}
	for _, s := range rep.Scenarios {
		if s.Status == result.Error {
			probs = append(probs, fmt.Sprintf("scenario %s: grader error: %s", s.ID, s.Reason))
		}
	}
	if len(e.ReportContains) > 0 {
		var b bytes.Buffer
		_ = report.Text(&b, rep, report.TextOptions{Verbose: true})
		for _, want := range e.ReportContains {
			if !strings.Contains(b.String(), want) {
				probs = append(probs, fmt.Sprintf("the report does not contain %q", want))
			}
		}
	}
	return probs
}

// FailedChecks lists scenario/check for every failed check, sorted.
func FailedChecks(rep *result.Report) []string {
	var out []string
	for _, s := range rep.Scenarios {
		for _, c := range s.Checks {
			if !c.Passed {
				out = append(out, s.ID+"/"+c.Name)
			}
		}
	}
	sort.Strings(out)
	return out
}

func find(rep *result.Report, id string) *result.Scenario {
	for i := range rep.Scenarios {
		if rep.Scenarios[i].ID == id {
			return &rep.Scenarios[i]
		}
	}
	return nil
}

func whatHappened(rep *result.Report, id string) string {
	sid, cid, _ := strings.Cut(id, "/")
	s := find(rep, sid)
	if s == nil {
		return "does not exist (no such scenario)"
	}
	if s.Status == result.Skipped {
		return "was not run (scenario skipped: " + s.Reason + ")"
	}
	for _, c := range s.Checks {
		if c.Name == cid {
			return "passed"
		}
	}
	return fmt.Sprintf("was not run (scenario %s is %s)", sid, s.Status)
}

func messageOf(rep *result.Report, id string) string {
	sid, cid, _ := strings.Cut(id, "/")
	if s := find(rep, sid); s != nil {
		for _, c := range s.Checks {
			if c.Name == cid {
				return c.Message
			}
		}
	}
	return ""
}

// Print writes one line per outcome and the closing tally.
func Print(w io.Writer, o Outcome) {
	f := o.Fixture
	score := ""
	if o.Report != nil {
		score = fmt.Sprintf("%d/%d", o.Report.Score, o.Report.MaxScore)
	}
	mark := "ok  "
	if !o.OK {
		mark = "FAIL"
	}
	if o.Skipped != "" {
		fmt.Fprintf(w, "skip %-44s %s\n", f.Exercise+"/"+f.Name, o.Skipped)
		return
	}
	fmt.Fprintf(w, "%s %-44s %7s %5.1fs\n", mark, f.Exercise+"/"+f.Name, score, o.Took.Seconds())
	for _, p := range o.Problems {
		fmt.Fprintf(w, "       %s\n", strings.ReplaceAll(p, "\n", "\n       "))
	}
}

// ErrFailed is returned when a fixture did not behave as declared.
var ErrFailed = errors.New("selftest failed")
