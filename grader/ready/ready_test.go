package ready

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// child is a real process whose sockets readiness must find.
type child struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines chan string
	done  chan struct{}
}

func (c *child) pid() int { return c.cmd.Process.Pid }

func (c *child) pids() []int { return []int{c.pid()} }

func (c *child) procs() Procs {
	return Procs{
		Main: func() int {
			if c.exited() {
				return 0
			}
			return c.pid()
		},
		All:  c.pids,
		Gone: c.exited,
	}
}

func (c *child) exited() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// line waits for the next line the child prints.
func (c *child) line() string {
	GinkgoHelper()
	var l string
	Eventually(c.lines).WithTimeout(10 * time.Second).Should(Receive(&l))
	return l
}

// python returns an interpreter, preferring the system one (no shims).
func python() string {
	if _, err := os.Stat("/usr/bin/python3"); err == nil {
		return "/usr/bin/python3"
	}
	p, err := exec.LookPath("python3")
	if err != nil {
		Skip("python3 is not installed")
	}
	return p
}

// startChild runs argv, collecting its stdout lines; it is killed after
// the spec.
func startChild(argv ...string) *child {
	GinkgoHelper()
	cmd := exec.Command(argv[0], argv[1:]...)
	stdin, err := cmd.StdinPipe()
	Expect(err).NotTo(HaveOccurred())
	out, err := cmd.StdoutPipe()
	Expect(err).NotTo(HaveOccurred())
	cmd.Stderr = GinkgoWriter
	Expect(cmd.Start()).To(Succeed())
	c := &child{cmd: cmd, stdin: stdin, lines: make(chan string, 16), done: make(chan struct{})}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			c.lines <- sc.Text()
		}
		_ = cmd.Wait()
		close(c.done)
	}()
	DeferCleanup(func() {
		_ = cmd.Process.Kill()
		<-c.done
	})
	return c
}

// binder is a Python program that binds a socket once it reads a line on
// stdin, prints its port, then sleeps: readiness must see it listening
// without ever connecting to it.
const binder = `
import socket, sys, time
fam = socket.AF_INET6 if sys.argv[2] == "6" else socket.AF_INET
kind = socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM
sys.stdin.readline()
s = socket.socket(fam, kind)
s.bind((sys.argv[3], 0))
if kind == socket.SOCK_STREAM:
    s.listen(1)
print(s.getsockname()[1], flush=True)
time.sleep(60)
`

func startBinder(proto, family, host string) *child {
	GinkgoHelper()
	return startChild(python(), "-c", binder, proto, family, host)
}

func requireIPv6() {
	l, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		Skip("IPv6 loopback unavailable: " + err.Error())
	}
	Expect(l.Close()).To(Succeed())
}

var _ = Describe("Wait and Find against a real process", func() {
	BeforeEach(func() {
		if !Supported() {
			Skip("needs /proc/net")
		}
	})

	It("finds nothing before the program listens, then its TCP listener with the right port", func() {
		c := startBinder("tcp", "4", "127.0.0.1")
		Expect(Find("tcp", c.pids())).To(BeEmpty(), "the program has not bound yet")

		type outcome struct {
			socks []Socket
			err   error
		}
		got := make(chan outcome, 1)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		DeferCleanup(cancel)
		go func() {
			s, err := Wait(ctx, "tcp", c.procs())
			got <- outcome{s, err}
		}()
		Expect(got).NotTo(Receive(), "Wait returned before the program listened")
		_, err := io.WriteString(c.stdin, "go\n")
		Expect(err).NotTo(HaveOccurred())
		port, err := strconv.Atoi(c.line())
		Expect(err).NotTo(HaveOccurred())

		var o outcome
		Eventually(got).WithTimeout(10 * time.Second).Should(Receive(&o))
		Expect(o.err).NotTo(HaveOccurred())
		Expect(o.socks).To(HaveLen(1))
		s := o.socks[0]
		Expect(s.Proto).To(Equal("tcp"))
		Expect(s.Addr).To(Equal(netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(port))))
		Expect(s.IPv6()).To(BeFalse())
		Expect(s.Inode).NotTo(BeZero())

		Expect(Find("udp", c.pids())).To(BeEmpty(), "a TCP listener is not a UDP socket")
	})

	It("finds an IPv6 listener and says it is IPv6", func() {
		requireIPv6()
		c := startBinder("tcp", "6", "::1")
		_, err := io.WriteString(c.stdin, "go\n")
		Expect(err).NotTo(HaveOccurred())
		port, err := strconv.Atoi(c.line())
		Expect(err).NotTo(HaveOccurred())
		socks, err := Wait(context.Background(), "tcp", c.procs())
		Expect(err).NotTo(HaveOccurred())
		Expect(socks).To(HaveLen(1))
		Expect(socks[0].Addr.String()).To(Equal("[::1]:" + strconv.Itoa(port)))
		Expect(socks[0].IPv6()).To(BeTrue())
	})

	It("finds a bound UDP socket", func() {
		c := startBinder("udp", "4", "127.0.0.1")
		_, err := io.WriteString(c.stdin, "go\n")
		Expect(err).NotTo(HaveOccurred())
		port, err := strconv.Atoi(c.line())
		Expect(err).NotTo(HaveOccurred())
		socks, err := Wait(context.Background(), "udp", c.procs())
		Expect(err).NotTo(HaveOccurred())
		Expect(socks).To(HaveLen(1))
		Expect(socks[0].Proto).To(Equal("udp"))
		Expect(socks[0].Addr).To(Equal(netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(port))))
		Expect(Find("tcp", c.pids())).To(BeEmpty())
	})

	It("does not take a connected client socket for a listener", func() {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(l.Close)
		// the kernel completes the handshake from the backlog: no Accept needed
		c := startChild(python(), "-c", `
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
print("connected", flush=True)
time.sleep(60)
`, strconv.Itoa(l.Addr().(*net.TCPAddr).Port))
		Expect(c.line()).To(Equal("connected"))
		Expect(Find("tcp", c.pids())).To(BeEmpty())
	})

	It("says the program exited when it ends before listening", func() {
		c := startChild("sh", "-c", "echo bye")
		Expect(c.line()).To(Equal("bye"))
		socks, err := Wait(context.Background(), "tcp", c.procs())
		Expect(socks).To(BeEmpty())
		Expect(IsExited(err)).To(BeTrue(), "err = %v", err)
		Expect(err.Error()).To(ContainSubstring("exited before it listened"))
	})

	It("returns the context's error at its deadline", func() {
		c := startChild("sleep", "60")
		ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
		defer cancel()
		t0 := time.Now()
		_, err := Wait(ctx, "tcp", c.procs())
		Expect(err).To(MatchError(context.DeadlineExceeded))
		Expect(IsExited(err)).To(BeFalse())
		Expect(time.Since(t0)).To(BeNumerically("<", 2*time.Second))
	})

	It("returns at once when the context is already cancelled", func() {
		c := startChild("sleep", "60")
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := Wait(ctx, "tcp", c.procs())
		Expect(errors.Is(err, context.Canceled)).To(BeTrue())
	})

	It("ignores processes that are gone or not given", func() {
		Expect(Find("tcp", nil)).To(BeEmpty())
		Expect(Find("tcp", []int{1 << 30})).To(BeEmpty())
	})
})

