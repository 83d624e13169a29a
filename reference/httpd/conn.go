package httpd

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/netlab-grader/grader/grader/wire"
)

// errIdle: nothing arrived for Config.Idle; errStop: the server is closing;
// errTooLong: the head passed MaxHead.
var (
	errIdle    = errors.New("idle timeout")
	errStop    = errors.New("server closing")
	errTooLong = errors.New("request head too long")
)

// chunk is what one read returned, with the time it returned.
type chunk struct {
	b  []byte
	at time.Time
}

// input reads a connection eagerly in its own goroutine and timestamps
// what arrives, so the server knows when each request's first byte came
// (before or after the previous response was written: pipelining) and can
// wait for data with an idle timeout without read deadlines.
type input struct {
	ch   chan chunk
	done chan struct{}
	quit <-chan struct{}
	idle time.Duration
	err  error // the read error, valid once ch is closed
	cur  []byte
	at   time.Time
	// tm times fill's waits: one timer per connection, reset each time.
	tm *time.Timer
}

func newInput(c net.Conn, idle time.Duration, quit <-chan struct{}) *input {
	in := &input{ch: make(chan chunk, 16), done: make(chan struct{}), quit: quit, idle: idle}
	go func() {
		defer close(in.ch)
		// One buffer for every read, what came copied out at its size: a
		// request is some tens of bytes, and a fresh 16 KiB per read was
		// most of the garbage of a keep-alive connection.
		buf := make([]byte, 16<<10)
		for {
			n, err := c.Read(buf)
			if n > 0 {
				select {
				case in.ch <- chunk{append([]byte(nil), buf[:n]...), time.Now()}:
				case <-in.done:
					return
				}
			}
			if err != nil {
				in.err = err
				return
			}
		}
	}()
	return in
}

// stop lets the reading goroutine go (the caller then closes the
// connection, which ends its pending read).
func (in *input) stop() { close(in.done) }

// fill makes sure some unread bytes are buffered, waiting at most the
// idle time.
func (in *input) fill() error { return in.fillWithin(in.idle) }

func (in *input) fillWithin(wait time.Duration) error {
	if len(in.cur) > 0 {
		return nil
	}
	if in.tm == nil {
		in.tm = time.NewTimer(wait)
	} else {
		in.tm.Reset(wait)
	}
	tm := in.tm
	defer tm.Stop()
	select {
	case c, ok := <-in.ch:
		if !ok {
			if in.err == nil || errors.Is(in.err, io.EOF) {
				return io.EOF
			}
			return in.err
		}
		in.cur, in.at = c.b, c.at
		return nil
	case <-tm.C:
		return errIdle
	case <-in.quit:
		return errStop
	}
}

// line reads up to and including the next LF, at most max bytes, waiting
// at most wait for each piece.
func (in *input) line(max int, wait time.Duration) ([]byte, error) {
	var out []byte
	for {
		if err := in.fillWithin(wait); err != nil {
			return out, err
		}
		if i := bytes.IndexByte(in.cur, '\n'); i >= 0 {
			if len(out)+i+1 > max {
				return out, errTooLong
			}
			out = append(out, in.cur[:i+1]...)
			in.cur = in.cur[i+1:]
			return out, nil
		}
		if len(out)+len(in.cur) > max {
			return out, errTooLong
		}
		out = append(out, in.cur...)
		in.cur = nil
	}
}

// full reads exactly n bytes. Its buffer grows with what arrives, not
// with n: a client that announces a MaxBody Content-Length and sends
// nothing must not cost a megabyte per request.
func (in *input) full(n int) ([]byte, error) {
	out := make([]byte, 0, min(n, 16<<10))
	for len(out) < n {
		if err := in.fill(); err != nil {
			return out, err
		}
		k := min(n-len(out), len(in.cur))
		out = append(out, in.cur[:k]...)
		in.cur = in.cur[k:]
	}
	return out, nil
}

// failure is a request the server rejects, with the status and why; the
// connection closes after the answer.
type failure struct {
	status int
	why    string
}

