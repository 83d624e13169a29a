package itest

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"
)

// A class of 100 generated submissions: fixtures of echo-tcp-client that
// finish quickly, copied under student ids.
var classFixtures = []string{"seed-python", "c", "no-second-message", "ignores-argument", "reply-not-printed", "x-exits-nonzero", "x-forges-score", "go"}

func makeClass(n int) string {
	GinkgoHelper()
	dir := GinkgoT().TempDir()
	for i := 0; i < n; i++ {
		src := filepath.Join(repoRoot, "fixtures", "submissions", "echo-tcp-client", classFixtures[i%len(classFixtures)])
		dst := filepath.Join(dir, fmt.Sprintf("student%03d", i))
		Expect(exec.Command("cp", "-r", src, dst).Run()).To(Succeed())
	}
	return dir
}

// verdict is the part of a JSON report that explains a score.
type verdict struct {
	Score     int `json:"score"`
	Scenarios []struct {
		ID     string `json:"id"`
		Status string `json:"status"`
		Reason string `json:"reason"`
		Checks []struct {
			Name    string `json:"name"`
			Passed  bool   `json:"passed"`
			Actual  string `json:"actual"`
			Message string `json:"message"`
		} `json:"checks"`
	} `json:"scenarios"`
}

// String lists the scenarios that did not pass, with their failed checks.
func (v verdict) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "score %d", v.Score)
	for _, s := range v.Scenarios {
		if s.Status == "passed" {
			continue
		}
		fmt.Fprintf(&b, "; %s %s %s", s.ID, s.Status, s.Reason)
		for _, c := range s.Checks {
			if !c.Passed {
				fmt.Fprintf(&b, " [%s: %q %s]", c.Name, c.Actual, c.Message)
			}
		}
	}
	return b.String()
}

func gradebook(out string) []byte {
	GinkgoHelper()
	b, err := os.ReadFile(filepath.Join(out, "gradebook.csv"))
	Expect(err).NotTo(HaveOccurred())
	return b
}

// differingRows lists the gradebook rows of out (the whole class, or a
// shard of it) that differ from ref's for the same student, each with
// both results, scenario by scenario.
func differingRows(out, ref string) []string {
	GinkgoHelper()
	rows := func(dir string) map[string]string {
		m := map[string]string{}
		for _, line := range strings.Split(strings.TrimSpace(string(gradebook(dir))), "\n") {
			student, _, _ := strings.Cut(line, ",")
			m[student] = line
		}
		return m
	}
	want, got := rows(ref), rows(out)
	var diffs []string
	for student, g := range got {
		if w := want[student]; w != g {
			var inOut, inRef verdict
			b, _ := os.ReadFile(filepath.Join(out, "results", student, "echo-tcp-client.json"))
			_ = json.Unmarshal(b, &inOut)
			b, _ = os.ReadFile(filepath.Join(ref, "results", student, "echo-tcp-client.json"))
			_ = json.Unmarshal(b, &inRef)
			diffs = append(diffs, fmt.Sprintf("got %q, want %q\n  this run: %s\n  reference run: %s", g, w, inOut, inRef))
		}
	}
	slices.Sort(diffs)
	return diffs
}

func batchRun(args ...string) *gexec.Session {
	GinkgoHelper()
	s := start(append([]string{"batch"}, args...)...)
	Eventually(s).WithTimeout(5*time.Minute).Should(gexec.Exit(exitPass), "grader batch %s\nstderr:\n%s", strings.Join(args, " "), stderrOf(s))
	return s
}

