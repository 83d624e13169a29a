package httpd_test

import (
	"bytes"
	"fmt"
	"image/png"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/wire"
	"github.com/netlab-grader/grader/reference/httpd"
)

var _ = Describe("the fixtures", func() {
	It("are an HTML page of at least 20 KB, a real PNG, a PDF and a text file", func() {
		Expect(len(files["/index.html"])).To(BeNumerically(">=", 20<<10))
		Expect(string(files["/index.html"])).To(HavePrefix("<!DOCTYPE html>"))
		img, err := png.Decode(bytes.NewReader(files["/image.png"]))
		Expect(err).NotTo(HaveOccurred())
		Expect(img.Bounds().Dx()).To(BeNumerically(">", 0))
		Expect(string(files["/doc.pdf"])).To(HavePrefix("%PDF-1.4\n"))
		Expect(string(files["/doc.pdf"])).To(HaveSuffix("%%EOF\n"))
		Expect(string(files["/hello.txt"])).To(Equal("Bonjour le monde\n"))
	})
})

var _ = Describe("GET, HEAD, OPTIONS (driven with curl)", func() {
	DescribeTable("GET sends the file's exact bytes with its headers",
		func(path, file, ctype string) {
			s := start(httpd.Config{})
			r := curl(s, path)
			Expect(r.status).To(Equal(200))
			Expect(r.body).To(Equal(files[file]))
			Expect(r.header.Get("Content-Type")).To(Equal(ctype))
			Expect(r.header.Get("Content-Length")).To(Equal(strconv.Itoa(len(files[file]))))
			Expect(r.header.Get("Last-Modified")).To(Equal(lastModified))
			Expect(r.header.Get("ETag")).To(Equal(httpd.ETag(files[file])))
			Expect(r.header.Get("ETag")).To(MatchRegexp(`^"[0-9a-f]{16}"$`))
			Expect(r.header.Get("Accept-Ranges")).To(Equal("bytes"))
			Expect(r.header.Get("Server")).To(Equal(httpd.ServerName))
			_, err := http.ParseTime(r.header.Get("Date"))
			Expect(err).NotTo(HaveOccurred())
			reqs := settle(s)
			Expect(reqs).To(HaveLen(1))
			r0 := reqs[0]
			Expect(r0.Conn).To(Equal(1))
			Expect([]string{r0.Method, r0.Target, r0.Proto}).To(Equal([]string{"GET", path, "HTTP/1.1"}))
			Expect(r0.Path).To(Equal(path))
			Expect(r0.Status).To(Equal(200))
			Expect(r0.Answer).To(Equal(r.header))
			Expect(r0.Header.Get("Host")).To(Equal(s.Addr().String()))
			Expect(r0.BareLF).To(BeFalse())
			Expect(r0.Pipelined).To(BeFalse())
			Expect(r0.Err).To(BeEmpty())
			Expect(string(r0.Raw)).To(HavePrefix("GET " + path + " HTTP/1.1\r\n"))
			Expect(string(r0.Raw)).To(HaveSuffix("\r\n\r\n"))
			Expect(r0.Raw).To(Equal(s.Transcript().Bytes(1, wire.C2S)))
			Expect(r0.Done).To(BeNumerically(">=", r0.Arrived))
		},
		Entry("the page /", "/", "/index.html", "text/html; charset=utf-8"),
		Entry("the page by name", "/index.html", "/index.html", "text/html; charset=utf-8"),
		Entry("the PNG", "/image.png", "/image.png", "image/png"),
		Entry("the PDF", "/doc.pdf", "/doc.pdf", "application/pdf"),
		Entry("the text file", "/hello.txt", "/hello.txt", "text/plain; charset=utf-8"),
	)

	It("answers HEAD with the same headers as GET and no body", func() {
		s := start(httpd.Config{})
		get := curl(s, "/index.html")
		head := curl(s, "/index.html", "-I")
		Expect(head.status).To(Equal(200))
		get.header.Del("Date")
		head.header.Del("Date")
		Expect(head.header).To(Equal(get.header))
		reqs := settle(s)
		Expect(reqs).To(HaveLen(2))
		Expect(reqs[1].Method).To(Equal("HEAD"))
		// Nothing after the head on the wire (curl -I writes the head to -o).
		Expect(string(s.Transcript().Bytes(reqs[1].Conn, wire.S2C))).To(HaveSuffix("Accept-Ranges: bytes\r\n\r\n"))
	})

	It("answers OPTIONS with Allow", func() {
		s := start(httpd.Config{})
		r := curl(s, "/", "-X", "OPTIONS")
		Expect(r.status).To(Equal(200))
		Expect(r.header.Get("Allow")).To(Equal("GET, HEAD, OPTIONS"))
		Expect(r.header.Get("Content-Length")).To(Equal("0"))
	})

	DescribeTable("answers any other method with 405 and Allow",
		func(method string) {
			s := start(httpd.Config{})
			r := curl(s, "/index.html", "-X", method)
			Expect(r.status).To(Equal(405))
			Expect(r.header.Get("Allow")).To(Equal("GET, HEAD, OPTIONS"))
			Expect(settle(s)[0].Status).To(Equal(405))
		},
		Entry("POST", "POST"), Entry("PUT", "PUT"), Entry("DELETE", "DELETE"),
		Entry("an unknown method", "BREW"), Entry("a lower-case get", "get"),
	)

	It("answers an HTTP/1.1 request without Host with 400 and records why", func() {
		s := start(httpd.Config{})
		r := curl(s, "/", "-H", "Host:")
		Expect(r.status).To(Equal(400))
		Expect(r.header.Get("Connection")).To(Equal("close"))
		Expect(string(r.body)).To(ContainSubstring("Host"))
		reqs := settle(s)
		Expect(reqs).To(HaveLen(1))
		Expect(reqs[0].Status).To(Equal(400))
		Expect(reqs[0].Err).To(ContainSubstring("Host"))
	})

	It("answers a missing file with 404", func() {
		s := start(httpd.Config{})
		Expect(curl(s, "/nope.html").status).To(Equal(404))
		Expect(curl(s, "/../../../etc/passwd", "--path-as-is").status).To(Equal(404))
	})
})

