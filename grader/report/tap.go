package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/netlab-grader/grader/grader/result"
)

// TAP writes reps as TAP version 14 (testanything.org): the plan, then one
// test point per scenario, "ok N - exercise/scenario: name". A scenario
// that did not pass is "not ok" with a YAML diagnostic block (status,
// points, message, expected, actual, hint, the wire); a skipped scenario
// is "ok N - ... # SKIP reason", as TAP marks tests that were not run.
// Every value in the YAML block is a double-quoted scalar on one line, so
// nothing a student prints can end the block or forge a test line.
func TAP(w io.Writer, reps []*result.Report) error {
	var b strings.Builder
	n := 0
	for _, r := range reps {
		n += len(r.Scenarios)
	}
	fmt.Fprintf(&b, "TAP version 14\n1..%d\n", n)
	multi := len(reps) > 1
	i := 0
	for _, r := range reps {
		fmt.Fprintf(&b, "# %s\n", oneLine(reportName(r)))
		for si := range r.Scenarios {
			s := &r.Scenarios[si]
			i++
			desc := r.Exercise + "/" + scenarioTitle(s)
			if multi {
				desc = reportName(r) + "/" + scenarioTitle(s)
			}
			desc = tapEscape(oneLine(desc))
			switch s.Status {
			case result.Passed:
				fmt.Fprintf(&b, "ok %d - %s\n", i, desc)
			case result.Skipped:
				fmt.Fprintf(&b, "ok %d - %s # SKIP %s\n", i, desc, tapEscape(oneLine(s.Reason)))
			default:
				fmt.Fprintf(&b, "not ok %d - %s\n", i, desc)
				tapDiagnostic(&b, s)
			}
		}
		fmt.Fprintf(&b, "# score %d/%d · %s\n", r.Score, r.MaxScore, oneLine(r.Status))
	}
	if multi {
		score, max := totals(reps)
		fmt.Fprintf(&b, "# total %d/%d\n", score, max)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// tapDiagnostic writes the YAML block of a scenario that did not pass.
func tapDiagnostic(b *strings.Builder, s *result.Scenario) {
	kv := func(k, v string) {
		if v != "" {
			fmt.Fprintf(b, "  %s: %s\n", k, yamlQuote(v))
		}
	}
	b.WriteString("  ---\n")
	kv("status", s.Status)
	fmt.Fprintf(b, "  points: %s\n", yamlQuote(fmt.Sprintf("%d/%d", s.Score, s.MaxScore)))
	severity := "fail"
	if s.Status == result.Error {
		severity = "error"
	}
	kv("severity", severity)
	kv("reason", s.Reason)
	failed := s.Failed()
	switch {
	case withheld(s):
		kv("message", hiddenNote)
	case len(failed) > 0:
		c := failed[0]
		kv("check", c.Name)
		msg := c.Message
		if msg == "" {
			msg = c.Name + " failed"
		}
		kv("message", msg)
		kv("expected", c.Expected)
		kv("actual", c.Actual)
		kv("hint", strings.TrimSpace(c.Hint+"\n"+s.Hint))
		if len(failed) > 1 {
			b.WriteString("  failed_checks:\n")
			for _, c := range failed {
				fmt.Fprintf(b, "    - name: %s\n", yamlQuote(c.Name))
				for _, f := range [][2]string{{"message", c.Message}, {"expected", c.Expected}, {"actual", c.Actual}, {"hint", c.Hint}} {
					if f[1] != "" {
						fmt.Fprintf(b, "      %s: %s\n", f[0], yamlQuote(f[1]))
					}
				}
			}
		}
	default:
		kv("message", summary(s))
		kv("hint", s.Hint)
	}
	if len(s.Transcript) > 0 {
		b.WriteString("  wire:\n")
		for _, line := range strings.Split(strings.TrimRight(wireExcerpt(s.Transcript, false), "\n"), "\n") {
			fmt.Fprintf(b, "    - %s\n", yamlQuote(strings.TrimSpace(line)))
		}
	}
	if s.Stderr != "" {
		kv("stderr", tail(s.Stderr, 6))
	}
	b.WriteString("  ...\n")
}

// yamlQuote is a YAML double-quoted scalar on one line. A JSON string is
// one (YAML is a superset of JSON); clean() first turns the characters
// YAML 1.1 reads as line breaks (NEL, LS, PS) into visible escapes.
func yamlQuote(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(clean(s)) // a string always encodes
	return strings.TrimSuffix(buf.String(), "\n")
}

// oneLine is s cleaned with line breaks shown as \n.
func oneLine(s string) string {
	s = clean(strings.TrimSpace(s))
	s = strings.ReplaceAll(s, "\r", `\r`)
	return strings.ReplaceAll(s, "\n", `\n`)
}

// tapEscape escapes what TAP 14 reads in a description: "\" and "#" (the
// start of a directive).
func tapEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "#", `\#`).Replace(s)
}
