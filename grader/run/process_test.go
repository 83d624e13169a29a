package run_test

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/run"
)

// startProc starts s and makes sure the process tree is gone after the spec.
func startProc(s run.Spec) *run.Proc {
	GinkgoHelper()
	p, err := run.Start(s)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(func() { p.Stop() })
	return p
}

func shell(script string) run.Spec {
	return run.Spec{Argv: []string{"sh", "-c", script}}
}

// groupGone polls until no process of group pgid exists any more.
func groupGone(pgid int) {
	GinkgoHelper()
	Eventually(func() error { return syscall.Kill(-pgid, 0) }).
		WithTimeout(5*time.Second).WithPolling(10*time.Millisecond).
		Should(MatchError(syscall.ESRCH), "process group %d still has members", pgid)
}

// procGone polls until pid no longer exists.
func procGone(pid int) {
	GinkgoHelper()
	Eventually(func() error { return syscall.Kill(pid, 0) }).
		WithTimeout(5*time.Second).WithPolling(10*time.Millisecond).
		Should(MatchError(syscall.ESRCH), "process %d survived", pid)
}

// firstLinePID waits until the process printed a pid on its first line.
func firstLinePID(p *run.Proc) int {
	GinkgoHelper()
	var pid int
	Eventually(func() bool {
		out, _ := p.Output()
		line, ok := strings.CutSuffix(string(out), "\n")
		if !ok {
			return false
		}
		n, err := strconv.Atoi(line)
		pid = n
		return err == nil
	}).WithTimeout(5 * time.Second).WithPolling(5 * time.Millisecond).Should(BeTrue())
	return pid
}

