package report_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"gopkg.in/yaml.v3"

	"github.com/netlab-grader/grader/grader/result"
)

// gradescopeDoc has exactly the fields Gradescope documents for
// results.json that this grader may write; decoding with
// DisallowUnknownFields fails on anything else.
type gradescopeDoc struct {
	Score            *float64 `json:"score"`
	MaxScore         *float64 `json:"max_score"`
	ExecutionTime    *float64 `json:"execution_time"`
	Output           string   `json:"output"`
	Visibility       string   `json:"visibility"`
	StdoutVisibility string   `json:"stdout_visibility"`
	Tests            []struct {
		Name       string   `json:"name"`
		Number     string   `json:"number"`
		Score      *float64 `json:"score"`
		MaxScore   *float64 `json:"max_score"`
		Status     string   `json:"status"`
		Output     string   `json:"output"`
		Visibility string   `json:"visibility"`
		Tags       []string `json:"tags"`
	} `json:"tests"`
}

func parseGradescope(s string) gradescopeDoc {
	GinkgoHelper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	var doc gradescopeDoc
	Expect(dec.Decode(&doc)).To(Succeed(), s)
	return doc
}

var visibilities = []string{"visible", "hidden", "after_due_date", "after_published"}

var _ = Describe("Gradescope", func() {
	It("writes only documented fields, passed/failed statuses and known visibilities", func() {
		for _, reps := range [][]*result.Report{{sampleReport()}, {hostileReport()}, {sampleReport(), hostileReport()}} {
			doc := parseGradescope(render("gradescope", reps...))
			Expect(doc.Score).NotTo(BeNil())
			Expect(doc.ExecutionTime).NotTo(BeNil())
			Expect(visibilities).To(ContainElement(doc.Visibility))
			Expect(visibilities).To(ContainElement(doc.StdoutVisibility))
			sum := 0.0
			for _, t := range doc.Tests {
				Expect(t.Status).To(BeElementOf("passed", "failed"), t.Name)
				Expect(visibilities).To(ContainElement(t.Visibility))
				Expect(t.Score).NotTo(BeNil())
				Expect(t.MaxScore).NotTo(BeNil())
				Expect(*t.Score).To(BeNumerically("<=", *t.MaxScore))
				sum += *t.Score
			}
			Expect(*doc.Score).To(Equal(sum))
		}
	})

	It("maps scenarios to tests with the failed checks, hints and wire as output", func() {
		doc := parseGradescope(render("gradescope", sampleReport()))
		Expect(*doc.Score).To(Equal(1.0))
		Expect(*doc.ExecutionTime).To(Equal(1.0)) // 412 ms, whole seconds rounded up
		Expect(doc.Output).To(Equal("echo-tcp-server (server.py): 1/7, failed"))
		Expect(doc.StdoutVisibility).To(Equal("hidden"))
		Expect(doc.Tests).To(HaveLen(3))
		t := doc.Tests[1]
		Expect(t.Name).To(Equal("replies-ok: answers bonjour"))
		Expect(t.Number).To(Equal("2"))
		Expect(t.Status).To(Equal("failed"))
		Expect(*t.MaxScore).To(Equal(4.0))
		Expect(t.Output).To(ContainSubstring("✗ reply: your server sent `bonjour` (7 bytes)"))
		Expect(t.Output).To(ContainSubstring(`hint: Append " OK" to the message.`))
		Expect(t.Output).To(ContainSubstring("#1 s>c    5ms `bonjour` (7 bytes)"))
		Expect(doc.Tests[0].Status).To(Equal("passed"))
		Expect(doc.Tests[2].Status).To(Equal("failed"))
		Expect(doc.Tests[2].Output).To(Equal("not run: skipped: replies-ok failed"))
		Expect(doc.Tests[2].Tags).To(Equal([]string{"skipped"}))
	})

	It("shows hidden scenarios only once grades are published", func() {
		doc := parseGradescope(render("gradescope", hostileReport()))
		last := doc.Tests[len(doc.Tests)-1]
		Expect(last.Name).To(Equal("secret: hidden test"))
		Expect(last.Visibility).To(Equal("after_published"))
		Expect(last.Output).To(ContainSubstring("details are withheld"))
		for _, t := range doc.Tests[:len(doc.Tests)-1] {
			Expect(t.Visibility).To(Equal("visible"))
		}
	})

	It("prefixes test names with the exercise and sums scores over several reports", func() {
		other := sampleReport()
		other.Exercise = "echo-udp-server"
		doc := parseGradescope(render("gradescope", sampleReport(), other, hostileReport()))
		Expect(doc.Tests).To(HaveLen(13))
		Expect(doc.Tests[0].Name).To(Equal("echo-tcp-server/listens: listens on its port"))
		Expect(doc.Tests[3].Name).To(Equal("echo-udp-server/listens: listens on its port"))
		Expect(doc.Tests[3].Number).To(Equal("2.1"))
		Expect(*doc.Score).To(Equal(4.0))
		Expect(doc.Output).To(ContainSubstring("http-get (get<b>|`.py): 2/15, error"))
	})
})

