package sandbox_test

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/run"
	"github.com/netlab-grader/grader/grader/sandbox"
)

// must returns v, failing the spec on err.
func must[T any](v T, err error) T {
	GinkgoHelper()
	Expect(err).NotTo(HaveOccurred())
	return v
}

// needSandbox skips a spec where namespaces are not available (not root,
// or a container that forbids them).
func needSandbox() {
	if err := sandbox.Available(); err != nil {
		Skip("sandbox not available here: " + err.Error())
	}
}

// work makes a run folder owned by uid, as the engine does.
func work(uid int) string {
	GinkgoHelper()
	dir, err := os.MkdirTemp("", "sandbox-spec-")
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(os.RemoveAll, dir)
	Expect(os.Chown(dir, uid, uid)).To(Succeed())
	return dir
}

// boxed runs a shell script confined with c and returns its result.
func boxed(c sandbox.Config, script string) run.Result {
	GinkgoHelper()
	self, err := os.Executable()
	Expect(err).NotTo(HaveOccurred())
	p, err := run.Start(run.Spec{Argv: []string{"/bin/sh", "-c", script}, Dir: c.Work, Env: []string{"PATH=/usr/bin:/bin"}, Sandbox: &run.Sandbox{Launcher: self, Config: c}})
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(p.Cleanup)
	return p.Wait(20 * time.Second)
}

