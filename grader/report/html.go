package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"sync"

	"github.com/netlab-grader/grader/grader/check"
	"github.com/netlab-grader/grader/grader/result"
)

//go:embed html.tmpl
var htmlSource string

// htmlPage is parsed once, on first use (not at every start of the
// grader); html/template escapes every value by context
// (text, attribute, <title>), so the view below holds plain strings.
var htmlPage = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Parse(htmlSource))
})

// Limits that keep a page readable when a program floods the wire (the
// transcript keeps up to 4 MiB a scenario): the JSON report has it all.
const (
	htmlMaxChunks    = 200
	htmlMaxHexBytes  = 4 << 10
	htmlMaxTextBytes = 16 << 10
)

type htmlView struct {
	Title    string
	Multi    bool
	Score    int
	MaxScore int
	Reports  []htmlReport
}

type htmlReport struct {
	Anchor     string
	Exercise   string
	Title      string
	Submission string
	Status     string
	Icon       string
	Score      int
	MaxScore   int
	Duration   string
	Scenarios  []htmlScenario
}

type htmlScenario struct {
	Anchor     string
	ID         string
	Name       string
	Status     string
	Icon       string
	Score      int
	MaxScore   int
	Duration   string
	Hidden     bool
	Withheld   bool
	Open       bool
	Reason     string
	Hint       string
	Checks     []result.Check
	Chunks     []htmlChunk
	MoreChunks int
	Stdout     string
	Stderr     string
}

type htmlChunk struct {
	Conn    int
	Dir     string
	TMS     int64
	Size    int
	Hex     string
	HexMore int
	Text    string
}

// HTML writes reps as one self-contained page: inline CSS, no script, no
// external resource, and a Content-Security-Policy that forbids both, so
// even an escaping bug could not run anything. Per report (student) and
// scenario: status, points, every check (expected, actual, message,
// hint), the transcript chunk by chunk as a hex dump and escaped text, and
// what the program printed. Scenarios that did not pass are open, the
// others folded (<details>, which needs no script).
func HTML(w io.Writer, reps []*result.Report) error {
	v := htmlView{Multi: len(reps) > 1}
	v.Score, v.MaxScore = totals(reps)
	switch len(reps) {
	case 0:
		v.Title = "Grader report"
	case 1:
		v.Title = "Grader report: " + clean(reportName(reps[0]))
	default:
		v.Title = fmt.Sprintf("Grader report: %d reports", len(reps))
	}
	for ri, r := range reps {
		hr := htmlReport{
			Anchor:     fmt.Sprintf("r%d", ri+1),
			Exercise:   clean(r.Exercise),
			Title:      clean(r.Title),
			Submission: clean(r.Submission),
			Status:     clean(r.Status),
			Icon:       htmlIcon(r.Status),
			Score:      r.Score,
			MaxScore:   r.MaxScore,
			Duration:   fmt.Sprintf("%.1fs", float64(r.DurationMS)/1000),
		}
		for si := range r.Scenarios {
			hr.Scenarios = append(hr.Scenarios, htmlScenarioView(&r.Scenarios[si], fmt.Sprintf("r%d-s%d", ri+1, si+1)))
		}
		v.Reports = append(v.Reports, hr)
	}
	return htmlPage().Execute(w, v)
}

func htmlScenarioView(s *result.Scenario, anchor string) htmlScenario {
	hs := htmlScenario{
		Anchor:   anchor,
		ID:       clean(s.ID),
		Name:     clean(s.Name),
		Status:   clean(s.Status),
		Icon:     htmlIcon(s.Status),
		Score:    s.Score,
		MaxScore: s.MaxScore,
		Duration: fmt.Sprintf("%dms", s.DurationMS),
		Hidden:   s.Hidden,
		Withheld: withheld(s),
		Open:     s.Status != result.Passed && s.Status != result.Skipped,
		Reason:   clean(s.Reason),
		Hint:     clean(s.Hint),
		Stdout:   clean(s.Stdout),
		Stderr:   clean(s.Stderr),
	}
	if hs.Name == hs.ID {
		hs.Name = ""
	}
	for _, c := range s.Checks {
		hs.Checks = append(hs.Checks, result.Check{
			Name: clean(c.Name), Passed: c.Passed, Expected: clean(c.Expected),
			Actual: clean(c.Actual), Message: clean(c.Message), Hint: clean(c.Hint),
		})
	}
	for i, c := range s.Transcript {
		if i == htmlMaxChunks {
			hs.MoreChunks = len(s.Transcript) - i
			break
		}
		hc := htmlChunk{Conn: c.Conn, Dir: clean(c.Dir), TMS: c.TMS, Size: len(c.Bytes), Text: chunkText(c.Bytes)}
		b := c.Bytes
		if len(b) > htmlMaxHexBytes {
			hc.HexMore = len(b) - htmlMaxHexBytes
			b = b[:htmlMaxHexBytes]
		}
		hc.Hex = hexDump(b)
		hs.Chunks = append(hs.Chunks, hc)
	}
	return hs
}

// hexDump is the classic 16 bytes a line: offset, hex, printable ASCII.
func hexDump(b []byte) string {
	var sb strings.Builder
	for off := 0; off < len(b); off += 16 {
		line := b[off:min(off+16, len(b))]
		fmt.Fprintf(&sb, "%04x  ", off)
		for i := range 16 {
			switch {
			case i < len(line):
				fmt.Fprintf(&sb, "%02x ", line[i])
			default:
				sb.WriteString("   ")
			}
			if i == 7 {
				sb.WriteByte(' ')
			}
		}
		sb.WriteString(" ")
		for _, c := range line {
			if c >= 0x20 && c < 0x7f {
				sb.WriteByte(c)
			} else {
				sb.WriteByte('.')
			}
		}
		sb.WriteByte('\n')
	}
	return strings.TrimSuffix(sb.String(), "\n")
}

// chunkText shows bytes as escaped text (\r, \0, \xNN visible), broken
// after each \n so an HTTP exchange reads line by line.
func chunkText(b []byte) string {
	more := 0
	if len(b) > htmlMaxTextBytes {
		more = len(b) - htmlMaxTextBytes
		b = b[:htmlMaxTextBytes]
	}
	parts := strings.Split(string(b), "\n")
	for i, p := range parts {
		parts[i] = check.Escape([]byte(p), 0)
	}
	s := strings.Join(parts, "\\n\n")
	if more > 0 {
		s += fmt.Sprintf("\n…(%d more bytes)", more)
	}
	return s
}

// htmlIcon marks a status with a symbol common text fonts have (emoji
// fonts are often missing where teachers open these pages).
func htmlIcon(status string) string {
	switch status {
	case result.Passed:
		return "✓"
	case result.Failed:
		return "✗"
	case result.Timeout:
		return "◷"
	case result.Crash:
		return "☠"
	case result.Skipped:
		return "↷"
	case result.Error:
		return "⚠"
	}
	return "?"
}
