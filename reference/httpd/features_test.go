package httpd_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os/exec"
	"strconv"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/wire"
	"github.com/netlab-grader/grader/reference/httpd"
)

// gunzip decompresses b, failing the spec when it is not gzip.
func gunzip(b []byte) []byte {
	GinkgoHelper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	Expect(err).NotTo(HaveOccurred(), "not gzip: % x", b[:min(len(b), 16)])
	out, err := io.ReadAll(zr)
	Expect(err).NotTo(HaveOccurred())
	return out
}

// client is Go's HTTP client as a program would use it, with a safety
// timeout; jar may be nil.
func client(jar http.CookieJar) *http.Client {
	return &http.Client{Timeout: ioTimeout, Jar: jar, Transport: &http.Transport{}}
}

// get fetches path from s with c and reads the whole body.
func get(c *http.Client, s *httpd.Server, path string, header ...string) (*http.Response, []byte) {
	GinkgoHelper()
	req, err := http.NewRequest("GET", s.URL()+path, nil)
	Expect(err).NotTo(HaveOccurred())
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	Expect(err).NotTo(HaveOccurred())
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	Expect(err).NotTo(HaveOccurred())
	return resp, body
}

var _ = Describe("gzip (driven with curl)", func() {
	var s *httpd.Server
	page := func() []byte { return files["/index.html"] }
	BeforeEach(func() { s = start(httpd.Config{Gzip: true}) })

	It("compresses the page for a client that accepts gzip", func() {
		r := curl(s, "/", "-H", "Accept-Encoding: gzip")
		Expect(r.status).To(Equal(200))
		Expect(r.header.Get("Content-Encoding")).To(Equal("gzip"))
		Expect(r.header.Get("Vary")).To(Equal("Accept-Encoding"))
		Expect(r.header.Get("Content-Length")).To(Equal(strconv.Itoa(len(r.body))))
		Expect(len(r.body)).To(BeNumerically("<", len(page())/2))
		Expect(r.body[:2]).To(Equal([]byte{0x1f, 0x8b}))
		Expect(gunzip(r.body)).To(Equal(page()))
		Expect(r.header.Get("ETag")).To(Equal(httpd.GzipETag(page())))
		Expect(r.header.Get("ETag")).NotTo(Equal(httpd.ETag(page())))
		Expect(r.header.Get("Content-Type")).To(Equal("text/html; charset=utf-8"))
	})

	It("gives the same compressed bytes every time", func() {
		a := curl(s, "/", "-H", "Accept-Encoding: gzip")
		b := curl(s, "/", "-H", "Accept-Encoding: gzip")
		Expect(a.body).To(Equal(b.body))
	})

	It("lets curl --compressed decode the page", func() {
		r := curl(s, "/", "--compressed")
		Expect(r.header.Get("Content-Encoding")).To(Equal("gzip"))
		Expect(r.body).To(Equal(page()))
	})

	DescribeTable("reads Accept-Encoding, q=0 included",
		func(value string, compressed bool) {
			r := curl(s, "/hello.txt", "-H", "Accept-Encoding: "+value)
			Expect(r.header.Get("Vary")).To(Equal("Accept-Encoding"))
			if compressed {
				Expect(r.header.Get("Content-Encoding")).To(Equal("gzip"))
				Expect(gunzip(r.body)).To(Equal(files["/hello.txt"]))
				return
			}
			Expect(r.header.Values("Content-Encoding")).To(BeEmpty())
			Expect(r.body).To(Equal(files["/hello.txt"]))
			Expect(r.header.Get("ETag")).To(Equal(httpd.ETag(files["/hello.txt"])))
		},
		Entry("gzip", "gzip", true),
		Entry("a list, any case, with weights", "deflate, GZIP;q=0.5, br", true),
		Entry("x-gzip, its old alias", "x-gzip", true),
		Entry("any coding", "*", true),
		Entry("gzip refused with q=0", "gzip;q=0", false),
		Entry("gzip refused with q=0.000", "gzip; q=0.000", false),
		Entry("gzip refused even if * is accepted", "*, gzip;q=0", false),
		Entry("any coding refused", "*;q=0", false),
		Entry("identity only", "identity", false),
		Entry("another coding", "deflate, br", false),
		Entry("an invalid weight, ignored", "gzip;q=2", false),
		Entry("an empty value", "", false),
	)

	It("sends the page uncompressed, with Vary, to a client that does not ask", func() {
		r := curl(s, "/")
		Expect(r.header.Values("Content-Encoding")).To(BeEmpty())
		Expect(r.header.Get("Vary")).To(Equal("Accept-Encoding"))
		Expect(r.body).To(Equal(page()))
	})

	It("does not compress a PNG or a PDF, and says no Vary for them", func() {
		for _, p := range []string{"/image.png", "/doc.pdf"} {
			r := curl(s, p, "-H", "Accept-Encoding: gzip")
			Expect(r.header.Values("Content-Encoding")).To(BeEmpty(), p)
			Expect(r.header.Values("Vary")).To(BeEmpty(), p)
			Expect(r.body).To(Equal(files[p]), p)
		}
	})

	It("keeps a Range of a gzipped page uncompressed", func() {
		r := curl(s, "/", "-H", "Accept-Encoding: gzip", "-H", "Range: bytes=500-1000")
		Expect(r.status).To(Equal(206))
		Expect(r.header.Values("Content-Encoding")).To(BeEmpty())
		Expect(r.header.Get("Content-Range")).To(Equal(fmt.Sprintf("bytes 500-1000/%d", len(page()))))
		Expect(r.body).To(Equal(page()[500:1001]))
		Expect(r.header.Get("ETag")).To(Equal(httpd.ETag(page())))
		Expect(r.header.Get("Vary")).To(Equal("Accept-Encoding"))
	})

	It("answers HEAD with the headers of the gzipped GET", func() {
		get := curl(s, "/", "-H", "Accept-Encoding: gzip")
		head := curl(s, "/", "-I", "-H", "Accept-Encoding: gzip")
		get.header.Del("Date")
		head.header.Del("Date")
		Expect(head.header).To(Equal(get.header))
		Expect(head.header.Get("Content-Length")).To(Equal(strconv.Itoa(len(get.body))))
		reqs := settle(s)
		Expect(string(s.Transcript().Bytes(reqs[1].Conn, wire.S2C))).To(HaveSuffix("Accept-Ranges: bytes\r\n\r\n"))
	})

	It("answers If-None-Match with either representation's tag with 304, Vary and the tag sent", func() {
		for _, tag := range []string{httpd.GzipETag(page()), httpd.ETag(page())} {
			r := curl(s, "/", "-H", "Accept-Encoding: gzip", "-H", "If-None-Match: "+tag)
			Expect(r.status).To(Equal(304), tag)
			Expect(r.header.Get("ETag")).To(Equal(httpd.GzipETag(page())))
			Expect(r.header.Get("Vary")).To(Equal("Accept-Encoding"))
			Expect(r.body).To(BeEmpty())
		}
		r := curl(s, "/", "-H", "If-None-Match: "+httpd.GzipETag(page()))
		Expect(r.status).To(Equal(304))
		Expect(r.header.Get("ETag")).To(Equal(httpd.ETag(page())))
	})

	It("compresses nothing when Config.Gzip is off", func() {
		plain := start(httpd.Config{})
		r := curl(plain, "/", "-H", "Accept-Encoding: gzip")
		Expect(r.header.Values("Content-Encoding")).To(BeEmpty())
		Expect(r.header.Values("Vary")).To(BeEmpty())
		Expect(r.body).To(Equal(page()))
	})
})