// tapLine is a TAP test point.
var tapLine = regexp.MustCompile(`^(ok|not ok) (\d+) - (.*)$`)

var _ = Describe("TAP", func() {
	// parseTAP checks the document's shape and returns the plan and the
	// test points; YAML blocks must parse.
	parseTAP := func(out string) (plan int, points []string) {
		GinkgoHelper()
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		Expect(lines[0]).To(Equal("TAP version 14"))
		Expect(lines[1]).To(MatchRegexp(`^1\.\.\d+$`))
		plan, _ = strconv.Atoi(strings.TrimPrefix(lines[1], "1.."))
		for i := 2; i < len(lines); i++ {
			l := lines[i]
			switch {
			case strings.HasPrefix(l, "#"):
			case tapLine.MatchString(l):
				m := tapLine.FindStringSubmatch(l)
				Expect(m[2]).To(Equal(strconv.Itoa(len(points)+1)), "test points are numbered in order")
				points = append(points, l)
			case l == "  ---":
				var block []string
				i++
				for ; i < len(lines) && lines[i] != "  ..."; i++ {
					Expect(lines[i]).To(HavePrefix("  "), "a YAML line is indented")
					block = append(block, strings.TrimPrefix(lines[i], "  "))
				}
				Expect(i).To(BeNumerically("<", len(lines)), "the YAML block ends")
				var diag map[string]any
				Expect(yaml.Unmarshal([]byte(strings.Join(block, "\n")), &diag)).To(Succeed(), strings.Join(block, "\n"))
				Expect(diag).To(HaveKey("message"))
				Expect(diag).To(HaveKey("status"))
			default:
				Fail(fmt.Sprintf("line %d is not TAP: %q", i+1, l))
			}
		}
		return plan, points
	}

	It("plans one test per scenario and says ok, not ok or SKIP as the status says", func() {
		plan, points := parseTAP(render("tap", sampleReport()))
		Expect(plan).To(Equal(3))
		Expect(points).To(Equal([]string{
			"ok 1 - echo-tcp-server/listens: listens on its port",
			"not ok 2 - echo-tcp-server/replies-ok: answers bonjour",
			"ok 3 - echo-tcp-server/echoes: echoes any message # SKIP skipped: replies-ok failed",
		}))
	})

	It("gives message, expected, actual and hint in the YAML block", func() {
		out := render("tap", sampleReport())
		Expect(out).To(ContainSubstring("not ok 2 - echo-tcp-server/replies-ok: answers bonjour\n  ---\n"))
		Expect(out).To(ContainSubstring("  message: \"your server sent `bonjour` (7 bytes), expected `bonjour OK`: it stops after 7 bytes, ` OK` is missing\"\n"))
		Expect(out).To(ContainSubstring("  expected: \"`bonjour OK`\"\n"))
		Expect(out).To(ContainSubstring("  actual: \"`bonjour` (7 bytes)\"\n"))
		Expect(out).To(ContainSubstring("  hint: \"Append \\\" OK\\\" to the message.\\nSend the reply on the same connection.\"\n"))
	})

	It("cannot be forged by a student's output, and matches every status over several reports", func() {
		reps := []*result.Report{sampleReport(), hostileReport()}
		plan, points := parseTAP(render("tap", reps...))
		var want []string
		for _, r := range reps {
			for _, s := range r.Scenarios {
				want = append(want, s.Status)
			}
		}
		Expect(plan).To(Equal(len(want)))
		Expect(points).To(HaveLen(len(want)))
		for i, p := range points {
			switch want[i] {
			case result.Passed:
				Expect(p).To(HavePrefix("ok "))
				Expect(p).NotTo(ContainSubstring("# SKIP"))
			case result.Skipped:
				Expect(p).To(MatchRegexp(`^ok \d+ - [^#]*(\\#[^#]*)* # SKIP `))
			default:
				Expect(p).To(HavePrefix("not ok "))
			}
		}
		Expect(points[3]).To(HavePrefix("ok 4 - http-get (get<b>|`.py)/status-line"))
	})
})

