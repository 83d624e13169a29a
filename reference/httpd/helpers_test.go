package httpd_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/reference/httpd"
)

// www is the fixture directory the server serves in these specs.
const www = "../../fixtures/www"

// modTime is every file's modification time in these specs.
var modTime = time.Date(2024, 9, 1, 10, 0, 0, 0, time.UTC)

// lastModified is modTime as the server writes it.
var lastModified = modTime.Format(http.TimeFormat)

// ioTimeout is a safety net on every client, so a broken server fails a
// spec instead of hanging the suite.
const ioTimeout = 5 * time.Second

// files are the fixtures' exact bytes.
var files = map[string][]byte{}

var _ = BeforeSuite(func() {
	for _, n := range []string{"index.html", "image.png", "doc.pdf", "hello.txt"} {
		b, err := os.ReadFile(filepath.Join(www, n))
		Expect(err).NotTo(HaveOccurred())
		files["/"+n] = b
	}
	_, err := exec.LookPath("curl")
	Expect(err).NotTo(HaveOccurred(), "these specs drive the server with curl")
})

// start runs a server on a loopback ephemeral port over fixtures/www with
// modTime, closed after the spec.
func start(cfg httpd.Config) *httpd.Server {
	GinkgoHelper()
	cfg.Addr = "127.0.0.1:0"
	if cfg.Root == "" && cfg.FS == nil {
		cfg.Root = www
	}
	if cfg.ModTime.IsZero() {
		cfg.ModTime = modTime
	}
	s, err := httpd.New(cfg)
	Expect(err).NotTo(HaveOccurred())
	DeferCleanup(s.Close)
	return s
}

// settle waits until the client has gone, so Requests is complete.
func settle(s *httpd.Server) []httpd.Request {
	GinkgoHelper()
	ctx, cancel := context.WithTimeout(context.Background(), ioTimeout)
	defer cancel()
	Expect(s.Settle(ctx)).To(Succeed())
	return s.Requests()
}

// reply is what curl received.
type reply struct {
	status int
	header http.Header
	body   []byte
	stdout string
}

// curl runs `curl -s --http1.1` with args and a URL on s, and returns the
// (single) response's status, headers and body.
func curl(s *httpd.Server, path string, args ...string) reply {
	GinkgoHelper()
	dir := GinkgoT().TempDir()
	hf, bf := filepath.Join(dir, "h"), filepath.Join(dir, "b")
	all := append([]string{"-s", "--http1.1", "--max-time", "5", "-D", hf, "-o", bf}, args...)
	all = append(all, s.URL()+path)
	out, err := exec.Command("curl", all...).Output()
	Expect(err).NotTo(HaveOccurred(), "curl %s", strings.Join(all, " "))
	head, err := os.ReadFile(hf)
	Expect(err).NotTo(HaveOccurred())
	body, _ := os.ReadFile(bf) // no file when there was no body
	r := reply{body: body, stdout: string(out)}
	r.status, r.header = parseHead(head)
	return r
}

// parseHead splits a response head into its status and headers.
func parseHead(head []byte) (int, http.Header) {
	GinkgoHelper()
	// Not http.ReadResponse: it drops "Connection: close".
	tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(head)))
	line, err := tp.ReadLine()
	Expect(err).NotTo(HaveOccurred(), "response head %q", head)
	f := strings.Fields(line)
	Expect(len(f)).To(BeNumerically(">=", 2), "status line %q", line)
	status, err := strconv.Atoi(f[1])
	Expect(err).NotTo(HaveOccurred(), "status line %q", line)
	h, err := tp.ReadMIMEHeader()
	Expect(err).NotTo(HaveOccurred(), "response head %q", head)
	return status, http.Header(h)
}

// dial opens a raw connection to s.
func dial(s *httpd.Server) net.Conn {
	GinkgoHelper()
	c, err := net.DialTimeout("tcp", s.Addr().String(), ioTimeout)
	Expect(err).NotTo(HaveOccurred())
	Expect(c.SetDeadline(time.Now().Add(ioTimeout))).To(Succeed())
	DeferCleanup(func() { _ = c.Close() })
	return c
}

// exchange writes raw in one write, then reads until the server closes.
func exchange(s *httpd.Server, raw string) []byte {
	GinkgoHelper()
	c := dial(s)
	_, err := c.Write([]byte(raw))
	Expect(err).NotTo(HaveOccurred())
	var out bytes.Buffer
	_, err = out.ReadFrom(c)
	Expect(err).NotTo(HaveOccurred())
	return out.Bytes()
}

// resp is one response read off a raw connection.
type resp struct {
	*http.Response
	body []byte
}

// responses parses the responses in b, one per method given (the
// request's method tells whether a body follows).
func responses(b []byte, methods ...string) []resp {
	GinkgoHelper()
	br := bufio.NewReader(bytes.NewReader(b))
	var out []resp
	for _, m := range methods {
		r, err := http.ReadResponse(br, &http.Request{Method: m})
		Expect(err).NotTo(HaveOccurred())
		body, err := io.ReadAll(r.Body)
		Expect(err).NotTo(HaveOccurred())
		out = append(out, resp{r, body})
	}
	rest, _ := br.Peek(1)
	Expect(rest).To(BeEmpty(), "bytes after the last response")
	return out
}