var _ = Describe("gzip (driven with Go's http client)", func() {
	It("is decoded transparently by the default transport, which asks for it", func() {
		s := start(httpd.Config{Gzip: true})
		c := client(nil)
		resp, body := get(c, s, "/")
		Expect(resp.Uncompressed).To(BeTrue())
		Expect(body).To(Equal(files["/index.html"]))
		c.CloseIdleConnections()
		reqs := settle(s)
		Expect(reqs[0].Header.Get("Accept-Encoding")).To(Equal("gzip"))
		Expect(string(s.Transcript().Bytes(reqs[0].Conn, wire.S2C))).To(ContainSubstring("\r\nContent-Encoding: gzip\r\n"))
	})

	It("is not sent to a client with compression disabled", func() {
		s := start(httpd.Config{Gzip: true})
		c := &http.Client{Timeout: ioTimeout, Transport: &http.Transport{DisableCompression: true}}
		resp, body := get(c, s, "/")
		Expect(resp.Uncompressed).To(BeFalse())
		Expect(resp.Header.Values("Content-Encoding")).To(BeEmpty())
		Expect(resp.ContentLength).To(Equal(int64(len(files["/index.html"]))))
		Expect(body).To(Equal(files["/index.html"]))
	})

	It("sends the compressed length that the raw body has", func() {
		s := start(httpd.Config{Gzip: true})
		c := &http.Client{Timeout: ioTimeout, Transport: &http.Transport{DisableCompression: true}}
		resp, body := get(c, s, "/", "Accept-Encoding", "gzip")
		Expect(resp.ContentLength).To(Equal(int64(len(body))))
		Expect(gunzip(body)).To(Equal(files["/index.html"]))
	})
})

