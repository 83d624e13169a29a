package steps_test

import (
	"bytes"
	"context"
	"net"
	"strconv"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/spec"
	"github.com/netlab-grader/grader/grader/steps"
	"github.com/netlab-grader/grader/grader/wire"
)

// ioLimit bounds every blocking operation of the in-test servers.
const ioLimit = 5 * time.Second

func textp(s string) *string { return &s }

func connect(proto string) spec.Step { return spec.Step{Connect: proto} }
func send(s string) spec.Step        { return spec.Step{Send: &spec.Payload{Text: textp(s)}} }
func expect(m spec.Match) spec.Step  { return spec.Step{Expect: &m} }
func closeStep() spec.Step           { return spec.Step{Close: &struct{}{}} }

// readAtLeast reads from c until n bytes arrived (or the deadline).
func readAtLeast(c net.Conn, n int) []byte {
	_ = c.SetReadDeadline(time.Now().Add(ioLimit))
	var got []byte
	buf := make([]byte, 1024)
	for len(got) < n {
		k, err := c.Read(buf)
		got = append(got, buf[:k]...)
		if err != nil {
			break
		}
	}
	return got
}

// drain reads until the peer closes (or the deadline).
func drain(c net.Conn) {
	_ = c.SetReadDeadline(time.Now().Add(ioLimit))
	buf := make([]byte, 1024)
	for {
		if _, err := c.Read(buf); err != nil {
			return
		}
	}
}

// tcpServer listens on 127.0.0.1:0 and hands each connection to handle in
// its own goroutine; what the handler received is sent on the returned
// channel. Everything is closed after the spec.
func tcpServer(handle func(c net.Conn) []byte) (port int, received chan []byte) {
	GinkgoHelper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	Expect(err).NotTo(HaveOccurred())
	received = make(chan []byte, 8)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer GinkgoRecover()
				defer c.Close()
				received <- handle(c)
			}()
		}
	}()
	DeferCleanup(func() {
		_ = l.Close()
		<-done
	})
	return l.Addr().(*net.TCPAddr).Port, received
}

// replyServer reads a request of n bytes, answers reply, and then either
// waits for the client to close or closes first.
func replyServer(n int, reply string, closeFirst bool) (int, chan []byte) {
	GinkgoHelper()
	return tcpServer(func(c net.Conn) []byte {
		got := readAtLeast(c, n)
		_, _ = c.Write([]byte(reply))
		if !closeFirst {
			drain(c)
		}
		return got
	})
}

// udpServer answers every datagram with reply(datagram), or not at all
// when reply returns nil; the datagrams received are sent on the channel.
func udpServer(reply func([]byte) []byte) (int, chan []byte) {
	GinkgoHelper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	Expect(err).NotTo(HaveOccurred())
	received := make(chan []byte, 8)
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 2048)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			d := append([]byte(nil), buf[:n]...)
			received <- d
			if r := reply(d); r != nil {
				_, _ = pc.WriteTo(r, from)
			}
		}
	}()
	DeferCleanup(func() {
		_ = pc.Close()
		<-done
	})
	return pc.LocalAddr().(*net.UDPAddr).Port, received
}

// refusedPort returns a loopback port nothing listens on.
func refusedPort(network, addr string) int {
	GinkgoHelper()
	l, err := net.Listen(network, addr)
	Expect(err).NotTo(HaveOccurred())
	port := l.Addr().(*net.TCPAddr).Port
	Expect(l.Close()).To(Succeed())
	return port
}

func session(port int) *steps.Session {
	return &steps.Session{T: wire.New(), Target: steps.Target{Host: "127.0.0.1", Port: port}}
}