func fail(status int, format string, args ...any) *failure {
	return &failure{status: status, why: fmt.Sprintf(format, args...)}
}

// serveConn answers requests on c until the client closes, asks to close,
// stays idle, or sends something the server cannot frame.
func (s *Server) serveConn(c *wire.Conn) {
	in := newInput(c, s.cfg.Idle, s.quit)
	defer in.stop()
	// lastWrite is when the last write of the previous response began:
	// a client cannot have read that whole response before then, so a
	// request that arrived earlier was sent before it (pipelined). (After
	// the write returns is too late: the client may already have read it
	// and sent the next request, timed by the reading goroutine, first.)
	var lastWrite time.Time
	for {
		if err := in.fill(); err != nil {
			return // EOF, idle between requests, or closing: just close
		}
		r := &Request{Conn: c.ID, Header: http.Header{}, Arrived: s.since(in.at)}
		r.Pipelined = !lastWrite.IsZero() && in.at.Before(lastWrite)
		f, eof := s.readRequest(in, r)
		if eof {
			// The client went away, or the server is closing, in the middle
			// of a request: record what came, nothing to answer.
			r.Err = "the connection ended before the request was complete"
			s.record(*r)
			return
		}
		var resp *response
		keep := false
		// One clock reading for Date and any Expires computed from it.
		now := s.cfg.Now()
		if f != nil {
			r.Err = f.why
			resp = errorResponse(f.status, f.why)
		} else {
			resp = s.handle(r, now)
			// A target the server cannot map (400) closes, like any
			// malformed request.
			keep = keepAlive(r) && resp.status != http.StatusBadRequest
		}
		if !keep {
			resp.add("Connection", "close")
		} else if r.Proto == "HTTP/1.0" {
			resp.add("Connection", "keep-alive")
		}
		r.Status = resp.status
		r.Answer = resp.header(now)
		var err error
		out := outBufs.Get().(*bytes.Buffer)
		out.Reset()
		resp.writeTo(out, now, r.Method == "HEAD")
		lastWrite, err = s.write(c, out.Bytes())
		if out.Cap() <= maxPooledOut {
			outBufs.Put(out)
		}
		r.Done = s.since(time.Now())
		s.record(*r)
		if err != nil || !keep {
			return
		}
	}
}

// outBufs recycles the buffers responses are written from (the transcript
// keeps its own copy of what was written): a fresh page-sized buffer per
// response was most of the server's garbage under keep-alive load. One
// grown past maxPooledOut is left to the collector.
var outBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooledOut = 1 << 20

// keepAlive applies RFC 9112 9.3: HTTP/1.1 persists unless "close";
// HTTP/1.0 only with "keep-alive".
func keepAlive(r *Request) bool {
	tokens := map[string]bool{}
	for _, v := range r.Header.Values("Connection") {
		for _, t := range strings.Split(v, ",") {
			tokens[strings.ToLower(strings.TrimSpace(t))] = true
		}
	}
	if tokens["close"] {
		return false
	}
	if r.Proto == "HTTP/1.0" {
		return tokens["keep-alive"]
	}
	return true
}

// grace is how long the server waits for the rest of a head it has
// already found malformed, so the whole request is recorded before the
// answer (a client that sent a broken request line may wait for it).
const grace = 250 * time.Millisecond

