package check_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/netlab-grader/grader/grader/check"
	"github.com/netlab-grader/grader/grader/spec"
)

// FuzzParseResponse feeds arbitrary bytes to the response parser, which
// reads what students' servers send: it must never panic, fail only with
// ErrIncomplete (and never once the connection is closed) or an
// HTTPError, stay within its bounds, and read a response it accepted the
// same way when given only that response's bytes.
func FuzzParseResponse(f *testing.F) {
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"), false, false)
	f.Add([]byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n0\r\nT: 1\r\n\r\n"), false, false)
	f.Add([]byte("HTTP/1.0 200 OK\nSet-Cookie:a=b\n\r\nbody"), false, true)
	f.Add([]byte("HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n"), true, false)
	f.Add([]byte("HTTP/1.1 206 Partial Content\r\nContent-Type: multipart/byteranges; boundary=B\r\nContent-Length: 45\r\n\r\n--B\r\nContent-Range: bytes 0-1/9\r\n\r\nab\r\n--B--\r\n"), false, false)
	f.Fuzz(func(t *testing.T, data []byte, head, closed bool) {
		r, err := check.ParseResponse(data, head, closed)
		var he *check.HTTPError
		switch {
		case err == nil:
		case errors.Is(err, check.ErrIncomplete):
			if closed {
				t.Fatalf("incomplete although the connection is closed: %q", data)
			}
			if _, err2 := check.ParseResponse(data, head, true); errors.Is(err2, check.ErrIncomplete) {
				t.Fatalf("still incomplete once closed: %q", data)
			}
			return
		case errors.As(err, &he):
			if he.Msg == "" || he.Offset < 0 || he.Offset > len(data) {
				t.Fatalf("bad error %+v for %q", he, data)
			}
			return
		default:
			t.Fatalf("unexpected error type %T: %v", err, err)
		}
		if r.HeadLen <= 0 || r.HeadLen > r.Size || r.Size > len(data) || r.HeadLen > check.MaxHTTPHead {
			t.Fatalf("sizes head %d, size %d of %d bytes", r.HeadLen, r.Size, len(data))
		}
		if r.Status < 100 || r.Status > 599 || len(r.Fields) > check.MaxHTTPFields || len(r.Body) > check.MaxHTTPBody {
			t.Fatalf("out of bounds: %+v", r)
		}
		if r.Framing == check.FramingLength && int64(len(r.Body)) != r.Length {
			t.Fatalf("body of %d bytes for Content-Length %d", len(r.Body), r.Length)
		}
		again, err := check.ParseResponse(data[:r.Size], head, true)
		if err != nil || again.Size != r.Size || !bytes.Equal(again.Body, r.Body) || again.Status != r.Status {
			t.Fatalf("the response alone reads differently: %v", err)
		}
		if ct, ok := r.Get("Content-Type"); ok {
			if b, ok := check.Param(ct, "boundary"); ok {
				parts, err := check.ParseByteranges(r.Body, b)
				for _, p := range parts {
					if err == nil && !bytes.Contains(r.Body, p.Content) {
						t.Fatalf("a part that is not in the body")
					}
				}
			}
		}
	})
}

// FuzzHTTPCheck runs the http matchers the exercises use on arbitrary
// bytes: whatever a server sends, the verdict is a check with a name and,
// when it fails, a message, and it never uses more bytes than it got.
func FuzzHTTPCheck(f *testing.F) {
	f.Add([]byte("HTTP/1.1 206 Partial Content\r\nContent-Type: multipart/byteranges; boundary=B\r\nContent-Length: 44\r\n\r\n--B\r\nContent-Range: bytes 0-1/17\r\n\r\nBo\r\n--B--\r\n"), true)
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcdef"), false)
	f.Add([]byte("HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */17\r\n\r\n"), true)
	from, to := int64(2), int64(5)
	cookie := "a=b"
	matchers := []*spec.HTTPResponse{
		{Status: 206, Body: &spec.HTTPBody{Www: "hello.txt", Parts: []spec.HTTPRange{{From: 0, To: 1}, {From: 5, To: 40}}}},
		{Status: 206, Body: &spec.HTTPBody{Www: "hello.txt", From: &from, To: &to}},
		{Status: 200, ContentLength: true, SetCookie: &cookie, Settle: spec.Duration(time.Second), Save: map[string]string{"etag": "ETag"}},
		{Status: 304, Head: true, UntilClose: true, Absent: []string{"Content-Range"}, HeaderMatches: map[string]string{"Content-Type": "^text/"}},
	}
	f.Fuzz(func(t *testing.T, data []byte, closed bool) {
		for _, h := range matchers {
			c, used, _ := check.HTTPCheck("probe", &spec.Match{HTTP: h}, check.HTTPRead{Data: data, Closed: closed})
			if c.Name != "probe" || !c.Passed && c.Message == "" || used < 0 || used > len(data) {
				t.Fatalf("check %+v, used %d of %d", c, used, len(data))
			}
		}
	})
}
