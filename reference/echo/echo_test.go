package echo_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/wire"
	"github.com/netlab-grader/grader/reference/echo"
)

// ioTimeout bounds every blocking read in the specs, so a broken server
// fails a spec instead of hanging the suite.
const ioTimeout = 5 * time.Second

// family is one loopback address family the servers must work on.
type family struct {
	name string
	addr string // listen address with an ephemeral port
	host string // loopback host for the client side
}

var families = []family{
	{name: "IPv4", addr: "127.0.0.1:0", host: "127.0.0.1"},
	{name: "IPv6", addr: "[::1]:0", host: "::1"},
}

// requireFamily skips the spec when the host has no loopback for f (IPv6
// can be disabled in containers); everywhere else the spec runs.
func requireFamily(f family) {
	ln, err := net.ListenPacket("udp", f.addr)
	if err != nil {
		Skip(fmt.Sprintf("%s loopback unavailable: %v", f.name, err))
	}
	Expect(ln.Close()).To(Succeed())
}

func startTCP(cfg echo.Config) *echo.TCPServer {
	GinkgoHelper()
	srv, err := echo.NewTCP(cfg)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(srv.Close)
	return srv
}

func startUDP(cfg echo.Config) *echo.UDPServer {
	GinkgoHelper()
	srv, err := echo.NewUDP(cfg)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(srv.Close)
	return srv
}

func dialTCP(addr net.Addr) *net.TCPConn {
	GinkgoHelper()
	c, err := net.DialTimeout("tcp", addr.String(), ioTimeout)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(func() { _ = c.Close() }) // specs may close it first
	return c.(*net.TCPConn)
}

func send(c net.Conn, s string) {
	GinkgoHelper()
	_, err := c.Write([]byte(s))
	Expect(err).NotTo(HaveOccurred())
}

// readN reads exactly n bytes, failing the spec after ioTimeout.
func readN(c net.Conn, n int) string {
	GinkgoHelper()
	Expect(c.SetReadDeadline(time.Now().Add(ioTimeout))).To(Succeed())
	b := make([]byte, n)
	_, err := io.ReadFull(c, b)
	Expect(err).NotTo(HaveOccurred(), "read %d bytes, got %q", n, b)
	return string(b)
}

// readAll reads until the server closes, failing the spec after ioTimeout.
func readAll(c net.Conn) string {
	GinkgoHelper()
	Expect(c.SetReadDeadline(time.Now().Add(ioTimeout))).To(Succeed())
	b, err := io.ReadAll(c)
	Expect(err).NotTo(HaveOccurred())
	return string(b)
}

// readFrom reads one datagram, failing the spec after ioTimeout.
func readFrom(c *net.UDPConn) (string, *net.UDPAddr) {
	GinkgoHelper()
	Expect(c.SetReadDeadline(time.Now().Add(ioTimeout))).To(Succeed())
	b := make([]byte, 2048)
	n, from, err := c.ReadFromUDP(b)
	Expect(err).NotTo(HaveOccurred())
	return string(b[:n]), from
}

// readMsg reads one datagram's payload.
func readMsg(c *net.UDPConn) string {
	GinkgoHelper()
	msg, _ := readFrom(c)
	return msg
}

func messages(t *wire.Transcript, conn int, dir wire.Direction) func() []string {
	return func() []string {
		var out []string
		for _, m := range t.Messages(conn, dir) {
			out = append(out, string(m))
		}
		return out
	}
}

func closedBy(t *wire.Transcript) func() []string {
	return func() []string {
		var out []string
		for _, c := range t.Conns() {
			out = append(out, c.ClosedBy)
		}
		return out
	}
}

