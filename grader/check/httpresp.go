package check

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Bounds of the response parser: a student's server may send anything,
// and the grader must neither buffer without end nor trust a length.
const (
	// MaxHTTPHead bounds the status line and fields (and a chunked body's
	// trailer).
	MaxHTTPHead = 64 << 10
	// MaxHTTPFields bounds the number of fields of a head.
	MaxHTTPFields = 100
	// MaxHTTPBody bounds a body, announced or read.
	MaxHTTPBody = 32 << 20
	// maxChunkLine bounds a chunk-size line with its extensions.
	maxChunkLine = 1024
)

// ErrIncomplete means the bytes are a valid beginning of a response and
// more are needed.
var ErrIncomplete = errors.New("incomplete HTTP response")

// Framing is how a response's body is delimited (RFC 9112 section 6.3).
type Framing string

// The framings.
const (
	// FramingNone: no body (HEAD, 1xx, 204, 304).
	FramingNone Framing = "none"
	// FramingLength: Content-Length bytes.
	FramingLength Framing = "content-length"
	// FramingChunked: Transfer-Encoding: chunked.
	FramingChunked Framing = "chunked"
	// FramingClose: everything until the server closes.
	FramingClose Framing = "close"
)

// Field is one header field as received.
type Field struct {
	Name, Value string
}

// Response is one HTTP/1.x response as the strict parser read it.
type Response struct {
	// Version is "HTTP/1.1" or "HTTP/1.0".
	Version    string
	Status     int
	Reason     string
	StatusLine string
	Fields     []Field
	// HeadLen is the size of the head, blank line included.
	HeadLen int
	// Head is the head's bytes.
	Head    []byte
	Body    []byte
	Framing Framing
	// Length is the Content-Length value (-1 without one).
	Length int64
	// Size is how many bytes of the input the response used.
	Size int
	// Flaws are defects the parser read through (a line ending with a bare
	// LF, Content-Length beside Transfer-Encoding): the response is
	// usable, but a strict recipient rejects it.
	Flaws []string
}

// Get returns the first value of a field (names case-insensitively).
func (r *Response) Get(name string) (string, bool) {
	for _, f := range r.Fields {
		if strings.EqualFold(f.Name, name) {
			return f.Value, true
		}
	}
	return "", false
}

// Values returns every value of a field, in order.
func (r *Response) Values(name string) []string {
	var out []string
	for _, f := range r.Fields {
		if strings.EqualFold(f.Name, name) {
			out = append(out, f.Value)
		}
	}
	return out
}

// HTTPError is a response the strict parser rejects; Offset is where in
// the input the problem is.
type HTTPError struct {
	Offset int
	Msg    string
}

func (e *HTTPError) Error() string { return e.Msg }

func httpErr(off int, format string, args ...any) error {
	return &HTTPError{Offset: off, Msg: fmt.Sprintf(format, args...)}
}

// ParseResponse reads one HTTP/1.x response from the start of data. head
// says the request was HEAD (the response has no body); closed says the
// connection ended after data, which completes a body delimited by the
// close and makes a missing byte an error instead of ErrIncomplete. The
// parser is strict, since it judges students' servers: CRLF line ends (a
// bare LF is a flaw), tokens for field names, no obsolete line folding, no
// control bytes, one Content-Length, and bounded sizes throughout. When the
// head is good but the body is not (yet), the response comes back with the
// error, so a report can still quote the head.
func ParseResponse(data []byte, head, closed bool) (*Response, error) {
	r := &Response{Length: -1}
	pos := 0
	var lines [][]byte
	for {
		i := bytes.IndexByte(data[pos:], '\n')
		if i < 0 {
			if len(data) > MaxHTTPHead {
				return nil, httpErr(pos, "the head is longer than %d KiB without its blank line", MaxHTTPHead>>10)
			}
			if closed {
				if len(lines) == 0 && pos == 0 {
					return nil, httpErr(0, "no complete status line before the connection closed")
				}
				return nil, httpErr(pos, "the connection closed before the head's blank line (\\r\\n\\r\\n)")
			}
			return nil, ErrIncomplete
		}
		end := pos + i + 1
		if end > MaxHTTPHead {
			return nil, httpErr(pos, "the head is longer than %d KiB", MaxHTTPHead>>10)
		}
		line := data[pos : pos+i]
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		} else {
			what := "the status line"
			if len(lines) > 0 {
				what = fmt.Sprintf("line %d of the head (%s)", len(lines)+1, Quote(line, 80))
			}
			if len(line) == 0 {
				what = "the blank line that ends the head"
			}
			r.addFlaw(what + " ends with a bare \\n instead of \\r\\n (RFC 9112 section 2.2)")
		}
		if j := bytes.IndexByte(line, '\r'); j >= 0 {
			return nil, httpErr(pos+j, "a bare \\r inside line %d of the head: %s", len(lines)+1, Quote(line, 120))
		}
		pos = end
		if len(line) == 0 {
			if len(lines) == 0 {
				return nil, httpErr(0, "an empty line where the status line should be (bytes left over from the previous response?)")
			}
			break
		}
		lines = append(lines, line)
		if len(lines) > MaxHTTPFields+1 {
			return nil, httpErr(pos, "more than %d header fields", MaxHTTPFields)
		}
	}
	r.HeadLen = pos
	r.Head = data[:pos]
	if err := r.statusLine(lines[0]); err != nil {
		return nil, err
	}
	for i, l := range lines[1:] {
		if err := r.field(i+2, l); err != nil {
			return nil, err
		}
	}
	if err := r.frame(head); err != nil {
		return nil, err
	}
	return r, r.body(data, closed)
}

