// Package report renders result.Reports for people and machines: text in
// the style of check50 (":)" passed, ":(" failed, ":|" not run) with the
// wire excerpt and a hint under each failure, JSON as in DESIGN.md, and the
// formats schools and CI already consume, all derived from the same
// reports: JUnit XML, Gradescope results.json, TAP 14, Markdown (a GitHub
// step summary), GitHub Actions workflow commands and a self-contained
// HTML page.
//
// Every function takes a list of reports: `grader check` passes one,
// `grader batch` one per student × exercise.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/netlab-grader/grader/grader/check"
	"github.com/netlab-grader/grader/grader/i18n"
	"github.com/netlab-grader/grader/grader/result"
)

// Formats lists the --format values.
var Formats = []string{"text", "json", "junit", "gradescope", "tap", "markdown", "github", "html"}

// writers renders each format for any number of reports.
var writers = map[string]func(io.Writer, []*result.Report, TextOptions) error{
	"text":       textAll,
	"json":       jsonAll,
	"junit":      func(w io.Writer, reps []*result.Report, _ TextOptions) error { return JUnit(w, reps) },
	"gradescope": func(w io.Writer, reps []*result.Report, _ TextOptions) error { return Gradescope(w, reps) },
	"tap":        func(w io.Writer, reps []*result.Report, _ TextOptions) error { return TAP(w, reps) },
	"markdown":   func(w io.Writer, reps []*result.Report, _ TextOptions) error { return Markdown(w, reps) },
	"github":     func(w io.Writer, reps []*result.Report, _ TextOptions) error { return GitHub(w, reps) },
	"html":       func(w io.Writer, reps []*result.Report, _ TextOptions) error { return HTML(w, reps) },
}

// TextOptions tune the text report.
type TextOptions struct {
	// Color uses ANSI colours (only when writing to a terminal).
	Color bool
	// Verbose shows passing checks and the full transcript.
	Verbose bool
	// Lang is the language of the report's own words (the messages are
	// localized beforehand by i18n.Localize).
	Lang i18n.Lang
}

const (
	green  = "\x1b[32m"
	red    = "\x1b[31m"
	yellow = "\x1b[33m"
	dim    = "\x1b[2m"
	bold   = "\x1b[1m"
	reset  = "\x1b[0m"
)

// Text writes the human report. Every string that came from the student's
// program has already been escaped by the check package; titles and
// messages are sanitized again here so nothing can reach the terminal raw.
func Text(w io.Writer, r *result.Report, o TextOptions) error {
	paint := func(c, s string) string {
		if !o.Color {
			return s
		}
		return c + s + reset
	}
	clean := func(s string) string { return check.Sanitize([]byte(s), 0) }
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", paint(bold, clean(r.Exercise)), paint(dim, "· "+clean(r.Submission)))
	for _, s := range r.Scenarios {
		face, col := ":)", green
		switch s.Status {
		case result.Passed:
		case result.Skipped:
			face, col = ":|", yellow
		case result.Error:
			face, col = ":|", yellow
		default:
			face, col = ":(", red
		}
		pts := fmt.Sprintf("[%d/%d]", s.Score, s.MaxScore)
		extra := ""
		if s.Status != result.Passed && s.Status != result.Failed {
			extra = " " + i18n.Label(o.Lang, s.Status)
		}
		fmt.Fprintf(&b, "%s %s: %s %s%s\n", paint(col, face), clean(s.ID), clean(s.Name), paint(dim, pts), paint(col, extra))
		if s.Reason != "" {
			fmt.Fprintf(&b, "    %s\n", indent(clean(s.Reason)))
		}
		if s.Hidden && len(s.Checks) == 0 && s.Status != result.Skipped {
			fmt.Fprintf(&b, "    %s\n", paint(dim, "("+i18n.Label(o.Lang, i18n.LabelHidden)+")"))
			continue
		}
		failed := false
		for _, c := range s.Checks {
			if c.Passed && !o.Verbose {
				continue
			}
			mark := paint(green, "ok")
			if !c.Passed {
				mark = paint(red, "✗ ")
				failed = true
			}
			msg := c.Message
			if c.Passed || msg == "" {
				msg = strings.TrimSpace(c.Actual)
			}
			fmt.Fprintf(&b, "    %s %s: %s\n", mark, clean(c.Name), indent(clean(msg)))
			if !c.Passed && c.Expected != "" && !strings.Contains(msg, c.Expected) {
				fmt.Fprintf(&b, "       %s %s\n", paint(dim, i18n.Label(o.Lang, "expected:")), indent(clean(c.Expected)))
			}
			if !c.Passed && c.Hint != "" {
				fmt.Fprintf(&b, "       %s %s\n", paint(yellow, i18n.Label(o.Lang, "hint:")), indent(clean(c.Hint)))
			}
		}
		if failed && s.Hint != "" {
			fmt.Fprintf(&b, "    %s %s\n", paint(yellow, i18n.Label(o.Lang, "hint:")), indent(clean(s.Hint)))
		}
		if (failed || o.Verbose) && len(s.Transcript) > 0 {
			b.WriteString(paint(dim, "    "+i18n.Label(o.Lang, "wire:")+"\n"))
			b.WriteString(paint(dim, wireExcerpt(s.Transcript, o.Verbose)))
		}
		if failed && o.Verbose && s.Stdout != "" {
			fmt.Fprintf(&b, "    stdout:\n%s\n", indentAll(clean(s.Stdout), "      "))
		}
		if failed && s.Stderr != "" {
			// a traceback or a compiler-free runtime error explains a lot
			fmt.Fprintf(&b, "    %s\n%s\n", paint(dim, i18n.Label(o.Lang, "stderr (last lines):")), indentAll(clean(tail(s.Stderr, 6)), "      "))
		}
	}
	L := func(k string) string { return i18n.Label(o.Lang, k) }
	status := paint(green, L(result.Passed))
	if r.Status == result.Failed {
		status = paint(red, L(result.Failed))
	} else if r.Status == result.Error {
		status = paint(yellow, L(result.Error)+" ("+L(i18n.LabelGrader)+")")
	}
	fmt.Fprintf(&b, "%s %d/%d · %s · %.1fs\n", L(i18n.LabelScore), r.Score, r.MaxScore, status, float64(r.DurationMS)/1000)
	_, err := io.WriteString(w, b.String())
	return err
}

