package report

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/netlab-grader/grader/grader/check"
	"github.com/netlab-grader/grader/grader/result"
)

// hiddenNote stands in for the details of a hidden scenario.
const hiddenNote = "hidden scenario: details are withheld"

// totals sums the scores of several reports.
func totals(reps []*result.Report) (score, max int) {
	for _, r := range reps {
		score += r.Score
		max += r.MaxScore
	}
	return score, max
}

// clean makes a string safe for a plain-text report: newlines and tabs
// stay, other control bytes and invalid UTF-8 become visible escapes.
func clean(s string) string { return check.Sanitize([]byte(s), 0) }

// reportName names a report: "exercise (submission)".
func reportName(r *result.Report) string {
	if r.Submission == "" {
		return r.Exercise
	}
	return r.Exercise + " (" + r.Submission + ")"
}

// scenarioTitle is "id: name", or the id alone when the name repeats it
// (the engine names a scenario without a name after its id).
func scenarioTitle(s *result.Scenario) string {
	if s.Name == "" || s.Name == s.ID {
		return s.ID
	}
	return s.ID + ": " + s.Name
}

// lostPoints reports the statuses that cost the student points through
// their program: failed, timeout, crash.
func lostPoints(status string) bool {
	return status == result.Failed || status == result.Timeout || status == result.Crash
}

// withheld reports a hidden scenario whose details the engine removed.
func withheld(s *result.Scenario) bool {
	return s.Hidden && len(s.Checks) == 0 && s.Status != result.Skipped
}

// firstLine is the first line of s, cut to max runes.
func firstLine(s string, max int) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = strings.TrimSpace(s[:i]) + " …"
	}
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = string(r[:max]) + "…"
	}
	return s
}

// summary is a one-line verdict for a scenario that did not pass: the
// first failed check's message, or the reason.
func summary(s *result.Scenario) string {
	failed := s.Failed()
	switch {
	case withheld(s):
		return hiddenNote
	case len(failed) > 0:
		msg := failed[0].Message
		if msg == "" {
			msg = failed[0].Name + ": " + failed[0].Actual
		}
		msg = firstLine(clean(msg), 300)
		if len(failed) > 1 {
			msg += fmt.Sprintf(" (and %d more failed checks)", len(failed)-1)
		}
		return msg
	case s.Reason != "":
		return firstLine(clean(s.Reason), 300)
	}
	return s.Status
}

// feedback is the plain-text explanation of a scenario that did not pass:
// each failed check with what was expected and seen and its hint, the
// scenario's hint, the wire excerpt and the last lines of stderr.
func feedback(s *result.Scenario) string {
	var b strings.Builder
	if s.Reason != "" {
		fmt.Fprintf(&b, "%s\n", clean(s.Reason))
	}
	if withheld(s) {
		b.WriteString(hiddenNote + "\n")
		return b.String()
	}
	for _, c := range s.Failed() {
		msg := c.Message
		if msg == "" {
			msg = c.Actual
		}
		fmt.Fprintf(&b, "✗ %s: %s\n", clean(c.Name), indentBy(clean(msg), "  "))
		if c.Expected != "" {
			fmt.Fprintf(&b, "  expected: %s\n", indentBy(clean(c.Expected), "    "))
		}
		if c.Actual != "" && c.Message != "" {
			fmt.Fprintf(&b, "  actual: %s\n", indentBy(clean(c.Actual), "    "))
		}
		if c.Hint != "" {
			fmt.Fprintf(&b, "  hint: %s\n", indentBy(clean(c.Hint), "    "))
		}
	}
	if s.Hint != "" {
		fmt.Fprintf(&b, "hint: %s\n", indentBy(clean(s.Hint), "  "))
	}
	if len(s.Transcript) > 0 {
		b.WriteString("wire:\n")
		b.WriteString(wireExcerpt(s.Transcript, false))
	}
	if s.Stderr != "" {
		fmt.Fprintf(&b, "stderr (last lines):\n%s\n", indentAll(clean(tail(s.Stderr, 6)), "      "))
	}
	return b.String()
}

func indentBy(s, pre string) string { return strings.ReplaceAll(s, "\n", "\n"+pre) }
