package itest

import (
	"fmt"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"
)

// verdicts sums a report up: each scenario's status, and the message of
// each failed check.
func verdicts(r report) string {
	var b strings.Builder
	for _, sc := range r.Scenarios {
		fmt.Fprintf(&b, "%s %s (%d ms)", sc.ID, sc.Status, sc.DurationMS)
		for _, c := range sc.Checks {
			if !c.Passed {
				fmt.Fprintf(&b, "; %s: %s", c.Name, c.Message)
			}
		}
		b.WriteString(". ")
	}
	return b.String()
}

// The http-get exercise's reads-until-close scenario has the reference
// server write the response in 64-byte segments 1 ms apart. Its verdict
// must not depend on timing: the client that takes one recv() for the
// whole answer loses it every time, and for that reason only (the page's
// end missing from what it printed, not a timeout), the lab sheet's
// recv() loop wins it every time. (single-recv's recv(1024) cannot hold
// the 26 KB page whatever the segmentation; the first scenarios, not
// segmented, show it passing when the answer's start is all it prints.)
// Each fixture is graded segmentRuns times, segmentParallel checks at a
// time.
var _ = Describe("http-get's segmented scenario (reads-until-close)", func() {
	const (
		exercise        = "http-get"
		scenarioID      = "reads-until-close"
		segment         = 64
		segmentRuns     = 20
		segmentParallel = 2
	)

	// gradeAll runs `grader check` on fixture segmentRuns times and
	// returns the reports, after checking each exit code.
	gradeAll := func(fixture string, code int) []report {
		GinkgoHelper()
		var out []report
		for len(out) < segmentRuns {
			var batch []*gexec.Session
			for i := 0; i < segmentParallel && len(out)+len(batch) < segmentRuns; i++ {
				batch = append(batch, start("check", exercise, fixture, "--ports", "free", "--format", "json"))
			}
			for _, s := range batch {
				Eventually(s).WithTimeout(checkTimeout).Should(gexec.Exit(), "grader check %s %s\nstderr:\n%s", exercise, fixture, stderrOf(s))
				r := parseReport(s.Out.Contents())
				Expect(s.ExitCode()).To(Equal(code), "run %d of grader check %s %s: %s", len(out)+1, exercise, fixture, verdicts(r))
				out = append(out, r)
			}
		}
		return out
	}

	// segmented checks that the server wrote the scenario's response in
	// pieces of at most segment bytes (each write is one transcript chunk)
	// and returns what it wrote and in how many pieces.
	segmented := func(sc scenario) (string, int) {
		GinkgoHelper()
		var b strings.Builder
		n := 0
		for _, c := range sc.Transcript {
			if c.Dir != "s>c" {
				continue
			}
			d := c.data()
			Expect(len(d)).To(BeNumerically("<=", segment), "a write of %d bytes in a scenario segmented at %d", len(d), segment)
			b.Write(d)
			n++
		}
		Expect(n).To(BeNumerically(">=", 1), "the server wrote nothing")
		return b.String(), n
	}

	It("fails the client that calls recv() once, every time, on its output alone", func() {
		fixture := "fixtures/submissions/http-get/single-recv"
		statuses := map[string]int{}
		for i, r := range gradeAll(fixture, exitFail) {
			sc := r.scenario(scenarioID)
			statuses[sc.Status]++
			Expect(r.failedChecks()).To(Equal([]string{scenarioID + "/stdout"}), "run %d: only the page's end missing from stdout, no timeout: %s", i+1, verdicts(r))
			// The client may have gone after the first piece: the server's
			// next write then fails, so one piece is enough here.
			segmented(sc)
		}
		Expect(statuses).To(Equal(map[string]int{"failed": segmentRuns}), fmt.Sprintf("%s over %d runs", scenarioID, segmentRuns))
	})

	It("passes the lab sheet's recv() loop every time, with the whole page sent in pieces", func() {
		fixture := "fixtures/submissions/http-get/seed-python"
		statuses := map[string]int{}
		for _, r := range gradeAll(fixture, exitPass) {
			sc := r.scenario(scenarioID)
			statuses[sc.Status]++
			page, pieces := segmented(sc)
			Expect(page).To(ContainSubstring("</html>"))
			Expect(pieces).To(BeNumerically(">", 100), "a 26 KB page in 64-byte pieces")
		}
		Expect(statuses).To(Equal(map[string]int{"passed": segmentRuns}), fmt.Sprintf("%s over %d runs", scenarioID, segmentRuns))
	})
})