var _ = Describe("redirects (driven with curl)", func() {
	var s *httpd.Server
	BeforeEach(func() {
		s = start(httpd.Config{Redirects: map[string]httpd.Redirect{
			"/old":   {Status: 301, Location: "/temp", Absolute: true},
			"/temp":  {Status: 302, Location: "/index.html"},
			"/loop":  {Status: 302, Location: "/loop2"},
			"/loop2": {Status: 302, Location: "/loop"},
			"/away":  {Status: 307, Location: "http://example.org/x"},
		}})
	})

	It("answers 301 with an absolute Location and a short HTML page", func() {
		r := curl(s, "/old")
		Expect(r.status).To(Equal(301))
		Expect(r.header.Get("Location")).To(Equal(s.URL() + "/temp"))
		Expect(r.header.Get("Content-Type")).To(Equal("text/html; charset=utf-8"))
		Expect(r.header.Get("Content-Length")).To(Equal(strconv.Itoa(len(r.body))))
		Expect(string(r.body)).To(ContainSubstring("Moved Permanently"))
		Expect(string(r.body)).To(ContainSubstring(`<a href="` + s.URL() + `/temp">`))
	})

	It("answers 302 with the Location as configured", func() {
		r := curl(s, "/temp")
		Expect(r.status).To(Equal(302))
		Expect(r.header.Get("Location")).To(Equal("/index.html"))
		Expect(string(r.body)).To(ContainSubstring("Found"))
		r = curl(s, "/away")
		Expect(r.status).To(Equal(307))
		Expect(r.header.Get("Location")).To(Equal("http://example.org/x"))
	})

	It("is followed by curl -L to the page, over one connection", func() {
		r := curl(s, "/old", "-L", "-w", "%{http_code} %{num_redirects} %{num_connects} %{url_effective}")
		Expect(r.stdout).To(Equal("200 2 1 " + s.URL() + "/index.html"))
		Expect(r.body).To(Equal(files["/index.html"]))
		reqs := settle(s)
		Expect(reqs).To(HaveLen(3))
		var got []string
		for _, q := range reqs {
			got = append(got, fmt.Sprintf("%s %d %d", q.Target, q.Status, q.Conn))
		}
		Expect(got).To(Equal([]string{"/old 301 1", "/temp 302 1", "/index.html 200 1"}))
	})

	It("answers HEAD with the same headers and no body", func() {
		get := curl(s, "/old")
		head := curl(s, "/old", "-I")
		get.header.Del("Date")
		head.header.Del("Date")
		Expect(head.header).To(Equal(get.header))
		reqs := settle(s)
		Expect(string(s.Transcript().Bytes(reqs[1].Conn, wire.S2C))).To(HaveSuffix("\r\n\r\n"))
	})

	It("answers OPTIONS, not with the redirect", func() {
		Expect(curl(s, "/index.html", "-X", "OPTIONS").status).To(Equal(200))
		Expect(curl(s, "/old", "-X", "OPTIONS").status).To(Equal(404))
	})

	It("makes curl give up on a loop", func() {
		out, err := curlRaw("-s", "-L", "--max-redirs", "5", "-o", "/dev/null", s.URL()+"/loop")
		Expect(err).To(HaveOccurred())
		Expect(out).To(BeEmpty())
		Expect(settle(s)).To(HaveLen(6))
	})
})