var _ = Describe("Markdown", func() {
	// outsideFences drops fenced code blocks (whose fence a line of at
	// least as many backticks closes) and returns the rest.
	outsideFences := func(md string) (rest []string, blocks [][]string) {
		GinkgoHelper()
		lines := strings.Split(md, "\n")
		for i := 0; i < len(lines); i++ {
			l := lines[i]
			if m := regexp.MustCompile("^(`{3,})$").FindStringSubmatch(l); m != nil {
				var block []string
				i++
				for ; i < len(lines) && !regexp.MustCompile("^`{"+strconv.Itoa(len(m[1]))+",}$").MatchString(lines[i]); i++ {
					block = append(block, lines[i])
				}
				Expect(i).To(BeNumerically("<", len(lines)), "a fence is never left open")
				blocks = append(blocks, block)
				continue
			}
			rest = append(rest, l)
		}
		return rest, blocks
	}

	It("has a title with the score, a row per scenario and details per failure", func() {
		out := render("markdown", sampleReport())
		Expect(out).To(HavePrefix("## ❌ echo\\-tcp\\-server · server.py: 1/7\n"))
		Expect(out).To(ContainSubstring("| ✅ | `listens` listens on its port | passed | 1/1 |\n"))
		Expect(out).To(ContainSubstring("| ❌ | `replies-ok` answers bonjour | failed | 0/4 |\n"))
		Expect(out).To(ContainSubstring("| ⏭️ | `echoes` echoes any message | skipped: skipped\\: replies\\-ok failed | 0/2 |\n"))
		Expect(out).To(ContainSubstring("<summary>❌ <code>replies-ok</code> answers bonjour (0/4, failed)</summary>"))
		Expect(out).To(ContainSubstring("```\nyour server sent `bonjour` (7 bytes), expected `bonjour OK`: it stops after 7 bytes, ` OK` is missing\n```\n"))
		Expect(strings.Count(out, "<details")).To(Equal(1))
	})

	It("uses one emoji per status", func() {
		out := render("markdown", hostileReport())
		for _, e := range []string{"| ✅ | `status-line`", "| ❌ | `body`", "| ⏱️ | `slow`", "| 💥 | `segv`", "| ⏭️ | `later`", "| ⚠️ | `broken`", "| ❌ | `secret`"} {
			Expect(out).To(ContainSubstring(e))
		}
	})

	It("keeps a student's ```, <script> and | from breaking the table, the fences or the page", func() {
		out := render("markdown", sampleReport(), hostileReport())
		rest, blocks := outsideFences(out)
		// the student's text is inside a fence, whole
		Expect(blocks).To(ContainElement(ContainElement("```")))
		Expect(blocks).To(ContainElement(ContainElement("</pre></details>| a | b |")))
		// outside fences, no raw HTML but ours
		ours := regexp.MustCompile(`^</?(details|summary|code)( open)?>$`)
		for _, l := range rest {
			for _, tag := range regexp.MustCompile(`</?[A-Za-z!][^>\s]*( open)?>?`).FindAllString(l, -1) {
				Expect(ours.MatchString(tag)).To(BeTrue(), "raw HTML %q in %q", tag, l)
			}
			// a table row has exactly its 5 cell separators (unescaped pipes)
			if strings.HasPrefix(l, "|") {
				Expect(regexp.MustCompile(`(^|[^\\])\|`).FindAllString(l, -1)).To(HaveLen(5), l)
			}
		}
		// the scenario table has one row per scenario
		rows := 0
		for _, l := range rest {
			if strings.HasPrefix(l, "| ") && !strings.HasPrefix(l, "| | Scenario") {
				rows++
			}
		}
		Expect(rows).To(Equal(10))
		Expect(out).To(HavePrefix("# Grader: 3/22 over 2 reports\n"))
		Expect(strings.Count(out, "<details")).To(Equal(strings.Count(out, "</details>") - strings.Count(strings.Join(flatten(blocks), "\n"), "</details>")))
	})
})

