package wire_test

import (
	"context"
	"io"
	"net"
	"sync/atomic"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/wire"
)

var _ = Describe("Tracker", func() {
	It("settles at once with no connection, and when the last one ends", func() {
		t := wire.NewTracker()
		Expect(t.Settle(context.Background())).To(Succeed())
		a, b := net.Pipe()
		defer b.Close()
		t.Opened(a)
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		Expect(t.Settle(ctx)).To(MatchError(context.DeadlineExceeded), "a connection is still open")
		done := make(chan error, 1)
		go func() { done <- t.Settle(context.Background()) }()
		t.Ended(a)
		Eventually(done).WithTimeout(5 * time.Second).Should(Receive(BeNil()))
	})

	It("releases waiters and fails pending reads on Close", func() {
		t := wire.NewTracker()
		a, b := net.Pipe()
		defer b.Close()
		t.Opened(a)
		done := make(chan error, 1)
		go func() { done <- t.Settle(context.Background()) }()
		readErr := make(chan error, 1)
		go func() {
			_, err := a.Read(make([]byte, 1))
			readErr <- err
		}()
		t.Close()
		Eventually(done).WithTimeout(5 * time.Second).Should(Receive(BeNil()))
		Eventually(readErr).WithTimeout(5 * time.Second).Should(Receive(HaveOccurred()))
	})
})

var _ = Describe("Tracker.Listen", func() {
	It("settles only after the clients still in the accept queue were served", func() {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		Expect(err).NotTo(HaveOccurred())
		t := wire.NewTracker()
		tr := wire.New()
		l := wire.Listener{Listener: t.Listen(ln), T: tr}
		defer l.Close()
		// A client that connects, sends and is gone before the server
		// accepts anything.
		c, err := net.Dial("tcp", ln.Addr().String())
		Expect(err).NotTo(HaveOccurred())
		_, err = c.Write([]byte("hello"))
		Expect(err).NotTo(HaveOccurred())
		Expect(c.Close()).To(Succeed())
		settled := make(chan error, 1)
		go func() { settled <- t.Settle(context.Background()) }()
		// Nothing has been accepted: Settle cannot be done (without the
		// sentinel it would be, at once, with no connection open).
		Consistently(settled).WithTimeout(100 * time.Millisecond).ShouldNot(Receive())
		// The server's loop, as httpd's: register, then accept again.
		var accepted atomic.Int32
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				accepted.Add(1)
				t.Opened(c)
				go func() {
					defer t.Ended(c)
					defer c.Close()
					_, _ = io.Copy(io.Discard, c)
				}()
			}
		}()
		Eventually(settled).WithTimeout(5 * time.Second).Should(Receive(BeNil()))
		Expect(string(tr.Bytes(1, wire.C2S))).To(Equal("hello"), "the queued client was read before Settle returned")
		Expect(tr.Bytes(2, wire.C2S)).To(BeEmpty(), "the sentinel is never recorded")
		Expect(accepted.Load()).To(Equal(int32(1)), "the sentinel is never returned by Accept")
	})

	It("settles at once after Close", func() {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		Expect(err).NotTo(HaveOccurred())
		defer ln.Close()
		t := wire.NewTracker()
		_ = t.Listen(ln)
		t.Close()
		Expect(t.Settle(context.Background())).To(Succeed())
	})
})

var _ = Describe("Listener", func() {
	It("records what accepted connections read and write", func() {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		Expect(err).NotTo(HaveOccurred())
		tr := wire.New()
		l := wire.Listener{Listener: ln, T: tr}
		defer l.Close()
		go func() {
			c, err := l.Accept()
			if err != nil {
				return
			}
			buf := make([]byte, 5)
			n, _ := c.Read(buf)
			_, _ = c.Write(buf[:n])
			c.Close()
		}()
		c, err := net.Dial("tcp", ln.Addr().String())
		Expect(err).NotTo(HaveOccurred())
		_, _ = c.Write([]byte("hello"))
		got := make([]byte, 5)
		_, err = c.Read(got)
		Expect(err).NotTo(HaveOccurred())
		c.Close()
		Eventually(func() string { return string(tr.Bytes(1, wire.S2C)) }).WithTimeout(5 * time.Second).Should(Equal("hello"))
		Expect(string(tr.Bytes(1, wire.C2S))).To(Equal("hello"))
	})
})