var _ = Describe("redirects (driven with Go's http client)", func() {
	It("are followed, 301 then 302, to the page", func() {
		s := start(httpd.Config{Redirects: map[string]httpd.Redirect{
			"/old":  {Status: 301, Location: "/temp", Absolute: true},
			"/temp": {Status: 302, Location: "/index.html"},
		}})
		var seen []int
		c := client(nil)
		c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
			seen = append(seen, req.Response.StatusCode)
			return nil
		}
		resp, body := get(c, s, "/old")
		Expect(resp.StatusCode).To(Equal(200))
		Expect(resp.Request.URL.String()).To(Equal(s.URL() + "/index.html"))
		Expect(seen).To(Equal([]int{301, 302}))
		Expect(body).To(Equal(files["/index.html"]))
	})

	It("stop a client at its limit on a loop", func() {
		s := start(httpd.Config{Redirects: map[string]httpd.Redirect{
			"/loop":  {Status: 302, Location: "/loop2"},
			"/loop2": {Status: 302, Location: "/loop"},
		}})
		c := client(nil)
		_, err := c.Get(s.URL() + "/loop")
		Expect(err).To(MatchError(ContainSubstring("stopped after 10 redirects")))
		c.CloseIdleConnections()
		Expect(settle(s)).To(HaveLen(10))
	})
})

