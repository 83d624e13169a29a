package run_test

import (
	"runtime"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/run"
)

// python starts a Python program that prints "ready" when it reaches the
// part under test, and waits for that line.
func python(src string) *run.Proc {
	GinkgoHelper()
	p := startProc(run.Spec{Argv: []string{"python3", "-c", src}})
	Eventually(func() string {
		out, _ := p.Output()
		return string(out)
	}).WithTimeout(5*time.Second).WithPolling(5*time.Millisecond).Should(HavePrefix("ready\n"), "the program never got ready")
	return p
}

var _ = Describe("Quiet", func() {
	BeforeEach(func() {
		if runtime.GOOS != "linux" {
			Skip("/proc shows threads on Linux only")
		}
	})

	It("is quiet once a server waits in accept, and stays so", func() {
		p := python(`import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
print("ready", flush=True)
s.accept()`)
		quiet := func() bool { q, _ := p.Quiet(); return q }
		Eventually(quiet).WithTimeout(5 * time.Second).WithPolling(2 * time.Millisecond).Should(BeTrue())
		Consistently(quiet).WithTimeout(100 * time.Millisecond).WithPolling(5 * time.Millisecond).Should(BeTrue())
		_, known := p.Quiet()
		Expect(known).To(BeTrue())
	})

	It("is never quiet while a thread computes, even with the others asleep", func() {
		p := python(`import socket, threading
def spin():
    n = 0
    while True:
        n += 1
threading.Thread(target=spin, daemon=True).start()
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
print("ready", flush=True)
s.accept()`)
		Consistently(func() []bool { q, known := p.Quiet(); return []bool{q, known} }).
			WithTimeout(300 * time.Millisecond).WithPolling(2 * time.Millisecond).
			Should(Equal([]bool{false, true}))
	})

	It("counts the children: a parent asleep in wait is not quiet while its child computes", func() {
		p := python(`import os, subprocess, sys
child = subprocess.Popen([sys.executable, "-c", "print('ready', flush=True)\nwhile True: pass"])
child.wait()`)
		Expect(p.Pids()).To(HaveLen(2))
		Consistently(func() bool { q, _ := p.Quiet(); return q }).
			WithTimeout(300 * time.Millisecond).WithPolling(2 * time.Millisecond).
			Should(BeFalse())
	})

	It("is quiet with no process at all: nothing is left to send", func() {
		q, known := run.Quiet(nil)
		Expect([]bool{q, known}).To(Equal([]bool{true, true}))
	})

	It("is quiet once the program has ended", func() {
		p := startProc(run.Spec{Argv: []string{"true"}})
		Expect(p.Wait(5 * time.Second).ExitCode).To(Equal(0))
		q, known := p.Quiet()
		Expect([]bool{q, known}).To(Equal([]bool{true, true}))
	})

	It("does not take a process that is gone for one asleep", func() {
		p := startProc(run.Spec{Argv: []string{"true"}})
		pid := p.Pid()
		p.Wait(5 * time.Second)
		q, known := run.Quiet([]int{pid})
		Expect(known).To(BeTrue())
		Expect(q).To(BeFalse(), "a pid that no longer exists may be a process that just did something")
	})
})
