package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/netlab-grader/grader/grader/result"
)

// The JUnit XML of Ant and Jenkins (testdata/junit.xsd), which GitHub
// Actions test reporters, GitLab and Jenkins read. Element order in the
// structs is the order the schema's sequences require.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name       string        `xml:"name,attr"`
	Classname  string        `xml:"classname,attr"`
	Assertions int           `xml:"assertions,attr"`
	Time       string        `xml:"time,attr"`
	Skipped    *junitSkipped `xml:"skipped"`
	Error      *junitFault   `xml:"error"`
	Failure    *junitFault   `xml:"failure"`
	SystemOut  string        `xml:"system-out,omitempty"`
	SystemErr  string        `xml:"system-err,omitempty"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

type junitFault struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",chardata"`
}

// JUnit writes reps as JUnit XML: one <testsuite> per report, named
// "exercise (submission)" with the exercise, submission, score and status
// as properties, and one <testcase> per scenario. A failed scenario is a
// <failure type="failed">, a timeout or crash a <failure> of that type, a
// grader error an <error>, a skipped scenario <skipped>. The schema has no
// properties on a testcase, so each scenario's points are suite properties
// "<scenario>.score" and "<scenario>.max_score".
func JUnit(w io.Writer, reps []*result.Report) error {
	doc := junitSuites{Name: "grader"}
	var ms int64
	for _, r := range reps {
		su := junitSuite{
			Name: xmlSafe(reportName(r)),
			Time: seconds(r.DurationMS),
			Properties: []junitProperty{
				{"exercise", xmlSafe(r.Exercise)},
				{"submission", xmlSafe(r.Submission)},
				{"score", fmt.Sprint(r.Score)},
				{"max_score", fmt.Sprint(r.MaxScore)},
				{"status", xmlSafe(r.Status)},
			},
		}
		ms += r.DurationMS
		for i := range r.Scenarios {
			s := &r.Scenarios[i]
			su.Properties = append(su.Properties,
				junitProperty{xmlSafe(s.ID) + ".score", fmt.Sprint(s.Score)},
				junitProperty{xmlSafe(s.ID) + ".max_score", fmt.Sprint(s.MaxScore)})
			tc := junitCase{
				Name:       xmlSafe(scenarioTitle(s)),
				Classname:  xmlSafe(r.Exercise),
				Assertions: len(s.Checks),
				Time:       seconds(s.DurationMS),
				SystemOut:  xmlSafe(s.Stdout),
				SystemErr:  xmlSafe(s.Stderr),
			}
			su.Tests++
			switch {
			case s.Status == result.Passed:
			case s.Status == result.Skipped:
				su.Skipped++
				tc.Skipped = &junitSkipped{Message: xmlSafe(clean(s.Reason))}
			case s.Status == result.Error:
				su.Errors++
				tc.Error = &junitFault{Message: xmlSafe(summary(s)), Type: "error",
					Body: xmlSafe("a problem of the grader, not of the submission\n" + feedback(s))}
			default: // failed, timeout, crash, or a status this version does not know
				su.Failures++
				tc.Failure = &junitFault{Message: xmlSafe(summary(s)), Type: xmlSafe(s.Status),
					Body: xmlSafe(fmt.Sprintf("%d/%d points\n%s", s.Score, s.MaxScore, feedback(s)))}
			}
			su.Cases = append(su.Cases, tc)
		}
		doc.Tests += su.Tests
		doc.Failures += su.Failures
		doc.Errors += su.Errors
		doc.Suites = append(doc.Suites, su)
	}
	doc.Time = seconds(ms)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func seconds(ms int64) string { return fmt.Sprintf("%.3f", float64(ms)/1000) }

// xmlSafe keeps only characters XML 1.0 allows (#x9 | #xA | #xD |
// [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]); any other
// character, and invalid UTF-8, becomes a visible \xNN or \uNNNN, so a
// student's output can neither break the document nor vanish silently.
// Markup characters are left to encoding/xml, which escapes them.
func xmlSafe(s string) string {
	ok := true
	for _, r := range s {
		if !xmlChar(r) {
			ok = false
			break
		}
	}
	if ok && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[0])
		case !xmlChar(r):
			if r < 0x100 {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteRune(r)
		}
		s = s[size:]
	}
	return b.String()
}

func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		r >= 0x20 && r <= 0xd7ff ||
		r >= 0xe000 && r <= 0xfffd ||
		r >= 0x10000 && r <= 0x10ffff
}