var _ = Describe("freshness by path prefix", func() {
	now := time.Date(2024, 9, 2, 8, 0, 0, 0, time.UTC)
	var s *httpd.Server
	BeforeEach(func() {
		s = start(httpd.Config{
			Now: func() time.Time { return now },
			Cache: map[string]httpd.CacheRule{
				"/":      {MaxAge: new(60 * time.Second)},
				"/free/": {MaxAge: new(6 * time.Hour), Expires: new(time.Hour)},
				"/fr":    {MaxAge: new(time.Second)},
				"/old":   {Expires: new(-time.Hour)},
			},
			CacheControl: map[string]string{"/hello.txt": "no-cache"},
			Redirects:    map[string]httpd.Redirect{"/old": {Status: 301, Location: "/index.html"}},
		})
	})

	It("sends the longest prefix's max-age and Expires from the configured clock (curl)", func() {
		r := curl(s, "/index.html")
		Expect(r.header.Get("Cache-Control")).To(Equal("max-age=60"))
		Expect(r.header.Values("Expires")).To(BeEmpty())
		r = curl(s, "/free/diagrams/tcpswunack.png")
		Expect(r.header.Get("Cache-Control")).To(Equal("max-age=21600"))
		Expect(r.header.Get("Date")).To(Equal("Mon, 02 Sep 2024 08:00:00 GMT"))
		Expect(r.header.Get("Expires")).To(Equal("Mon, 02 Sep 2024 09:00:00 GMT"))
	})

	It("lets the exact-path Cache-Control win, and sends freshness with 304 and redirects (curl)", func() {
		Expect(curl(s, "/hello.txt").header.Get("Cache-Control")).To(Equal("no-cache"))
		r := curl(s, "/", "-H", "If-None-Match: "+httpd.ETag(files["/index.html"]))
		Expect(r.status).To(Equal(304))
		Expect(r.header.Get("Cache-Control")).To(Equal("max-age=60"))
		r = curl(s, "/old")
		Expect(r.status).To(Equal(301))
		Expect(r.header.Get("Expires")).To(Equal("Mon, 02 Sep 2024 07:00:00 GMT"))
		// The longest prefix's rule is the whole answer: "/" adds nothing.
		Expect(r.header.Values("Cache-Control")).To(BeEmpty())
	})

	It("matches prefixes segment by segment (Go's http client)", func() {
		resp, _ := get(client(nil), s, "/free/diagrams/osinotation.png")
		Expect(resp.Header.Get("Cache-Control")).To(Equal("max-age=21600"))
		Expect(resp.Header.Get("Expires")).To(Equal("Mon, 02 Sep 2024 09:00:00 GMT"))
		// "/fr" is not a segment of "/free/...": "/free/" wins, and
		// nothing under "/fr" alone exists.
		resp, _ = get(client(nil), s, "/doc.pdf")
		Expect(resp.Header.Get("Cache-Control")).To(Equal("max-age=60"))
	})

	It("is absent when no rule covers the path (Go's http client)", func() {
		plain := start(httpd.Config{Cache: map[string]httpd.CacheRule{"/free": {MaxAge: new(time.Minute)}}})
		resp, _ := get(client(nil), plain, "/index.html")
		Expect(resp.Header.Values("Cache-Control")).To(BeEmpty())
		resp, _ = get(client(nil), plain, "/free/diagrams/osinotation.png")
		Expect(resp.Header.Get("Cache-Control")).To(Equal("max-age=60"))
	})
})

// chunks splits a chunked body read off the wire into its chunk sizes
// and data, failing the spec on a framing error.
func chunks(b []byte) (sizes []int, data []byte) {
	GinkgoHelper()
	br := bufio.NewReader(bytes.NewReader(b))
	for {
		line, err := br.ReadString('\n')
		Expect(err).NotTo(HaveOccurred())
		Expect(line).To(HaveSuffix("\r\n"))
		n, err := strconv.ParseInt(strings.TrimSuffix(line, "\r\n"), 16, 64)
		Expect(err).NotTo(HaveOccurred(), "chunk size line %q", line)
		sizes = append(sizes, int(n))
		buf := make([]byte, n+2)
		_, err = io.ReadFull(br, buf)
		Expect(err).NotTo(HaveOccurred())
		if n == 0 {
			Expect(string(buf)).To(Equal("\r\n"))
			rest, _ := io.ReadAll(br)
			Expect(rest).To(BeEmpty())
			return sizes, data
		}
		Expect(string(buf[n:])).To(Equal("\r\n"))
		data = append(data, buf[:n]...)
	}
}

