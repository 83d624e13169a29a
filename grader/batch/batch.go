package batch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/netlab-grader/grader/grader/engine"
	"github.com/netlab-grader/grader/grader/result"
	"github.com/netlab-grader/grader/grader/spec"
)

// Options configure a batch.
type Options struct {
	Exercises []*spec.Exercise
	// SpecBytes holds each exercise's file content (for the content hash).
	SpecBytes   map[string][]byte
	Submissions string
	Out         string
	Jobs        int
	// Shard K of N (1-based); N == 0 grades everyone.
	ShardK, ShardN int
	Engine         *engine.Engine
	EngineOptions  engine.Options
	// Progress receives a line per finished job, or a live line on a TTY.
	Progress io.Writer
	TTY      bool
}

// Outcome is one student×exercise result.
type Outcome struct {
	Student  string
	Exercise string
	Report   *result.Report
	// Reused is set when an earlier run's result was kept (same content).
	Reused bool
	Err    error
}

// Shard returns the students of shard k of n: every n-th student in id
// order, starting at the (k-1)-th. Deterministic for a given folder.
func Shard(students []Student, k, n int) []Student {
	if n <= 1 {
		return students
	}
	var out []Student
	for i, s := range students {
		if i%n == k-1 {
			out = append(out, s)
		}
	}
	return out
}

// ParseShard reads "K/N".
func ParseShard(s string) (k, n int, err error) {
	if _, err := fmt.Sscanf(s, "%d/%d", &k, &n); err != nil || n < 1 || k < 1 || k > n {
		return 0, 0, fmt.Errorf("--shard: got %q, want K/N with 1 <= K <= N (e.g. 2/3)", s)
	}
	return k, n, nil
}

// ResultDir is where the per-student results live.
func ResultDir(out string) string { return filepath.Join(out, "results") }

// Run grades every (student, exercise) of the shard, Jobs at a time,
// writing each report when it is done and reusing those whose content
// hash matches. It returns every outcome, in student then exercise order.
func Run(ctx context.Context, o Options) ([]Outcome, error) {
	tmp, err := os.MkdirTemp(o.EngineOptions.TempDir, "grader-batch-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	students, err := Discover(o.Submissions, tmp)
	if err != nil {
		return nil, err
	}
	students = Shard(students, o.ShardK, o.ShardN)
	if err := os.MkdirAll(ResultDir(o.Out), 0o755); err != nil {
		return nil, fmt.Errorf("could not create the output folder: %w", err)
	}
	type job struct {
		i  int
		st Student
		ex *spec.Exercise
	}
	var jobs []job
	for _, st := range students {
		for _, ex := range o.Exercises {
			jobs = append(jobs, job{len(jobs), st, ex})
		}
	}
	out := make([]Outcome, len(jobs))
	prog := newProgress(o.Progress, o.TTY, len(jobs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(o.Jobs, 1))
	for _, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			oc := o.one(ctx, j.st, j.ex)
			out[j.i] = oc
			prog.done(oc)
		}()
	}
	wg.Wait()
	prog.finish()
	if ctx.Err() != nil {
		return out, ctx.Err()
	}
	return out, nil
}