var _ = Describe("grader batch", Ordered, func() {
	var class, full string

	BeforeAll(func() {
		class = makeClass(100)
		full = filepath.Join(GinkgoT().TempDir(), "full")
		batchRun("echo-tcp-client", "--submissions", class, "--out", full, "--jobs", "2")
	})

	It("gives every student the score of a single grader check", func() {
		rows, err := csv.NewReader(strings.NewReader(string(gradebook(full)))).ReadAll()
		Expect(err).NotTo(HaveOccurred())
		Expect(rows).To(HaveLen(101))
		Expect(rows[0]).To(Equal([]string{"student", "echo-tcp-client", "total", "max"}))
		var mu sync.Mutex
		var wg sync.WaitGroup
		sem := make(chan struct{}, 2)
		mismatches := []string{}
		for _, row := range rows[1:] {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer GinkgoRecover()
				defer wg.Done()
				defer func() { <-sem }()
				cmd := exec.Command(graderBin, "check", "echo-tcp-client", filepath.Join(class, row[0]), "--ports", "free", "--format", "json")
				cmd.Dir, cmd.Env = repoRoot, env()
				var stderr strings.Builder
				cmd.Stderr = &stderr
				out, runErr := cmd.Output()
				var r verdict
				if err := json.Unmarshal(out, &r); err != nil || strconv.Itoa(r.Score) != row[1] {
					// Say what differed, scenario by scenario, so a
					// mismatch seen once can be understood.
					b, _ := os.ReadFile(filepath.Join(full, "results", row[0], "echo-tcp-client.json"))
					var inBatch verdict
					_ = json.Unmarshal(b, &inBatch)
					mu.Lock()
					mismatches = append(mismatches, fmt.Sprintf("%s: batch %s, check %d (json: %v, exit: %v)\n  batch: %s\n  check: %s\n  check stderr: %s",
						row[0], row[1], r.Score, err, runErr, inBatch, r, stderr.String()))
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		Expect(mismatches).To(BeEmpty())
	})

	It("finishes after a SIGKILL half way with the same gradebook, regrading nothing already done", func() {
		out := filepath.Join(GinkgoT().TempDir(), "killed")
		s := start("batch", "echo-tcp-client", "--submissions", class, "--out", out, "--jobs", "2")
		done := func() int {
			m, _ := filepath.Glob(filepath.Join(out, "results", "*", "*.sha256"))
			return len(m)
		}
		Eventually(done).WithTimeout(3 * time.Minute).WithPolling(20 * time.Millisecond).Should(BeNumerically(">=", 40))
		Expect(s.Command.Process.Signal(syscall.SIGKILL)).To(Succeed())
		Eventually(s).WithTimeout(10 * time.Second).Should(gexec.Exit())
		before := done()
		Expect(before).To(BeNumerically("<", 100), "the batch must really have been interrupted")
		again := batchRun("echo-tcp-client", "--submissions", class, "--out", out, "--jobs", "2")
		Expect(strings.Count(stderrOf(again), "(unchanged, kept)")).To(Equal(before))
		Expect(differingRows(out, full)).To(BeEmpty(), "rows of the resumed gradebook that differ from the uninterrupted one")
		Expect(gradebook(out)).To(Equal(gradebook(full)))
	})

	It("grades three shards whose merge equals the unsharded gradebook byte for byte", func() {
		base := GinkgoT().TempDir()
		var dirs []string
		for k := 1; k <= 3; k++ {
			d := filepath.Join(base, fmt.Sprintf("shard-%d", k))
			batchRun("echo-tcp-client", "--submissions", class, "--out", d, "--shard", fmt.Sprintf("%d/3", k), "--jobs", "2")
			dirs = append(dirs, d)
		}
		merged := filepath.Join(base, "merged")
		m := start(append([]string{"merge", "--out", merged}, dirs...)...)
		Eventually(m).WithTimeout(time.Minute).Should(gexec.Exit(exitPass))
		var diffs []string
		for _, d := range dirs {
			diffs = append(diffs, differingRows(d, full)...)
		}
		Expect(diffs).To(BeEmpty(), "rows of a shard's gradebook that differ from the unsharded one")
		Expect(gradebook(merged)).To(Equal(gradebook(full)))
	})

	It("writes the per-check pass rates, most failed first", func() {
		b, err := os.ReadFile(filepath.Join(full, "summary.csv"))
		Expect(err).NotTo(HaveOccurred())
		rows, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
		Expect(err).NotTo(HaveOccurred())
		Expect(rows[0]).To(Equal([]string{"exercise", "scenario", "check", "passed", "total", "pass_rate"}))
		prev := -1.0
		for _, r := range rows[1:] {
			rate, err := strconv.ParseFloat(r[5], 64)
			Expect(err).NotTo(HaveOccurred())
			Expect(rate).To(BeNumerically(">=", prev))
			prev = rate
		}
		Expect(rows[1][5]).NotTo(Equal("1.000"), "some check failed for part of the class")
	})
})
