package itest

import (
	"encoding/json"
	"os"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// A teacher's private copy of an exercise, given with --exercises, adds a
// hidden scenario: its score counts, its details are withheld from the
// student's report unless --show-hidden is given.
var _ = Describe("--exercises with a hidden scenario", func() {
	const private = `id: echo-tcp-server
title: TCP echo server (private set)
role: server
run: {port: 1234, family: ipv4, protocol: tcp, timeout: 5s}
scenarios:
  - id: listens
    points: 1
  - id: secret-message
    name: echoes a message the students never saw
    points: 5
    hidden: true
    steps:
      - connect: tcp
      - send: {text: "quarante-deux\0"}
      - expect: {id: reply, equals: "quarante-deux OK", ignore_nul: true, trim: true, timeout: 2s, hint: "the hidden hint"}
      - close: {}
`
	var dir string
	BeforeEach(func() {
		dir = GinkgoT().TempDir()
		ex := filepath.Join(dir, "echo-tcp-server")
		Expect(os.MkdirAll(ex, 0o755)).To(Succeed())
		Expect(os.WriteFile(filepath.Join(ex, "exercise.yaml"), []byte(private), 0o644)).To(Succeed())
		Expect(os.WriteFile(filepath.Join(ex, "README.md"), []byte("# private\n"), 0o644)).To(Succeed())
	})

	report := func(args ...string) map[string]any {
		GinkgoHelper()
		s := run(exitFail, append([]string{"check", "echo-tcp-server", "fixtures/submissions/echo-tcp-server/no-ok", "--ports", "free", "--format", "json", "--exercises", dir}, args...)...)
		var r map[string]any
		Expect(json.Unmarshal(s.Out.Contents(), &r)).To(Succeed())
		return r
	}

	It("overrides the built-in exercise and counts the hidden scenario without its details", func() {
		r := report()
		Expect(r["max_score"]).To(BeNumerically("==", 6))
		Expect(r["score"]).To(BeNumerically("==", 1))
		scs := r["scenarios"].([]any)
		secret := scs[1].(map[string]any)
		Expect(secret["id"]).To(Equal("secret-message"))
		Expect(secret["hidden"]).To(BeTrue())
		Expect(secret["status"]).To(Equal("failed"))
		Expect(secret["checks"]).To(BeNil())
		Expect(secret).NotTo(HaveKey("transcript"))
		text := stdoutOf(run(exitFail, "check", "echo-tcp-server", "fixtures/submissions/echo-tcp-server/no-ok", "--ports", "free", "--exercises", dir))
		Expect(text).To(ContainSubstring("hidden scenario"))
		Expect(text).NotTo(ContainSubstring("quarante-deux"))
		Expect(text).NotTo(ContainSubstring("the hidden hint"))
	})

	It("shows the hidden details to a teacher with --show-hidden", func() {
		r := report("--show-hidden")
		secret := r["scenarios"].([]any)[1].(map[string]any)
		checks := secret["checks"].([]any)
		Expect(checks).NotTo(BeEmpty())
		Expect(secret["transcript"]).NotTo(BeEmpty())
	})
})
