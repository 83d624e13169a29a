package httpd_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/netlab-grader/grader/reference/httpd"
)

// BenchmarkKeepAlive is the load of `make bench`'s comparison with nginx
// in-process: clients on persistent connections fetch index.html again
// and again. Its allocations per request are the server's, plus a few of
// the client's (bufio and the response head), which reuses its buffers.
func BenchmarkKeepAlive(b *testing.B) {
	want, err := os.ReadFile(filepath.Join(www, "index.html"))
	if err != nil {
		b.Fatal(err)
	}
	s, err := httpd.New(httpd.Config{Addr: "127.0.0.1:0", Root: www})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	req := []byte("GET /index.html HTTP/1.1\r\nHost: " + s.Addr().String() + "\r\n\r\n")
	b.SetParallelism(8)
	b.ReportAllocs()
	b.SetBytes(int64(len(want)))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		c, err := net.Dial("tcp", s.Addr().String())
		if err != nil {
			b.Error(err)
			return
		}
		defer c.Close()
		r := bufio.NewReaderSize(c, 64<<10)
		body := make([]byte, len(want))
		for pb.Next() {
			_ = c.SetDeadline(time.Now().Add(10 * time.Second))
			if _, err := c.Write(req); err != nil {
				b.Error(err)
				return
			}
			n, err := readResponse(r, body)
			if err != nil || n != len(want) {
				b.Errorf("response: %d bytes, %v", n, err)
				return
			}
		}
	})
}

// readResponse reads one 200 response with Content-Length into body and
// returns its length.
func readResponse(r *bufio.Reader, body []byte) (int, error) {
	length := -1
	for first := true; ; first = false {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return 0, err
		}
		if first && !bytes.HasPrefix(line, []byte("HTTP/1.1 200 ")) {
			return 0, fmt.Errorf("status line %q", line)
		}
		if len(line) == 2 {
			break
		}
		if v, ok := bytes.CutPrefix(line, []byte("Content-Length: ")); ok {
			if length, err = strconv.Atoi(string(bytes.TrimSpace(v))); err != nil {
				return 0, err
			}
		}
	}
	if length < 0 || length > len(body) {
		return 0, fmt.Errorf("Content-Length %d", length)
	}
	_, err := io.ReadFull(r, body[:length])
	return length, err
}
