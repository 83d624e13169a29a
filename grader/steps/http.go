package steps

import (
	"context"
	"errors"
	"net"
	"time"

	"github.com/netlab-grader/grader/grader/check"
	"github.com/netlab-grader/grader/grader/result"
	"github.com/netlab-grader/grader/grader/spec"
)

// httpState carries what HTTP steps share within a scenario: the field
// values saved from responses (an ETag to send back) and the request
// fields that had to be left out for want of one.
type httpState struct {
	vars   map[string]string
	unsent []string
}

// maxHTTPRead bounds what one http expectation reads.
const maxHTTPRead = check.MaxHTTPHead + check.MaxHTTPBody

// payload returns the bytes of a send step: an HTTP request is built for
// this server with the values saved so far.
func (s *Session) payload(pl *spec.Payload) []byte {
	if pl.HTTP == nil {
		return pl.Bytes()
	}
	b, missing := pl.HTTP.Build(s.Target.Addr(), s.http.vars)
	s.http.unsent = append(s.http.unsent, missing...)
	return b
}

// expectHTTP reads one HTTP response: until it is whole (by its
// Content-Length, chunks, or the close), the connection closes or the
// step's deadline passes; then, when the matcher asks, on until the close
// (until_close) or until the server has gone to sleep (settle), so bytes a
// server sends past the response's end are caught. The bytes past a
// response read without either wait for the next expectation.
func (s *Session) expectHTTP(ctx context.Context, id string, m *spec.Match) result.Check {
	if s.conn == nil {
		return result.Check{Name: id, Message: "no open connection to read the reply from", Hint: m.Hint}
	}
	h := m.HTTP
	began := time.Now()
	deadline := began.Add(m.Timeout.Std(DefaultExpectTimeout))
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	got := s.pending
	s.pending = nil
	buf := make([]byte, 64<<10)
	timedOut := false
	// read appends what arrives before until; it reports whether bytes
	// came. Any end of the connection counts as the server closing: an
	// EOF, or a reset after the answer (a server that closes without
	// reading the request).
	read := func(until time.Time) bool {
		if s.eof {
			return false
		}
		_ = s.conn.SetReadDeadline(until)
		n, err := s.conn.Read(buf)
		got = append(got, buf[:n]...)
		var ne net.Error
		switch {
		case err == nil:
		case errors.As(err, &ne) && ne.Timeout():
			timedOut = n == 0
		default:
			s.eof = true
		}
		return n > 0
	}
	for len(got) < maxHTTPRead {
		if _, done := check.HTTPDone(h, got); done || !read(deadline) {
			break
		}
	}
	_, complete := check.HTTPDone(h, got)
	switch {
	case !complete || s.eof:
	case h.UntilClose:
		for len(got) < maxHTTPRead && read(deadline) {
		}
	case h.Settle != 0:
		s.settle(time.Duration(h.Settle), deadline, func() bool { return len(got) < maxHTTPRead }, read)
		// settling ends by a quiet server, not by a wait in vain
		timedOut = false
	}
	waited := time.Duration(0)
	if timedOut {
		waited = time.Since(began)
	}
	c, used, saved := check.HTTPCheck(id, m, check.HTTPRead{Data: got, Closed: s.eof, Waited: waited, Unsent: s.http.unsent})
	s.http.unsent = nil
	if used < len(got) {
		s.pending = got[used:]
	}
	if len(saved) > 0 && s.http.vars == nil {
		s.http.vars = map[string]string{}
	}
	for k, v := range saved {
		s.http.vars[k] = v
	}
	return c
}

// settle reads on after a response until the server has nothing more
// to send: until all its threads are asleep and nothing new has come
// (see Session.Quiet), it closes, more is false or the deadline passes.
// Where the server's threads cannot be seen, until quiet passes without
// a new byte. A quiet time alone is not enough: a server kept off the
// CPU between writing the head and the body, on a loaded machine, can
// be silent for longer than any such time. A server that never sleeps
// (it polls its sockets in a loop) is taken as done once it has written
// nothing for busyQuiet, so that it does not spend the scenario's time.
func (s *Session) settle(quiet time.Duration, deadline time.Time, more func() bool, read func(until time.Time) bool) {
	// until is the deadline for a server awake and silent; each new byte
	// moves it on, never past the step's deadline
	until := earliest(time.Now().Add(busyQuiet), deadline)
	for more() && time.Now().Before(until) {
		// take what has come, waiting a moment for it
		if read(earliest(time.Now().Add(settlePoll), until)) {
			until = earliest(time.Now().Add(busyQuiet), deadline)
			continue
		}
		if s.eof {
			return
		}
		q, known := false, false
		if s.Quiet != nil {
			q, known = s.Quiet()
		}
		if !known {
			for more() && read(earliest(time.Now().Add(quiet), deadline)) {
			}
			return
		}
		// asleep, and all it wrote before is in the socket by now: one
		// last look at it
		if q && !read(earliest(time.Now().Add(settlePoll), deadline)) {
			return
		}
	}
}

// settlePoll is how long settle waits for bytes between two looks at the
// server's threads.
const settlePoll = time.Millisecond

// busyQuiet is how long settle waits for a server that stays awake
// without writing: far longer than a scheduler keeps a runnable program
// off the CPU, far shorter than a scenario.
const busyQuiet = 2 * time.Second

func earliest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