var _ = Describe("MirrorReply", func() {
	DescribeTable("mirrors the client's NUL convention",
		func(msg, suffix, want string) {
			Expect(string(echo.MirrorReply([]byte(msg), suffix))).To(Equal(want))
		},
		Entry("C client: trailing NUL kept last", "bonjour\x00", " OK", "bonjour OK\x00"),
		Entry("Python client: no NUL added", "bonjour", " OK", "bonjour OK"),
		Entry("several trailing NULs collapse to one", "bonjour\x00\x00\x00", " OK", "bonjour OK\x00"),
		Entry("interior NUL is data", "a\x00b", " OK", "a\x00b OK"),
		Entry("empty message", "", " OK", " OK"),
		Entry("NUL only", "\x00", " OK", " OK\x00"),
		Entry("newline is not stripped", "bonjour\n", " OK", "bonjour\n OK"),
		Entry("other suffix", "merci pour tout\x00", "!", "merci pour tout!\x00"),
		Entry("empty suffix", "bonjour\x00", "", "bonjour\x00"),
	)

	It("does not modify its argument", func() {
		msg := []byte("bonjour\x00")
		echo.MirrorReply(msg, " OK")
		Expect(msg).To(Equal([]byte("bonjour\x00")))
	})
})

var _ = Describe("TCPServer", func() {
	It("requires an address", func() {
		_, err := echo.NewTCP(echo.Config{})
		Expect(err).To(MatchError(ContainSubstring("address required")))
	})

	It("wraps listen errors", func() {
		_, err := echo.NewTCP(echo.Config{Addr: "127.0.0.1:notaport"})
		Expect(err).To(HaveOccurred())
		var addrErr *net.OpError
		Expect(errors.As(err, &addrErr)).To(BeTrue(), "error %v should wrap *net.OpError", err)
	})

	It("makes a transcript when none is given and uses the given one otherwise", func() {
		Expect(startTCP(echo.Config{Addr: "127.0.0.1:0"}).Transcript()).NotTo(BeNil())
		t := wire.New()
		Expect(startTCP(echo.Config{Addr: "127.0.0.1:0", Transcript: t}).Transcript()).To(BeIdenticalTo(t))
	})

	for _, f := range families {
		Context("over "+f.name, func() {
			BeforeEach(func() { requireFamily(f) })

			It("listens on the requested loopback with an ephemeral port", func() {
				srv := startTCP(echo.Config{Addr: f.addr})
				a := srv.Addr().(*net.TCPAddr)
				Expect(a.IP.String()).To(Equal(f.host))
				Expect(a.Port).NotTo(BeZero())
			})

			It("mirrors the trailing NUL of a C client", func() {
				srv := startTCP(echo.Config{Addr: f.addr})
				c := dialTCP(srv.Addr())
				send(c, "bonjour\x00")
				Expect(readN(c, len("bonjour OK\x00"))).To(Equal("bonjour OK\x00"))
			})
		})
	}

	It("adds no NUL for a Python client, ending the message by silence", func() {
		srv := startTCP(echo.Config{Addr: "127.0.0.1:0"})
		c := dialTCP(srv.Addr())
		send(c, "bonjour")
		Expect(readN(c, len("bonjour OK"))).To(Equal("bonjour OK"))
		// Everything after the first reply is the second one: no stray NUL.
		send(c, "merci pour tout")
		Expect(c.CloseWrite()).To(Succeed())
		Expect(readAll(c)).To(Equal("merci pour tout OK"))
	})

	It("replies to two messages on one connection", func() {
		srv := startTCP(echo.Config{Addr: "127.0.0.1:0"})
		c := dialTCP(srv.Addr())
		send(c, "bonjour\x00")
		Expect(readN(c, len("bonjour OK\x00"))).To(Equal("bonjour OK\x00"))
		send(c, "merci pour tout\x00")
		Expect(readN(c, len("merci pour tout OK\x00"))).To(Equal("merci pour tout OK\x00"))
	})

	It("treats a newline as the end of a message", func() {
		srv := startTCP(echo.Config{Addr: "127.0.0.1:0", Quiet: time.Hour})
		c := dialTCP(srv.Addr())
		send(c, "bonjour\n")
		Expect(readN(c, len("bonjour\n OK"))).To(Equal("bonjour\n OK"))
	})

	It("answers bytes left pending at EOF, then closes", func() {
		srv := startTCP(echo.Config{Addr: "127.0.0.1:0", Quiet: time.Hour})
		c := dialTCP(srv.Addr())
		send(c, "merci pour tout")
		Expect(c.CloseWrite()).To(Succeed())
		Expect(readAll(c)).To(Equal("merci pour tout OK"))
		Eventually(closedBy(srv.Transcript())).Should(Equal([]string{"client"}))
	})

	It("joins a message split over two writes", func() {
		// A long quiet period: only the NUL may end this message.
		srv := startTCP(echo.Config{Addr: "127.0.0.1:0", Quiet: 2 * time.Second})
		c := dialTCP(srv.Addr())
		send(c, "bon")
		send(c, "jour\x00")
		Expect(readN(c, len("bonjour OK\x00"))).To(Equal("bonjour OK\x00"))
	})

	It("uses the configured suffix or Reply", func() {
		srv := startTCP(echo.Config{Addr: "127.0.0.1:0", Suffix: " !"})
		c := dialTCP(srv.Addr())
		send(c, "bonjour\x00")
		Expect(readN(c, len("bonjour !\x00"))).To(Equal("bonjour !\x00"))

		srv = startTCP(echo.Config{Addr: "127.0.0.1:0", Suffix: "ignored", Reply: bytes.ToUpper})
		c = dialTCP(srv.Addr())
		send(c, "bonjour\x00")
		Expect(readN(c, len("BONJOUR\x00"))).To(Equal("BONJOUR\x00"))
	})

	It("records both connections in accept order", func() {
		srv := startTCP(echo.Config{Addr: "127.0.0.1:0"})
		t := srv.Transcript()

		a := dialTCP(srv.Addr())
		send(a, "bonjour\x00")
		Expect(readN(a, len("bonjour OK\x00"))).To(Equal("bonjour OK\x00"))
		send(a, "merci pour tout\x00")
		Expect(readN(a, len("merci pour tout OK\x00"))).To(Equal("merci pour tout OK\x00"))
		Expect(a.Close()).To(Succeed())

		b := dialTCP(srv.Addr())
		send(b, "bonjour")
		Expect(readN(b, len("bonjour OK"))).To(Equal("bonjour OK"))
		Expect(b.Close()).To(Succeed())

		Eventually(closedBy(t)).Should(Equal([]string{"client", "client"}))
		conns := t.Conns()
		Expect(conns).To(HaveLen(2))
		Expect(conns[0].ID).To(Equal(1))
		Expect(conns[0].Network).To(Equal("tcp"))
		Expect(conns[0].Local).To(Equal(srv.Addr().String()))
		Expect(conns[0].Remote).To(Equal(a.LocalAddr().String()))
		Expect(conns[1].Remote).To(Equal(b.LocalAddr().String()))

		Expect(string(t.Bytes(1, wire.C2S))).To(Equal("bonjour\x00merci pour tout\x00"))
		Expect(string(t.Bytes(1, wire.S2C))).To(Equal("bonjour OK\x00merci pour tout OK\x00"))
		Expect(string(t.Bytes(2, wire.C2S))).To(Equal("bonjour"))
		Expect(string(t.Bytes(2, wire.S2C))).To(Equal("bonjour OK"))
	})

	It("writes replies in Segment-byte pieces, Delay apart", func() {
		srv := startTCP(echo.Config{Addr: "127.0.0.1:0", Segment: 4, Delay: 50 * time.Millisecond})
		c := dialTCP(srv.Addr())
		send(c, "bonjour\x00")

		want := "bonjour OK\x00"
		var got []byte
		reads := 0
		buf := make([]byte, 8)
		Expect(c.SetReadDeadline(time.Now().Add(ioTimeout))).To(Succeed())
		for len(got) < len(want) {
			n, err := c.Read(buf)
			Expect(err).NotTo(HaveOccurred())
			got = append(got, buf[:n]...)
			reads++
		}
		Expect(string(got)).To(Equal(want))
		Expect(reads).To(BeNumerically(">", 1), "a segmented reply should take several reads")
		Eventually(messages(srv.Transcript(), 1, wire.S2C)).Should(Equal([]string{"bonj", "our ", "OK\x00"}))
	})

	It("replies when a message reaches 64 KiB without a terminator", func() {
		srv := startTCP(echo.Config{Addr: "127.0.0.1:0"})
		c := dialTCP(srv.Addr())
		msg := bytes.Repeat([]byte("a"), echo.MaxMessage+1000)
		go func() {
			defer GinkgoRecover()
			_, err := c.Write(msg)
			Expect(err).NotTo(HaveOccurred())
		}()
		first := string(msg[:echo.MaxMessage]) + " OK"
		rest := string(msg[echo.MaxMessage:]) + " OK"
		Expect(readN(c, len(first)+len(rest))).To(Equal(first + rest))
	})

	It("closes promptly with a silent client connected", func() {
		srv, err := echo.NewTCP(echo.Config{Addr: "127.0.0.1:0"})
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(srv.Close)
		c := dialTCP(srv.Addr())
		Eventually(srv.Transcript().Conns).Should(HaveLen(1))

		start := time.Now()
		Expect(srv.Close()).To(Succeed())
		Expect(time.Since(start)).To(BeNumerically("<", 500*time.Millisecond))
		Expect(readAll(c)).To(BeEmpty())
		Expect(closedBy(srv.Transcript())()).To(Equal([]string{"server"}))

		_, err = net.DialTimeout("tcp", srv.Addr().String(), ioTimeout)
		Expect(err).To(HaveOccurred(), "a closed server must not accept")
		Expect(srv.Close()).To(Succeed(), "Close is idempotent")
	})

	It("closes promptly in the middle of a slow segmented reply", func() {
		srv, err := echo.NewTCP(echo.Config{Addr: "127.0.0.1:0", Segment: 1, Delay: time.Hour})
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(srv.Close)
		c := dialTCP(srv.Addr())
		send(c, "bonjour\x00")
		Expect(readN(c, 1)).To(Equal("b"))

		start := time.Now()
		Expect(srv.Close()).To(Succeed())
		Expect(time.Since(start)).To(BeNumerically("<", 500*time.Millisecond))
	})
})