var _ = Describe("the launcher", func() {
	var c sandbox.Config
	BeforeEach(func() {
		needSandbox()
		uid := sandbox.NewID()
		c = sandbox.Config{UID: uid, GID: uid, Limits: sandbox.Limits{CPU: 5, OpenFiles: 64, FileSize: 1 << 20, Processes: 64}}
		c.Work = work(uid)
	})

	It("runs the program as the unprivileged uid, as pid 1 of its own pid namespace", func() {
		res := boxed(c, `id -u; id -g; echo $$; set -- /proc/[0-9]*; echo $#`)
		Expect(res.Setup).To(BeEmpty())
		// /proc shows this namespace only: the shell is alone in it.
		Expect(strings.Fields(string(res.Stdout))).To(Equal([]string{strconv.Itoa(c.UID), strconv.Itoa(c.GID), "1", "1"}), "stderr: %s", res.Stderr)
	})

	It("gives a private /tmp holding only the work folder, and writes there vanish", func() {
		marker := filepath.Join(os.TempDir(), fmt.Sprintf("sandbox-spec-marker-%d", c.UID))
		Expect(os.WriteFile(marker, nil, 0o644)).To(Succeed())
		DeferCleanup(os.Remove, marker)
		res := boxed(c, `ls /tmp; echo x > /tmp/escaped && echo wrote; echo y > ./mine && echo kept`)
		Expect(res.ExitCode).To(Equal(0), "stderr: %s", res.Stderr)
		Expect(string(res.Stdout)).To(Equal(filepath.Base(c.Work) + "\nwrote\nkept\n"))
		Expect(filepath.Join(os.TempDir(), "escaped")).NotTo(BeAnExistingFile())
		Expect(filepath.Join(c.Work, "mine")).To(BeARegularFile())
	})

	It("hides the listed folders and maps the hosts file", func() {
		secret, err := os.MkdirTemp("", "sandbox-secret-")
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(os.RemoveAll, secret)
		// Outside /tmp would be hidden anyway: test Hide on a folder of
		// its own under the working directory.
		hidden, err := os.MkdirTemp(".", "hidden-")
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(os.RemoveAll, hidden)
		Expect(os.WriteFile(filepath.Join(hidden, "exercise.yaml"), []byte("hidden: true\n"), 0o644)).To(Succeed())
		abs, _ := filepath.Abs(hidden)
		// A file too, readable by all, as the grader's executable is.
		file := filepath.Join(abs + "-file")
		Expect(os.WriteFile(file, []byte("id: hidden-scenario\n"), 0o755)).To(Succeed())
		DeferCleanup(os.Remove, file)
		hosts := filepath.Join(secret, "hosts")
		Expect(os.WriteFile(hosts, []byte(sandbox.Hosts([]string{"www.tcpipguide.com"})), 0o644)).To(Succeed())
		c.Hide, c.Hosts = []string{abs, file}, hosts
		res := boxed(c, fmt.Sprintf(`ls -A %s | wc -l; grep -c tcpipguide /etc/hosts; wc -c < %s`, abs, file))
		Expect(res.Setup).To(BeEmpty())
		Expect(strings.Fields(string(res.Stdout))).To(Equal([]string{"0", "1", "0"}), "stderr: %s", res.Stderr)
		Expect(filepath.Join(abs, "exercise.yaml")).To(BeARegularFile(), "hiding must not touch the real folder")
		Expect(os.ReadFile(file)).To(Equal([]byte("id: hidden-scenario\n")), "nor the real file")
	})

	It("lets the program execute an ExecOnlyCopy but not read it, nor the process running it", func() {
		// A program of its own that runs until killed: a shell script
		// needs reading, an executable copy of sleep does not.
		sleep, err := exec.LookPath("sleep")
		Expect(err).NotTo(HaveOccurred())
		Expect(os.Chmod(c.Work, 0o711)).To(Succeed())
		bin := filepath.Join(c.Work, "bin")
		Expect(os.Mkdir(bin, 0o711)).To(Succeed())
		cp := filepath.Join(bin, "sleep")
		Expect(sandbox.ExecOnlyCopy(sleep, cp)).To(Succeed())
		fi, err := os.Stat(cp)
		Expect(err).NotTo(HaveOccurred())
		Expect(fi.Mode().Perm()).To(Equal(os.FileMode(0o711)))
		Expect(os.ReadFile(cp)).To(Equal(must(os.ReadFile(sleep))), "the copy is whole")
		Expect(sandbox.ExecOnlyCopy(sleep, cp)).To(MatchError(ContainSubstring("could not copy")), "an existing file is never overwritten")
		res := boxed(c, fmt.Sprintf(`
			head -c 1 %[1]s >/dev/null 2>&1 && echo read || echo refused
			%[1]s 60 & pid=$!
			head -c 1 /proc/$pid/exe >/dev/null 2>&1 && echo read || echo refused
			kill $pid; wait $pid; echo "ran: $?"`, cp))
		Expect(res.Setup).To(BeEmpty())
		// 143: the copy ran until the shell killed it (SIGTERM).
		Expect(strings.Fields(string(res.Stdout))).To(Equal([]string{"refused", "refused", "ran:", "143"}), "stderr: %s", res.Stderr)
	})

	It("gives the program stdin, stdout and stderr only, with no signal blocked or caught", func() {
		res := boxed(c, `ls /proc/self/fd; cat /proc/self/status | grep -E "^Sig(Blk|Cgt)"`)
		Expect(res.Setup).To(BeEmpty())
		// ls's own descriptor on the folder it lists is 3.
		Expect(strings.Fields(string(res.Stdout))).To(Equal([]string{"0", "1", "2", "3",
			"SigBlk:", "0000000000000000", "SigCgt:", "0000000000000000"}), "stderr: %s", res.Stderr)
	})

	It("applies the resource limits", func() {
		res := boxed(c, `ulimit -n; ulimit -t; ulimit -f; cat /proc/self/limits`)
		// ulimit -f counts 512-byte blocks in dash.
		Expect(strings.Fields(string(res.Stdout))[:3]).To(Equal([]string{"64", "5", "2048"}), "stderr: %s", res.Stderr)
		Expect(string(res.Stdout)).To(MatchRegexp(`Max processes\s+64\s+64`))
		Expect(string(res.Stdout)).To(MatchRegexp(`Max core file size\s+0\s+0`))
	})

	It("takes a double-forked daemon down with the program", func() {
		res := boxed(c, `(setsid sh -c 'sleep 300' &) ; echo started`)
		Expect(string(res.Stdout)).To(Equal("started\n"))
		Eventually(func() []int { return sleepers(c.UID) }).WithTimeout(5 * time.Second).WithPolling(20 * time.Millisecond).Should(BeEmpty())
	})

	It("reports a failed set-up apart from anything the program prints", func() {
		self, err := os.Executable()
		Expect(err).NotTo(HaveOccurred())
		dir := c.Work
		c.Work = filepath.Join(dir, "missing")
		p, err := run.Start(run.Spec{Argv: []string{"/bin/echo", "never"}, Dir: dir, Sandbox: &run.Sandbox{Launcher: self, Config: c}})
		Expect(err).NotTo(HaveOccurred())
		res := p.Wait(20 * time.Second)
		Expect(res.Setup).To(ContainSubstring("could not open the work folder"))
		Expect(res.Stdout).To(BeEmpty())

		c.Work = work(c.UID)
		res = boxed(c, `echo "could not open the work folder" >&2; exit 125`)
		Expect(res.Setup).To(BeEmpty(), "the program cannot forge a set-up failure")
		Expect(res.ExitCode).To(Equal(125))
	})
})