func (r *Response) addFlaw(s string) {
	if len(r.Flaws) < 8 && !containsStr(r.Flaws, s) {
		r.Flaws = append(r.Flaws, s)
	}
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// statusLine parses HTTP/1.x SP 3DIGIT [SP reason].
func (r *Response) statusLine(l []byte) error {
	r.StatusLine = string(l)
	if !bytes.HasPrefix(l, []byte("HTTP/")) {
		return httpErr(0, "the response does not start with a status line such as `HTTP/1.1 200 OK`: it starts with %s", Quote(l, 80))
	}
	if len(l) < 12 || l[5] < '0' || l[5] > '9' || l[6] != '.' || l[7] < '0' || l[7] > '9' || l[8] != ' ' {
		return httpErr(0, "the status line %s is not `HTTP/1.x <3-digit code> <reason>`", Quote(l, 80))
	}
	if l[5] != '1' {
		return httpErr(0, "the status line %s is not HTTP/1.x", Quote(l, 80))
	}
	r.Version = string(l[:8])
	code := l[9:12]
	for _, c := range code {
		if c < '0' || c > '9' {
			return httpErr(9, "the status code in %s is not 3 digits", Quote(l, 80))
		}
	}
	r.Status, _ = strconv.Atoi(string(code))
	if r.Status < 100 || r.Status > 599 {
		return httpErr(9, "the status code %d in %s is not from 100 to 599", r.Status, Quote(l, 80))
	}
	rest := l[12:]
	switch {
	case len(rest) == 0:
	case rest[0] != ' ':
		return httpErr(12, "the status code in %s is not followed by a space", Quote(l, 80))
	default:
		r.Reason = string(rest[1:])
	}
	for _, c := range rest {
		if c < 0x20 && c != '\t' || c == 0x7f {
			return httpErr(12, "a control byte in the reason phrase of %s", Quote(l, 80))
		}
	}
	return nil
}

// field parses one name: value line.
func (r *Response) field(n int, l []byte) error {
	if l[0] == ' ' || l[0] == '\t' {
		return httpErr(0, "line %d of the head starts with white space (obsolete line folding, RFC 9112 section 5.2): %s", n, Quote(l, 120))
	}
	name, value, ok := bytes.Cut(l, []byte(":"))
	if !ok {
		return httpErr(0, "line %d of the head is not a `Name: value` field: %s", n, Quote(l, 120))
	}
	if t := bytes.TrimRight(name, " \t"); len(t) != len(name) {
		return httpErr(0, "white space between the field name and the colon on line %d: %s (RFC 9112 section 5.1)", n, Quote(l, 120))
	}
	if len(name) == 0 || !isToken(name) {
		return httpErr(0, "line %d of the head has no valid field name: %s", n, Quote(l, 120))
	}
	value = bytes.Trim(value, " \t")
	for _, c := range value {
		if c < 0x20 && c != '\t' || c == 0x7f {
			return httpErr(0, "a control byte in the value of %s on line %d: %s", name, n, Quote(l, 120))
		}
	}
	r.Fields = append(r.Fields, Field{Name: string(name), Value: string(value)})
	return nil
}

func isToken(b []byte) bool {
	for _, c := range b {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// frame decides how the body is delimited.
func (r *Response) frame(head bool) error {
	cls := r.Values("Content-Length")
	if len(cls) > 0 {
		var n int64 = -1
		for _, v := range cls {
			for _, part := range strings.Split(v, ",") {
				part = strings.TrimSpace(part)
				if part == "" || len(part) > 18 || strings.Trim(part, "0123456789") != "" {
					return httpErr(0, "Content-Length %s is not a number of bytes", Quote([]byte(v), 60))
				}
				k, _ := strconv.ParseInt(part, 10, 64)
				if n >= 0 && k != n {
					return httpErr(0, "two different Content-Length values (%d and %d)", n, k)
				}
				n = k
			}
		}
		if n > MaxHTTPBody {
			return httpErr(0, "Content-Length %d is more than the grader reads (%d MiB)", n, MaxHTTPBody>>20)
		}
		r.Length = n
	}
	te := r.Values("Transfer-Encoding")
	switch {
	case head || r.Status < 200 || r.Status == 204 || r.Status == 304:
		r.Framing = FramingNone
	case len(te) > 0:
		codings := strings.Split(strings.Join(te, ","), ",")
		if strings.EqualFold(strings.TrimSpace(codings[len(codings)-1]), "chunked") {
			r.Framing = FramingChunked
		} else {
			r.Framing = FramingClose
		}
		if r.Length >= 0 {
			r.addFlaw("Content-Length and Transfer-Encoding together: a server must not send both (RFC 9112 section 6.2)")
		}
	case r.Length >= 0:
		r.Framing = FramingLength
	default:
		r.Framing = FramingClose
	}
	return nil
}

// body reads the body after the head according to the framing.
func (r *Response) body(data []byte, closed bool) error {
	rest := data[r.HeadLen:]
	switch r.Framing {
	case FramingNone:
		r.Size = r.HeadLen
	case FramingLength:
		if int64(len(rest)) < r.Length {
			r.Body = rest
			if closed {
				return httpErr(len(data), "Content-Length says %d but the body has %d bytes (then the connection closed)", r.Length, len(rest))
			}
			return ErrIncomplete
		}
		r.Body = rest[:r.Length]
		r.Size = r.HeadLen + int(r.Length)
	case FramingClose:
		r.Body = rest
		if len(rest) > MaxHTTPBody {
			return httpErr(len(data), "the body is longer than %d MiB", MaxHTTPBody>>20)
		}
		if !closed {
			return ErrIncomplete
		}
		r.Size = len(data)
	case FramingChunked:
		body, n, err := dechunk(rest, closed)
		if err != nil {
			if he, ok := err.(*HTTPError); ok {
				he.Offset += r.HeadLen
			}
			return err
		}
		r.Body = body
		r.Size = r.HeadLen + n
	}
	return nil
}

// dechunk decodes a chunked body, trailer included; n is how many bytes
// it used.
func dechunk(data []byte, closed bool) (body []byte, n int, err error) {
	incomplete := func(what string) ([]byte, int, error) {
		if closed {
			return nil, 0, httpErr(len(data), "the connection closed in the middle of the chunked body (%s)", what)
		}
		return nil, 0, ErrIncomplete
	}
	pos := 0
	for {
		i := bytes.IndexByte(data[pos:], '\n')
		if i < 0 {
			if len(data)-pos > maxChunkLine {
				return nil, 0, httpErr(pos, "a chunk-size line longer than %d bytes", maxChunkLine)
			}
			return incomplete("a chunk-size line")
		}
		if i > maxChunkLine {
			return nil, 0, httpErr(pos, "a chunk-size line longer than %d bytes", maxChunkLine)
		}
		line := data[pos : pos+i]
		if len(line) == 0 || line[len(line)-1] != '\r' {
			return nil, 0, httpErr(pos, "the chunk-size line %s does not end with \\r\\n", Quote(line, 40))
		}
		line = line[:len(line)-1]
		hexPart, _, _ := bytes.Cut(line, []byte(";"))
		hexPart = bytes.TrimRight(hexPart, " \t")
		if len(hexPart) == 0 || len(hexPart) > 8 {
			return nil, 0, httpErr(pos, "the chunk size %s is not a hexadecimal number", Quote(line, 40))
		}
		size, perr := strconv.ParseUint(string(hexPart), 16, 32)
		if perr != nil {
			return nil, 0, httpErr(pos, "the chunk size %s is not a hexadecimal number", Quote(line, 40))
		}
		pos += i + 1
		if size == 0 {
			break
		}
		if uint64(len(body))+size > MaxHTTPBody {
			return nil, 0, httpErr(pos, "the chunked body is longer than %d MiB", MaxHTTPBody>>20)
		}
		if uint64(len(data)-pos) < size+2 {
			return incomplete(fmt.Sprintf("a chunk of %d bytes", size))
		}
		body = append(body, data[pos:pos+int(size)]...)
		pos += int(size)
		if data[pos] != '\r' || data[pos+1] != '\n' {
			return nil, 0, httpErr(pos, "a chunk of %d bytes is not followed by \\r\\n (is the size in hexadecimal?)", size)
		}
		pos += 2
	}
	// trailer fields, then the blank line
	start := pos
	for {
		i := bytes.IndexByte(data[pos:], '\n')
		if i < 0 {
			if len(data)-start > MaxHTTPHead {
				return nil, 0, httpErr(pos, "the trailer is longer than %d KiB", MaxHTTPHead>>10)
			}
			return incomplete("the blank line after the last chunk")
		}
		line := data[pos : pos+i]
		if len(line) == 0 || line[len(line)-1] != '\r' {
			return nil, 0, httpErr(pos, "a line after the last chunk does not end with \\r\\n")
		}
		pos += i + 1
		if pos-start > MaxHTTPHead {
			return nil, 0, httpErr(pos, "the trailer is longer than %d KiB", MaxHTTPHead>>10)
		}
		if len(line) == 1 {
			return body, pos, nil
		}
	}
}

// Part is one part of a multipart/byteranges body.
type Part struct {
	Fields  []Field
	Content []byte
}

// Get returns the first value of one of the part's fields.
func (p Part) Get(name string) (string, bool) {
	for _, f := range p.Fields {
		if strings.EqualFold(f.Name, name) {
			return f.Value, true
		}
	}
	return "", false
}

// maxParts bounds a multipart body.
const maxParts = 64

// ParseByteranges splits a multipart/byteranges body (RFC 9110 section
// 14.6, RFC 2046 section 5.1.1) at boundary: a delimiter line
// --boundary starts each part, whose fields end with a blank line and
// whose content ends at the CRLF before the next delimiter; --boundary--
// ends the body.
func ParseByteranges(body []byte, boundary string) ([]Part, error) {
	if boundary == "" || len(boundary) > 70 {
		return nil, fmt.Errorf("the boundary %q is not 1 to 70 characters", boundary)
	}
	delim := []byte("--" + boundary)
	var pos int
	switch {
	case bytes.HasPrefix(body, delim):
		pos = 0
	default:
		i := bytes.Index(body, append([]byte("\r\n"), delim...))
		if i < 0 {
			return nil, fmt.Errorf("no delimiter line `--%s` in the body", boundary)
		}
		pos = i + 2
	}
	var parts []Part
	for {
		pos += len(delim)
		if bytes.HasPrefix(body[pos:], []byte("--")) {
			return parts, nil
		}
		eol := bytes.Index(body[pos:], []byte("\r\n"))
		if eol < 0 || len(bytes.Trim(body[pos:pos+eol], " \t")) != 0 {
			return nil, fmt.Errorf("the delimiter `--%s` of part %d is not followed by \\r\\n", boundary, len(parts)+1)
		}
		pos += eol + 2
		if len(parts) == maxParts {
			return nil, fmt.Errorf("more than %d parts", maxParts)
		}
		var p Part
		for {
			eol := bytes.Index(body[pos:], []byte("\r\n"))
			if eol < 0 {
				return nil, fmt.Errorf("the fields of part %d do not end with a blank line", len(parts)+1)
			}
			line := body[pos : pos+eol]
			pos += eol + 2
			if len(line) == 0 {
				break
			}
			name, value, ok := bytes.Cut(line, []byte(":"))
			if !ok || len(name) == 0 || !isToken(name) {
				return nil, fmt.Errorf("part %d has a line that is not a field: %s", len(parts)+1, Quote(line, 80))
			}
			if len(p.Fields) == MaxHTTPFields {
				return nil, fmt.Errorf("part %d has more than %d fields", len(parts)+1, MaxHTTPFields)
			}
			p.Fields = append(p.Fields, Field{Name: string(name), Value: string(bytes.Trim(value, " \t"))})
		}
		next := bytes.Index(body[pos:], append([]byte("\r\n"), delim...))
		if next < 0 {
			return nil, fmt.Errorf("part %d is not followed by a delimiter line `\\r\\n--%s`", len(parts)+1, boundary)
		}
		p.Content = body[pos : pos+next]
		parts = append(parts, p)
		pos += next + 2
	}
}

// Param returns a parameter of a field value such as
// `multipart/byteranges; boundary=XYZ` (quotes removed), names
// case-insensitively.
func Param(value, name string) (string, bool) {
	_, params, _ := strings.Cut(value, ";")
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), name) {
			v = strings.TrimSpace(v)
			if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
				v = v[1 : len(v)-1]
			}
			return v, true
		}
	}
	return "", false
}