var _ = Describe("chunked transfer coding", func() {
	It("frames an HTTP/1.1 answer in ChunkSize chunks, without Content-Length (curl)", func() {
		s := start(httpd.Config{Chunked: true, ChunkSize: 10000})
		r := curl(s, "/index.html")
		Expect(r.header.Get("Transfer-Encoding")).To(Equal("chunked"))
		Expect(r.header.Values("Content-Length")).To(BeEmpty())
		Expect(r.body).To(Equal(files["/index.html"]))
		settle(s)
		wireOut := s.Transcript().Bytes(1, wire.S2C)
		_, body, ok := bytes.Cut(wireOut, []byte("\r\n\r\n"))
		Expect(ok).To(BeTrue())
		sizes, data := chunks(body)
		n := len(files["/index.html"])
		Expect(sizes).To(Equal([]int{10000, 10000, n - 20000, 0}))
		Expect(data).To(Equal(files["/index.html"]))
	})

	It("keeps the connection alive across chunked answers (curl)", func() {
		s := start(httpd.Config{Chunked: true})
		r := curl(s, "/hello.txt", "-w", "%{num_connects}\n", "-o", "/dev/null", s.URL()+"/index.html")
		Expect(r.stdout).To(Equal("1\n0\n"))
		// curl pairs the helper's -o with the first URL given.
		Expect(r.body).To(Equal(files["/index.html"]))
		reqs := settle(s)
		Expect(reqs).To(HaveLen(2))
		Expect(reqs[1].Conn).To(Equal(reqs[0].Conn))
	})

	It("uses Content-Length for HTTP/1.0, and for HEAD says what GET would (curl)", func() {
		s := start(httpd.Config{Chunked: true})
		r := curl(s, "/hello.txt", "--http1.0")
		Expect(r.header.Values("Transfer-Encoding")).To(BeEmpty())
		Expect(r.header.Get("Content-Length")).To(Equal("17"))
		Expect(r.body).To(Equal(files["/hello.txt"]))
		head := curl(s, "/hello.txt", "-I")
		Expect(head.header.Get("Transfer-Encoding")).To(Equal("chunked"))
	})

	It("keeps Content-Length on redirects and errors (curl)", func() {
		s := start(httpd.Config{Chunked: true, Redirects: map[string]httpd.Redirect{"/old": {Status: 302, Location: "/"}}})
		Expect(curl(s, "/old").header.Values("Transfer-Encoding")).To(BeEmpty())
		Expect(curl(s, "/nope").header.Values("Transfer-Encoding")).To(BeEmpty())
	})

	It("is read by Go's http client, gzipped too, over one kept-alive connection", func() {
		s := start(httpd.Config{Chunked: true, Gzip: true, ChunkSize: 1000})
		c := client(nil)
		for range 3 {
			resp, body := get(c, s, "/index.html")
			Expect(resp.TransferEncoding).To(Equal([]string{"chunked"}))
			Expect(resp.ContentLength).To(Equal(int64(-1)))
			Expect(resp.Uncompressed).To(BeTrue())
			Expect(body).To(Equal(files["/index.html"]))
		}
		resp, body := get(c, s, "/index.html", "Range", "bytes=0-9")
		Expect(resp.StatusCode).To(Equal(206))
		Expect(resp.TransferEncoding).To(Equal([]string{"chunked"}))
		Expect(body).To(Equal(files["/index.html"][:10]))
		c.CloseIdleConnections()
		reqs := settle(s)
		Expect(reqs).To(HaveLen(4))
		for _, q := range reqs {
			Expect(q.Conn).To(Equal(1))
		}
	})
})

var _ = Describe("cookies", func() {
	var s *httpd.Server
	BeforeEach(func() {
		s = start(httpd.Config{SetCookie: map[string][]string{
			"/":      {"session=abc123; Path=/"},
			"/free/": {"zone=free; Path=/free", "lang=fr"},
		}})
	})

	It("sends the longest prefix's Set-Cookie values, not with errors (curl)", func() {
		Expect(curl(s, "/").header.Values("Set-Cookie")).To(Equal([]string{"session=abc123; Path=/"}))
		Expect(curl(s, "/free/diagrams/tcpswunack.png").header.Values("Set-Cookie")).To(Equal([]string{"zone=free; Path=/free", "lang=fr"}))
		Expect(curl(s, "/nope.html").header.Values("Set-Cookie")).To(BeEmpty())
	})

	It("records the Cookie pairs a request sends, in order (curl)", func() {
		curl(s, "/hello.txt", "-b", "a=1; b=two")
		curl(s, "/hello.txt", "-H", "Cookie: a=1", "-H", "Cookie: broken;c= 3 ")
		curl(s, "/hello.txt")
		reqs := settle(s)
		Expect(reqs).To(HaveLen(3))
		Expect(reqs[0].Cookies).To(Equal([]httpd.Cookie{{Name: "a", Value: "1"}, {Name: "b", Value: "two"}}))
		Expect(reqs[1].Cookies).To(Equal([]httpd.Cookie{{Name: "a", Value: "1"}, {Value: "broken"}, {Name: "c", Value: "3"}}))
		Expect(reqs[2].Cookies).To(BeEmpty())
	})

	It("round-trips through curl's cookie jar", func() {
		jar := GinkgoT().TempDir() + "/jar"
		curl(s, "/", "-c", jar)
		curl(s, "/", "-b", jar)
		reqs := settle(s)
		Expect(reqs[0].Cookies).To(BeEmpty())
		Expect(reqs[1].Cookies).To(Equal([]httpd.Cookie{{Name: "session", Value: "abc123"}}))
	})

	It("round-trips through Go's cookie jar", func() {
		jar, err := cookiejar.New(nil)
		Expect(err).NotTo(HaveOccurred())
		c := client(jar)
		resp, _ := get(c, s, "/free/diagrams/osinotation.png")
		Expect(resp.Cookies()).To(HaveLen(2))
		get(c, s, "/free/diagrams/tcpswunack.png")
		c.CloseIdleConnections()
		reqs := settle(s)
		Expect(reqs).To(HaveLen(2))
		Expect(reqs[1].Cookies).To(ConsistOf(
			httpd.Cookie{Name: "zone", Value: "free"},
			httpd.Cookie{Name: "lang", Value: "fr"},
		))
	})
})

