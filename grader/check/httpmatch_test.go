package check_test

import (
	"fmt"
	"os"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/check"
	"github.com/netlab-grader/grader/grader/result"
	"github.com/netlab-grader/grader/grader/spec"
)

func i64(n int64) *int64 { return &n }

// www reads a page of fixtures/www.
func www(name string) []byte {
	GinkgoHelper()
	b, err := os.ReadFile("../../fixtures/www/" + name)
	Expect(err).NotTo(HaveOccurred())
	return b
}

// response builds a response with Content-Length from a status line,
// fields and a body.
func response(status string, body []byte, fields ...string) []byte {
	head := "HTTP/1.1 " + status + "\r\n"
	for _, f := range fields {
		head += f + "\r\n"
	}
	head += fmt.Sprintf("Content-Length: %d\r\n\r\n", len(body))
	return append([]byte(head), body...)
}

// httpCheck runs an http matcher on what a closed connection delivered.
func httpCheck(h spec.HTTPResponse, data []byte) result.Check {
	c, _, _ := check.HTTPCheck("probe", &spec.Match{HTTP: &h, Hint: "a hint"}, check.HTTPRead{Data: data, Closed: true})
	return c
}

var _ = Describe("HTTPCheck", func() {
	hello := www("hello.txt")
	index := www("index.html")

	It("passes a response with the status and the file, and reports its status line", func() {
		c := httpCheck(spec.HTTPResponse{Status: 200, Body: &spec.HTTPBody{Www: "hello.txt"}}, response("200 OK", hello, "Content-Type: text/plain"))
		Expect(c.Passed).To(BeTrue(), c.Message)
		Expect(c.Name).To(Equal("probe"))
		Expect(c.Actual).To(Equal("`HTTP/1.1 200 OK`, 17-byte body"))
		Expect(c.Expected).To(Equal("HTTP/1.x 200 OK, the content of /hello.txt"))
	})

	It("quotes the head and names the status it expected", func() {
		c := httpCheck(spec.HTTPResponse{Status: 206, Body: &spec.HTTPBody{Www: "index.html", From: i64(0), To: i64(99)}}, response("200 OK", index, "Content-Type: text/html"))
		Expect(c.Passed).To(BeFalse())
		Expect(c.Message).To(HavePrefix("the status is `200 OK`, expected 206 Partial Content: the Range field was ignored and the whole representation sent; the Content-Range field is missing (want `Content-Range: bytes 0-99/26415`); the body is the whole file (26415 bytes), expected bytes 0-99 of /index.html (100 bytes)\nyour server answered:\n  HTTP/1.1 200 OK\n  Content-Type: text/html\n  Content-Length: 26415\n  (then a body of 26415 bytes)"))
		Expect(c.Hint).To(Equal("a hint"))
	})

	It("prefixes the matcher's message, the explanation of the rule", func() {
		h := spec.HTTPResponse{Status: 404}
		c, _, _ := check.HTTPCheck("404-missing", &spec.Match{HTTP: &h, Message: "a missing file is 404"}, check.HTTPRead{Data: response("200 OK", nil), Closed: true})
		Expect(c.Message).To(HavePrefix("a missing file is 404: the status is `200 OK`, expected 404 Not Found: a file that does not exist was answered as if it did\n"))
	})

	It("checks the Content-Range of a single range and names an off-by-one", func() {
		part := index[500:1001]
		h := spec.HTTPResponse{Status: 206, Body: &spec.HTTPBody{Www: "index.html", From: i64(500), To: i64(1000)}}
		Expect(httpCheck(h, response("206 Partial Content", part, "Content-Range: bytes 500-1000/26415")).Passed).To(BeTrue())
		c := httpCheck(h, response("206 Partial Content", index[500:1000], "Content-Range: bytes 500-1001/26415"))
		Expect(c.Message).To(ContainSubstring("Content-Range is `bytes 500-1001/26415`, expected `bytes 500-1000/26415`: the last position is included in a range, so it is one less"))
		Expect(c.Message).To(ContainSubstring("the body has 500 bytes, expected bytes 500-1000 of /index.html (501 bytes): it stops short"))
		c = httpCheck(h, response("206 Partial Content", part, "Content-Range: bytes 500-1000/501"))
		Expect(c.Message).To(ContainSubstring("the number after / is the length of the whole file"))
	})

	It("finds where a wrong range starts in the file", func() {
		h := spec.HTTPResponse{Status: 206, Body: &spec.HTTPBody{Www: "index.html", Suffix: 500}}
		c := httpCheck(h, response("206 Partial Content", index[:500], "Content-Range: bytes 25915-26414/26415"))
		Expect(c.Message).To(ContainSubstring("the body (500 bytes) is not bytes 25915-26414 of /index.html (500 bytes): it starts at offset 0 of the file\nfirst difference at offset 0"))
	})

	It("reads a multipart/byteranges body part by part", func() {
		h := spec.HTTPResponse{Status: 206, Body: &spec.HTTPBody{Www: "hello.txt", Parts: []spec.HTTPRange{{From: 0, To: 3}, {From: 8, To: 9}}}}
		body := "--XY\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-3/17\r\n\r\nBonj\r\n--XY\r\nContent-Range: bytes 8-9/17\r\n\r\nle\r\n--XY--\r\n"
		Expect(httpCheck(h, response("206 Partial Content", []byte(body), "Content-Type: multipart/byteranges; boundary=XY")).Passed).To(BeTrue())
		bad := strings.Replace(strings.Replace(body, "bytes 8-9/17", "bytes 8-10/17", 1), "\r\nle\r\n", "\r\nlx\r\n", 1)
		c := httpCheck(h, response("206 Partial Content", []byte(bad), "Content-Type: multipart/byteranges; boundary=XY"))
		Expect(c.Message).To(ContainSubstring("part 2 has Content-Range `bytes 8-10/17`, expected `bytes 8-9/17`: the last position is included"))
		Expect(c.Message).To(ContainSubstring("part 2 holds `lx` (2 bytes), expected bytes 8-9 of /hello.txt (`le` (2 bytes))"))
		c = httpCheck(h, response("206 Partial Content", hello[:4], "Content-Type: text/plain", "Content-Range: bytes 0-3/17"))
		Expect(c.Message).To(ContainSubstring("Content-Type is `text/plain`, expected multipart/byteranges with a boundary parameter"))
		c = httpCheck(h, response("206 Partial Content", []byte("--XY\r\n\r\nBonj\r\n--XY--"), "Content-Type: multipart/byteranges; boundary=XY"))
		Expect(c.Message).To(ContainSubstring("the body has 1 part(s), expected 2 (one per range)"))
	})

	Describe("Content-Length against the bytes really sent", func() {
		page := []byte("<h1>générée</h1>")
		head := fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n", len([]rune(string(page))))
		h := spec.HTTPResponse{Status: 200, ContentLength: true, Settle: spec.Duration(300 * time.Millisecond)}

		It("counts the bytes that followed the announced body, and names characters", func() {
			c := httpCheck(h, append([]byte(head), page...))
			Expect(c.Passed).To(BeFalse())
			Expect(c.Message).To(HavePrefix("Content-Length says 16 but the body has 19 bytes: 3 more followed (`h1>`): 16 is the number of characters, and Content-Length counts bytes"))
		})

		It("leaves the bytes after a response to the next expectation without settle", func() {
			data := append([]byte(head), page...)
			c, used, _ := check.HTTPCheck("x", &spec.Match{HTTP: &spec.HTTPResponse{Status: 200}}, check.HTTPRead{Data: data})
			Expect(c.Passed).To(BeTrue(), c.Message)
			Expect(used).To(Equal(len(head) + 16))
		})

		It("says a body is shorter than announced, at the close or at the deadline", func() {
			c := httpCheck(h, []byte("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n<h1> Page HTML</h1>"))
			Expect(c.Message).To(HavePrefix("Content-Length says 100 but the body has 19 bytes (then the connection closed): compute Content-Length from the bytes you send, not a fixed number"))
			c, _, _ = check.HTTPCheck("x", &spec.Match{HTTP: &h}, check.HTTPRead{Data: []byte("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc"), Waited: 2 * time.Second})
			Expect(c.Message).To(HavePrefix("Content-Length says 100 but only 3 bytes of body came within 2s"))
		})

		It("wants a Content-Length when asked", func() {
			c := httpCheck(h, []byte("HTTP/1.1 200 OK\r\n\r\nabc"))
			Expect(c.Message).To(HavePrefix("there is no Content-Length field"))
			c = httpCheck(h, []byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"))
			Expect(c.Message).To(HavePrefix("the body is chunked; send it with a Content-Length instead"))
		})

		It("does not judge the body when the check is about the head", func() {
			c := httpCheck(spec.HTTPResponse{Status: 200}, []byte("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc"))
			Expect(c.Passed).To(BeTrue(), c.Message)
		})

		It("explains a body of characters counted as bytes against a file", func() {
			n := len([]rune(string(index)))
			data := append([]byte(fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n", n)), index[:n]...)
			c := httpCheck(spec.HTTPResponse{Status: 200, Body: &spec.HTTPBody{Www: "index.html"}}, data)
			Expect(c.Message).To(ContainSubstring("it stops short, because Content-Length says 25929, the number of characters of the text, where it must count its 26415 bytes"))
		})
	})

	It("catches a body after the head of a response to HEAD, or of a 304", func() {
		h := spec.HTTPResponse{Status: 200, Head: true, Settle: spec.Duration(time.Second)}
		c := httpCheck(h, append([]byte("HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n"), hello...))
		Expect(c.Message).To(HavePrefix("a response to HEAD ends with its head (RFC 9110 section 9.3.2), but 17 bytes followed it: `Bonjour le monde\\n` (17 bytes)"))
		Expect(httpCheck(h, []byte("HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n")).Passed).To(BeTrue())
		c = httpCheck(spec.HTTPResponse{Status: 304, Settle: spec.Duration(time.Second)}, []byte("HTTP/1.1 304 Not Modified\r\n\r\nabc"))
		Expect(c.Message).To(HavePrefix("a 304 response has no content, but 3 bytes followed its head"))
	})

	It("wants the server to close when until_close says so", func() {
		h := spec.HTTPResponse{Status: 200, UntilClose: true}
		c, _, _ := check.HTTPCheck("x", &spec.Match{HTTP: &h}, check.HTTPRead{Data: response("200 OK", hello), Waited: 3 * time.Second})
		Expect(c.Message).To(HavePrefix("your server kept the connection open 3s after the response instead of closing it"))
		Expect(httpCheck(h, []byte("HTTP/1.0 200 OK\r\n\r\nno length")).Passed).To(BeTrue())
	})

	Describe("fields", func() {
		data := response("200 OK", hello, "Content-Type: text/plain; charset=utf-8", "Set-Cookie: other=1", "Set-Cookie: session=abc; Path=/", "X-Powered-By: PHP/5")

		It("checks values, patterns, presence and absence", func() {
			Expect(httpCheck(spec.HTTPResponse{Status: 200, Header: map[string]string{"content-type": "text/plain; charset=utf-8"}, HeaderMatches: map[string]string{"Content-Type": "^text/"}, Present: []string{"set-cookie"}}, data).Passed).To(BeTrue())
			c := httpCheck(spec.HTTPResponse{Status: 200, Header: map[string]string{"ETag": `"x"`, "Content-Type": "text/html"}, HeaderMatches: map[string]string{"Content-Type": "^image/"}, Present: []string{"Date"}, Absent: []string{"X-Powered-By"}}, data)
			Expect(c.Message).To(HavePrefix("Content-Type is `text/plain; charset=utf-8`, expected `text/html`; the ETag field is missing (want `ETag: \"x\"`); Content-Type is `text/plain; charset=utf-8`, which does not match /^image//; the Date field is missing; the response has `X-Powered-By: PHP/5`, which it must not have here"))
			Expect(c.Expected).To(Equal("HTTP/1.x 200 OK, Content-Type: text/html, ETag: \"x\", Content-Type matching /^image//, a Date field, no X-Powered-By field"))
		})

		It("finds the cookie among several Set-Cookie, attributes allowed", func() {
			Expect(httpCheck(spec.HTTPResponse{Status: 200, SetCookie: strp("session=abc")}, data).Passed).To(BeTrue())
			c := httpCheck(spec.HTTPResponse{Status: 200, SetCookie: strp("session=netlab")}, data)
			Expect(c.Message).To(HavePrefix("Set-Cookie is `other=1`, expected it to set the cookie `session=netlab` (the value typed on standard input)"))
			c = httpCheck(spec.HTTPResponse{Status: 200, SetCookie: strp("session=netlab")}, response("200 OK", nil))
			Expect(c.Message).To(HavePrefix("there is no Set-Cookie field (want `Set-Cookie: session=netlab`)"))
		})

		It("saves values for later requests", func() {
			h := spec.HTTPResponse{Status: 200, Save: map[string]string{"etag": "ETag", "lm": "Last-Modified"}}
			_, _, saved := check.HTTPCheck("x", &spec.Match{HTTP: &h}, check.HTTPRead{Data: response("200 OK", nil, `ETag: "1-2"`)})
			Expect(saved).To(Equal(map[string]string{"etag": `"1-2"`}))
		})
	})

	It("reports a should-level problem as a warning on a passing check", func() {
		h := spec.HTTPResponse{Status: 200, Present: []string{"Content-Type"}, Level: "should"}
		c, _, _ := check.HTTPCheck("content-type", &spec.Match{HTTP: &h, Message: "say what it is"}, check.HTTPRead{Data: response("200 OK", hello), Closed: true})
		Expect(c.Passed).To(BeTrue())
		Expect(c.Message).To(BeEmpty())
		Expect(c.Actual).To(HavePrefix("warning: say what it is: the Content-Type field is missing\nyour server answered:"))
	})

	It("says what could not be sent for want of a saved value", func() {
		h := spec.HTTPResponse{Status: 304}
		c, _, _ := check.HTTPCheck("inm-304", &spec.Match{HTTP: &h}, check.HTTPRead{Data: response("200 OK", nil), Closed: true, Unsent: []string{"If-None-Match"}})
		Expect(c.Message).To(ContainSubstring("(the request went without If-None-Match: the value it needs never came in an earlier response)"))
	})

	DescribeTable("words a missing or broken response",
		func(r check.HTTPRead, msg string) {
			c, _, _ := check.HTTPCheck("x", &spec.Match{HTTP: &spec.HTTPResponse{Status: 200}}, r)
			Expect(c.Passed).To(BeFalse())
			Expect(c.Message).To(Equal(msg))
		},
		Entry("a close", check.HTTPRead{Closed: true}, "your server closed the connection without answering"),
		Entry("silence", check.HTTPRead{Waited: 2 * time.Second}, "your server sent nothing within 2s"),
		Entry("half a head", check.HTTPRead{Data: []byte("HTTP/1.1 200 OK\r\n"), Waited: 2 * time.Second}, "your server sent `HTTP/1.1 200 OK\\r\\n` (17 bytes), not a whole response head (it ends with a blank line, \\r\\n\\r\\n) within 2s"),
		Entry("no HTTP at all", check.HTTPRead{Data: []byte("<h1> Page HTML</h1>"), Closed: true}, "your server sent `<h1> Page HTML</h1>` (19 bytes), which is not a valid HTTP/1.x response: no complete status line before the connection closed"),
		Entry("a page without a status line", check.HTTPRead{Data: []byte("<h1>x</h1>\r\n\r\n"), Closed: true}, "your server sent `<h1>x</h1>\\r\\n\\r\\n` (14 bytes), which is not a valid HTTP/1.x response: the response does not start with a status line such as `HTTP/1.1 200 OK`: it starts with `<h1>x</h1>`"),
	)

	It("is a matcher of Match too, on complete bytes", func() {
		m := &spec.Match{HTTP: &spec.HTTPResponse{Status: 200, Body: &spec.HTTPBody{Text: strp("ok")}}}
		Expect(check.Match("m", m, response("200 OK", []byte("ok")), who).Passed).To(BeTrue())
		Expect(check.Complete(m, response("200 OK", []byte("ok"))[:20])).To(BeFalse())
		Expect(check.Complete(m, response("200 OK", []byte("ok")))).To(BeTrue())
		c := check.Match("m", m, response("404 Not Found", []byte("ok")), who)
		Expect(c.Passed).To(BeFalse())
		Expect(c.Message).To(HavePrefix("the status is `404 Not Found`, expected 200 OK"))
	})
})