var _ = Describe("Range (driven with curl)", func() {
	var s *httpd.Server
	page := func() []byte { return files["/index.html"] }
	size := func() int { return len(page()) }
	BeforeEach(func() { s = start(httpd.Config{}) })

	It("sends a single range with 206 and Content-Range", func() {
		r := curl(s, "/", "-H", "Range: bytes=500-1000")
		Expect(r.status).To(Equal(206))
		Expect(r.header.Get("Content-Range")).To(Equal(fmt.Sprintf("bytes 500-1000/%d", size())))
		Expect(r.header.Get("Content-Length")).To(Equal("501"))
		Expect(r.body).To(Equal(page()[500:1001]))
	})

	It("sends an open-ended range to the end", func() {
		r := curl(s, "/", "-H", "Range: bytes=20000-")
		Expect(r.status).To(Equal(206))
		Expect(r.header.Get("Content-Range")).To(Equal(fmt.Sprintf("bytes 20000-%d/%d", size()-1, size())))
		Expect(r.body).To(Equal(page()[20000:]))
	})

	It("sends a suffix range (the last 500 bytes)", func() {
		r := curl(s, "/", "-H", "Range: bytes=-500")
		Expect(r.status).To(Equal(206))
		Expect(r.header.Get("Content-Range")).To(Equal(fmt.Sprintf("bytes %d-%d/%d", size()-500, size()-1, size())))
		Expect(r.body).To(Equal(page()[size()-500:]))
	})

	It("clamps a range that runs past the end", func() {
		r := curl(s, "/hello.txt", "-H", "Range: bytes=8-999")
		Expect(r.status).To(Equal(206))
		Expect(r.header.Get("Content-Range")).To(Equal("bytes 8-16/17"))
		Expect(string(r.body)).To(Equal("le monde\n"))
	})

	It("sends several ranges as multipart/byteranges", func() {
		r := curl(s, "/", "-H", "Range: bytes=0-99, 500-599,-10")
		Expect(r.status).To(Equal(206))
		mt, params, err := mime.ParseMediaType(r.header.Get("Content-Type"))
		Expect(err).NotTo(HaveOccurred())
		Expect(mt).To(Equal("multipart/byteranges"))
		Expect(r.header.Get("Content-Length")).To(Equal(strconv.Itoa(len(r.body))))
		mr := multipart.NewReader(bytes.NewReader(r.body), params["boundary"])
		want := [][2]int{{0, 99}, {500, 599}, {size() - 10, size() - 1}}
		for _, w := range want {
			p, err := mr.NextPart()
			Expect(err).NotTo(HaveOccurred())
			Expect(p.Header.Get("Content-Type")).To(Equal("text/html; charset=utf-8"))
			Expect(p.Header.Get("Content-Range")).To(Equal(fmt.Sprintf("bytes %d-%d/%d", w[0], w[1], size())))
			b, err := io.ReadAll(p)
			Expect(err).NotTo(HaveOccurred())
			Expect(b).To(Equal(page()[w[0] : w[1]+1]))
		}
		_, err = mr.NextPart()
		Expect(err).To(Equal(io.EOF))
	})

	It("answers an unsatisfiable range with 416 and bytes */LEN", func() {
		r := curl(s, "/", "-H", "Range: bytes=999999-")
		Expect(r.status).To(Equal(416))
		Expect(r.header.Get("Content-Range")).To(Equal(fmt.Sprintf("bytes */%d", size())))
	})

	It("ignores a malformed Range or another unit and sends the whole file", func() {
		for _, v := range []string{"bytes=1000-500", "bytes=abc", "items=0-1", "bytes 0-10"} {
			r := curl(s, "/hello.txt", "-H", "Range: "+v)
			Expect(r.status).To(Equal(200), v)
			Expect(r.body).To(Equal(files["/hello.txt"]), v)
		}
	})

	It("applies Range under If-Range only when the validator is current", func() {
		etag := httpd.ETag(files["/hello.txt"])
		r := curl(s, "/hello.txt", "-H", "Range: bytes=0-6", "-H", "If-Range: "+etag)
		Expect(r.status).To(Equal(206))
		Expect(string(r.body)).To(Equal("Bonjour"))
		r = curl(s, "/hello.txt", "-H", "Range: bytes=0-6", "-H", "If-Range: "+lastModified)
		Expect(r.status).To(Equal(206))
		r = curl(s, "/hello.txt", "-H", "Range: bytes=0-6", "-H", `If-Range: "stale"`)
		Expect(r.status).To(Equal(200))
		Expect(r.body).To(Equal(files["/hello.txt"]))
		r = curl(s, "/hello.txt", "-H", "Range: bytes=0-6", "-H", "If-Range: "+modTime.Add(-time.Hour).Format(http.TimeFormat))
		Expect(r.status).To(Equal(200))
	})

	It("ignores Range on HEAD", func() {
		r := curl(s, "/hello.txt", "-I", "-H", "Range: bytes=0-6")
		Expect(r.status).To(Equal(200))
		Expect(r.header.Get("Content-Length")).To(Equal("17"))
	})
})