var _ = Describe("Start and Wait", func() {
	It("reports the exit code and captures stdout and stderr separately", func() {
		p := startProc(shell("echo out; echo err >&2; exit 3"))
		res := p.Wait(10 * time.Second)
		Expect(res.ExitCode).To(Equal(3))
		Expect(string(res.Stdout)).To(Equal("out\n"))
		Expect(string(res.Stderr)).To(Equal("err\n"))
		Expect(res.Signal).To(BeEmpty())
		Expect(res.TimedOut).To(BeFalse())
		Expect(res.Crashed()).To(BeFalse())
		Expect(res.Duration).To(BeNumerically(">", 0))
		Expect(p.Exited()).To(BeTrue())
		Eventually(p.Done()).Should(BeClosed())
	})

	It("feeds stdin and then closes it", func() {
		s := shell("cat; echo end")
		s.Stdin = []byte("hello\nworld\n")
		res := startProc(s).Wait(10 * time.Second)
		Expect(res.ExitCode).To(Equal(0))
		Expect(string(res.Stdout)).To(Equal("hello\nworld\nend\n"))
	})

	It("gives an empty, closed stdin when there is no input", func() {
		res := startProc(shell("cat; echo end")).Wait(10 * time.Second)
		Expect(res.TimedOut).To(BeFalse(), "a program reading stdin must not wait forever")
		Expect(string(res.Stdout)).To(Equal("end\n"))
	})

	It("passes no descriptor but stdin, stdout and stderr, even one the grader inherited", func() {
		// A descriptor open across exec, as a make jobserver's pipe is.
		r, w, err := os.Pipe()
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(r.Close)
		DeferCleanup(w.Close)
		inherited, err := syscall.Dup(int(w.Fd()))
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(syscall.Close, inherited)
		res := startProc(shell(`ls /proc/self/fd`)).Wait(5 * time.Second)
		// ls's own descriptor on the folder it lists is 3.
		Expect(strings.Fields(string(res.Stdout))).To(Equal([]string{"0", "1", "2", "3"}))
	})

	It("runs in the given folder with exactly the given environment", func() {
		dir := GinkgoT().TempDir()
		s := shell(`pwd; echo "$ONLY_ME|${HOME-unset}"`)
		s.Dir = dir
		s.Env = []string{"ONLY_ME=yes", "PATH=/usr/bin:/bin"}
		res := startProc(s).Wait(10 * time.Second)
		real, err := filepath.EvalSymlinks(dir)
		Expect(err).NotTo(HaveOccurred())
		Expect(string(res.Stdout)).To(Equal(real + "\nyes|unset\n"))
	})

	It("keeps OutputCap bytes of each stream and counts the rest", func() {
		s := shell("head -c 3145728 /dev/zero; head -c 10 /dev/zero >&2")
		s.OutputCap = 1 << 20
		res := startProc(s).Wait(20 * time.Second)
		Expect(res.ExitCode).To(Equal(0), "the writer is never blocked by the cap")
		Expect(res.Stdout).To(HaveLen(1 << 20))
		Expect(res.StdoutLost).To(Equal(int64(2 << 20)))
		Expect(res.Stderr).To(HaveLen(10))
		Expect(res.StderrLost).To(BeZero())
	})

	It("caps output at 1 MiB when no cap is given", func() {
		res := startProc(shell("head -c 2097152 /dev/zero")).Wait(20 * time.Second)
		Expect(res.Stdout).To(HaveLen(1 << 20))
		Expect(res.StdoutLost).To(Equal(int64(1 << 20)))
	})

	It("shows output while the program still runs", func() {
		p := startProc(shell("echo ready; exec sleep 100"))
		Eventually(func() string { o, _ := p.Output(); return string(o) }).
			WithTimeout(5 * time.Second).Should(Equal("ready\n"))
		Expect(p.Exited()).To(BeFalse())
	})

	It("kills the whole process group at the deadline, background grandchild included", func() {
		p := startProc(shell("sleep 100 & echo $!; sleep 100"))
		pgid := p.Pid()
		grandchild := firstLinePID(p)
		Expect(syscall.Getpgid(grandchild)).To(Equal(pgid), "the grandchild shares the program's group")
		Expect(syscall.Getpgid(pgid)).To(Equal(pgid), "the program leads its own group")

		const timeout = 300 * time.Millisecond
		t0 := time.Now()
		res := p.Wait(timeout)
		Expect(time.Since(t0)).To(BeNumerically("<", timeout+time.Second))
		Expect(res.TimedOut).To(BeTrue())
		Expect(res.Stopped).To(BeFalse())
		Expect(res.Signal).To(Equal("killed"))
		Expect(res.ExitCode).To(Equal(-1))
		Expect(res.Crashed()).To(BeFalse(), "a timeout is not a crash")
		Expect(string(res.Stdout)).To(Equal(strconv.Itoa(grandchild) + "\n"))
		groupGone(pgid)
		procGone(grandchild)
	})

	It("kills a descendant that left the group with setsid at the deadline", func() {
		p := startProc(shell("setsid sleep 100 & echo $!; sleep 100"))
		escaped := firstLinePID(p)
		Eventually(func() (int, error) { return syscall.Getpgid(escaped) }).
			WithTimeout(5*time.Second).Should(Equal(escaped), "setsid made it a group leader")
		res := p.Wait(200 * time.Millisecond)
		Expect(res.TimedOut).To(BeTrue())
		procGone(escaped)
	})

	It("does not hang on a grandchild holding the output pipe after the program exits", func() {
		p := startProc(shell("sleep 100 & echo done"))
		pgid := p.Pid()
		t0 := time.Now()
		res := p.Wait(10 * time.Second)
		Expect(time.Since(t0)).To(BeNumerically("<", 3*time.Second))
		Expect(res.TimedOut).To(BeFalse())
		Expect(res.ExitCode).To(Equal(0))
		Expect(string(res.Stdout)).To(Equal("done\n"))
		groupGone(pgid)
	})

	It("keeps every byte printed before the exit when a process outside the group holds the pipe", func() {
		// 300 KB is several pipe buffers: the last of it is still in the
		// pipe when the program ends, with the stray keeping it open.
		p := startProc(shell(`setsid sleep 100 & head -c 300000 /dev/zero | tr '\0' x; echo end`))
		res := p.Wait(10 * time.Second)
		Expect(res.ExitCode).To(Equal(0))
		Expect(res.Stdout).To(HaveLen(300004))
		Expect(string(res.Stdout[299990:])).To(Equal("xxxxxxxxxxend\n"))
	})

	It("Stop ends the tree and marks the result Stopped, not the student's fault", func() {
		p := startProc(shell("sleep 100 & sleep 100"))
		pgid := p.Pid()
		res := p.Stop()
		Expect(res.Stopped).To(BeTrue())
		Expect(res.TimedOut).To(BeFalse())
		Expect(res.Signal).To(Equal("killed"))
		Expect(res.Crashed()).To(BeFalse())
		groupGone(pgid)
	})

	It("Stop after a normal exit keeps the real result", func() {
		p := startProc(shell("exit 4"))
		Eventually(p.Done()).WithTimeout(5 * time.Second).Should(BeClosed())
		res := p.Stop()
		Expect(res.Stopped).To(BeFalse())
		Expect(res.ExitCode).To(Equal(4))
	})

	It("reports a crash for a signal the grader did not send", func() {
		res := startProc(shell("kill -SEGV $$")).Wait(10 * time.Second)
		Expect(res.Crashed()).To(BeTrue())
		Expect(res.Signal).To(Equal("segmentation fault"))
		Expect(res.ExitCode).To(Equal(-1))
		Expect(res.TimedOut).To(BeFalse())
	})

	It("refuses an empty command and reports a missing program", func() {
		_, err := run.Start(run.Spec{})
		Expect(err).To(MatchError("no command to run"))
		_, err = run.Start(run.Spec{Argv: []string{"/nonexistent/prog-xyz"}})
		Expect(err).To(MatchError(ContainSubstring("could not start /nonexistent/prog-xyz")))
	})

	It("lists descendants of a running process", func() {
		p := startProc(shell("sleep 100 & echo $!; sleep 100"))
		grandchild := firstLinePID(p)
		Expect(run.Descendants(p.Pid())).To(ContainElement(grandchild))
		Expect(run.Descendants(p.Pid())).NotTo(ContainElement(p.Pid()))
		Expect(run.Descendants(os.Getpid())).To(ContainElement(grandchild), "grandchildren of the grader too")
	})
})