// one grades or reuses one student×exercise.
func (o Options) one(ctx context.Context, st Student, ex *spec.Exercise) Outcome {
	oc := Outcome{Student: st.ID, Exercise: ex.ID}
	var ids []string
	for _, e := range o.Exercises {
		ids = append(ids, e.ID)
	}
	sub := SubmissionFor(st, ex.ID, ids)
	dir := filepath.Join(ResultDir(o.Out), st.ID)
	reportFile := filepath.Join(dir, ex.ID+".json")
	hashFile := filepath.Join(dir, ex.ID+".sha256")
	if sub == "" {
		oc.Report = missing(ex)
		oc.Report.Submission = st.ID
		if err := os.MkdirAll(dir, 0o755); err == nil {
			if err = writeJSON(reportFile, oc.Report); err == nil {
				err = writeAtomic(hashFile, []byte("no submission\n"))
			}
			oc.Err = err
		}
		return oc
	}
	hash, err := Hash(sub, o.SpecBytes[ex.ID])
	if err != nil {
		oc.Err = err
		return oc
	}
	if old, err := os.ReadFile(hashFile); err == nil && strings.TrimSpace(string(old)) == hash {
		if rep, err := readReport(reportFile); err == nil {
			oc.Report, oc.Reused = rep, true
			return oc
		}
	}
	eo := o.EngineOptions
	eo.PcapPrefix = st.ID
	rep, err := o.Engine.Check(ctx, ex, sub, eo)
	if err != nil {
		// A submission the grader cannot even start (no source, unknown
		// language) is graded as a failed build, not a batch error.
		rep = &result.Report{Exercise: ex.ID, Title: ex.Title, Submission: sub, Scenarios: []result.Scenario{{
			ID: "build", Name: "compiles", Status: result.Failed,
			Checks: []result.Check{{Name: "submission", Message: err.Error()}},
		}}}
		var ge *engine.GraderError
		if errors.As(err, &ge) {
			rep.Scenarios[0].Status = result.Error
			rep.Scenarios[0].Reason = err.Error()
		}
		for _, sc := range ex.Scenarios {
			rep.Scenarios = append(rep.Scenarios, result.Scenario{ID: sc.ID, Name: sc.Name, MaxScore: sc.Points, Status: result.Skipped, Reason: "the submission could not be run"})
		}
		rep.Tally(0)
	}
	if ctx.Err() != nil {
		oc.Err = ctx.Err()
		return oc // an interrupted grading is not kept
	}
	rep.Submission = st.ID
	oc.Report = rep
	if err := os.MkdirAll(dir, 0o755); err != nil {
		oc.Err = err
		return oc
	}
	// The report first, then its hash: a batch killed in between regrades
	// this one rather than trusting half a result.
	if err := writeJSON(reportFile, rep); err != nil {
		oc.Err = err
		return oc
	}
	if err := writeAtomic(hashFile, []byte(hash+"\n")); err != nil {
		oc.Err = err
	}
	return oc
}

// missing is the report of an exercise the student did not submit.
func missing(ex *spec.Exercise) *result.Report {
	rep := &result.Report{Exercise: ex.ID, Title: ex.Title}
	for _, sc := range ex.Scenarios {
		rep.Scenarios = append(rep.Scenarios, result.Scenario{ID: sc.ID, Name: sc.Name, MaxScore: sc.Points, Status: result.Skipped, Reason: "no submission for this exercise"})
	}
	rep.Tally(0)
	return rep
}

func readReport(file string) (*result.Report, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var r result.Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

func writeJSON(file string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(file, append(b, '\n'))
}

// writeAtomic writes through a temporary file and a rename, so a file is
// either complete or absent, whenever the process dies.
func writeAtomic(file string, data []byte) error {
	tmp := file + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, file)
}

// progress reports jobs as they finish.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	tty     bool
	total   int
	n       int
	failed  int
	reused  int
	started time.Time
}

func newProgress(w io.Writer, tty bool, total int) *progress {
	return &progress{w: w, tty: tty, total: total, started: time.Now()}
}

func (p *progress) done(o Outcome) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	if o.Reused {
		p.reused++
	}
	status, score := "error", ""
	if o.Report != nil {
		status = o.Report.Status
		score = fmt.Sprintf("%d/%d", o.Report.Score, o.Report.MaxScore)
	}
	if status != result.Passed {
		p.failed++
	}
	if !p.tty {
		extra := ""
		if o.Reused {
			extra = " (unchanged, kept)"
		}
		if o.Err != nil {
			extra = " (" + o.Err.Error() + ")"
		}
		fmt.Fprintf(p.w, "[%d/%d] %s %s %s %s%s\n", p.n, p.total, o.Student, o.Exercise, status, score, extra)
		return
	}
	eta := ""
	if p.n > p.reused {
		per := time.Since(p.started) / time.Duration(p.n)
		eta = " · ETA " + (per * time.Duration(p.total-p.n)).Round(time.Second).String()
	}
	fmt.Fprintf(p.w, "\r\x1b[K[%d/%d] %d not passed · %d kept%s · last: %s %s %s", p.n, p.total, p.failed, p.reused, eta, o.Student, o.Exercise, score)
}

func (p *progress) finish() {
	if p.w != nil && p.tty {
		fmt.Fprintln(p.w)
	}
}
