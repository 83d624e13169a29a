package main_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"

	"github.com/netlab-grader/grader/grader/selftest"
)

// fakeGrader writes a script that plays `grader selftest --format json`:
// run n (counted in a file beside it) prints the verdict lines of
// runs[n-1] (the last entry again past the end) and exits with 1 when one
// of them is not ok.
func fakeGrader(runs ...[]selftest.Verdict) string {
	dir := GinkgoT().TempDir()
	var script strings.Builder
	script.WriteString("#!/bin/sh\n")
	script.WriteString(`n=$(cat "$0.count" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$0.count"` + "\n")
	script.WriteString(`[ "$1 $2 $3" = "selftest --format json" ] || { echo "bad args: $*" >&2; exit 2; }` + "\n")
	script.WriteString("case $n in\n")
	for i, vs := range runs {
		pattern := strconv.Itoa(i + 1)
		if i == len(runs)-1 {
			pattern = "*"
		}
		script.WriteString(pattern + ")\n")
		status := 0
		for _, v := range vs {
			b, err := json.Marshal(v)
			Expect(err).NotTo(HaveOccurred())
			script.WriteString("  echo '" + string(b) + "'\n")
			if !v.OK {
				status = 1
			}
		}
		script.WriteString("  exit " + strconv.Itoa(status) + ";;\n")
	}
	script.WriteString("esac\n")
	path := filepath.Join(dir, "grader")
	Expect(os.WriteFile(path, []byte(script.String()), 0o755)).To(Succeed())
	return path
}

func verdict(fixture string, ok bool, score int, statuses map[string]string, failed ...string) selftest.Verdict {
	if failed == nil {
		failed = []string{}
	}
	return selftest.Verdict{Fixture: fixture, OK: ok, Graded: true, Score: score, MaxScore: 10, Statuses: statuses, Failed: failed}
}

// stress runs the stress command to its end.
func stress(args ...string) *gexec.Session {
	cmd := exec.Command(stressBin, args...)
	cmd.Dir = repoRoot
	s, err := gexec.Start(cmd, GinkgoWriter, GinkgoWriter)
	Expect(err).NotTo(HaveOccurred())
	Eventually(s, 5*time.Minute).Should(gexec.Exit())
	return s
}

// spinnersOf lists the live processes running bin with -spin.
func spinnersOf(bin string) []string {
	var out []string
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err == nil && strings.HasPrefix(string(b), bin+"\x00-spin\x00") {
			out = append(out, p)
		}
	}
	return out
}

var _ = Describe("stresscmd", func() {
	passed := map[string]string{"a": "passed", "b": "passed"}

	It("passes when every fixture gets the same verdict in every run, and leaves no busy process", func() {
		g := fakeGrader([]selftest.Verdict{verdict("ex/good", true, 10, passed), verdict("ex/bad", true, 4, map[string]string{"a": "passed", "b": "failed"}, "b/exit")})
		s := stress("-grader", g, "-runs", "3", "-load", "1")
		Expect(s.ExitCode()).To(Equal(0), string(s.Out.Contents()))
		out := string(s.Out.Contents())
		Expect(out).To(ContainSubstring("run 3/3: 2 fixtures, 2 as expected"))
		Expect(out).To(MatchRegexp(`stress: 2 fixtures, 0 flipped, 0 failing in every run, 0 runs not finished; 3 runs in \S+ \(`))
		Expect(out).NotTo(ContainSubstring("FLIP"))
		Expect(spinnersOf(stressBin)).To(BeEmpty())
	})

	It("fails on a verdict that flips, naming the fixture and which runs gave which verdict", func() {
		steady := verdict("ex/steady", true, 10, passed)
		g := fakeGrader(
			[]selftest.Verdict{steady, verdict("ex/flaky", true, 10, passed)},
			[]selftest.Verdict{steady, verdict("ex/flaky", false, 6, map[string]string{"a": "passed", "b": "timeout"}, "b/exit")},
			[]selftest.Verdict{steady, verdict("ex/flaky", true, 10, passed)},
		)
		s := stress("-grader", g, "-runs", "3", "-load", "0")
		Expect(s.ExitCode()).To(Equal(1))
		out := string(s.Out.Contents())
		Expect(out).To(ContainSubstring("run 2: FAIL ex/flaky: FAIL 6/10 a:passed b:timeout failed: b/exit\n"))
		Expect(out).To(ContainSubstring("FLIP ex/flaky\n"))
		Expect(out).To(ContainSubstring("runs 1,3: ok 10/10 a:passed b:passed\n"))
		Expect(out).To(ContainSubstring("runs 2: FAIL 6/10 a:passed b:timeout failed: b/exit\n"))
		Expect(out).NotTo(ContainSubstring("FLIP ex/steady"))
		Expect(out).To(ContainSubstring("stress: 2 fixtures, 1 flipped"))
	})

	It("counts a fixture missing from a run as a flip", func() {
		a, b := verdict("ex/a", true, 10, passed), verdict("ex/b", true, 10, passed)
		g := fakeGrader([]selftest.Verdict{a, b}, []selftest.Verdict{a})
		s := stress("-grader", g, "-runs", "2", "-load", "0")
		Expect(s.ExitCode()).To(Equal(1))
		Expect(string(s.Out.Contents())).To(ContainSubstring("FLIP ex/b\n     runs 1: ok 10/10 a:passed b:passed\n     missing from 1 of 2 runs\n"))
	})

	It("fails on a fixture that fails the same way in every run, with its problems", func() {
		v := verdict("ex/broken", false, 0, map[string]string{"a": "crash"}, "a/exit")
		v.Problems = []string{"a/exit failed unexpectedly: exit status 1"}
		s := stress("-grader", fakeGrader([]selftest.Verdict{v}), "-runs", "2", "-load", "0")
		Expect(s.ExitCode()).To(Equal(1))
		out := string(s.Out.Contents())
		Expect(out).To(ContainSubstring("FAIL ex/broken in every run: FAIL 0/10 a:crash failed: a/exit\n     a/exit failed unexpectedly: exit status 1\n"))
		Expect(out).To(ContainSubstring("0 flipped, 1 failing in every run"))
	})

	It("kills a run that outlives -run-timeout, with its busy processes", func() {
		dir := GinkgoT().TempDir()
		g := filepath.Join(dir, "grader")
		Expect(os.WriteFile(g, []byte("#!/bin/sh\nexec sleep 600\n"), 0o755)).To(Succeed())
		t0 := time.Now()
		s := stress("-grader", g, "-runs", "2", "-load", "1", "-run-timeout", "1s")
		Expect(s.ExitCode()).To(Equal(1))
		Expect(time.Since(t0)).To(BeNumerically("<", 30*time.Second))
		Expect(string(s.Out.Contents())).To(MatchRegexp(`run 1/2: 0 fixtures, 0 as expected, \d+s: killed after 1s \(-run-timeout\)`))
		Expect(spinnersOf(stressBin)).To(BeEmpty())
	})

	It("refuses a single run: there is nothing to compare", func() {
		s := stress("-runs", "1")
		Expect(s.ExitCode()).To(Equal(2))
	})

	It("reads the real grader's selftest --format json", func() {
		s := stress("-grader", graderBin, "-runs", "2", "-load", "0", "checksum-client")
		out := string(s.Out.Contents())
		Expect(s.ExitCode()).To(Equal(0), out)
		Expect(out).To(ContainSubstring("stress: 5 fixtures, 0 flipped, 0 failing in every run, 0 runs not finished"))
	})
})
