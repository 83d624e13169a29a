package selftest

import (
	"encoding/json"
	"io"
)

// Verdict is an outcome as data, one JSON object per line for
// `grader selftest --format json`: what a stress run compares between runs
// to find a fixture whose verdict flips. It keeps only what must be the
// same every time (no messages, no timings but TookMS).
type Verdict struct {
	// Fixture is exercise/name (the exercise alone when it has none).
	Fixture string `json:"fixture"`
	// OK is whether the fixture behaved as its expect.yaml declares.
	OK bool `json:"ok"`
	// Graded is false when there is no report (the grader failed).
	Graded   bool `json:"graded"`
	Score    int  `json:"score"`
	MaxScore int  `json:"max_score"`
	// Statuses maps each scenario id to its status.
	Statuses map[string]string `json:"statuses"`
	// Failed is every failed check as scenario/check, sorted.
	Failed []string `json:"failed"`
	// Problems say how the fixture differed from its expect.yaml.
	Problems []string `json:"problems,omitempty"`
	TookMS   int64    `json:"took_ms"`
}

// VerdictOf returns o as a Verdict.
func VerdictOf(o Outcome) Verdict {
	v := Verdict{
		Fixture:  o.Fixture.Exercise + "/" + o.Fixture.Name,
		OK:       o.OK,
		Statuses: map[string]string{},
		Failed:   []string{},
		Problems: o.Problems,
		TookMS:   o.Took.Milliseconds(),
	}
	if o.Fixture.Name == "" {
		v.Fixture = o.Fixture.Exercise
	}
	if o.Report != nil {
		v.Graded, v.Score, v.MaxScore = true, o.Report.Score, o.Report.MaxScore
		for _, s := range o.Report.Scenarios {
			v.Statuses[s.ID] = s.Status
		}
		v.Failed = FailedChecks(o.Report)
		if v.Failed == nil {
			v.Failed = []string{}
		}
	}
	return v
}

// PrintJSON writes o's Verdict as one line of JSON.
func PrintJSON(w io.Writer, o Outcome) {
	_ = json.NewEncoder(w).Encode(VerdictOf(o))
}