var _ = Describe("validators (driven with curl)", func() {
	var s *httpd.Server
	var etag string
	older := modTime.Add(-24 * time.Hour).Format(http.TimeFormat)
	BeforeEach(func() {
		s = start(httpd.Config{
			CacheControl: map[string]string{"/hello.txt": "max-age=60"},
			Expires:      map[string]time.Time{"/hello.txt": modTime.Add(time.Hour)},
		})
		etag = httpd.ETag(files["/index.html"])
	})

	It("answers If-Modified-Since with 304 when not modified, 200 with an older date", func() {
		r := curl(s, "/", "-H", "If-Modified-Since: "+lastModified)
		Expect(r.status).To(Equal(304))
		Expect(r.body).To(BeEmpty())
		Expect(r.header.Get("ETag")).To(Equal(etag))
		Expect(r.header.Get("Last-Modified")).To(Equal(lastModified))
		r = curl(s, "/", "-H", "If-Modified-Since: "+older)
		Expect(r.status).To(Equal(200))
		Expect(r.body).To(Equal(files["/index.html"]))
		// An invalid date is ignored.
		Expect(curl(s, "/", "-H", "If-Modified-Since: yesterday").status).To(Equal(200))
	})

	It("answers If-None-Match with 304, and If-None-Match wins over If-Modified-Since", func() {
		Expect(curl(s, "/", "-H", "If-None-Match: "+etag).status).To(Equal(304))
		Expect(curl(s, "/", "-H", `If-None-Match: "x", W/`+etag).status).To(Equal(304))
		Expect(curl(s, "/", "-H", "If-None-Match: *").status).To(Equal(304))
		Expect(curl(s, "/", "-H", `If-None-Match: "other"`, "-H", "If-Modified-Since: "+lastModified).status).To(Equal(200))
		// Without quotes it is not an entity tag.
		Expect(curl(s, "/", "-H", "If-None-Match: "+strings.Trim(etag, `"`)).status).To(Equal(200))
	})

	It("answers If-Match and If-Unmodified-Since failures with 412", func() {
		Expect(curl(s, "/", "-H", `If-Match: "other"`).status).To(Equal(412))
		Expect(curl(s, "/", "-H", "If-Match: W/"+etag).status).To(Equal(412))
		Expect(curl(s, "/", "-H", "If-Match: "+etag).status).To(Equal(200))
		Expect(curl(s, "/", "-H", "If-Unmodified-Since: "+older).status).To(Equal(412))
		Expect(curl(s, "/", "-H", "If-Unmodified-Since: "+lastModified).status).To(Equal(200))
	})

	It("sends the Cache-Control and Expires configured for a path, only there", func() {
		r := curl(s, "/hello.txt")
		Expect(r.header.Get("Cache-Control")).To(Equal("max-age=60"))
		Expect(r.header.Get("Expires")).To(Equal(modTime.Add(time.Hour).Format(http.TimeFormat)))
		r = curl(s, "/hello.txt", "-H", "If-None-Match: "+httpd.ETag(files["/hello.txt"]))
		Expect(r.status).To(Equal(304))
		Expect(r.header.Get("Cache-Control")).To(Equal("max-age=60"))
		r = curl(s, "/")
		Expect(r.header.Values("Cache-Control")).To(BeEmpty())
		Expect(r.header.Values("Expires")).To(BeEmpty())
	})
})

