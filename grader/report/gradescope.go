package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/netlab-grader/grader/grader/result"
)

// gsResults is Gradescope's autograder results.json
// (gradescope-autograders.readthedocs.io, "Autograder Specifications").
// The top level has no max_score: Gradescope takes the assignment's total
// from its own settings, and each test carries its max_score.
type gsResults struct {
	Score            int      `json:"score"`
	ExecutionTime    int64    `json:"execution_time"`
	Output           string   `json:"output"`
	Visibility       string   `json:"visibility"`
	StdoutVisibility string   `json:"stdout_visibility"`
	Tests            []gsTest `json:"tests"`
}

type gsTest struct {
	Name       string   `json:"name"`
	Number     string   `json:"number,omitempty"`
	Score      int      `json:"score"`
	MaxScore   int      `json:"max_score"`
	Status     string   `json:"status"`
	Output     string   `json:"output"`
	Visibility string   `json:"visibility"`
	Tags       []string `json:"tags,omitempty"`
}

// Gradescope writes reps as one results.json: one test per scenario, the
// scores summed. With several reports (one student, several exercises)
// test names start with the exercise id. Gradescope knows only passed and
// failed: a skipped, timed-out, crashed or errored scenario is "failed"
// (it earned nothing) and its output and tags say which.
func Gradescope(w io.Writer, reps []*result.Report) error {
	doc := gsResults{
		Visibility: "visible",
		// The stdout of run_autograder is the grader's log on stderr and
		// whatever the script prints: for the teacher, not the student.
		StdoutVisibility: "hidden",
		Tests:            []gsTest{},
	}
	var ms int64
	var out []string
	multi := len(reps) > 1
	for ri, r := range reps {
		doc.Score += r.Score
		ms += r.DurationMS
		out = append(out, fmt.Sprintf("%s: %d/%d, %s", clean(reportName(r)), r.Score, r.MaxScore, r.Status))
		if r.Status == result.Error {
			out = append(out, "  (an error is a problem of the grader, not of your program: tell your teacher)")
		}
		for si := range r.Scenarios {
			s := &r.Scenarios[si]
			t := gsTest{
				Name:       clean(scenarioTitle(s)),
				Number:     fmt.Sprintf("%d", si+1),
				Score:      s.Score,
				MaxScore:   s.MaxScore,
				Status:     "failed",
				Visibility: "visible",
				Tags:       []string{s.Status},
			}
			if multi {
				t.Name = clean(r.Exercise) + "/" + t.Name
				t.Number = fmt.Sprintf("%d.%d", ri+1, si+1)
				t.Tags = append(t.Tags, clean(r.Exercise))
			}
			if s.Status == result.Passed {
				t.Status = "passed"
			}
			if s.Hidden {
				// A hidden scenario counts in the score but its details are
				// withheld while students can still submit. "hidden" would
				// never show the test at all, so a student could not account
				// for their total even after grading; "after_due_date"
				// opens on a fixed date (and per-student extensions move
				// it). "after_published" shows it when the teacher publishes
				// the grades: the teacher decides.
				t.Visibility = "after_published"
				t.Tags = append(t.Tags, "hidden")
			}
			t.Output = gsOutput(s)
			doc.Tests = append(doc.Tests, t)
		}
	}
	doc.ExecutionTime = (ms + 999) / 1000
	doc.Output = strings.Join(out, "\n")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

// gsOutput is a test's text: the feedback of a scenario that did not
// pass, the reason of a skip, nothing more for a pass.
func gsOutput(s *result.Scenario) string {
	switch s.Status {
	case result.Passed:
		if withheld(s) {
			return hiddenNote
		}
		return fmt.Sprintf("passed: %s", plural(len(s.Checks), "check"))
	case result.Skipped:
		return "not run: " + clean(s.Reason)
	case result.Error:
		return "error: a problem of the grader, not of your program\n" + feedback(s)
	}
	switch s.Status {
	case result.Timeout:
		return "timeout: the program did not finish in time\n" + feedback(s)
	case result.Crash:
		return "crash: the program was killed by a signal\n" + feedback(s)
	}
	return feedback(s)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
