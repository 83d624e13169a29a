package httpd

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"maps"
	"net/http"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"
)

// fuzzFiles is the little site the fuzzed server serves: text to range
// and compress, binary, a folder with an index.
var fuzzFiles = fstest.MapFS{
	"index.html":     {Data: []byte(strings.Repeat("<p>bonjour</p>\n", 40))},
	"a.txt":          {Data: []byte("0123456789abcdefghijklmnopqrstuvwxyz\n")},
	"img/logo.png":   {Data: []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")},
	"dir/index.html": {Data: []byte("<h1>dir</h1>\n")},
	"empty.txt":      {Data: nil},
}

var fuzzTime = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

// fuzzServers are the servers FuzzReadRequest parses for, one per
// configuration, made once per fuzzing process: only their parser and
// handler are called, nothing connects to them.
var fuzzServers = sync.OnceValues(func() ([]*Server, error) {
	var out []*Server
	for _, cfg := range []Config{
		{},
		{Gzip: true, Chunked: true, ChunkSize: 7, CacheControl: map[string]string{"/a.txt": "max-age=60"}},
	} {
		cfg.Addr, cfg.FS, cfg.ModTime = "127.0.0.1:0", fuzzFiles, fuzzTime
		cfg.Now = func() time.Time { return fuzzTime }
		s, err := New(cfg)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
})

// FuzzReadRequest feeds a client's arbitrary bytes, cut into segments of
// seg bytes, to the reference server's request parser and handler, the
// way serveConn does on a connection. It must never panic; the bytes it
// records for a request (Raw) are exactly the ones it consumed; a
// request it accepts is well formed (token method, HTTP/1.x, one Host in
// 1.1) and parses back to the same request once written out again; a
// rejected one gets a 4xx or 5xx that says why; every answer is one
// well-formed HTTP response; and parsing allocates in proportion to what
// arrived, never to a Content-Length the client merely announced.
func FuzzReadRequest(f *testing.F) {
	for _, seed := range []string{
		"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n",
		"GET /index.html HTTP/1.0\r\n\r\n",
		"HEAD /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
		"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET /a.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=0-3,5-,-4\r\n\r\nGET /a.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=100-\r\n\r\n",
		"GET /index.html HTTP/1.1\r\nHost: x\r\nIf-None-Match: W/\"x\", \"y\"\r\nIf-Modified-Since: Fri, 01 Mar 2024 12:00:00 GMT\r\n\r\n",
		"GET /a.txt HTTP/1.1\r\nHost: x\r\nIf-Range: Fri, 01 Mar 2024 12:00:00 GMT\r\nRange: bytes=1-2\r\n\r\n",
		"GET /a.txt HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip;q=0.5, *;q=0\r\nCookie: a=1; b\r\n\r\n",
		"GET http://localhost/dir/?q#f HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET /%2e%2e/%00 HTTP/1.1\r\nHost: x\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\nHost: x\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\nabc",
		"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\nTransfer-Encoding: chunked\r\n\r\n",
		"GET / HTTP/1.1\nHost: x\n\n",
		"\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
		"GET / HTTP/2.0\r\nHost: x\r\n\r\n",
		"get /  HTTP/1.1\r\n\r\n",
		"GET / HTTP/1.1\rHost: x\r\n\r\n",
		"GET / HTTP/1.1\r\nHost : x\r\nHost: y\r\n\r\n",
	} {
		f.Add([]byte(seed), uint8(0), uint8(0))
		f.Add([]byte(seed), uint8(1), uint8(1))
		f.Add([]byte(seed), uint8(5), uint8(1))
	}
	f.Fuzz(func(t *testing.T, data []byte, seg, mode uint8) {
		servers, err := fuzzServers()
		if err != nil {
			t.Fatal(err)
		}
		s := servers[int(mode)%len(servers)]
		in := chunked(s, data, int(seg))
		defer in.stop()
		pos := 0
		var parsed uint64
		for n := 0; in.fill() == nil; n++ {
			r := &Request{Conn: 1, Header: http.Header{}}
			var fl *failure
			var eof bool
			parsed += allocated(func() { fl, eof = s.readRequest(in, r) })
			if !bytes.HasPrefix(data[pos:], r.Raw) {
				t.Fatalf("request %d: Raw %q is not the next bytes sent %q", n, r.Raw, data[pos:])
			}
			pos += len(r.Raw)
			if eof {
				break
			}
			var resp *response
			if fl != nil {
				if fl.status < 400 || fl.status > 599 || fl.why == "" {
					t.Fatalf("request %q rejected with %d %q", r.Raw, fl.status, fl.why)
				}
				resp = errorResponse(fl.status, fl.why)
			} else {
				checkAccepted(t, s, r)
				resp = s.handle(r, fuzzTime)
			}
			checkResponse(t, r, resp)
			if fl != nil || !keepAlive(r) || resp.status == http.StatusBadRequest {
				break
			}
		}
		if limit := 64<<10 + 64*uint64(len(data)); parsed > limit {
			t.Fatalf("parsing %d bytes allocated %d bytes (limit %d)", len(data), parsed, limit)
		}
	})
}

// chunked is an input that has already read data in seg-byte pieces (all
// of it at once for 0) and then the end of the stream.
func chunked(s *Server, data []byte, seg int) *input {
	if seg <= 0 {
		seg = max(len(data), 1)
	}
	ch := make(chan chunk, len(data)/seg+1)
	for b := data; len(b) > 0; b = b[min(seg, len(b)):] {
		ch <- chunk{b: b[:min(seg, len(b))], at: fuzzTime}
	}
	close(ch)
	return &input{ch: ch, done: make(chan struct{}), quit: s.quit, idle: s.cfg.Idle}
}

// checkAccepted checks a request the parser accepted and that writing it
// out again canonically parses back to the same request.
func checkAccepted(t *testing.T, s *Server, r *Request) {
	t.Helper()
	if !isToken(r.Method) || !strings.HasPrefix(r.Proto, "HTTP/1.") || r.Target == "" {
		t.Fatalf("accepted a malformed request line %q %q %q from %q", r.Method, r.Target, r.Proto, r.Raw)
	}
	if r.Proto != "HTTP/1.0" && len(r.Header["Host"]) != 1 {
		t.Fatalf("accepted an %s request with %d Host headers: %q", r.Proto, len(r.Header["Host"]), r.Raw)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s %s\r\n", r.Method, r.Target, r.Proto)
	for _, k := range slices.Sorted(maps.Keys(r.Header)) {
		for _, v := range r.Header[k] {
			fmt.Fprintf(&b, "%s: %s\r\n", k, v)
		}
	}
	b.WriteString("\r\n")
	end := headEnd(r.Raw)
	if end < 0 {
		t.Fatalf("accepted a request whose head has no empty line: %q", r.Raw)
	}
	b.Write(r.Raw[end:])
	again := &Request{Header: http.Header{}}
	in := chunked(s, b.Bytes(), 0)
	defer in.stop()
	if f, eof := s.readRequest(in, again); f != nil || eof {
		t.Fatalf("%q was accepted, written out again as %q it is not (%v, eof %v)", r.Raw, b.Bytes(), f, eof)
	}
	if again.Method != r.Method || again.Target != r.Target || again.Proto != r.Proto ||
		!reflect.DeepEqual(again.Header, r.Header) || !bytes.Equal(again.Raw, b.Bytes()) {
		t.Fatalf("round trip of %q through %q gave %+v, want %+v", r.Raw, b.Bytes(), again, r)
	}
}

// headEnd is the index just after the empty line that ends the head in
// raw (empty lines before the request line do not count), or -1.
func headEnd(raw []byte) int {
	seenLine := false
	for pos := 0; pos < len(raw); {
		i := bytes.IndexByte(raw[pos:], '\n')
		if i < 0 {
			return -1
		}
		empty := len(bytes.TrimSuffix(raw[pos:pos+i], []byte("\r"))) == 0
		pos += i + 1
		switch {
		case !empty:
			seenLine = true
		case seenLine:
			return pos
		}
	}
	return -1
}

// checkResponse checks that resp serialises to exactly one well-formed
// HTTP/1.1 response, its body framed as its headers say.
func checkResponse(t *testing.T, r *Request, resp *response) {
	t.Helper()
	if resp.status < 100 || resp.status > 599 {
		t.Fatalf("status %d for %q", resp.status, r.Raw)
	}
	raw := resp.bytes(fuzzTime, r.Method == "HEAD")
	method := r.Method
	if method != "HEAD" {
		method = "GET"
	}
	br := bufio.NewReader(bytes.NewReader(raw))
	res, err := http.ReadResponse(br, &http.Request{Method: method})
	if err != nil {
		t.Fatalf("the answer to %q is not an HTTP response: %v\n%q", r.Raw, err, raw)
	}
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		t.Fatalf("the body of the answer to %q is badly framed: %v\n%q", r.Raw, err, raw)
	}
	if rest, _ := io.ReadAll(br); len(rest) > 0 {
		t.Fatalf("the answer to %q has %d bytes after its end: %q", r.Raw, len(rest), raw)
	}
	if res.StatusCode != resp.status {
		t.Fatalf("status line says %d, response %d", res.StatusCode, resp.status)
	}
}

// allocated is how many bytes of memory fn allocated (the whole process's
// count: the fuzzing worker does little else meanwhile).
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
