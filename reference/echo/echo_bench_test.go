package echo_test

import (
	"bytes"
	"io"
	"net"
	"testing"
	"time"

	"github.com/netlab-grader/grader/grader/wire"
	"github.com/netlab-grader/grader/reference/echo"
)

// Speed targets live here, never in timed specs: `make bench` runs these.

// BenchmarkTCPRoundTrip measures one request/reply over one loopback
// connection kept open for the whole benchmark: "bonjour\0" in,
// "bonjour OK\0" out, recorded in the transcript like in a scenario.
//
// c-dialect is what a C client sends (the NUL ends the message at once);
// python-dialect sends "bonjour" with no terminator, so each reply waits
// for the server's quiet period (DefaultQuiet): that sub-benchmark shows
// what an unterminated message costs, not the server's speed.
func BenchmarkTCPRoundTrip(b *testing.B) {
	for _, tc := range []struct {
		name      string
		msg, want string
	}{
		{"c-dialect", "bonjour\x00", "bonjour OK\x00"},
		{"python-dialect", "bonjour", "bonjour OK"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			srv, err := echo.NewTCP(echo.Config{Addr: "127.0.0.1:0", Transcript: wire.New()})
			if err != nil {
				b.Fatal(err)
			}
			defer srv.Close()
			c, err := net.DialTimeout("tcp", srv.Addr().String(), 5*time.Second)
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			msg, want := []byte(tc.msg), []byte(tc.want)
			got := make([]byte, len(want))
			roundTrip := func() {
				if err := c.SetDeadline(time.Now().Add(5 * time.Second)); err != nil {
					b.Fatal(err)
				}
				if _, err := c.Write(msg); err != nil {
					b.Fatal(err)
				}
				if _, err := io.ReadFull(c, got); err != nil {
					b.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					b.Fatalf("got %q, want %q", got, want)
				}
			}
			roundTrip() // warm up: accept, goroutine start
			b.SetBytes(int64(len(msg) + len(want)))
			b.ReportAllocs()
			for b.Loop() {
				roundTrip()
			}
		})
	}
}
