package httpd_test

import (
	"bufio"
	"io"
	"net/http"
	"strings"
	"testing/fstest"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/wire"
	"github.com/netlab-grader/grader/reference/httpd"
)

var _ = Describe("raw requests", func() {
	var s *httpd.Server
	BeforeEach(func() { s = start(httpd.Config{}) })

	It("serves a request with bare LF line endings and records BareLF", func() {
		out := exchange(s, "GET /hello.txt HTTP/1.1\nHost: x\nConnection: close\n\n")
		rs := responses(out, "GET")
		Expect(rs[0].StatusCode).To(Equal(200))
		Expect(rs[0].body).To(Equal(files["/hello.txt"]))
		reqs := settle(s)
		Expect(reqs).To(HaveLen(1))
		Expect(reqs[0].BareLF).To(BeTrue())
		Expect(string(reqs[0].Raw)).To(Equal("GET /hello.txt HTTP/1.1\nHost: x\nConnection: close\n\n"))
	})

	It("flags a single bare LF among CRLFs", func() {
		exchange(s, "GET /hello.txt HTTP/1.1\r\nHost: x\nConnection: close\r\n\r\n")
		Expect(settle(s)[0].BareLF).To(BeTrue())
	})

	It("answers pipelined requests in order and marks the later ones Pipelined", func() {
		out := exchange(s, "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n"+
			"HEAD /doc.pdf HTTP/1.1\r\nHost: x\r\n\r\n"+
			"GET /doc.pdf HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		rs := responses(out, "GET", "HEAD", "GET")
		Expect(rs[0].body).To(Equal(files["/hello.txt"]))
		Expect(rs[1].body).To(BeEmpty())
		Expect(rs[1].ContentLength).To(Equal(int64(len(files["/doc.pdf"]))))
		Expect(rs[2].body).To(Equal(files["/doc.pdf"]))
		reqs := settle(s)
		Expect(reqs).To(HaveLen(3))
		Expect([]bool{reqs[0].Pipelined, reqs[1].Pipelined, reqs[2].Pipelined}).To(Equal([]bool{false, true, true}))
		Expect([]string{reqs[0].Target, reqs[1].Target, reqs[2].Target}).To(Equal([]string{"/hello.txt", "/doc.pdf", "/doc.pdf"}))
		Expect(string(reqs[1].Raw)).To(Equal("HEAD /doc.pdf HTTP/1.1\r\nHost: x\r\n\r\n"))
	})

	It("does not mark requests sent after the previous response as Pipelined", func() {
		c := dial(s)
		br := bufio.NewReader(c)
		for _, p := range []string{"/hello.txt", "/doc.pdf"} {
			_, err := io.WriteString(c, "GET "+p+" HTTP/1.1\r\nHost: x\r\n\r\n")
			Expect(err).NotTo(HaveOccurred())
			r, err := http.ReadResponse(br, nil)
			Expect(err).NotTo(HaveOccurred())
			b, err := io.ReadAll(r.Body)
			Expect(err).NotTo(HaveOccurred())
			Expect(b).To(Equal(files[p]))
		}
		Expect(c.Close()).To(Succeed())
		reqs := settle(s)
		Expect(reqs).To(HaveLen(2))
		Expect(reqs[1].Pipelined).To(BeFalse())
		Expect(reqs[1].Conn).To(Equal(reqs[0].Conn))
	})

	It("reads and discards a request body framed by Content-Length", func() {
		out := exchange(s, "GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"+
			"GET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		rs := responses(out, "GET", "GET")
		Expect(rs[1].StatusCode).To(Equal(200))
		reqs := settle(s)
		Expect(string(reqs[0].Raw)).To(HaveSuffix("\r\n\r\nhello"))
	})

	It("accepts the absolute form and empty lines before the request line", func() {
		out := exchange(s, "\r\nGET http://x/hello.txt?q=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		Expect(responses(out, "GET")[0].body).To(Equal(files["/hello.txt"]))
		Expect(settle(s)[0].Path).To(Equal("/hello.txt"))
	})

	It("accepts a header without a space after the colon, as in the lab sheet", func() {
		out := exchange(s, "GET / HTTP/1.1\r\nHost:www.tcpipguide.com\r\nRange: bytes=500-1000\r\nConnection:close\r\n\r\n")
		rs := responses(out, "GET")
		Expect(rs[0].StatusCode).To(Equal(206))
		Expect(rs[0].body).To(Equal(files["/index.html"][500:1001]))
	})

	It("serves HTTP/1.0 without Host and closes", func() {
		out := exchange(s, "GET /hello.txt HTTP/1.0\r\n\r\n")
		rs := responses(out, "GET")
		Expect(rs[0].StatusCode).To(Equal(200))
		Expect(rs[0].Proto).To(Equal("HTTP/1.1"))
	})

	DescribeTable("rejects a malformed request with 400 (or 505), says why, and closes",
		func(raw string, status int, why string) {
			out := exchange(s, raw)
			rs := responses(out, "GET")
			Expect(rs[0].StatusCode).To(Equal(status))
			Expect(string(rs[0].body)).To(ContainSubstring(why))
			reqs := settle(s)
			Expect(reqs).To(HaveLen(1))
			Expect(reqs[0].Status).To(Equal(status))
			Expect(reqs[0].Err).To(ContainSubstring(why))
			Expect(string(reqs[0].Raw)).To(Equal(raw))
		},
		Entry("no Host in HTTP/1.1", "GET / HTTP/1.1\r\n\r\n", 400, "Host"),
		Entry("Host twice", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "2 times"),
		Entry("a space before the colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400, "whitespace before the colon"),
		Entry("a header line without colon", "GET / HTTP/1.1\r\nHost x\r\n\r\n", 400, "no colon"),
		Entry("obsolete line folding", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n", 400, "folding"),
		Entry("a bare CR", "GET / HTTP/1.1\r\nHost: x\ry\r\n\r\n", 400, "carriage return"),
		Entry("no version", "GET /\r\n", 400, "no HTTP version"),
		Entry("two spaces", "GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400, "single spaces"),
		Entry("a lower-case version", "GET / http/1.1\r\nHost: x\r\n\r\n", 400, "upper case"),
		Entry("HTTP/2.0", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505, "not supported"),
		Entry("a bad Content-Length", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400, "Content-Length"),
		Entry("a target with a fragment", "GET /#top HTTP/1.1\r\nHost: x\r\n\r\n", 400, "fragment"),
		Entry("a target that is not a path", "GET index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400, "neither a path"),
	)

	It("answers 431 to a head larger than 64 KiB", func() {
		raw := "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", httpd.MaxHead) + "\r\n\r\n"
		c := dial(s)
		go func() {
			defer GinkgoRecover()
			_, _ = io.WriteString(c, raw) // the server may close before reading it all
		}()
		r, err := http.ReadResponse(bufio.NewReader(c), nil)
		Expect(err).NotTo(HaveOccurred())
		Expect(r.StatusCode).To(Equal(431))
	})

	It("records a request cut short by the client, with no answer", func() {
		c := dial(s)
		_, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n")
		Expect(err).NotTo(HaveOccurred())
		Eventually(func() []byte { return s.Transcript().Bytes(0, wire.C2S) }).ShouldNot(BeEmpty())
		Expect(c.Close()).To(Succeed())
		reqs := settle(s)
		Expect(reqs).To(HaveLen(1))
		Expect(reqs[0].Status).To(Equal(0))
		Expect(reqs[0].Err).To(ContainSubstring("ended before"))
	})
})

var _ = Describe("timeouts", func() {
	It("answers 408 to a head never finished (no empty line) and closes", func() {
		s := start(httpd.Config{Idle: 200 * time.Millisecond})
		c := dial(s)
		_, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n")
		Expect(err).NotTo(HaveOccurred())
		out, err := io.ReadAll(c)
		Expect(err).NotTo(HaveOccurred())
		rs := responses(out, "GET")
		Expect(rs[0].StatusCode).To(Equal(408))
		Expect(string(rs[0].body)).To(ContainSubstring("empty line"))
	})

	It("closes a connection idle between requests", func() {
		s := start(httpd.Config{Idle: 200 * time.Millisecond})
		c := dial(s)
		t0 := time.Now()
		_, err := io.WriteString(c, "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n")
		Expect(err).NotTo(HaveOccurred())
		out, err := io.ReadAll(c)
		Expect(err).NotTo(HaveOccurred())
		Expect(time.Since(t0)).To(BeNumerically(">=", 200*time.Millisecond))
		Expect(responses(out, "GET")[0].body).To(Equal(files["/hello.txt"]))
		conns := s.Transcript().Conns()
		Expect(conns).To(HaveLen(1))
		Expect(conns[0].ClosedBy).To(Equal("server"))
	})
})

var _ = Describe("adversarial segmentation", func() {
	It("still delivers the whole body in 7-byte writes", func() {
		s := start(httpd.Config{Segment: 7})
		out := exchange(s, "GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		Expect(responses(out, "GET")[0].body).To(Equal(files["/index.html"]))
		settle(s)
		msgs := s.Transcript().Messages(1, wire.S2C)
		Expect(len(msgs)).To(BeNumerically(">", len(files["/index.html"])/7))
		for _, m := range msgs {
			Expect(len(m)).To(BeNumerically("<=", 7))
		}
	})

	It("waits Delay between segments", func() {
		s := start(httpd.Config{Segment: 100, Delay: 20 * time.Millisecond})
		t0 := time.Now()
		r := curl(s, "/doc.pdf") // 670 bytes + head: at least 7 segments
		Expect(r.body).To(Equal(files["/doc.pdf"]))
		Expect(time.Since(t0)).To(BeNumerically(">=", 6*20*time.Millisecond))
	})

	It("lets Close cut a slow response short", func() {
		s, err := httpd.New(httpd.Config{Addr: "127.0.0.1:0", Root: www, Segment: 1, Delay: time.Second})
		Expect(err).NotTo(HaveOccurred())
		c := dial(s)
		_, err = io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
		Expect(err).NotTo(HaveOccurred())
		Eventually(func() []byte { return s.Transcript().Bytes(0, wire.S2C) }).ShouldNot(BeEmpty())
		t0 := time.Now()
		Expect(s.Close()).To(Succeed())
		Expect(time.Since(t0)).To(BeNumerically("<", time.Second))
	})
})

var _ = Describe("configuration", func() {
	It("serves an fs.FS, and a directory's index.html", func() {
		s := start(httpd.Config{FS: fstest.MapFS{
			"sub/index.html": {Data: []byte("<p>sous-dossier</p>")},
			"a.bin":          {Data: []byte{0, 1, 2, 0xff}},
		}})
		Expect(string(curl(s, "/sub/").body)).To(Equal("<p>sous-dossier</p>"))
		r := curl(s, "/a.bin")
		Expect(r.body).To(Equal([]byte{0, 1, 2, 0xff}))
		Expect(r.header.Get("Content-Type")).To(Equal("application/octet-stream"))
		Expect(curl(s, "/").status).To(Equal(404))
	})

	It("takes Last-Modified from the file when ModTime is not set", func() {
		s, err := httpd.New(httpd.Config{Addr: "127.0.0.1:0", FS: fstest.MapFS{
			"f.txt": {Data: []byte("x"), ModTime: time.Date(2020, 1, 2, 3, 4, 5, 600, time.UTC)},
		}})
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(s.Close)
		Expect(curl(s, "/f.txt").header.Get("Last-Modified")).To(Equal("Thu, 02 Jan 2020 03:04:05 GMT"))
	})

	It("refuses a missing address or root", func() {
		_, err := httpd.New(httpd.Config{Root: www})
		Expect(err).To(HaveOccurred())
		_, err = httpd.New(httpd.Config{Addr: "127.0.0.1:0"})
		Expect(err).To(HaveOccurred())
		_, err = httpd.New(httpd.Config{Addr: "127.0.0.1:0", Root: "../../fixtures/www/hello.txt"})
		Expect(err).To(HaveOccurred())
	})

	It("uses Now for the Date header", func() {
		now := time.Date(2024, 9, 2, 8, 0, 0, 0, time.UTC)
		s := start(httpd.Config{Now: func() time.Time { return now }})
		Expect(curl(s, "/hello.txt").header.Get("Date")).To(Equal("Mon, 02 Sep 2024 08:00:00 GMT"))
	})
})
