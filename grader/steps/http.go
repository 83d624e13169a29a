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
// (until_close) or a quiet time (settle), so bytes a server sends past the
// response's end are caught. The bytes past a response read without
// either wait for the next expectation.
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
		for len(got) < maxHTTPRead && read(earliest(time.Now().Add(time.Duration(h.Settle)), deadline)) {
		}
		// a quiet time is how settling ends, not a wait in vain
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

func earliest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