var _ = Describe("Session.Run over TCP", func() {
	It("passes when the server answers as expected, recording both directions", func() {
		port, received := replyServer(8, "bonjour OK", false)
		s := session(port)
		checks := s.Run(context.Background(), []spec.Step{
			connect("tcp"),
			send("bonjour\x00"),
			expect(spec.Match{Equals: textp("bonjour OK"), IgnoreNUL: true, Hint: "h"}),
			closeStep(),
		})
		Expect(checks).To(HaveLen(1))
		Expect(checks[0].Name).To(Equal("step3"))
		Expect(checks[0].Passed).To(BeTrue(), checks[0].Message)
		Expect(checks[0].Actual).To(Equal("`bonjour OK` (10 bytes)"))

		Eventually(received).WithTimeout(ioLimit).Should(Receive(Equal([]byte("bonjour\x00"))))
		Expect(s.T.Bytes(1, wire.C2S)).To(Equal([]byte("bonjour\x00")))
		Expect(s.T.Bytes(1, wire.S2C)).To(Equal([]byte("bonjour OK")))
		conns := s.T.Conns()
		Expect(conns).To(HaveLen(1))
		Expect(conns[0].ClosedBy).To(Equal("client"))
		Expect(conns[0].Remote).To(Equal(s.Target.Addr()))
	})

	It("names expect steps by their id and runs several exchanges on one connection", func() {
		port, _ := tcpServer(func(c net.Conn) []byte {
			a := readAtLeast(c, 3)
			_, _ = c.Write([]byte("one\n"))
			b := readAtLeast(c, 3)
			_, _ = c.Write([]byte("two\n"))
			drain(c)
			return append(a, b...)
		})
		checks := session(port).Run(context.Background(), []spec.Step{
			connect("tcp"), send("abc"),
			expect(spec.Match{ID: "first", Contains: textp("one")}),
			send("def"),
			expect(spec.Match{Matches: `^two\n$`}),
		})
		Expect(checks).To(HaveLen(2))
		Expect(checks[0].Name).To(Equal("first"))
		Expect(checks[0].Passed).To(BeTrue(), checks[0].Message)
		Expect(checks[1].Name).To(Equal("step5"))
		Expect(checks[1].Passed).To(BeTrue(), checks[1].Message)
	})

	It("fails with what is missing when the server answers too little and closes", func() {
		port, _ := replyServer(8, "bonjour", true)
		s := session(port)
		checks := s.Run(context.Background(), []spec.Step{
			connect("tcp"), send("bonjour\x00"),
			expect(spec.Match{Equals: textp("bonjour OK"), Hint: "Append OK."}),
		})
		Expect(checks).To(HaveLen(1))
		c := checks[0]
		Expect(c.Passed).To(BeFalse())
		Expect(c.Message).To(ContainSubstring("your server sent `bonjour` (7 bytes), expected `bonjour OK`"))
		Expect(c.Message).To(ContainSubstring("` OK` is missing"))
		Expect(c.Message).To(HaveSuffix("(then closed the connection)"))
		Expect(c.Hint).To(Equal("Append OK."))
		Eventually(func() string { return s.T.Conns()[0].ClosedBy }).Should(Equal("server"))
	})

	It("waits no longer than the step's timeout for a server that stays silent", func() {
		port, _ := replyServer(8, "bonjour", false)
		t0 := time.Now()
		checks := session(port).Run(context.Background(), []spec.Step{
			connect("tcp"), send("bonjour\x00"),
			expect(spec.Match{Equals: textp("bonjour OK"), Timeout: spec.Duration(200 * time.Millisecond)}),
		})
		Expect(time.Since(t0)).To(BeNumerically("<", 3*time.Second))
		Expect(checks).To(HaveLen(1))
		Expect(checks[0].Passed).To(BeFalse())
		Expect(checks[0].Message).To(ContainSubstring("is missing"))
		Expect(checks[0].Message).To(HaveSuffix("(within 200ms)"))
	})

	It("stops waiting as soon as the reply can no longer match", func() {
		port, _ := replyServer(8, "nope", false)
		t0 := time.Now()
		checks := session(port).Run(context.Background(), []spec.Step{
			connect("tcp"), send("bonjour\x00"),
			expect(spec.Match{Equals: textp("bonjour OK"), Timeout: spec.Duration(30 * time.Second)}),
		})
		Expect(time.Since(t0)).To(BeNumerically("<", 5*time.Second))
		Expect(checks[0].Passed).To(BeFalse())
		Expect(checks[0].Message).To(HavePrefix("your server sent `nope` (4 bytes), expected `bonjour OK`"))
		Expect(checks[0].Message).NotTo(ContainSubstring("within"))
	})

	It("reports a refused connection as a connect check and runs no further step", func() {
		port := refusedPort("tcp", "127.0.0.1:0")
		checks := session(port).Run(context.Background(), []spec.Step{
			connect("tcp"), send("bonjour"), expect(spec.Match{Contains: textp("OK")}),
		})
		Expect(checks).To(HaveLen(1))
		c := checks[0]
		Expect(c.Name).To(Equal("connect"))
		Expect(c.Passed).To(BeFalse())
		Expect(c.Message).To(Equal("could not connect to " + net.JoinHostPort("127.0.0.1", itoa(port)) + ": connection refused"))
		Expect(c.Expected).To(Equal("a tcp server at 127.0.0.1:" + itoa(port)))
		Expect(c.Hint).To(ContainSubstring("Listen on the address and port"))
	})

	It("explains an IPv4-only server when the exercise connects over IPv6", func() {
		requireIPv6()
		port := refusedPort("tcp6", "[::1]:0")
		s := &steps.Session{T: wire.New(), Target: steps.Target{Host: "::1", Port: port, Listening: "0.0.0.0:" + itoa(port) + " (IPv4 only)"}}
		checks := s.Run(context.Background(), []spec.Step{connect("tcp")})
		Expect(checks).To(HaveLen(1))
		Expect(checks[0].Message).To(HavePrefix("could not connect to [::1]:" + itoa(port) + ": connection refused"))
		Expect(checks[0].Message).To(HaveSuffix("; your server listens on 0.0.0.0:" + itoa(port) + " (IPv4 only)"))
		Expect(checks[0].Actual).To(Equal("0.0.0.0:" + itoa(port) + " (IPv4 only)"))
		Expect(checks[0].Hint).To(ContainSubstring("AF_INET6"))
	})

	It("explains a server bound to ::1 only when the exercise connects over IPv4", func() {
		port := refusedPort("tcp", "127.0.0.1:0")
		s := &steps.Session{T: wire.New(), Target: steps.Target{Host: "127.0.0.1", Port: port, Listening: "[::1]:" + itoa(port)}}
		checks := s.Run(context.Background(), []spec.Step{connect("tcp")})
		Expect(checks[0].Hint).To(ContainSubstring("bound to ::1 only"))
	})

	It("reports an expect step without a connection", func() {
		checks := session(1).Run(context.Background(), []spec.Step{expect(spec.Match{ID: "reply", Contains: textp("x"), Hint: "h"})})
		Expect(checks).To(HaveLen(1))
		Expect(checks[0].Name).To(Equal("reply"))
		Expect(checks[0].Passed).To(BeFalse())
		Expect(checks[0].Message).To(Equal("no open connection to read the reply from"))
		Expect(checks[0].Hint).To(Equal("h"))
	})

	It("does nothing once the context is cancelled", func() {
		port, received := replyServer(1, "x", false)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		s := session(port)
		Expect(s.Run(ctx, []spec.Step{connect("tcp"), send("a")})).To(BeEmpty())
		Expect(s.T.Conns()).To(BeEmpty())
		Expect(received).NotTo(Receive())
	})
})