// sleepers lists the processes of uid still alive.
func sleepers(uid int) []int {
	var out []int
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		var st syscall.Stat_t
		if syscall.Stat("/proc/"+e.Name(), &st) == nil && int(st.Uid) == uid {
			b, _ := os.ReadFile("/proc/" + e.Name() + "/stat")
			if !strings.Contains(string(b), ") Z") {
				out = append(out, pid)
			}
		}
	}
	return out
}

var _ = Describe("NetNS", func() {
	BeforeEach(needSandbox)

	It("has a loopback of its own, unreachable from the host", func() {
		ns, err := sandbox.NewNetNS()
		Expect(err).NotTo(HaveOccurred())
		defer ns.Close()
		var ln net.Listener
		ns.Do(func() { ln, err = net.Listen("tcp", "127.0.0.1:0") })
		Expect(err).NotTo(HaveOccurred())
		defer ln.Close()
		accepted := make(chan struct{})
		go func() {
			if c, err := ln.Accept(); err == nil {
				c.Close()
				close(accepted)
			}
		}()
		var dialErr error
		ns.Do(func() {
			c, err := net.DialTimeout("tcp", ln.Addr().String(), 2*time.Second)
			if err == nil {
				c.Close()
			}
			dialErr = err
		})
		Expect(dialErr).NotTo(HaveOccurred(), "loopback works inside")
		Eventually(accepted).Should(BeClosed())
		_, err = net.DialTimeout("tcp", ln.Addr().String(), 2*time.Second)
		Expect(err).To(HaveOccurred(), "the host's loopback is another network")
	})

	It("gives its thread back to the grader's network when it closes, alive", func() {
		// A thread that ended would send SIGKILL (the parent-death signal)
		// to every process started from it, such as another submission's
		// compiler started before the namespace took the thread.
		home, err := os.Readlink("/proc/self/ns/net")
		Expect(err).NotTo(HaveOccurred())
		ns, err := sandbox.NewNetNS()
		Expect(err).NotTo(HaveOccurred())
		var tid int
		var inside string
		ns.Do(func() {
			tid = syscall.Gettid()
			inside, _ = os.Readlink(fmt.Sprintf("/proc/self/task/%d/ns/net", tid))
		})
		Expect(inside).NotTo(Equal(home))
		ns.Close()
		after, err := os.Readlink(fmt.Sprintf("/proc/self/task/%d/ns/net", tid))
		Expect(err).NotTo(HaveOccurred(), "the thread still exists")
		Expect(after).To(Equal(home))
	})

	It("lets two namespaces use the same port", func() {
		a, err := sandbox.NewNetNS()
		Expect(err).NotTo(HaveOccurred())
		defer a.Close()
		b, err := sandbox.NewNetNS()
		Expect(err).NotTo(HaveOccurred())
		defer b.Close()
		var la, lb net.Listener
		var ea, eb error
		a.Do(func() { la, ea = net.Listen("tcp", "127.0.0.1:1234") })
		b.Do(func() { lb, eb = net.Listen("tcp", "127.0.0.1:1234") })
		Expect(ea).NotTo(HaveOccurred())
		Expect(eb).NotTo(HaveOccurred())
		la.Close()
		lb.Close()
	})
})