var _ = Describe("parseAddr", func() {
	DescribeTable("decodes the kernel's addresses",
		func(in, want string) {
			ap, err := parseAddr(in)
			Expect(err).NotTo(HaveOccurred())
			Expect(ap).To(Equal(netip.MustParseAddrPort(want)))
		},
		Entry("IPv4 loopback", "0100007F:04D2", "127.0.0.1:1234"),
		Entry("IPv4 any", "00000000:0050", "0.0.0.0:80"),
		Entry("IPv4 private", "0101A8C0:FFFF", "192.168.1.1:65535"),
		Entry("IPv6 loopback", "00000000000000000000000001000000:1F90", "[::1]:8080"),
		Entry("IPv6 any", "00000000000000000000000000000000:04D2", "[::]:1234"),
		Entry("IPv4-mapped IPv6", "0000000000000000FFFF00000100007F:0050", "[::ffff:127.0.0.1]:80"),
		Entry("IPv6 documentation address", "B80D0120000000000000000001000000:0035", "[2001:db8::1]:53"),
	)

	DescribeTable("rejects malformed addresses",
		func(in string) {
			_, err := parseAddr(in)
			Expect(err).To(HaveOccurred())
		},
		Entry("no port", "0100007F"),
		Entry("bad port", "0100007F:ZZZZ"),
		Entry("port too large", "0100007F:10000"),
		Entry("wrong length", "01007F:0050"),
		Entry("not hex", "0100007G:0050"),
	)

	It("knows an IPv4-mapped address is not an IPv6 socket", func() {
		ap, err := parseAddr("0000000000000000FFFF00000100007F:0050")
		Expect(err).NotTo(HaveOccurred())
		Expect(Socket{Proto: "tcp", Addr: ap}.IPv6()).To(BeFalse())
		Expect(Socket{Proto: "tcp", Addr: netip.MustParseAddrPort("[::1]:1")}.IPv6()).To(BeTrue())
	})
})

var _ = Describe("parse", func() {
	It("keeps TCP listeners and bound UDP sockets only", func() {
		dir := GinkgoT().TempDir()
		table := strings.Join([]string{
			"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
			"   0: 0100007F:04D2 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 111 1 0000000000000000 100 0 0 10 0",
			"   1: 0100007F:A000 0100007F:04D2 01 00000000:00000000 00:00000000 00000000  1000        0 222 1 0000000000000000 20 4 30 10 -1",
			"   2: 00000000:0000 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 333 1 0000000000000000 100 0 0 10 0",
			"   3: short line",
		}, "\n") + "\n"
		f := dir + "/tcp"
		Expect(os.WriteFile(f, []byte(table), 0o644)).To(Succeed())
		socks, err := parse(f, "tcp")
		Expect(err).NotTo(HaveOccurred())
		Expect(socks).To(Equal([]Socket{{Proto: "tcp", Addr: netip.MustParseAddrPort("127.0.0.1:1234"), Inode: 111}}))

		udp := strings.Join([]string{
			"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops",
			"   0: 00000000:0424 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 444 2 0000000000000000 0",
			"   1: 0100007F:0425 0100007F:0424 01 00000000:00000000 00:00000000 00000000  1000        0 555 2 0000000000000000 0",
		}, "\n") + "\n"
		Expect(os.WriteFile(f, []byte(udp), 0o644)).To(Succeed())
		socks, err = parse(f, "udp")
		Expect(err).NotTo(HaveOccurred())
		Expect(socks).To(Equal([]Socket{{Proto: "udp", Addr: netip.MustParseAddrPort("0.0.0.0:1060"), Inode: 444}}))
	})
})