var _ = Describe("Session.Run with an adversarial network", func() {
	It("cuts TCP writes into segments of at most Segment bytes", func() {
		port, received := replyServer(7, "bonjour OK", false)
		s := session(port)
		s.Network = &spec.Network{Segment: 2, Delay: spec.Duration(time.Millisecond)}
		checks := s.Run(context.Background(), []spec.Step{
			connect("tcp"), send("bonjour"),
			expect(spec.Match{Equals: textp("bonjour OK")}),
		})
		Expect(checks).To(HaveLen(1))
		Expect(checks[0].Passed).To(BeTrue(), checks[0].Message)

		msgs := s.T.Messages(1, wire.C2S)
		Expect(len(msgs)).To(BeNumerically(">=", 4))
		for _, m := range msgs {
			Expect(len(m)).To(BeNumerically("<=", 2))
		}
		Expect(bytes.Join(msgs, nil)).To(Equal([]byte("bonjour")))
		Eventually(received).WithTimeout(ioLimit).Should(Receive(Equal([]byte("bonjour"))))
	})

	It("gives each segment its own write deadline, so slow segmentation never fails a send", func() {
		payload := strings.Repeat("x", 250)
		port, _ := replyServer(250, "ok", false)
		s := session(port)
		// 250 one-byte segments 10 ms apart take 2.5 s, longer than one
		// write's deadline.
		s.Network = &spec.Network{Segment: 1, Delay: spec.Duration(10 * time.Millisecond)}
		checks := s.Run(context.Background(), []spec.Step{connect("tcp"), send(payload), expect(spec.Match{Equals: textp("ok")})})
		Expect(checks).To(HaveLen(1))
		Expect(checks[0].Name).NotTo(Equal("send"), checks[0].Message)
		Expect(checks[0].Passed).To(BeTrue(), checks[0].Message)
	})

	It("sends a payload shorter than a segment in one write", func() {
		port, _ := replyServer(2, "ok", false)
		s := session(port)
		s.Network = &spec.Network{Segment: 16}
		s.Run(context.Background(), []spec.Step{connect("tcp"), send("hi"), expect(spec.Match{Equals: textp("ok")})})
		Expect(s.T.Messages(1, wire.C2S)).To(Equal([][]byte{[]byte("hi")}))
	})
})