var _ = Describe("UDPServer", func() {
	It("requires an address", func() {
		_, err := echo.NewUDP(echo.Config{})
		Expect(err).To(MatchError(ContainSubstring("address required")))
	})

	It("has no spoof address without Spoof", func() {
		Expect(startUDP(echo.Config{Addr: "127.0.0.1:0"}).SpoofAddr()).To(BeNil())
	})

	for _, f := range families {
		Context("over "+f.name, func() {
			BeforeEach(func() { requireFamily(f) })

			listen := func() *net.UDPConn {
				GinkgoHelper()
				c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.ParseIP(f.host)})
				Expect(err).NotTo(HaveOccurred())
				DeferCleanup(func() { _ = c.Close() }) // specs may close it first
				return c
			}

			It("echoes each datagram in the client's dialect", func() {
				srv := startUDP(echo.Config{Addr: f.addr})
				Expect(srv.Addr().(*net.UDPAddr).IP.String()).To(Equal(f.host))
				c := listen()

				_, err := c.WriteTo([]byte("bonjour\x00"), srv.Addr())
				Expect(err).NotTo(HaveOccurred())
				msg, from := readFrom(c)
				Expect(msg).To(Equal("bonjour OK\x00"))
				Expect(from.String()).To(Equal(srv.Addr().String()))

				_, err = c.WriteTo([]byte("bonjour"), srv.Addr())
				Expect(err).NotTo(HaveOccurred())
				msg, _ = readFrom(c)
				Expect(msg).To(Equal("bonjour OK"))
			})

			It("gives each peer address its own transcript conn", func() {
				srv := startUDP(echo.Config{Addr: f.addr})
				t := srv.Transcript()
				a, b := listen(), listen()
				for _, c := range []*net.UDPConn{a, b, a} {
					_, err := c.WriteTo([]byte("bonjour"), srv.Addr())
					Expect(err).NotTo(HaveOccurred())
					Expect(readMsg(c)).To(Equal("bonjour OK"))
				}
				Eventually(messages(t, 1, wire.S2C)).Should(HaveLen(2))
				conns := t.Conns()
				Expect(conns).To(HaveLen(2))
				Expect(conns[0].Network).To(Equal("udp"))
				Expect(conns[0].Remote).To(Equal(a.LocalAddr().String()))
				Expect(conns[1].Remote).To(Equal(b.LocalAddr().String()))
				Expect(messages(t, 1, wire.C2S)()).To(Equal([]string{"bonjour", "bonjour"}))
				Expect(messages(t, 2, wire.C2S)()).To(Equal([]string{"bonjour"}))
			})

			It("uses Reply when set", func() {
				srv := startUDP(echo.Config{Addr: f.addr, Reply: func(msg []byte) []byte {
					return fmt.Appendf(nil, "Your data was %d bytes long ", len(msg))
				}})
				c := listen()
				_, err := c.WriteTo([]byte("bonjour"), srv.Addr())
				Expect(err).NotTo(HaveOccurred())
				Expect(readMsg(c)).To(Equal("Your data was 7 bytes long "))
			})

			Context("with Spoof", func() {
				var srv *echo.UDPServer

				BeforeEach(func() {
					srv = startUDP(echo.Config{Addr: f.addr, Spoof: []byte("FAKE")})
				})

				It("sends the spoof from another port on the same IP", func() {
					main, spoof := srv.Addr().(*net.UDPAddr), srv.SpoofAddr().(*net.UDPAddr)
					Expect(spoof.IP.String()).To(Equal(main.IP.String()))
					Expect(spoof.Port).NotTo(Equal(main.Port))
				})

				It("reaches an unconnected client first, then the real reply", func() {
					c := listen()
					_, err := c.WriteTo([]byte("bonjour"), srv.Addr())
					Expect(err).NotTo(HaveOccurred())

					msg, from := readFrom(c)
					Expect(msg).To(Equal("FAKE"))
					Expect(from.String()).To(Equal(srv.SpoofAddr().String()))

					msg, from = readFrom(c)
					Expect(msg).To(Equal("bonjour OK"))
					Expect(from.String()).To(Equal(srv.Addr().String()))

					Eventually(messages(srv.Transcript(), 1, wire.S2C)).Should(Equal([]string{"FAKE", "bonjour OK"}))
				})

				It("is filtered out for a connected client", func() {
					c, err := net.DialUDP("udp", nil, srv.Addr().(*net.UDPAddr))
					Expect(err).NotTo(HaveOccurred())
					DeferCleanup(func() { _ = c.Close() }) // specs may close it first
					send(c, "bonjour")
					// The spoof was sent first, so reading the real reply
					// first shows the kernel dropped it.
					Expect(readMsg(c)).To(Equal("bonjour OK"))
					Eventually(messages(srv.Transcript(), 1, wire.S2C)).Should(Equal([]string{"FAKE", "bonjour OK"}))
				})
			})
		})
	}

	It("closes promptly", func() {
		srv, err := echo.NewUDP(echo.Config{Addr: "127.0.0.1:0", Spoof: []byte("x")})
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(srv.Close)
		start := time.Now()
		Expect(srv.Close()).To(Succeed())
		Expect(time.Since(start)).To(BeNumerically("<", 500*time.Millisecond))
		Expect(srv.Close()).To(Succeed(), "Close is idempotent")
	})
})

