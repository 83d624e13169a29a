package wire_test

import (
	"context"
	"net"
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