// readRequest reads one request head (and body, if any) into r. It
// returns the failure to answer with, or eof when the connection ended
// (or the server is closing) before the request was complete; an idle
// client in the middle of a head gets 408. Once the head is known to be
// malformed, the rest of it is still read (briefly) so Raw holds it.
func (s *Server) readRequest(in *input, r *Request) (f *failure, eof bool) {
	budget := MaxHead
	var bad *failure
	seenLine := false
	for {
		wait := s.cfg.Idle
		if bad != nil {
			wait = min(wait, grace)
		}
		l, err := in.line(budget, wait)
		r.Raw = append(r.Raw, l...)
		budget -= len(l)
		switch {
		case bad != nil && err != nil:
			return bad, false
		case err == errTooLong:
			return fail(http.StatusRequestHeaderFieldsTooLarge, "the request line and headers are longer than %d bytes", MaxHead), false
		case err == errIdle:
			return fail(http.StatusRequestTimeout, "no complete request after %v: the head must end with an empty line (CRLF CRLF)", s.cfg.Idle), false
		case err != nil:
			return nil, true
		}
		content, bare, ok := lineContent(l)
		if bare {
			r.BareLF = true
		}
		if !seenLine {
			// Empty lines before the request line are allowed (RFC 9112 2.2).
			if len(content) == 0 {
				continue
			}
			seenLine = true
			if !ok {
				bad = fail(http.StatusBadRequest, "the request line contains a carriage return (CR) that is not followed by LF: %q", l)
			} else {
				bad = parseRequestLine(string(content), r)
			}
			continue
		}
		if len(content) == 0 {
			break
		}
		if bad != nil {
			continue
		}
		if !ok {
			bad = fail(http.StatusBadRequest, "a header line contains a carriage return (CR) that is not followed by LF: %q", l)
			continue
		}
		bad = parseField(string(content), r.Header)
	}
	if bad != nil {
		return bad, false
	}
	r.Cookies = parseCookies(r.Header.Values("Cookie"))
	if r.Proto != "HTTP/1.0" {
		switch n := len(r.Header["Host"]); {
		case n == 0:
			return fail(http.StatusBadRequest, "an HTTP/1.1 request must have a Host header"), false
		case n > 1:
			return fail(http.StatusBadRequest, "the Host header was sent %d times; send it once", n), false
		}
	}
	if len(r.Header["Transfer-Encoding"]) > 0 {
		if len(r.Header["Content-Length"]) > 0 {
			return fail(http.StatusBadRequest, "both Transfer-Encoding and Content-Length were sent"), false
		}
		return fail(http.StatusNotImplemented, "request bodies with Transfer-Encoding are not supported here"), false
	}
	if cl := r.Header["Content-Length"]; len(cl) > 0 {
		n, f := contentLength(cl)
		if f != nil {
			return f, false
		}
		if n > MaxBody {
			return fail(http.StatusRequestEntityTooLarge, "a request body of %d bytes is larger than the %d allowed", n, MaxBody), false
		}
		body, err := in.full(int(n))
		r.Raw = append(r.Raw, body...)
		switch {
		case err == errIdle:
			return fail(http.StatusRequestTimeout, "Content-Length announced %d bytes of body, only %d came", n, len(body)), false
		case err != nil:
			return nil, true
		}
	}
	return nil, false
}

// lineContent strips the line ending: CRLF, or a bare LF (bare set); ok
// is false when a CR stands anywhere else.
func lineContent(l []byte) (content []byte, bare, ok bool) {
	l = bytes.TrimSuffix(l, []byte("\n"))
	if c, found := bytes.CutSuffix(l, []byte("\r")); found {
		l = c
	} else {
		bare = true
	}
	return l, bare, bytes.IndexByte(l, '\r') < 0
}

// parseRequestLine checks "METHOD SP TARGET SP HTTP/1.x" strictly.
func parseRequestLine(line string, r *Request) *failure {
	parts := strings.Split(line, " ")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		if len(parts) == 2 && parts[0] != "" && parts[1] != "" {
			return fail(http.StatusBadRequest, "the request line %q has no HTTP version: write METHOD TARGET HTTP/1.1", line)
		}
		return fail(http.StatusBadRequest, "the request line %q is not METHOD TARGET HTTP/1.1 with single spaces", line)
	}
	r.Method, r.Target, r.Proto = parts[0], parts[1], parts[2]
	if !isToken(r.Method) {
		return fail(http.StatusBadRequest, "the method %q is not a token", r.Method)
	}
	for _, b := range []byte(r.Target) {
		if b <= ' ' || b >= 0x7f {
			return fail(http.StatusBadRequest, "the request target %q contains a character that must be percent-encoded", r.Target)
		}
	}
	v := r.Proto
	if len(v) != 8 || !strings.HasPrefix(v, "HTTP/") || v[6] != '.' || !isDigit(v[5]) || !isDigit(v[7]) {
		return fail(http.StatusBadRequest, "the HTTP version %q is not HTTP/1.1 (the name is upper case)", v)
	}
	if v[5] != '1' {
		return fail(http.StatusHTTPVersionNotSupported, "HTTP version %s is not supported: use HTTP/1.1", v)
	}
	return nil
}