func flatten(bs [][]string) []string {
	var out []string
	for _, b := range bs {
		out = append(out, b...)
	}
	return out
}

// ghCommandLine is a workflow command with a title property.
var ghCommandLine = regexp.MustCompile(`^::(error|warning|notice) title=([^:,\r\n]*)::([^\r\n]*)$`)

func ghUnescape(s string) string {
	return strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%").Replace(s)
}

var _ = Describe("GitHub", func() {
	It("annotates each failed check and ends with the score", func() {
		out := render("github", sampleReport())
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		Expect(lines).To(HaveLen(2))
		m := ghCommandLine.FindStringSubmatch(lines[0])
		Expect(m).NotTo(BeNil(), lines[0])
		Expect(m[1]).To(Equal("error"))
		Expect(ghUnescape(m[2])).To(Equal("echo-tcp-server/replies-ok: answers bonjour (0/4): reply"))
		Expect(ghUnescape(m[3])).To(Equal("your server sent `bonjour` (7 bytes), expected `bonjour OK`: it stops after 7 bytes, ` OK` is missing\nhint: Append \" OK\" to the message.\nhint: Send the reply on the same connection."))
		Expect(lines[1]).To(Equal("::notice title=score::1/7 echo-tcp-server · failed"))
	})

	It("errors for timeouts and crashes, warns for grader errors, says nothing of skips", func() {
		out := render("github", hostileReport())
		Expect(out).To(ContainSubstring("::error title=http-get/slow (0/2)%3A timeout::your program was still running after 5s"))
		Expect(out).To(ContainSubstring("::error title=http-get/segv (0/2)%3A crash::your program was killed by SIGSEGV"))
		Expect(out).To(ContainSubstring("::warning title=http-get/broken (0/1)::grader error"))
		Expect(out).To(ContainSubstring("::error title=http-get/secret%3A hidden test (0/3)::hidden scenario: details are withheld\n"))
		Expect(out).NotTo(ContainSubstring("later"))
	})

	It("escapes data and properties so a message with :: and newlines cannot start a command", func() {
		r := hostileReport()
		r.Scenarios[1].ID = "body,x:y%z"
		out := render("github", r, sampleReport())
		Expect(out).To(HaveSuffix("::notice title=total::3/22\n"))
		for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			Expect(l).To(HavePrefix("::"))
			m := ghCommandLine.FindStringSubmatch(l)
			Expect(m).NotTo(BeNil(), "not one well-formed command: %q", l)
			Expect(m[3]).NotTo(MatchRegexp(`%(?:[^20ACD]|2[^5C]|0[^AD]|3[^A]|A|C|D)`), "a lone %% in %q", m[3])
			Expect(l).NotTo(ContainSubstring("\x1b"))
		}
		Expect(out).To(ContainSubstring("title=http-get (get<b>|`.py)/body%2Cx%3Ay%25z%3A prints the body (0/4)%3A stdout::"))
		Expect(out).To(ContainSubstring("%0A::error title=forged::you failed"))
		Expect(out).To(ContainSubstring("10/10 %250A::warning"))
		var b bytes.Buffer
		for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			b.WriteString(ghUnescape(ghCommandLine.FindStringSubmatch(l)[3]) + "\n")
		}
		Expect(b.String()).To(ContainSubstring("\n::error title=forged::you failed\\x0d\n::notice title=score::10/10 %0A::warning::x\n"))
	})
})
