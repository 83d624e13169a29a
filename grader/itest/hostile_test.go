package itest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"
)

// processesWith lists "pid: cmdline" for every process whose command line
// contains marker (zombies have an empty cmdline and never match).
func processesWith(marker string) []string {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	self := os.Getpid()
	var out []string
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == self {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err != nil || !bytes.Contains(b, []byte(marker)) {
			continue
		}
		out = append(out, e.Name()+": "+strings.TrimSpace(string(bytes.ReplaceAll(b, []byte{0}, []byte{' '}))))
	}
	return out
}

var _ = Describe("a client that never ends", func() {
	const fixture = "fixtures/submissions/echo-tcp-client/x-sleeps-forever"
	const script = "client_sleeper_marker.py"

	It("is killed with its whole process tree at the scenario timeout", func() {
		if _, err := os.Stat("/proc/self/cmdline"); err != nil {
			Skip("needs /proc to look for leftover processes")
		}
		ex := readExercise("echo-tcp-client")
		timeout := ex.timeout()
		e := readExpect(fixture)

		// A private copy whose file name carries a marker unique to this
		// run, so processes of another grader run (a concurrent selftest)
		// are never mistaken for ours. The fixture passes the file name to
		// its helper process too.
		buf := make([]byte, 6)
		_, _ = rand.Read(buf)
		marker := "client_sleeper_marker_" + hex.EncodeToString(buf)
		src, err := os.ReadFile(filepath.Join(repoRoot, fixture, script))
		Expect(err).NotTo(HaveOccurred())
		Expect(string(src)).To(ContainSubstring("os.path.basename(__file__)"), "the helper carries the marker")
		dir := filepath.Join(GinkgoT().TempDir(), "x-sleeps-forever")
		Expect(os.Mkdir(dir, 0o755)).To(Succeed())
		Expect(os.WriteFile(filepath.Join(dir, marker+".py"), src, 0o644)).To(Succeed())
		DeferCleanup(func() {
			// Should the grader leak them, do not leave them running.
			for _, p := range processesWith(marker) {
				pid, _ := strconv.Atoi(strings.SplitN(p, ":", 2)[0])
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		})

		t0 := time.Now()
		s := start("check", "echo-tcp-client", dir, "--ports", "free", "--format", "json")
		By("seeing the program and its helper run")
		Eventually(func() []string { return processesWith(marker) }).
			WithTimeout(timeout-time.Second).WithPolling(50*time.Millisecond).
			Should(HaveLen(2), "the client and its helper are running")
		Eventually(s).WithTimeout(timeout + 10*time.Second).Should(gexec.Exit(exitFail))
		took := time.Since(t0)

		By("leaving no process behind once the grader returned")
		Eventually(func() []string { return processesWith(marker) }).
			WithTimeout(time.Second).WithPolling(20*time.Millisecond).
			Should(BeEmpty(), "processes of the submission outlived the grader")

		By("reporting a timeout, within the time limit")
		r := parseReport(s.Out.Contents())
		for id, st := range e.Statuses {
			Expect(r.scenario(id).Status).To(Equal(st), id)
		}
		ran := 0
		for _, sc := range r.Scenarios {
			if sc.Status == "skipped" {
				continue
			}
			ran++
			Expect(sc.Status).To(Equal("timeout"), sc.ID)
			Expect(sc.Score).To(BeZero())
			Expect(time.Duration(sc.DurationMS)*time.Millisecond).To(BeNumerically("<=", timeout+time.Second), "wall time of %s", sc.ID)
			Expect(time.Duration(sc.DurationMS)*time.Millisecond).To(BeNumerically(">=", timeout-100*time.Millisecond), "it was given its full time: %s", sc.ID)
			names := []string{}
			for _, c := range sc.Checks {
				if !c.Passed {
					names = append(names, c.Name)
				}
			}
			Expect(names).To(Equal([]string{"timeout"}), "only the timeout check fails in %s", sc.ID)
		}
		Expect(ran).To(BeNumerically(">=", 1))
		Expect(r.failedChecks()).To(ConsistOf(e.Fail))
		Expect(took).To(BeNumerically("<", time.Duration(ran)*(timeout+time.Second)+3*time.Second))
	})
})

var ansi = []byte{0x1b}

var _ = Describe("the text report", func() {
	It("has no ANSI escape on a non-terminal, but colours with --color always", func() {
		const fixture = "fixtures/submissions/echo-tcp-server/x-closes-early"
		for _, extra := range [][]string{nil, {"-v"}} {
			args := append([]string{"check", "echo-tcp-server", fixture, "--ports", "free"}, extra...)
			s := run(exitFail, args...)
			Expect(s.Out.Contents()).NotTo(BeEmpty())
			Expect(bytes.Contains(s.Out.Contents(), ansi)).To(BeFalse(), "raw ESC in the report of grader %s:\n%q", strings.Join(args, " "), s.Out.Contents())
			Expect(stdoutOf(s)).To(MatchRegexp(`(?m)^score 1/10 · failed`))
		}
		// The same report in colour proves the check above is not vacuous.
		s := run(exitFail, "check", "echo-tcp-server", fixture, "--ports", "free", "--color", "always")
		Expect(bytes.Contains(s.Out.Contents(), ansi)).To(BeTrue())
	})

	It("never lets a program forge the score line or reach the terminal", func() {
		const fixture = "fixtures/submissions/echo-tcp-client/x-forges-score"
		e := readExpect(fixture)
		Expect(e.Score).NotTo(BeNil())
		scoreLine := regexp.MustCompile(`(?m)^score (\d+)/(\d+) · (\w+)`)
		for _, extra := range [][]string{nil, {"-v"}} {
			args := append([]string{"check", "echo-tcp-client", fixture, "--ports", "free"}, extra...)
			s := run(exitFail, args...)
			out := s.Out.Contents()
			Expect(bytes.Contains(out, ansi)).To(BeFalse(), "raw ESC in the report of grader %s:\n%q", strings.Join(args, " "), out)
			Expect(bytes.Contains(s.Err.Contents(), ansi)).To(BeFalse(), "raw ESC on stderr")
			lines := scoreLine.FindAllStringSubmatch(string(out), -1)
			Expect(lines).To(HaveLen(1), "exactly one line starts with the score:\n%s", out)
			Expect(lines[0][1]).To(Equal(strconv.Itoa(*e.Score)))
			Expect(lines[0][1] + "/" + lines[0][2]).To(Equal("0/10"))
			Expect(lines[0][3]).To(Equal("failed"))
			if len(extra) > 0 {
				// Verbose shows what the program printed, escaped and
				// indented, so it cannot pass for the grader's line.
				Expect(string(out)).To(ContainSubstring(`\x1b[2J`))
				Expect(string(out)).To(MatchRegexp(`(?m)^\s+.*score 10/10 · passed`))
			}
		}
	})
})