// wireExcerpt lists transcript events, one line each, the bytes quoted.
func wireExcerpt(ts []result.Chunk, all bool) string {
	var b strings.Builder
	limit := 12
	for i, c := range ts {
		if i >= limit && !all {
			fmt.Fprintf(&b, "      … %d more\n", len(ts)-limit)
			break
		}
		fmt.Fprintf(&b, "      #%d %s %4dms %s\n", c.Conn, c.Dir, c.TMS, check.Describe(c.Bytes))
	}
	return b.String()
}

// tail keeps the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"…"}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

func indent(s string) string { return strings.ReplaceAll(s, "\n", "\n      ") }

func indentAll(s, pre string) string {
	return pre + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+pre)
}

// JSON writes the report as indented JSON, the stable contract.
func JSON(w io.Writer, r *result.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// Write renders one report in format. It is WriteAll with one report,
// except that JSON stays the single object of the contract (WriteAll
// always writes an array).
func Write(w io.Writer, format string, r *result.Report, o TextOptions) error {
	if format == "json" {
		return JSON(w, r)
	}
	return WriteAll(w, format, []*result.Report{r}, o)
}

// WriteAll renders reps in format ("" is text). Text reports follow each
// other (with a total line when there are several); JSON is always an
// array, even of one report, so a batch consumer sees one shape; the other
// formats combine the reports in one document (see each format).
func WriteAll(w io.Writer, format string, reps []*result.Report, o TextOptions) error {
	if format == "" {
		format = "text"
	}
	f, ok := writers[format]
	if !ok {
		return fmt.Errorf("unknown format %q (want one of: %s)", format, strings.Join(Formats, ", "))
	}
	return f(w, reps, o)
}

func textAll(w io.Writer, reps []*result.Report, o TextOptions) error {
	for i, r := range reps {
		if i > 0 {
			if _, err := io.WriteString(w, "\n"); err != nil {
				return err
			}
		}
		if err := Text(w, r, o); err != nil {
			return err
		}
	}
	if len(reps) > 1 {
		score, max := totals(reps)
		_, err := fmt.Fprintf(w, "\ntotal %d/%d · %d reports\n", score, max, len(reps))
		return err
	}
	return nil
}

func jsonAll(w io.Writer, reps []*result.Report, _ TextOptions) error {
	if reps == nil {
		reps = []*result.Report{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(reps)
}
