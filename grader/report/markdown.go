package report

import (
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/netlab-grader/grader/grader/result"
)

// statusEmoji marks a scenario status in Markdown.
var statusEmoji = map[string]string{
	result.Passed:  "✅",
	result.Failed:  "❌",
	result.Timeout: "⏱️",
	result.Crash:   "💥",
	result.Skipped: "⏭️",
	result.Error:   "⚠️",
}

func emoji(status string) string {
	if e, ok := statusEmoji[status]; ok {
		return e
	}
	return "❔"
}

// Markdown writes reps as GitHub-flavoured Markdown for
// $GITHUB_STEP_SUMMARY (or a GitLab/Gitea comment): per report a title
// with the score, a table of scenarios, then a <details> section per
// scenario that did not pass with its checks in fenced code blocks.
//
// Student-controlled text never reaches Markdown or HTML raw: in table
// cells and headings it is escaped character by character (HTML entities
// for < > & and ", a backslash before the Markdown punctuation that could
// start emphasis, code, links, autolinks, mentions, lists or a table cell,
// line breaks shown as ⏎), inside <summary> it is HTML-escaped, and in code
// blocks the fence is longer than any backtick run in the content, so a
// student's ``` cannot close it.
func Markdown(w io.Writer, reps []*result.Report) error {
	var b strings.Builder
	if len(reps) > 1 {
		score, max := totals(reps)
		fmt.Fprintf(&b, "# Grader: %d/%d over %d reports\n\n", score, max, len(reps))
	}
	for _, r := range reps {
		markdownReport(&b, r)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func markdownReport(b *strings.Builder, r *result.Report) {
	fmt.Fprintf(b, "## %s %s · %s: %d/%d\n\n", emoji(r.Status), mdInline(r.Exercise), mdInline(r.Submission), r.Score, r.MaxScore)
	if r.Title != "" {
		fmt.Fprintf(b, "%s\n\n", mdInline(r.Title))
	}
	if r.Status == result.Error {
		b.WriteString("> [!WARNING]\n> A scenario hit an error: a problem of the grader, not of your program. Tell your teacher.\n\n")
	}
	b.WriteString("| | Scenario | Status | Points |\n|:-:|---|---|--:|\n")
	for i := range r.Scenarios {
		s := &r.Scenarios[i]
		name := "`" + mdCode(s.ID) + "`"
		if s.Name != "" && s.Name != s.ID {
			name += " " + mdInline(s.Name)
		}
		status := mdInline(s.Status)
		if s.Hidden {
			status += " (hidden)"
		}
		if s.Status == result.Skipped && s.Reason != "" {
			status += ": " + mdInline(firstLine(s.Reason, 200))
		}
		fmt.Fprintf(b, "| %s | %s | %s | %d/%d |\n", emoji(s.Status), name, status, s.Score, s.MaxScore)
	}
	fmt.Fprintf(b, "\n**Score: %d/%d** · %s · %.1fs\n\n", r.Score, r.MaxScore, mdInline(r.Status), float64(r.DurationMS)/1000)
	for i := range r.Scenarios {
		s := &r.Scenarios[i]
		if s.Status == result.Passed || s.Status == result.Skipped {
			continue
		}
		fmt.Fprintf(b, "<details open>\n<summary>%s <code>%s</code> %s (%d/%d, %s)</summary>\n\n",
			emoji(s.Status), html.EscapeString(clean(s.ID)), html.EscapeString(oneLine(s.Name)), s.Score, s.MaxScore, html.EscapeString(clean(s.Status)))
		markdownDetails(b, s)
		b.WriteString("</details>\n\n")
	}
}

func markdownDetails(b *strings.Builder, s *result.Scenario) {
	if s.Reason != "" {
		fmt.Fprintf(b, "%s\n\n", mdInline(s.Reason))
	}
	if withheld(s) {
		b.WriteString("_" + hiddenNote + "_\n\n")
		return
	}
	for _, c := range s.Failed() {
		fmt.Fprintf(b, "**✗ %s**\n\n", mdInline(c.Name))
		msg := c.Message
		if msg == "" {
			msg = c.Actual
		}
		b.WriteString(fence(clean(msg), ""))
		if c.Expected != "" {
			b.WriteString("expected:\n\n" + fence(clean(c.Expected), ""))
		}
		if c.Actual != "" && c.Message != "" {
			b.WriteString("actual:\n\n" + fence(clean(c.Actual), ""))
		}
		if c.Hint != "" {
			fmt.Fprintf(b, "💡 %s\n\n", mdInline(c.Hint))
		}
	}
	if s.Hint != "" {
		fmt.Fprintf(b, "💡 **Hint:** %s\n\n", mdInline(s.Hint))
	}
	if len(s.Transcript) > 0 {
		b.WriteString("wire:\n\n" + fence(strings.TrimRight(wireExcerpt(s.Transcript, false), "\n"), ""))
	}
	if s.Stderr != "" {
		b.WriteString("stderr (last lines):\n\n" + fence(clean(tail(s.Stderr, 6)), ""))
	}
}

// fence puts s in a fenced code block whose fence is longer than the
// longest run of backticks in s: nothing inside can close it, and inside
// a code block Markdown and HTML are shown, not interpreted.
func fence(s, lang string) string {
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	f := strings.Repeat("`", max(3, longest+1))
	return f + lang + "\n" + strings.TrimRight(s, "\n") + "\n" + f + "\n\n"
}

// mdInline makes a string inert in a Markdown paragraph, heading or table
// cell: one line, HTML-escaped, Markdown punctuation backslash-escaped
// (| included, which would split a table cell).
func mdInline(s string) string {
	s = clean(strings.TrimSpace(s))
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\n':
			b.WriteString(" ⏎ ")
		case '\t':
			b.WriteByte(' ')
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		case '\\', '`', '*', '_', '{', '}', '[', ']', '(', ')', '#', '+', '-', '!', '|', '~', ':', '@':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdCode is s for an inline code span between single backticks: one line,
// backticks and pipes replaced (a code span cannot escape them, and GitHub
// splits table cells on | even inside code).
func mdCode(s string) string {
	s = oneLine(s)
	s = strings.ReplaceAll(s, "`", "'")
	return strings.ReplaceAll(s, "|", "¦")
}