var _ = Describe("connections (driven with curl)", func() {
	It("keeps an HTTP/1.1 connection alive for the next request", func() {
		s := start(httpd.Config{})
		r := curl(s, "/hello.txt", "-w", "%{num_connects}\n", "-o", "/dev/null", s.URL()+"/doc.pdf")
		Expect(r.stdout).To(Equal("1\n0\n"))
		reqs := settle(s)
		Expect(reqs).To(HaveLen(2))
		Expect(reqs[0].Conn).To(Equal(1))
		Expect(reqs[1].Conn).To(Equal(1))
		// curl fetches the URLs in the order given: the helper's comes last.
		Expect(reqs[0].Target).To(Equal("/doc.pdf"))
		Expect(reqs[1].Target).To(Equal("/hello.txt"))
		Expect(reqs[1].Pipelined).To(BeFalse())
		Expect(reqs[1].Arrived).To(BeNumerically(">", reqs[0].Arrived))
		Expect(s.Transcript().Conns()).To(HaveLen(1))
	})

	It("closes after a response to Connection: close", func() {
		s := start(httpd.Config{})
		r := curl(s, "/hello.txt", "-H", "Connection: close", "-w", "%{num_connects}\n", "-o", "/dev/null", s.URL()+"/doc.pdf")
		Expect(r.stdout).To(Equal("1\n1\n"))
		Expect(r.header.Get("Connection")).To(Equal("close"))
		reqs := settle(s)
		Expect(reqs).To(HaveLen(2))
		Expect(reqs[0].Conn).To(Equal(1))
		Expect(reqs[1].Conn).To(Equal(2))
	})

	It("closes after an HTTP/1.0 response unless asked to keep alive", func() {
		s := start(httpd.Config{})
		r := curl(s, "/hello.txt", "--http1.0")
		Expect(r.status).To(Equal(200))
		Expect(r.header.Get("Connection")).To(Equal("close"))
		r = curl(s, "/hello.txt", "--http1.0", "-H", "Connection: keep-alive")
		Expect(r.header.Get("Connection")).To(Equal("keep-alive"))
	})
})
