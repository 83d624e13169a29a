package report_test

import (
	"bytes"
	"encoding/json"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/report"
	"github.com/netlab-grader/grader/grader/result"
)

// evil is what a hostile (or merely unlucky) student program prints: HTML
// and script, Markdown that would break a table or a fence, XML that would
// end a CDATA or is not XML at all, fake workflow commands, fake TAP lines,
// terminal escapes, invalid UTF-8 and Unicode line separators.
const evil = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>\n" +
	"```\n</pre></details>| a | b |\n" +
	"]]><!-- &amp; \x00\x01\x07\x1b[31mred\x0b\x0c\ufffe\n" +
	"::error title=forged::you failed\r\n::notice title=score::10/10 %0A::warning::x\n" +
	"ok 99 - forged # SKIP\nnot ok 100 - forged\n  ---\n  ...\n" +
	"\xff\xfe \u2028 \u0085 @teacher *bold* _it_ [x](javascript:alert(1))"

// hostileReport has every status, a hidden scenario and evil text in
// every string a student can influence (and in the others, for good
// measure).
func hostileReport() *result.Report {
	return &result.Report{
		Exercise:   "http-get",
		Submission: "get<b>|`.py",
		Score:      2,
		MaxScore:   15,
		Status:     result.Error,
		DurationMS: 2345,
		Scenarios: []result.Scenario{
			{ID: "status-line", Name: "prints the status line", Score: 2, MaxScore: 2, Status: result.Passed, DurationMS: 40,
				Checks: []result.Check{{Name: "stdout", Passed: true, Actual: evil}}, Stdout: evil},
			{ID: "body", Name: "prints the body", MaxScore: 4, Status: result.Failed, DurationMS: 55,
				Hint: evil,
				Checks: []result.Check{
					{Name: "exit", Passed: true},
					{Name: "stdout", Expected: "`<html>…`", Actual: evil, Message: "your program printed " + evil, Hint: evil},
					{Name: "requests", Message: "you sent `Host:` twice"},
				},
				Stdout: evil, Stderr: "Traceback:\n" + evil,
				Transcript: []result.Chunk{
					{Conn: 1, Dir: "c>s", TMS: 1, Bytes: []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")},
					{Conn: 1, Dir: "s>c", TMS: 3, Bytes: []byte(evil)},
				}},
			{ID: "slow", Name: "slow", MaxScore: 2, Status: result.Timeout, DurationMS: 5000,
				Checks: []result.Check{{Name: "timeout", Expected: "the program ends within 5s", Actual: "still running", Message: "your program was still running after 5s"}}},
			{ID: "segv", Name: "segv", MaxScore: 2, Status: result.Crash,
				Checks: []result.Check{{Name: "crash", Expected: "a normal exit", Actual: "signal SIGSEGV", Message: "your program was killed by SIGSEGV"}}},
			{ID: "later", Name: "later", MaxScore: 1, Status: result.Skipped, Reason: "depends on body, which did not pass " + evil},
			{ID: "broken", Name: "broken", MaxScore: 1, Status: result.Error, Reason: "the reference server could not start: " + evil},
			{ID: "secret", Name: "hidden test", MaxScore: 3, Status: result.Failed, Hidden: true},
		},
	}
}

func render(format string, reps ...*result.Report) string {
	GinkgoHelper()
	var b bytes.Buffer
	Expect(report.WriteAll(&b, format, reps, report.TextOptions{})).To(Succeed())
	return b.String()
}

var _ = Describe("WriteAll", func() {
	It("renders every listed format, for one report, several and none", func() {
		for _, f := range report.Formats {
			Expect(render(f, sampleReport())).NotTo(BeEmpty(), f)
			Expect(render(f, sampleReport(), hostileReport())).NotTo(BeEmpty(), f)
			var b bytes.Buffer
			Expect(report.WriteAll(&b, f, nil, report.TextOptions{})).To(Succeed(), f)
		}
	})

	It("renders text by default and names every format when it rejects one", func() {
		Expect(render("", sampleReport())).To(HavePrefix("echo-tcp-server · server.py\n"))
		var b bytes.Buffer
		err := report.WriteAll(&b, "yaml", nil, report.TextOptions{})
		Expect(err).To(MatchError(`unknown format "yaml" (want one of: text, json, junit, gradescope, tap, markdown, github, html)`))
	})

	It("writes JSON as an array, even of one report, and Write keeps the single object", func() {
		var one []result.Report
		Expect(json.Unmarshal([]byte(render("json", sampleReport())), &one)).To(Succeed())
		Expect(one).To(HaveLen(1))
		Expect(&one[0]).To(Equal(sampleReport()))

		var two []result.Report
		Expect(json.Unmarshal([]byte(render("json", sampleReport(), hostileReport())), &two)).To(Succeed())
		Expect(two).To(HaveLen(2))
		Expect(two[1].Exercise).To(Equal("http-get")) // the evil text has invalid UTF-8, which JSON cannot carry as is
		Expect(two[1].Scenarios).To(HaveLen(7))

		Expect(strings.TrimSpace(render("json"))).To(Equal("[]"))

		var b bytes.Buffer
		Expect(report.Write(&b, "json", sampleReport(), report.TextOptions{})).To(Succeed())
		Expect(b.String()).To(HavePrefix("{"))
	})

	It("follows text reports with a total when there are several", func() {
		out := render("text", sampleReport(), sampleReport())
		Expect(strings.Count(out, "echo-tcp-server · server.py\n")).To(Equal(2))
		Expect(out).To(HaveSuffix("\ntotal 2/14 · 2 reports\n"))
		Expect(render("text", sampleReport())).NotTo(ContainSubstring("total"))
	})

	It("writes the same thing through Write and WriteAll for one report", func() {
		for _, f := range report.Formats {
			if f == "json" {
				continue
			}
			var b bytes.Buffer
			Expect(report.Write(&b, f, hostileReport(), report.TextOptions{})).To(Succeed())
			Expect(b.String()).To(Equal(render(f, hostileReport())), f)
		}
	})
})
