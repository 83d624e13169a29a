package itest

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

var _ = Describe("bad input", func() {
	It("exits 2 naming a submission path that does not exist", func() {
		missing := filepath.Join(GinkgoT().TempDir(), "nowhere", "client.py")
		s := run(exitUsage, "check", "echo-tcp-client", missing, "--ports", "free")
		Expect(stderrOf(s)).To(ContainSubstring(missing))
		Expect(stdoutOf(s)).To(BeEmpty(), "no report for a usage error")
	})

	It("exits 2 for an unknown extension and points at --run", func() {
		f := filepath.Join(GinkgoT().TempDir(), "prog.xyz")
		Expect(os.WriteFile(f, []byte("print('hi')\n"), 0o644)).To(Succeed())
		s := run(exitUsage, "check", "echo-tcp-client", f, "--ports", "free")
		Expect(stderrOf(s)).To(ContainSubstring(".xyz"))
		Expect(stderrOf(s)).To(ContainSubstring("--run"))
	})

	It("exits 2 for an unknown exercise and suggests a close one", func() {
		s := run(exitUsage, "check", "echo-tcp-srv", seedServer, "--ports", "free")
		Expect(stderrOf(s)).To(ContainSubstring("echo-tcp-srv"))
		Expect(stderrOf(s)).To(ContainSubstring("did you mean"))
		Expect(stderrOf(s)).To(ContainSubstring("echo-tcp-server"))
	})

	It("exits 2 for an unknown --format", func() {
		s := run(exitUsage, "check", "echo-tcp-server", seedServer, "--ports", "free", "--format", "nope")
		Expect(stderrOf(s)).To(ContainSubstring(`"nope"`))
		Expect(stderrOf(s)).To(ContainSubstring("json"))
		Expect(stdoutOf(s)).To(BeEmpty())
	})

	It("grades a submission that does not compile: exit 1, the compiler's error, every scenario skipped", func() {
		const fixture = "fixtures/submissions/echo-tcp-client/x-compile-error"
		s := run(exitFail, "check", "echo-tcp-client", fixture, "--ports", "free")
		out := stdoutOf(s)
		Expect(out).To(ContainSubstring("undeclared_socket_xq7"), "the compiler's message is shown")
		Expect(out).To(ContainSubstring("error"))
		Expect(out).To(MatchRegexp(`client\.c:7:\d+`), "with the file and line the compiler names")
		ex := readExercise("echo-tcp-client")
		for _, sc := range ex.Scenarios {
			Expect(out).To(MatchRegexp(`(?m)^.*`+regexp.QuoteMeta(sc.ID)+`: .*skipped$`), "scenario %s is skipped", sc.ID)
		}
		Expect(out).To(MatchRegexp(`(?m)^score 0/10 · failed`))
	})
})

var _ = Describe("grader validate", func() {
	// Each document has its mistake on a known line and column.
	const head = "id: bad-ex\ntitle: Broken on purpose\nrole: server\nrun:\n  port: 1234\n  timeout: 5s\nscenarios:\n"

	validate := func(doc string) string {
		GinkgoHelper()
		dir := filepath.Join(GinkgoT().TempDir(), "bad-ex")
		Expect(os.MkdirAll(dir, 0o755)).To(Succeed())
		Expect(os.WriteFile(filepath.Join(dir, "exercise.yaml"), []byte(head+doc), 0o644)).To(Succeed())
		Expect(os.WriteFile(filepath.Join(dir, "README.md"), []byte("# Broken\n"), 0o644)).To(Succeed())
		s := run(exitUsage, "validate", dir)
		return stderrOf(s)
	}

	It("points at an unknown field with exercise.yaml:LINE:COL:", func() {
		stderr := validate("  - id: listens\n    points: 1\n    colour: blue\n")
		Expect(stderr).To(ContainSubstring("exercise.yaml:10:5:"))
		Expect(stderr).To(ContainSubstring("colour"))
	})

	It("quotes a value of the wrong type", func() {
		stderr := validate("  - id: listens\n    points: lots\n")
		Expect(stderr).To(ContainSubstring("exercise.yaml:9:13:"))
		Expect(stderr).To(ContainSubstring(`"lots"`))
	})

	It("reports a duplicate scenario id", func() {
		stderr := validate("  - id: listens\n    points: 1\n  - id: listens\n    points: 2\n")
		Expect(stderr).To(ContainSubstring("exercise.yaml:10:"))
		Expect(stderr).To(ContainSubstring("duplicate"))
		Expect(stderr).To(ContainSubstring(`"listens"`))
	})

	It("accepts the built-in exercises", func() {
		s := run(exitPass, "validate")
		Expect(stdoutOf(s)).To(ContainSubstring("valid"))
	})
})

var _ = Describe("informational commands", func() {
	builtIn := func() []string {
		GinkgoHelper()
		ents, err := os.ReadDir(filepath.Join(repoRoot, "exercises"))
		Expect(err).NotTo(HaveOccurred())
		var ids []string
		for _, e := range ents {
			if _, err := os.Stat(filepath.Join(repoRoot, "exercises", e.Name(), "exercise.yaml")); err == nil {
				ids = append(ids, e.Name())
			}
		}
		return ids
	}

	It("lists every built-in exercise", func() {
		s := run(exitPass, "list")
		ids := builtIn()
		Expect(len(ids)).To(BeNumerically(">=", 8))
		for _, id := range ids {
			Expect(stdoutOf(s)).To(MatchRegexp(`(?m)^`+regexp.QuoteMeta(id)+`\s`), "grader list shows %s", id)
		}
		for _, id := range []string{"echo-tcp-client", "echo-tcp-server", "echo-tcp6-client", "echo-tcp6-server", "echo-udp-client", "echo-udp-server", "udp-spoof", "udp-time"} {
			Expect(ids).To(ContainElement(id))
		}
	})

	It("shows an exercise's statement", func() {
		s := run(exitPass, "show", "echo-tcp-server")
		readme, err := os.ReadFile(filepath.Join(repoRoot, "exercises", "echo-tcp-server", "README.md"))
		Expect(err).NotTo(HaveOccurred())
		Expect(strings.TrimSpace(stdoutOf(s))).To(Equal(strings.TrimSpace(string(readme))))
	})

	It("prints its version", func() {
		s := run(exitPass, "version")
		Expect(stdoutOf(s)).To(MatchRegexp(`^grader \S+\n$`))
	})

	It("prints help with examples and exits 0", func() {
		s := run(exitPass, "--help")
		Expect(stdoutOf(s)).To(ContainSubstring("Usage:"))
		Expect(stdoutOf(s)).To(ContainSubstring("Examples:"))
		Expect(stdoutOf(s)).To(ContainSubstring("grader check echo-tcp-server"))
		Expect(stdoutOf(s)).To(ContainSubstring("Exit codes"))

		s = run(exitPass, "check", "--help")
		help := stdoutOf(s) + stderrOf(s)
		Expect(help).To(ContainSubstring("Examples:"))
		Expect(help).To(ContainSubstring("grader check echo-tcp-server server.py"))
		Expect(help).To(ContainSubstring("-format"))
		Expect(help).To(ContainSubstring("-ports"))
	})
})
