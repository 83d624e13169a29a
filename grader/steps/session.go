// Package steps plays the client against a student's server: it connects
// over TCP or UDP, sends bytes (optionally cut into small segments with
// delays), waits for replies with deadlines and turns each expectation
// into a check, recording everything in the transcript.
package steps

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/netlab-grader/grader/grader/check"
	"github.com/netlab-grader/grader/grader/result"
	"github.com/netlab-grader/grader/grader/spec"
	"github.com/netlab-grader/grader/grader/wire"
)

// Target is where the student's server can be reached.
type Target struct {
	Host string // 127.0.0.1 or ::1
	Port int
	// Listening describes what readiness saw, for messages
	// ("0.0.0.0:1234 (IPv4 only)").
	Listening string
	// Retry makes connect retry refused connections until RetryUntil:
	// the readiness fallback where /proc/net is not available.
	Retry      bool
	RetryUntil time.Time
}

// Addr is host:port.
func (t Target) Addr() string { return net.JoinHostPort(t.Host, fmt.Sprint(t.Port)) }

// Session runs one scenario's steps.
type Session struct {
	T       *wire.Transcript
	Target  Target
	Network *spec.Network
	conn    net.Conn
	proto   string
	// pending holds bytes read past the last satisfied expectation (the
	// next WebSocket frame); eof records that the server closed.
	pending []byte
	eof     bool
	// http carries saved values between HTTP steps (see http.go).
	http httpState
	// Ended reports whether the student's server process has exited, so a
	// wait for a reply can stop early.
	Ended func() bool
	// Quiet reports whether every thread of the student's server is
	// asleep with none having run since the last look (run.Quiet): a
	// reply that may have more to it is over then. known is false where
	// that cannot be seen; nil is never known.
	Quiet func() (quiet, known bool)
	// TLS is how `connect: tls` steps verify the server (see tls.go).
	TLS *TLSClient
}

// writeTimeout bounds one write: a server that never reads fills its
// receive window and the grader must not block on it forever.
const writeTimeout = 2 * time.Second

// nulQuiet is how long a reply that ended with a NUL may still grow.
const nulQuiet = 250 * time.Millisecond

// DefaultExpectTimeout bounds a wait for a reply when the step gives none.
const DefaultExpectTimeout = 2 * time.Second

// Run executes steps in order and returns the checks they produced: one
// per expect step, plus "connect" or "send" when the wire failed. After a
// connect or send failure the remaining steps are not run.
func (s *Session) Run(ctx context.Context, steps []spec.Step) []result.Check {
	var out []result.Check
	defer s.closeConn()
	for i, st := range steps {
		if ctx.Err() != nil {
			return out
		}
		switch {
		case st.Connect == "tls":
			c := s.connectTLS(ctx, tlsOrdinal(steps[:i+1]))
			if out = append(out, c); !c.Passed {
				return out
			}
		case st.Connect != "":
			if err := s.connect(ctx, st.Connect); err != nil {
				return append(out, result.Check{Name: "connect", Message: err.Error(), Expected: "a " + st.Connect + " server at " + s.Target.Addr(), Actual: s.Target.Listening, Hint: s.connectHint()})
			}
		case st.Send != nil:
			if i+1 < len(steps) && steps[i+1].Close != nil {
				// The last bytes and the FIN leave in one segment, so the
				// server has seen the FIN before it can close: its close is
				// the passive one and no TIME_WAIT stays on its port.
				s.cork()
			}
			if err := s.send(ctx, s.payload(st.Send)); err != nil {
				return append(out, result.Check{Name: "send", Message: err.Error(), Hint: "Keep the connection open until the client has sent everything."})
			}
		case st.Expect != nil && st.Expect.HTTP != nil:
			out = append(out, s.expectHTTP(ctx, spec.StepCheckID(i, st.Expect), st.Expect))
		case st.Expect != nil:
			out = append(out, s.expect(ctx, spec.StepCheckID(i, st.Expect), st.Expect))
		case st.Close != nil:
			s.closeGracefully()
		case st.Browser != nil:
			out = append(out, s.browser(ctx, st.Browser))
		}
	}
	return out
}

// connectHint names the likely mistake behind a failed connection.
func (s *Session) connectHint() string {
	v6 := net.ParseIP(s.Target.Host).To4() == nil
	switch {
	case v6 && strings.Contains(s.Target.Listening, "IPv4"):
		return "Your socket is an IPv4 one (AF_INET), which cannot be reached at ::1: create it with AF_INET6 and bind it to \"\" or ::1."
	case !v6 && strings.Contains(s.Target.Listening, "[::1]"):
		return "Your socket is bound to ::1 only: bind to \"\" (all addresses) or 127.0.0.1 so IPv4 clients can reach it."
	}
	return "Listen on the address and port the exercise gives (PORT), and keep the server running until the client has finished."
}

func (s *Session) connect(ctx context.Context, proto string) error {
	s.closeConn()
	s.proto = proto
	network := proto + "4"
	if net.ParseIP(s.Target.Host).To4() == nil {
		network = proto + "6"
	}
	d := net.Dialer{Timeout: 2 * time.Second}
	for {
		c, err := d.DialContext(ctx, network, s.Target.Addr())
		if err == nil {
			s.conn = wire.Wrap(c, s.T, wire.S2C)
			return nil
		}
		if s.Target.Retry && errors.Is(err, syscall.ECONNREFUSED) && time.Now().Before(s.Target.RetryUntil) {
			t := time.NewTimer(5 * time.Millisecond)
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
			continue
		}
		msg := fmt.Sprintf("could not connect to %s: %v", s.Target.Addr(), unwrapOp(err))
		if s.Target.Listening != "" {
			msg += fmt.Sprintf("; your server listens on %s", s.Target.Listening)
		}
		return errors.New(msg)
	}
}