var _ = Describe("the launcher started by hand", func() {
	It("refuses to mount anything outside namespaces of its own", func() {
		needSandbox()
		self, err := os.Executable()
		Expect(err).NotTo(HaveOccurred())
		uid := sandbox.NewID()
		dir := work(uid)
		argv, err := sandbox.Wrap(self, sandbox.Config{UID: uid, GID: uid, Work: dir}, []string{"/bin/true"})
		Expect(err).NotTo(HaveOccurred())
		out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
		Expect(err).To(HaveOccurred())
		Expect(string(out)).To(ContainSubstring("refusing to mount anything"))
		mounts, err := os.ReadFile("/proc/self/mounts")
		Expect(err).NotTo(HaveOccurred())
		Expect(string(mounts)).NotTo(ContainSubstring(" " + dir + " "))
	})
})

var _ = Describe("Wrap", func() {
	It("passes the config as arguments that the launcher reads back, whatever the paths hold", func() {
		c := sandbox.Config{UID: 61001, GID: 61002, Work: "/tmp/run 1/./a", Hosts: "/tmp/h\nosts",
			Hide:   []string{"/srv/exercises", "/home/x/-- tricky"},
			Limits: sandbox.Limits{CPU: 7, Memory: 1 << 30, Processes: 9, FileSize: 1 << 20, OpenFiles: 32}}
		argv, err := sandbox.Wrap("/bin/grader", c, []string{"prog", "--", "arg"})
		Expect(err).NotTo(HaveOccurred())
		Expect(argv[:2]).To(Equal([]string{"/bin/grader", sandbox.LaunchArg}))
		got, prog, err := sandbox.Unwrap(argv[2:])
		Expect(err).NotTo(HaveOccurred())
		c.Work = "/tmp/run 1/a"
		Expect(got).To(Equal(c))
		Expect(prog).To(Equal([]string{"prog", "--", "arg"}))
	})

	It("refuses root, relative paths and an empty program", func() {
		_, err := sandbox.Wrap("/g", sandbox.Config{UID: 0, GID: 5, Work: "/w"}, []string{"p"})
		Expect(err).To(MatchError(ContainSubstring("refusing to run as uid 0")))
		_, err = sandbox.Wrap("/g", sandbox.Config{UID: 5, GID: 5, Work: "w"}, []string{"p"})
		Expect(err).To(MatchError(ContainSubstring(`absolute path, got "w"`)))
		_, err = sandbox.Wrap("/g", sandbox.Config{UID: 5, GID: 5, Work: "/w", Hide: []string{"x"}}, []string{"p"})
		Expect(err).To(MatchError(ContainSubstring(`hidden folder must be an absolute path, got "x"`)))
		_, err = sandbox.Wrap("/g", sandbox.Config{UID: 5, GID: 5, Work: "/w"}, nil)
		Expect(err).To(MatchError(ContainSubstring("no program")))
	})

	It("reads back nothing from arguments that are not its own", func() {
		for _, bad := range [][]string{
			{"--", "/bin/true"},
			{"1", "1", "0", "0", "0", "0", "0", "/w", "", "5", "--", "p"},
			{"1", "x", "0", "0", "0", "0", "0", "/w", "", "0", "--", "p"},
			{"1", "1", "0", "0", "0", "0", "0", "/w", "", "0", "p", "q"},
			{"1", "1", "0", "0", "0", "0", "0", "w", "", "0", "--", "p"},
		} {
			_, _, err := sandbox.Unwrap(bad)
			Expect(err).To(HaveOccurred(), "%q", bad)
		}
	})
})