var _ = Describe("configuration of the extensions", func() {
	DescribeTable("refuses what it could not honour",
		func(cfg httpd.Config, why string) {
			cfg.Addr, cfg.Root = "127.0.0.1:0", www
			_, err := httpd.New(cfg)
			Expect(err).To(MatchError(ContainSubstring(why)))
		},
		Entry("a redirect status that is no redirect", httpd.Config{Redirects: map[string]httpd.Redirect{"/a": {Status: 200, Location: "/"}}}, "want one of [301 302 303 307 308]"),
		Entry("a redirect without Location", httpd.Config{Redirects: map[string]httpd.Redirect{"/a": {Status: 301}}}, "no Location"),
		Entry("a redirect path without /", httpd.Config{Redirects: map[string]httpd.Redirect{"a": {Status: 301, Location: "/"}}}, "must start with /"),
		Entry("an absolute redirect to a URL", httpd.Config{Redirects: map[string]httpd.Redirect{"/a": {Status: 301, Location: "http://x/", Absolute: true}}}, "only a path"),
		Entry("a cache prefix without /", httpd.Config{Cache: map[string]httpd.CacheRule{"free": {}}}, "must start with /"),
		Entry("a cookie prefix without /", httpd.Config{SetCookie: map[string][]string{"x": {"a=b"}}}, "must start with /"),
	)
})

// curlRaw runs curl with args (and a time limit), returning its stdout
// and its error.
func curlRaw(args ...string) (string, error) {
	out, err := exec.Command("curl", append([]string{"--max-time", "5"}, args...)...).Output()
	return string(out), err
}

var _ = Describe("the order of recorded requests", func() {
	It("is the order they arrived in, across connections", func() {
		s := start(httpd.Config{})
		c := &http.Client{Timeout: ioTimeout, Transport: &http.Transport{DisableKeepAlives: true}}
		var want []string
		for i := range 30 {
			p := fmt.Sprintf("/nope-%d", i)
			want = append(want, p)
			resp, err := c.Get(s.URL() + p)
			Expect(err).NotTo(HaveOccurred())
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		var got []string
		for _, q := range settle(s) {
			got = append(got, q.Target)
		}
		Expect(got).To(Equal(want))
	})
})

var _ = Describe("the request record", func() {
	It("keeps MaxRecorded requests and counts the rest, still serving them", func() {
		s := start(httpd.Config{MaxRecorded: 3})
		for range 5 {
			Expect(curl(s, "/hello.txt").status).To(Equal(200))
		}
		Expect(settle(s)).To(HaveLen(3))
		Expect(s.Unrecorded()).To(Equal(2))
	})
})