func unwrapOp(err error) error {
	var op *net.OpError
	if errors.As(err, &op) {
		var sc *os.SyscallError
		if errors.As(op.Err, &sc) {
			return sc.Err
		}
		return op.Err
	}
	return err
}

func (s *Session) send(ctx context.Context, b []byte) error {
	if s.conn == nil {
		return errors.New("no open connection to send on")
	}
	seg, delay := 0, time.Duration(0)
	if s.Network != nil && s.proto == "tcp" {
		seg, delay = s.Network.Segment, time.Duration(s.Network.Delay)
	}
	_ = s.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
	if seg <= 0 || seg >= len(b) {
		if _, err := s.conn.Write(b); err != nil {
			return fmt.Errorf("could not send %s: %v (your server closed the connection?)", check.Describe(b), unwrapOp(err))
		}
		return nil
	}
	for off := 0; off < len(b); off += seg {
		end := min(off+seg, len(b))
		_ = s.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
		if _, err := s.conn.Write(b[off:end]); err != nil {
			return fmt.Errorf("could not send byte %d of %s: %v", off, check.Describe(b), unwrapOp(err))
		}
		if end < len(b) && delay > 0 {
			t := time.NewTimer(delay)
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
		}
	}
	return nil
}

// expect reads until the matcher is satisfied, cannot be satisfied any
// more, the peer closes, or the step's deadline passes.
func (s *Session) expect(ctx context.Context, id string, m *spec.Match) result.Check {
	if s.conn == nil {
		return result.Check{Name: id, Message: "no open connection to read the reply from", Hint: m.Hint}
	}
	began := time.Now()
	deadline := began.Add(m.Timeout.Std(DefaultExpectTimeout))
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	if m.Closed {
		return s.expectClosed(id, m, began, deadline)
	}
	got := s.pending
	s.pending = nil
	buf := make([]byte, 64<<10)
	why := ""
	for {
		if len(got) > 0 && s.proto == "tcp" && check.Complete(m, got) {
			break
		}
		if s.eof {
			why = "then closed the connection"
			break
		}
		_ = s.conn.SetReadDeadline(deadline)
		n, err := s.conn.Read(buf)
		got = append(got, buf[:n]...)
		if s.proto == "udp" && (n > 0 || err == nil) {
			break // one datagram is one reply
		}
		if check.Complete(m, got) || check.Hopeless(m, got) && n > 0 {
			break
		}
		// A C string ends at its NUL: the reply is most likely over, so
		// wait only a short quiet time for more instead of the full step
		// timeout.
		if m.IgnoreNUL && n > 0 && got[len(got)-1] == 0 {
			if q := time.Now().Add(nulQuiet); q.Before(deadline) {
				deadline = q
			}
		}
		if err != nil {
			var ne net.Error
			switch {
			case errors.Is(err, io.EOF):
				why = "then closed the connection"
				s.eof = true
			case errors.As(err, &ne) && ne.Timeout():
				why = fmt.Sprintf("within %v", time.Since(began).Round(100*time.Millisecond))
			default:
				why = fmt.Sprintf("then the connection failed: %v", unwrapOp(err))
			}
			break
		}
		if len(got) > 1<<20 {
			why = "(stopped reading after 1 MiB)"
			break
		}
	}
	c := check.Match(id, m, got, "your server sent")
	if !c.Passed && why != "" {
		c.Message += " (" + why + ")"
	}
	if n := check.Consumed(m, got); c.Passed && n < len(got) {
		s.pending = got[n:]
	}
	return c
}

// expectClosed waits for the server to close the connection; bytes that
// arrive meanwhile are reported.
func (s *Session) expectClosed(id string, m *spec.Match, began, deadline time.Time) result.Check {
	c := result.Check{Name: id, Expected: "the server closes the connection", Hint: m.Hint}
	extra := s.pending
	s.pending = nil
	buf := make([]byte, 4096)
	for !s.eof {
		_ = s.conn.SetReadDeadline(deadline)
		n, err := s.conn.Read(buf)
		extra = append(extra, buf[:n]...)
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) {
				s.eof = true
			}
			break
		}
	}
	switch {
	case s.eof && len(extra) == 0:
		c.Passed, c.Actual = true, "closed"
	case s.eof:
		c.Passed, c.Actual = true, "closed after "+check.Describe(extra)
	default:
		c.Actual = "still open"
		c.Message = fmt.Sprintf("your server kept the connection open for %v", time.Since(began).Round(100*time.Millisecond))
		if len(extra) > 0 {
			c.Message += " and sent " + check.Describe(extra)
		}
	}
	return c
}

// closeGracefully sends FIN first and waits briefly for the server to
// close its side, so the grader, not the student's server, is the active
// closer: the TIME_WAIT lands on the grader's ephemeral port and a server
// restarted on a fixed port for the next scenario can bind it again.
func (s *Session) closeGracefully() {
	if s.conn == nil {
		return
	}
	if wc, ok := s.conn.(*wire.Conn); ok && s.proto == "tcp" {
		if wc.CloseWrite() == nil {
			_ = s.conn.SetReadDeadline(time.Now().Add(closeWait))
			buf := make([]byte, 4096)
			for {
				if _, err := s.conn.Read(buf); err != nil {
					break
				}
			}
		}
	}
	s.closeConn()
}

// closeWait bounds how long a close waits for the server's side to close.
const closeWait = 300 * time.Millisecond

func (s *Session) closeConn() {
	if s.conn != nil {
		_ = s.conn.Close()
		s.conn = nil
	}
	// what was read, and whether the server closed, belong to the
	// connection: the next one starts afresh
	s.pending, s.eof = nil, false
}
