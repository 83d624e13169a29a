package report_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/report"
	"github.com/netlab-grader/grader/grader/result"
)

// sampleReport is a hand-built verdict: one scenario passed, one failed
// with a hint, one skipped.
func sampleReport() *result.Report {
	return &result.Report{
		Exercise:   "echo-tcp-server",
		Submission: "server.py",
		Score:      1,
		MaxScore:   7,
		Status:     result.Failed,
		DurationMS: 412,
		Scenarios: []result.Scenario{
			{ID: "listens", Name: "listens on its port", Score: 1, MaxScore: 1, Status: result.Passed,
				Checks: []result.Check{{Name: "ready", Passed: true, Actual: "127.0.0.1:1234"}}},
			{ID: "replies-ok", Name: "answers bonjour", Score: 0, MaxScore: 4, Status: result.Failed,
				Hint: "Send the reply on the same connection.",
				Checks: []result.Check{
					{Name: "ready", Passed: true},
					{Name: "reply", Passed: false, Expected: "`bonjour OK`", Actual: "`bonjour` (7 bytes)",
						Message: "your server sent `bonjour` (7 bytes), expected `bonjour OK`: it stops after 7 bytes, ` OK` is missing",
						Hint:    "Append \" OK\" to the message."},
				},
				Transcript: []result.Chunk{
					{Conn: 1, Dir: "c>s", TMS: 3, Bytes: []byte("bonjour\x00")},
					{Conn: 1, Dir: "s>c", TMS: 5, Bytes: []byte("bonjour")},
				}},
			{ID: "echoes", Name: "echoes any message", MaxScore: 2, Status: result.Skipped, Reason: "skipped: replies-ok failed"},
		},
	}
}

func text(r *result.Report, o report.TextOptions) string {
	GinkgoHelper()
	var b bytes.Buffer
	Expect(report.Text(&b, r, o)).To(Succeed())
	return b.String()
}

// lineWith returns the index of the first line containing s.
func lineWith(lines []string, s string) int {
	GinkgoHelper()
	for i, l := range lines {
		if strings.Contains(l, s) {
			return i
		}
	}
	Fail("no line contains " + s + " in:\n" + strings.Join(lines, "\n"))
	return -1
}

var _ = Describe("Text", func() {
	It("shows :) :( :| faces with points", func() {
		out := text(sampleReport(), report.TextOptions{})
		lines := strings.Split(out, "\n")
		Expect(lines[0]).To(Equal("echo-tcp-server · server.py"))
		Expect(lines[lineWith(lines, "listens:")]).To(Equal(":) listens: listens on its port [1/1]"))
		Expect(lines[lineWith(lines, "replies-ok:")]).To(Equal(":( replies-ok: answers bonjour [0/4]"))
		Expect(lines[lineWith(lines, "echoes:")]).To(Equal(":| echoes: echoes any message [0/2] skipped"))
		Expect(out).To(ContainSubstring("    skipped: replies-ok failed\n"))
		Expect(out).To(HaveSuffix("score 1/7 · failed · 0.4s\n"))
	})

	It("shows a failed check with its hint right under it, and the scenario hint", func() {
		lines := strings.Split(text(sampleReport(), report.TextOptions{}), "\n")
		i := lineWith(lines, "✗")
		Expect(lines[i]).To(Equal("    ✗  reply: your server sent `bonjour` (7 bytes), expected `bonjour OK`: it stops after 7 bytes, ` OK` is missing"))
		Expect(lines[i+1]).To(Equal(`       hint: Append " OK" to the message.`))
		Expect(lines[i+2]).To(Equal("    hint: Send the reply on the same connection."))
	})

	It("quotes the wire under a failure", func() {
		out := text(sampleReport(), report.TextOptions{})
		Expect(out).To(ContainSubstring("    wire:\n"))
		Expect(out).To(ContainSubstring("#1 c>s    3ms `bonjour\\0` (8 bytes)"))
		Expect(out).To(ContainSubstring("#1 s>c    5ms `bonjour` (7 bytes)"))
	})

	It("hides passing checks unless verbose", func() {
		Expect(text(sampleReport(), report.TextOptions{})).NotTo(ContainSubstring("ok ready"))
		Expect(text(sampleReport(), report.TextOptions{Verbose: true})).To(ContainSubstring("    ok ready: 127.0.0.1:1234\n"))
	})

	It("withholds the details of a hidden scenario", func() {
		r := sampleReport()
		r.Scenarios = []result.Scenario{{ID: "secret", Name: "hidden test", MaxScore: 3, Status: result.Failed, Hidden: true}}
		out := text(r, report.TextOptions{})
		Expect(out).To(ContainSubstring(":( secret: hidden test [0/3]\n    (hidden scenario: details are withheld)\n"))
	})

	It("names timeouts and grader errors", func() {
		r := sampleReport()
		r.Status = result.Error
		r.Scenarios = []result.Scenario{
			{ID: "slow", Name: "n", MaxScore: 1, Status: result.Timeout},
			{ID: "broken", Name: "n", MaxScore: 1, Status: result.Error, Reason: "the reference server could not start"},
		}
		out := text(r, report.TextOptions{})
		Expect(out).To(ContainSubstring(":( slow: n [0/1] timeout\n"))
		Expect(out).To(ContainSubstring(":| broken: n [0/1] error\n"))
		Expect(out).To(ContainSubstring("error (a problem of the grader, not of your program)"))
	})

	It("cannot be forged by a student's escape codes or fake score lines", func() {
		r := sampleReport()
		evil := "\x1b[31mred\x1b[0m\nscore 10/10 · passed\r\x1b[2Kscore 10/10 · passed"
		r.Submission = "sub\x1b]0;title\x07.py"
		r.Scenarios[1].Name = "name \x1b[1mbold"
		r.Scenarios[1].Checks[1].Message = evil
		r.Scenarios[1].Checks[1].Hint = evil
		r.Scenarios[1].Transcript[1].Bytes = []byte(evil)
		for _, o := range []report.TextOptions{{}, {Verbose: true}} {
			out := text(r, o)
			Expect(out).NotTo(ContainSubstring("\x1b"), "raw ESC in:\n%q", out)
			Expect(out).NotTo(ContainSubstring("\r"))
			Expect(out).NotTo(ContainSubstring("\x07"))
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			for _, l := range lines[:len(lines)-1] {
				Expect(l).NotTo(HavePrefix("score "), "a forged score line starts a line:\n%s", out)
			}
			Expect(lines[len(lines)-1]).To(Equal("score 1/7 · failed · 0.4s"))
			Expect(out).To(ContainSubstring(`\x1b[31mred`))
		}
	})

	It("uses colour codes only when asked", func() {
		plain := text(sampleReport(), report.TextOptions{})
		Expect(plain).NotTo(ContainSubstring("\x1b"))
		coloured := text(sampleReport(), report.TextOptions{Color: true})
		Expect(coloured).To(ContainSubstring("\x1b[32m:)\x1b[0m"))
		Expect(coloured).To(ContainSubstring("\x1b[31m:(\x1b[0m"))
		Expect(coloured).To(ContainSubstring("\x1b[33m:|\x1b[0m"))
		Expect(coloured).To(ContainSubstring("\x1b[31mfailed\x1b[0m"))
	})

	It("escapes a student's ESC even in colour mode", func() {
		r := sampleReport()
		r.Scenarios[1].Checks[1].Message = "\x1b[32mfake green"
		coloured := text(r, report.TextOptions{Color: true})
		Expect(coloured).NotTo(ContainSubstring("\x1b[32mfake"))
		Expect(coloured).To(ContainSubstring(`\x1b[32mfake green`))
	})
})

