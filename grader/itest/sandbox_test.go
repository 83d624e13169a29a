package itest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"
)

var _ = Describe("the sandbox", func() {
	BeforeEach(func() {
		if os.Geteuid() != 0 {
			Skip("the sandbox needs root")
		}
	})

	It("takes every process of the submission down when the grader itself is killed", func() {
		const fixture = "fixtures/submissions/echo-tcp-client/x-sleeps-forever"
		buf := make([]byte, 6)
		_, _ = rand.Read(buf)
		marker := "client_sleeper_marker_" + hex.EncodeToString(buf)
		src, err := os.ReadFile(filepath.Join(repoRoot, fixture, "client_sleeper_marker.py"))
		Expect(err).NotTo(HaveOccurred())
		dir := filepath.Join(GinkgoT().TempDir(), "x-sleeps-forever")
		Expect(os.Mkdir(dir, 0o755)).To(Succeed())
		Expect(os.WriteFile(filepath.Join(dir, marker+".py"), src, 0o644)).To(Succeed())
		DeferCleanup(func() {
			for _, p := range processesWith(marker) {
				pid, _ := strconv.Atoi(strings.SplitN(p, ":", 2)[0])
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		})

		s := start("check", "echo-tcp-client", dir, "--sandbox", "on")
		Eventually(func() []string { return processesWith(marker) }).
			WithTimeout(10*time.Second).WithPolling(20*time.Millisecond).
			Should(HaveLen(2), "the client and its helper are running")
		Expect(s.Command.Process.Signal(syscall.SIGKILL)).To(Succeed())
		Eventually(s).WithTimeout(5 * time.Second).Should(gexec.Exit())
		// No grader is left to clean up: the kernel does it, as the
		// program was pid 1 of its namespace and had a parent-death signal.
		Eventually(func() []string { return processesWith(marker) }).
			WithTimeout(2*time.Second).WithPolling(20*time.Millisecond).
			Should(BeEmpty(), "processes of the submission outlived a killed grader")
	})

	It("grades the lab sheet's GET program, host name and port 80 hard-coded, unmodified", func() {
		s := run(exitPass, "check", "http-get", "fixtures/submissions/http-get/seed-verbatim", "--sandbox", "on", "--format", "json")
		r := parseReport(s.Out.Contents())
		Expect(r.Score).To(Equal(r.MaxScore))
	})

	It("hides the grader's executable wherever it is installed, and lets programs run an execute-only copy", func() {
		// Installed outside the temporary folder, which is private anyway.
		dir, err := os.MkdirTemp(repoRoot, ".itest-install-")
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(os.RemoveAll, dir)
		Expect(os.Chmod(dir, 0o755)).To(Succeed())
		installed := filepath.Join(dir, "grader")
		bin, err := os.ReadFile(graderBin)
		Expect(err).NotTo(HaveOccurred())
		Expect(os.WriteFile(installed, bin, 0o755)).To(Succeed())
		script := fmt.Sprintf(`echo "installed: $(wc -c < %s)"; `+
			`head -c 1 {grader} >/dev/null 2>&1 && echo "copy: read" || echo "copy: refused"; `+
			`{grader} --version >/dev/null && echo "copy: runs"`, installed)
		cmd := exec.Command(installed, "check", "echo-tcp-client", "fixtures/submissions/echo-tcp-client/seed-python",
			"--sandbox", "on", "--format", "json", "--run", script)
		cmd.Dir, cmd.Env = repoRoot, env()
		s, err := gexec.Start(cmd, GinkgoWriter, GinkgoWriter)
		Expect(err).NotTo(HaveOccurred())
		Eventually(s).WithTimeout(time.Minute).Should(gexec.Exit(exitFail))
		out := printedIn(s.Out.Contents())
		Expect(out).To(ContainSubstring("installed: 0\n"), "the executable is covered")
		Expect(out).To(ContainSubstring("copy: refused\ncopy: runs\n"))
		Expect(os.ReadFile(installed)).To(Equal(bin), "covering it inside the sandbox must not touch it")
	})

	It("rejects a --sandbox value it does not know, naming the allowed ones", func() {
		s := run(exitUsage, "check", "echo-tcp-client", "fixtures/submissions/echo-tcp-client/seed-python", "--sandbox", "bogus")
		Expect(stderrOf(s)).To(ContainSubstring(`--sandbox: got "bogus", want auto, on or off`))
	})
})