var _ = Describe("Session.Run over UDP", func() {
	It("sends a datagram and checks the reply datagram", func() {
		port, received := udpServer(func(d []byte) []byte { return append(d, " OK"...) })
		s := session(port)
		checks := s.Run(context.Background(), []spec.Step{
			connect("udp"), send("ping"),
			expect(spec.Match{Equals: textp("ping OK")}),
		})
		Expect(checks).To(HaveLen(1))
		Expect(checks[0].Passed).To(BeTrue(), checks[0].Message)
		Expect(s.T.Bytes(1, wire.C2S)).To(Equal([]byte("ping")))
		Expect(s.T.Bytes(1, wire.S2C)).To(Equal([]byte("ping OK")))
		Expect(s.T.Conns()[0].Network).To(Equal("udp"))
		Eventually(received).WithTimeout(ioLimit).Should(Receive(Equal([]byte("ping"))))
	})

	It("takes one datagram as the whole reply", func() {
		port, _ := udpServer(func(d []byte) []byte { return []byte("ping") })
		checks := session(port).Run(context.Background(), []spec.Step{
			connect("udp"), send("ping"),
			expect(spec.Match{Equals: textp("ping OK"), Timeout: spec.Duration(10 * time.Second)}),
		})
		Expect(checks[0].Passed).To(BeFalse())
		Expect(checks[0].Message).To(ContainSubstring("` OK` is missing"))
	})

	It("fails after the timeout when no datagram comes back", func() {
		port, received := udpServer(func([]byte) []byte { return nil })
		checks := session(port).Run(context.Background(), []spec.Step{
			connect("udp"), send("ping"),
			expect(spec.Match{Equals: textp("ping OK"), Timeout: spec.Duration(200 * time.Millisecond)}),
		})
		Expect(checks[0].Passed).To(BeFalse())
		Expect(checks[0].Message).To(Equal("your server sent nothing, expected `ping OK` (within 200ms)"))
		Eventually(received).WithTimeout(ioLimit).Should(Receive())
	})

	It("never segments a datagram", func() {
		port, received := udpServer(func(d []byte) []byte { return d })
		s := session(port)
		s.Network = &spec.Network{Segment: 1}
		checks := s.Run(context.Background(), []spec.Step{connect("udp"), send("abcd"), expect(spec.Match{Equals: textp("abcd")})})
		Expect(checks[0].Passed).To(BeTrue(), checks[0].Message)
		Eventually(received).WithTimeout(ioLimit).Should(Receive(Equal([]byte("abcd"))))
		Expect(s.T.Messages(1, wire.C2S)).To(HaveLen(1))
	})
})

func itoa(n int) string { return strconv.Itoa(n) }

func requireIPv6() {
	l, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		Skip("IPv6 loopback unavailable: " + err.Error())
	}
	Expect(l.Close()).To(Succeed())
}