// parseField checks "name: value" (no space before the colon, no obsolete
// line folding, no control characters) and adds it to h.
func parseField(l string, h http.Header) *failure {
	if l[0] == ' ' || l[0] == '\t' {
		return fail(http.StatusBadRequest, "the header line %q starts with whitespace (obsolete line folding)", l)
	}
	name, value, found := strings.Cut(l, ":")
	if !found {
		return fail(http.StatusBadRequest, "the header line %q has no colon", l)
	}
	if strings.TrimRight(name, " \t") != name {
		return fail(http.StatusBadRequest, "the header line %q has whitespace before the colon", l)
	}
	if !isToken(name) {
		return fail(http.StatusBadRequest, "the header name %q is not a token", name)
	}
	value = strings.Trim(value, " \t")
	for i := 0; i < len(value); i++ {
		if b := value[i]; (b < ' ' && b != '\t') || b == 0x7f {
			return fail(http.StatusBadRequest, "the value of header %s contains the control character 0x%02x", name, b)
		}
	}
	h.Add(textproto.CanonicalMIMEHeaderKey(name), value)
	return nil
}

// contentLength accepts one or more identical decimal values.
func contentLength(vs []string) (int64, *failure) {
	var n int64 = -1
	for _, v := range vs {
		for _, p := range strings.Split(v, ",") {
			p = strings.TrimSpace(p)
			if p == "" || strings.Trim(p, "0123456789") != "" {
				return 0, fail(http.StatusBadRequest, "Content-Length %q is not a number of bytes", v)
			}
			k, err := strconv.ParseInt(p, 10, 64)
			if err != nil {
				return 0, fail(http.StatusBadRequest, "Content-Length %q is too large", v)
			}
			if n >= 0 && k != n {
				return 0, fail(http.StatusBadRequest, "Content-Length was sent with different values")
			}
			n = k
		}
	}
	return n, nil
}

// parseCookies splits Cookie header values into their pairs (RFC 6265
// 5.4: "name=value; name2=value2"). It is lenient on purpose: the pairs
// are recorded to be checked, and a pair without "=" is kept with an
// empty name so the check can quote it.
func parseCookies(values []string) []Cookie {
	var out []Cookie
	for _, v := range values {
		for _, p := range strings.Split(v, ";") {
			p = strings.TrimSpace(p)
			if p == "" {
				continue
			}
			name, value, ok := strings.Cut(p, "=")
			if !ok {
				out = append(out, Cookie{Value: p})
				continue
			}
			out = append(out, Cookie{Name: strings.TrimSpace(name), Value: strings.TrimSpace(value)})
		}
	}
	return out
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// isToken reports whether s is an RFC 9110 token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if isDigit(b) || ('a' <= b && b <= 'z') || ('A' <= b && b <= 'Z') || strings.IndexByte("!#$%&'*+-.^_`|~", b) >= 0 {
			continue
		}
		return false
	}
	return true
}

// write sends b whole, or in Config.Segment-byte writes with Config.Delay
// between them; last is when the last write began.
func (s *Server) write(c net.Conn, b []byte) (last time.Time, err error) {
	seg := s.cfg.Segment
	if seg <= 0 {
		seg = len(b)
	}
	for len(b) > 0 {
		n := min(seg, len(b))
		last = time.Now()
		_ = c.SetWriteDeadline(last.Add(s.cfg.Idle + 5*time.Second))
		if _, err := c.Write(b[:n]); err != nil {
			return last, err
		}
		b = b[n:]
		if len(b) > 0 && s.cfg.Delay > 0 {
			tm := time.NewTimer(s.cfg.Delay)
			select {
			case <-tm.C:
			case <-s.quit:
				tm.Stop()
				return last, errStop
			}
		}
	}
	return last, nil
}
