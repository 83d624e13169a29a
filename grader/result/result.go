// Package result is the grader's verdict as data: the JSON contract of
// DESIGN.md, from which every report format is derived.
package result

import (
	"time"

	"github.com/netlab-grader/grader/grader/wire"
)

// Scenario and report statuses (INGInious' vocabulary).
const (
	Passed  = "passed"
	Failed  = "failed"
	Timeout = "timeout"
	Crash   = "crash"
	Skipped = "skipped"
	// Error means the grader failed, not the student: never scored.
	Error = "error"
)

// Report is the result of one submission against one exercise.
type Report struct {
	Exercise   string     `json:"exercise"`
	Title      string     `json:"title,omitempty"`
	Submission string     `json:"submission"`
	Score      int        `json:"score"`
	MaxScore   int        `json:"max_score"`
	Status     string     `json:"status"`
	DurationMS int64      `json:"duration_ms"`
	Scenarios  []Scenario `json:"scenarios"`
}

// Scenario is the result of one scenario.
type Scenario struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Score    int    `json:"score"`
	MaxScore int    `json:"max_score"`
	Status   string `json:"status"`
	// Reason explains a skip or an error.
	Reason string  `json:"reason,omitempty"`
	Hidden bool    `json:"hidden,omitempty"`
	Hint   string  `json:"hint,omitempty"`
	Checks []Check `json:"checks"`
	// Stdout and Stderr are excerpts of what the program printed.
	Stdout     string  `json:"stdout,omitempty"`
	Stderr     string  `json:"stderr,omitempty"`
	Transcript []Chunk `json:"transcript,omitempty"`
	DurationMS int64   `json:"duration_ms"`
	// CPUMS is the CPU time the submission's processes used (user+system).
	CPUMS int64 `json:"cpu_ms,omitempty"`
}

// Check is one typed verdict with the evidence for it.
type Check struct {
	Name     string `json:"name"`
	Passed   bool   `json:"passed"`
	Expected string `json:"expected,omitempty"`
	Actual   string `json:"actual,omitempty"`
	Message  string `json:"message,omitempty"`
	Hint     string `json:"hint,omitempty"`
}

// Chunk is one transcript event: bytes in one direction on one connection.
type Chunk struct {
	Conn  int    `json:"conn"`
	Dir   string `json:"dir"`
	TMS   int64  `json:"t_ms"`
	Bytes []byte `json:"bytes_b64"`
}

// Chunks converts a wire transcript for the report.
func Chunks(t *wire.Transcript) []Chunk {
	if t == nil {
		return nil
	}
	var out []Chunk
	for _, e := range t.Events() {
		out = append(out, Chunk{Conn: e.Conn, Dir: string(e.Dir), TMS: e.T.Milliseconds(), Bytes: e.Data})
	}
	return out
}

// Failed lists the checks that did not pass.
func (s *Scenario) Failed() []Check {
	var out []Check
	for _, c := range s.Checks {
		if !c.Passed {
			out = append(out, c)
		}
	}
	return out
}

// Tally sets scenario scores from statuses and the report's totals and
// status. A scenario earns its points only when it passed.
func (r *Report) Tally(elapsed time.Duration) {
	r.Score, r.MaxScore = 0, 0
	r.Status = Passed
	for i := range r.Scenarios {
		s := &r.Scenarios[i]
		if s.Status == Passed {
			s.Score = s.MaxScore
		} else {
			s.Score = 0
		}
		r.Score += s.Score
		// A grader fault is not the student's: its points leave the total
		// rather than count as lost.
		if s.Status != Error {
			r.MaxScore += s.MaxScore
		}
	}
	for _, s := range r.Scenarios {
		if s.Status == Error {
			r.Status = Error
			break
		}
		// A scenario worth no points (a build step, an informative
		// browser run) does not fail the report on its own.
		if s.Status != Passed && s.MaxScore > 0 {
			r.Status = Failed
		}
	}
	for _, s := range r.Scenarios {
		if s.ID == "build" && s.Status == Failed {
			r.Status = Failed
		}
	}
	r.DurationMS = elapsed.Milliseconds()
}
