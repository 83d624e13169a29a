package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/netlab-grader/grader/grader/result"
)

// GitHub writes reps as GitHub Actions workflow commands, which the runner
// turns into annotations on the run: one "::error" per failed check of a
// scenario that cost points (failed, timeout, crash: all are the
// program's fault), one "::warning" per scenario with a grader error (not
// the student's fault, not their mistake to fix), then "::notice
// title=score::S/M" per report. Skipped scenarios get no annotation: their
// cause is already annotated.
//
// Values are escaped as the runner unescapes them (toolkit's
// command.ts): in the message % \r \n become %25 %0D %0A, in properties
// also : and , become %3A and %2C. Every line written therefore starts
// with "::": nothing a student prints can begin a command of its own.
func GitHub(w io.Writer, reps []*result.Report) error {
	var b strings.Builder
	multi := len(reps) > 1
	for _, r := range reps {
		prefix := r.Exercise
		if multi {
			prefix = reportName(r)
		}
		for i := range r.Scenarios {
			s := &r.Scenarios[i]
			title := fmt.Sprintf("%s/%s (%d/%d)", prefix, scenarioTitle(s), s.Score, s.MaxScore)
			switch {
			case s.Status == result.Error:
				ghCommand(&b, "warning", title, "grader error (not your program's fault): "+clean(s.Reason))
			case !lostPoints(s.Status):
			case withheld(s) || len(s.Failed()) == 0:
				ghCommand(&b, "error", title, summary(s))
			default:
				for _, c := range s.Failed() {
					ghCommand(&b, "error", title+": "+c.Name, ghMessage(s, c))
				}
			}
		}
		ghCommand(&b, "notice", "score", fmt.Sprintf("%d/%d", r.Score, r.MaxScore)+" "+prefix+" · "+r.Status)
	}
	if multi {
		score, max := totals(reps)
		ghCommand(&b, "notice", "total", fmt.Sprintf("%d/%d", score, max))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ghMessage is the body of a failed check's annotation.
func ghMessage(s *result.Scenario, c result.Check) string {
	var b strings.Builder
	msg := c.Message
	if msg == "" {
		msg = c.Actual
	}
	b.WriteString(clean(msg))
	if c.Expected != "" && !strings.Contains(msg, c.Expected) {
		b.WriteString("\nexpected: " + clean(c.Expected))
	}
	if c.Actual != "" && !strings.Contains(msg, c.Actual) {
		b.WriteString("\nactual: " + clean(c.Actual))
	}
	if c.Hint != "" {
		b.WriteString("\nhint: " + clean(c.Hint))
	}
	if s.Hint != "" {
		b.WriteString("\nhint: " + clean(s.Hint))
	}
	return b.String()
}

// ghCommand writes one workflow command line.
func ghCommand(b *strings.Builder, cmd, title, msg string) {
	fmt.Fprintf(b, "::%s title=%s::%s\n", cmd, ghProperty(clean(title)), ghData(clean(msg)))
}

// ghData escapes a command's message.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a command property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
