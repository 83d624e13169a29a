package itest

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"
)

const seedServer = "fixtures/submissions/echo-tcp-server/seed-python"

// keys returns the sorted keys of a JSON object.
func keys(v any) []string {
	GinkgoHelper()
	m, ok := v.(map[string]any)
	Expect(ok).To(BeTrue(), "want a JSON object, got %T", v)
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// expectKeys asserts that obj has every required key and no key outside
// required+optional.
func expectKeys(what string, obj any, required, optional []string) {
	GinkgoHelper()
	ks := keys(obj)
	Expect(ks).To(ContainElements(required), "%s: missing keys of the JSON contract", what)
	Expect(append(append([]string{}, required...), optional...)).To(ContainElements(ks), "%s: keys outside the JSON contract", what)
}

var _ = Describe("grader check, JSON report", func() {
	It("gives the seed server full marks in the JSON contract of DESIGN.md, with a decodable transcript", func() {
		s := run(exitPass, "check", "echo-tcp-server", seedServer, "--format", "json", "--ports", "free")
		out := s.Out.Contents()

		By("being valid JSON with the contract's keys")
		var raw map[string]any
		Expect(json.Unmarshal(out, &raw)).To(Succeed(), "stdout:\n%s", out)
		expectKeys("report", raw,
			[]string{"exercise", "submission", "score", "max_score", "status", "duration_ms", "scenarios"},
			[]string{"title"})
		Expect(raw["exercise"]).To(Equal("echo-tcp-server"))
		Expect(raw["submission"]).To(Equal(seedServer))
		for _, k := range []string{"score", "max_score", "duration_ms"} {
			Expect(raw[k]).To(BeAssignableToTypeOf(float64(0)), k)
		}
		rawScenarios, ok := raw["scenarios"].([]any)
		Expect(ok).To(BeTrue(), "scenarios is an array")
		Expect(rawScenarios).NotTo(BeEmpty())
		chunks := 0
		for _, rs := range rawScenarios {
			expectKeys("scenario", rs,
				[]string{"id", "name", "score", "max_score", "status", "checks", "duration_ms"},
				[]string{"transcript", "reason", "hidden", "hint", "stdout", "stderr", "cpu_ms"})
			sm := rs.(map[string]any)
			Expect(sm["status"]).To(BeElementOf("passed", "failed", "timeout", "crash", "skipped", "error"))
			for _, c := range sm["checks"].([]any) {
				expectKeys("check", c, []string{"name", "passed"}, []string{"expected", "actual", "message", "hint"})
				Expect(c.(map[string]any)["passed"]).To(BeAssignableToTypeOf(true))
			}
			if tr, ok := sm["transcript"]; ok {
				for _, c := range tr.([]any) {
					expectKeys("transcript entry", c, []string{"conn", "dir", "t_ms", "bytes_b64"}, nil)
					cm := c.(map[string]any)
					Expect(cm["conn"]).To(BeNumerically(">=", 1))
					Expect(cm["dir"]).To(BeElementOf("c>s", "s>c"))
					Expect(cm["t_ms"]).To(BeNumerically(">=", 0))
					Expect(cm["bytes_b64"]).To(BeAssignableToTypeOf(""))
					chunks++
				}
			}
		}
		Expect(chunks).To(BeNumerically(">", 0), "some scenario has a transcript")

		By("scoring every point of the exercise")
		r := parseReport(out)
		ex := readExercise("echo-tcp-server")
		Expect(r.Status).To(Equal("passed"))
		Expect(r.MaxScore).To(Equal(ex.points()))
		Expect(r.Score).To(Equal(r.MaxScore))
		Expect(r.Scenarios).To(HaveLen(len(ex.Scenarios)))
		for i, sc := range r.Scenarios {
			Expect(sc.ID).To(Equal(ex.Scenarios[i].ID))
			Expect(sc.Status).To(Equal("passed"), sc.ID)
			Expect(sc.Score).To(Equal(sc.MaxScore), sc.ID)
		}
		Expect(r.failedChecks()).To(BeEmpty())

		By("recording the bytes the grader sent, base64-encoded")
		rep := r.scenario("replies-ok")
		Expect(rep.Transcript).NotTo(BeEmpty())
		first := rep.Transcript[0]
		Expect(first.Conn).To(Equal(1))
		Expect(first.Dir).To(Equal("c>s"))
		Expect(string(first.data())).To(Equal("bonjour\x00"))
		Expect(rep.sent("c>s")).To(Equal("bonjour\x00merci pour tout\x00"))
		// The seed answers the message it got (NUL included) plus " OK".
		Expect(rep.sent("s>c")).To(Equal("bonjour\x00 OK"))
		last := int64(-1)
		for _, c := range rep.Transcript {
			Expect(c.TMS).To(BeNumerically(">=", last), "t_ms never goes back")
			last = c.TMS
		}
		Expect(r.scenario("echoes-any-message").sent("c>s")).To(HavePrefix("salut la compagnie\x00"))
	})

	It("accepts flags before, between and after the positional arguments", func() {
		variants := [][]string{
			{"check", "echo-tcp-server", seedServer, "--format", "json", "--ports", "free"},
			{"check", "--format", "json", "--ports", "free", "echo-tcp-server", seedServer},
			{"check", "--ports", "free", "echo-tcp-server", "--format=json", seedServer},
		}
		var summaries []string
		for _, args := range variants {
			s := run(exitPass, args...)
			summaries = append(summaries, summary(parseReport(s.Out.Contents())))
		}
		Expect(summaries[0]).To(ContainSubstring("score 10/10 passed"))
		for i := 1; i < len(summaries); i++ {
			Expect(summaries[i]).To(Equal(summaries[0]), "grader %s", strings.Join(variants[i], " "))
		}
	})
})

// summary is what must not depend on where the flags stand: verdicts and
// wire contents, without timings or ports.
func summary(r report) string {
	var b strings.Builder
	b.WriteString(r.Exercise + " " + r.Submission + " score " + strconv.Itoa(r.Score) + "/" + strconv.Itoa(r.MaxScore) + " " + r.Status + "\n")
	for _, s := range r.Scenarios {
		b.WriteString(s.ID + " " + s.Status + " " + strconv.Itoa(s.Score) + "/" + strconv.Itoa(s.MaxScore) + "\n")
		for _, c := range s.Checks {
			b.WriteString("  " + c.Name + " " + strconv.FormatBool(c.Passed) + "\n")
		}
		b.WriteString("  sent " + strconv.Quote(s.sent("c>s")) + " got " + strconv.Quote(s.sent("s>c")) + "\n")
	}
	return b.String()
}

var _ = Describe("grader check on the echo-tcp-server fixtures", func() {
	var entries []TableEntry
	for _, dir := range fixtureDirs("echo-tcp-server") {
		entries = append(entries, Entry(filepath.Base(dir), dir))
	}

	DescribeTable("each fixture loses exactly the checks its expect.yaml names",
		func(dir string) {
			e := readExpect(dir)
			args := []string{"check", "echo-tcp-server", dir, "--ports", "free", "--format", "json"}
			if e.Run != "" {
				args = append(args, "--run", e.Run)
			}
			code := exitPass
			if len(e.Fail) > 0 || e.Score != nil && *e.Score != readExercise("echo-tcp-server").points() {
				code = exitFail
			}
			s := start(args...)
			Eventually(s).WithTimeout(checkTimeout).Should(gexec.Exit())
			if s.ExitCode() == exitGrader && strings.Contains(stderrOf(s), "not installed") {
				Skip("toolchain missing on this machine: " + strings.TrimSpace(stderrOf(s)))
			}
			Expect(s.ExitCode()).To(Equal(code), "grader %s\nstderr:\n%s", strings.Join(args, " "), stderrOf(s))
			r := parseReport(s.Out.Contents())
			want := append([]string{}, e.Fail...)
			sort.Strings(want)
			Expect(r.failedChecks()).To(Equal(want), "failed checks of %s", dir)
			if e.Score != nil {
				Expect(r.Score).To(Equal(*e.Score), "score of %s", dir)
			}
			for id, st := range e.Statuses {
				Expect(r.scenario(id).Status).To(Equal(st), "status of %s in %s", id, dir)
			}
			if len(e.Fail) == 0 {
				Expect(r.Status).To(Equal("passed"))
			} else {
				Expect(r.Status).To(Equal("failed"))
			}
		},
		entries,
	)
})

var _ = Describe("a seed server that serves exactly one client", func() {
	It("is seed-python, and it passes echo-tcp-server", func() {
		By("reading its source: one accept(), no loop")
		src, err := os.ReadFile(filepath.Join(repoRoot, seedServer, "server.py"))
		Expect(err).NotTo(HaveOccurred())
		Expect(regexp.MustCompile(`\.accept\(\)`).FindAll(src, -1)).To(HaveLen(1))
		Expect(regexp.MustCompile(`(?m)^\s*(while|for)\b`).Match(src)).To(BeFalse(), "no loop around accept()")

		By("running it: one exchange, then it exits and the port is closed")
		port := freePort()
		cmd := exec.Command(python(), "-u", "server.py")
		cmd.Dir = filepath.Join(repoRoot, seedServer)
		cmd.Env = append(env(), "PORT="+strconv.Itoa(port))
		srv, err := gexec.Start(cmd, GinkgoWriter, GinkgoWriter)
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(func() { srv.Kill().Wait(2 * time.Second) })
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		var conn net.Conn
		Eventually(func() error {
			conn, err = net.DialTimeout("tcp4", addr, time.Second)
			return err
		}).WithTimeout(5 * time.Second).WithPolling(20 * time.Millisecond).Should(Succeed())
		_, err = conn.Write([]byte("bonjour\x00"))
		Expect(err).NotTo(HaveOccurred())
		Expect(conn.SetReadDeadline(time.Now().Add(3 * time.Second))).To(Succeed())
		reply := readUntil(conn, " OK")
		Expect(reply).To(Equal("bonjour\x00 OK"))
		_, err = conn.Write([]byte("merci pour tout\x00"))
		Expect(err).NotTo(HaveOccurred())
		Expect(conn.Close()).To(Succeed())
		Eventually(srv).WithTimeout(3 * time.Second).Should(gexec.Exit(0))
		_, err = net.DialTimeout("tcp4", addr, time.Second)
		Expect(errors.Is(err, syscall.ECONNREFUSED)).To(BeTrue(), "a second client is refused, got %v", err)

		By("grading it: readiness must not use up its only connection")
		s := run(exitPass, "check", "echo-tcp-server", seedServer, "--ports", "free", "--format", "json")
		r := parseReport(s.Out.Contents())
		Expect(r.Score).To(Equal(r.MaxScore))
		Expect(r.failedChecks()).To(BeEmpty())
	})
})

// python is the interpreter grader.yaml's "python: auto" picks.
func python() string {
	if _, err := os.Stat("/usr/bin/python3"); err == nil {
		return "/usr/bin/python3"
	}
	return "python3"
}

// freePort asks the kernel for a TCP port nobody uses right now.
func freePort() int {
	GinkgoHelper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	Expect(err).NotTo(HaveOccurred())
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// readUntil reads from conn until the data contains suffix (or EOF or the
// deadline) and returns what was read.
func readUntil(conn net.Conn, suffix string) string {
	GinkgoHelper()
	var got []byte
	buf := make([]byte, 4096)
	for !strings.Contains(string(got), suffix) {
		n, err := conn.Read(buf)
		got = append(got, buf[:n]...)
		if errors.Is(err, io.EOF) {
			break
		}
		Expect(err).NotTo(HaveOccurred(), "read so far: %q", got)
	}
	return string(got)
}