var _ = Describe("Settle", func() {
	// settle runs Settle with a deadline, failing the spec if it errs.
	settle := func(srv interface{ Settle(context.Context) error }) {
		GinkgoHelper()
		ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
		defer cancel()
		Expect(srv.Settle(ctx)).To(Succeed())
	}

	Context("TCPServer", func() {
		for _, f := range families {
			It("waits for the bytes of a client that wrote and closed, over "+f.name, func() {
				requireFamily(f)
				srv := startTCP(echo.Config{Addr: f.addr})
				c := dialTCP(srv.Addr())
				send(c, "bonjour\x00")
				Expect(c.Close()).To(Succeed())

				settle(srv)
				t := srv.Transcript()
				Expect(string(t.Bytes(1, wire.C2S))).To(Equal("bonjour\x00"))
				Expect(closedBy(t)()).To(Equal([]string{"client"}))
				Expect(t.Conns()).To(HaveLen(1), "the sentinel must not be recorded")
				for _, e := range t.Events() {
					Expect(e.Conn).To(Equal(1))
				}
			})
		}

		It("waits for every connection queued before it, and their last messages", func() {
			// A long quiet period: the unterminated messages are answered
			// only at EOF, so Settle must wait for the answers too.
			srv := startTCP(echo.Config{Addr: "127.0.0.1:0", Quiet: time.Hour})
			const n = 10
			for range n {
				c := dialTCP(srv.Addr())
				send(c, "bonjour")
				Expect(c.CloseWrite()).To(Succeed())
			}

			settle(srv)
			t := srv.Transcript()
			Expect(t.Conns()).To(HaveLen(n))
			for id := 1; id <= n; id++ {
				Expect(string(t.Bytes(id, wire.C2S))).To(Equal("bonjour"), "conn %d", id)
				Expect(string(t.Bytes(id, wire.S2C))).To(Equal("bonjour OK"), "conn %d", id)
			}
			Expect(closedBy(t)()).To(HaveEach("client"))
		})

		It("returns ctx.Err() at the deadline while a client keeps its connection open", func() {
			srv := startTCP(echo.Config{Addr: "127.0.0.1:0"})
			c := dialTCP(srv.Addr())
			send(c, "bonjour\x00")
			Expect(readN(c, len("bonjour OK\x00"))).To(Equal("bonjour OK\x00"))

			start := time.Now() // before the deadline is set
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			Expect(srv.Settle(ctx)).To(MatchError(context.DeadlineExceeded))
			Expect(time.Since(start)).To(BeNumerically(">=", 200*time.Millisecond))
			Expect(time.Since(start)).To(BeNumerically("<", ioTimeout))
			Expect(srv.Transcript().Conns()).To(HaveLen(1))

			// Once the client goes, the next Settle succeeds.
			Expect(c.Close()).To(Succeed())
			settle(srv)
			Expect(closedBy(srv.Transcript())()).To(Equal([]string{"client"}))
		})

		It("does not record sentinels of concurrent and repeated calls", func() {
			srv := startTCP(echo.Config{Addr: "127.0.0.1:0"})
			c := dialTCP(srv.Addr())
			send(c, "bonjour\x00")
			Expect(c.Close()).To(Succeed())

			done := make(chan error, 5)
			for range cap(done) {
				go func() {
					ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
					defer cancel()
					done <- srv.Settle(ctx)
				}()
			}
			for range cap(done) {
				Expect(<-done).To(Succeed())
			}
			settle(srv)
			settle(srv)

			// A connection made after the sentinels is a student's again.
			d := dialTCP(srv.Addr())
			send(d, "merci pour tout\x00")
			Expect(d.CloseWrite()).To(Succeed())
			Expect(readAll(d)).To(Equal("merci pour tout OK\x00"))
			settle(srv)
			Expect(srv.Transcript().Conns()).To(HaveLen(2))
			Expect(string(srv.Transcript().Bytes(2, wire.C2S))).To(Equal("merci pour tout\x00"))
		})

		It("reaches a server listening on the unspecified address", func() {
			srv := startTCP(echo.Config{Addr: "0.0.0.0:0"})
			c := dialTCP(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: srv.Addr().(*net.TCPAddr).Port})
			send(c, "bonjour\x00")
			Expect(c.Close()).To(Succeed())
			settle(srv)
			Expect(srv.Transcript().Conns()).To(HaveLen(1))
			Expect(string(srv.Transcript().Bytes(1, wire.C2S))).To(Equal("bonjour\x00"))
		})

		It("returns nil after Close", func() {
			srv := startTCP(echo.Config{Addr: "127.0.0.1:0"})
			Expect(srv.Close()).To(Succeed())
			Expect(srv.Settle(context.Background())).To(Succeed())
		})

		It("returns nil when Close interrupts it", func() {
			srv := startTCP(echo.Config{Addr: "127.0.0.1:0"})
			dialTCP(srv.Addr()) // silent and open: Settle cannot finish
			Eventually(srv.Transcript().Conns).Should(HaveLen(1))

			done := make(chan error, 1)
			go func() { done <- srv.Settle(context.Background()) }()
			Consistently(done, 50*time.Millisecond).ShouldNot(Receive())
			Expect(srv.Close()).To(Succeed())
			Eventually(done, ioTimeout).Should(Receive(BeNil()))
		})
	})

	Context("UDPServer", func() {
		for _, f := range families {
			It("waits for every datagram sent before it, over "+f.name, func() {
				requireFamily(f)
				srv := startUDP(echo.Config{Addr: f.addr})
				c, err := net.DialUDP("udp", nil, srv.Addr().(*net.UDPAddr))
				Expect(err).NotTo(HaveOccurred())
				DeferCleanup(func() { _ = c.Close() }) // closed below
				var want []string
				for i := range 20 {
					msg := fmt.Sprintf("bonjour %d", i)
					want = append(want, msg)
					send(c, msg)
				}
				Expect(c.Close()).To(Succeed())

				settle(srv)
				t := srv.Transcript()
				Expect(messages(t, 1, wire.C2S)()).To(Equal(want))
				Expect(messages(t, 1, wire.S2C)()).To(HaveLen(20))
				Expect(t.Conns()).To(HaveLen(1), "the sentinel must not count as a peer")
				Expect(t.Events()).To(HaveLen(40), "the sentinel must be neither recorded nor answered")
			})
		}

		It("ignores sentinels of concurrent and repeated calls, spoof or not", func() {
			srv := startUDP(echo.Config{Addr: "127.0.0.1:0", Spoof: []byte("FAKE")})
			done := make(chan error, 5)
			for range cap(done) {
				go func() {
					ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
					defer cancel()
					done <- srv.Settle(ctx)
				}()
			}
			for range cap(done) {
				Expect(<-done).To(Succeed())
			}
			settle(srv)
			Expect(srv.Transcript().Conns()).To(BeEmpty())
			Expect(srv.Transcript().Events()).To(BeEmpty())
		})

		It("reaches a server bound to the unspecified address", func() {
			srv := startUDP(echo.Config{Addr: "0.0.0.0:0"})
			c, err := net.DialUDP("udp", nil, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: srv.Addr().(*net.UDPAddr).Port})
			Expect(err).NotTo(HaveOccurred())
			DeferCleanup(c.Close)
			send(c, "bonjour")
			settle(srv)
			Expect(messages(srv.Transcript(), 1, wire.C2S)()).To(Equal([]string{"bonjour"}))
			Expect(srv.Transcript().Conns()).To(HaveLen(1))
		})

		It("returns nil after Close", func() {
			srv := startUDP(echo.Config{Addr: "127.0.0.1:0"})
			Expect(srv.Close()).To(Succeed())
			Expect(srv.Settle(context.Background())).To(Succeed())
		})
	})
})