var _ = Describe("Environ", func() {
	BeforeEach(func() {
		Expect(os.Setenv("SECRET_X", "hunter2")).To(Succeed())
		DeferCleanup(os.Unsetenv, "SECRET_X")
	})

	It("points HOME and TMPDIR into the folder and adds the extras", func() {
		env := run.Environ("/work/dir", map[string]string{"PORT": "4242"})
		Expect(env).To(ContainElements("HOME=/work/dir", "TMPDIR=/work/dir", "LANG=C.UTF-8", "PORT=4242"))
		Expect(slices.ContainsFunc(env, func(e string) bool { return strings.HasPrefix(e, "PATH=") })).To(BeTrue())
	})

	It("does not leak the grader's other variables", func() {
		env := run.Environ("/work/dir", nil)
		for _, e := range env {
			Expect(e).NotTo(HavePrefix("SECRET_X="))
			Expect(e).NotTo(ContainSubstring("hunter2"))
		}
	})

	It("is what a started program sees", func() {
		dir := GinkgoT().TempDir()
		s := shell(`echo "$HOME|${SECRET_X-unset}|$PORT"`)
		s.Env = run.Environ(dir, map[string]string{"PORT": "4242"})
		res := startProc(s).Wait(10 * time.Second)
		Expect(string(res.Stdout)).To(Equal(dir + "|unset|4242\n"))
	})
})