var _ = Describe("JSON", func() {
	It("uses exactly the field names of the contract", func() {
		var b bytes.Buffer
		Expect(report.JSON(&b, sampleReport())).To(Succeed())
		var doc map[string]any
		Expect(json.Unmarshal(b.Bytes(), &doc)).To(Succeed())
		Expect(doc).To(HaveKeyWithValue("exercise", "echo-tcp-server"))
		Expect(doc).To(HaveKeyWithValue("submission", "server.py"))
		Expect(doc).To(HaveKeyWithValue("score", 1.0))
		Expect(doc).To(HaveKeyWithValue("max_score", 7.0))
		Expect(doc).To(HaveKeyWithValue("status", "failed"))
		Expect(doc).To(HaveKeyWithValue("duration_ms", 412.0))

		scs := doc["scenarios"].([]any)
		Expect(scs).To(HaveLen(3))
		sc := scs[1].(map[string]any)
		Expect(sc).To(HaveKeyWithValue("id", "replies-ok"))
		Expect(sc).To(HaveKeyWithValue("name", "answers bonjour"))
		Expect(sc).To(HaveKeyWithValue("score", 0.0))
		Expect(sc).To(HaveKeyWithValue("max_score", 4.0))
		Expect(sc).To(HaveKeyWithValue("status", "failed"))

		ck := sc["checks"].([]any)[1].(map[string]any)
		Expect(ck).To(HaveKeyWithValue("name", "reply"))
		Expect(ck).To(HaveKeyWithValue("passed", false))
		Expect(ck).To(HaveKeyWithValue("expected", "`bonjour OK`"))
		Expect(ck).To(HaveKeyWithValue("actual", "`bonjour` (7 bytes)"))
		Expect(ck).To(HaveKeyWithValue("message", ContainSubstring("is missing")))
		Expect(ck).To(HaveKeyWithValue("hint", `Append " OK" to the message.`))

		tr := sc["transcript"].([]any)
		Expect(tr).To(HaveLen(2))
		ev := tr[0].(map[string]any)
		Expect(ev).To(Equal(map[string]any{
			"conn": 1.0, "dir": "c>s", "t_ms": 3.0,
			"bytes_b64": base64.StdEncoding.EncodeToString([]byte("bonjour\x00")),
		}))
	})

	It("round-trips to the same report", func() {
		var b bytes.Buffer
		Expect(report.Write(&b, "json", sampleReport(), report.TextOptions{})).To(Succeed())
		var back result.Report
		Expect(json.Unmarshal(b.Bytes(), &back)).To(Succeed())
		Expect(&back).To(Equal(sampleReport()))
	})

	It("writes an empty scenario list and check list as arrays, not null", func() {
		var b bytes.Buffer
		r := &result.Report{Exercise: "x", Submission: "y", Status: result.Passed, Scenarios: []result.Scenario{{ID: "a", Checks: []result.Check{}}}}
		Expect(report.JSON(&b, r)).To(Succeed())
		Expect(b.String()).To(ContainSubstring(`"checks": []`))
	})
})

var _ = Describe("Write", func() {
	It("renders text by default and rejects unknown formats", func() {
		var b bytes.Buffer
		Expect(report.Write(&b, "", sampleReport(), report.TextOptions{})).To(Succeed())
		Expect(b.String()).To(HavePrefix("echo-tcp-server · server.py\n"))
		Expect(report.Write(&b, "yaml", sampleReport(), report.TextOptions{})).To(MatchError(ContainSubstring(`unknown format "yaml" (want one of: text, json, junit, gradescope, tap, markdown, github, html)`)))
	})
})
