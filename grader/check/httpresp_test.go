package check_test

import (
	"errors"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/check"
)

// parseErr parses data as a closed connection's bytes and returns the
// parser's complaint.
func parseErr(data string, closed bool) string {
	GinkgoHelper()
	_, err := check.ParseResponse([]byte(data), false, closed)
	var he *check.HTTPError
	Expect(errors.As(err, &he)).To(BeTrue(), "error %v for %q", err, data)
	return he.Msg
}

var _ = Describe("ParseResponse", func() {
	It("reads a response framed by Content-Length and leaves what follows", func() {
		data := "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\ncontent-length: 5\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\nhelloHTTP/1.1"
		r, err := check.ParseResponse([]byte(data), false, false)
		Expect(err).NotTo(HaveOccurred())
		Expect(r.Version).To(Equal("HTTP/1.1"))
		Expect(r.Status).To(Equal(200))
		Expect(r.Reason).To(Equal("OK"))
		Expect(string(r.Body)).To(Equal("hello"))
		Expect(r.Framing).To(Equal(check.FramingLength))
		Expect(r.Length).To(Equal(int64(5)))
		Expect(r.Size).To(Equal(len(data) - len("HTTP/1.1")))
		Expect(r.HeadLen).To(Equal(strings.Index(data, "hello")))
		v, ok := r.Get("CONTENT-TYPE")
		Expect(ok).To(BeTrue())
		Expect(v).To(Equal("text/plain"))
		Expect(r.Values("set-cookie")).To(Equal([]string{"a=1", "b=2"}))
		Expect(r.Flaws).To(BeEmpty())
	})

	It("waits for the rest of a head or a body, and keeps the head it has", func() {
		_, err := check.ParseResponse([]byte("HTTP/1.1 200 OK\r\nContent-Le"), false, false)
		Expect(err).To(MatchError(check.ErrIncomplete))
		r, err := check.ParseResponse([]byte("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"), false, false)
		Expect(err).To(MatchError(check.ErrIncomplete))
		Expect(r).NotTo(BeNil())
		Expect(string(r.Body)).To(Equal("abc"))
	})

	It("says a body is shorter than announced when the connection closed", func() {
		Expect(parseErr("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", true)).To(Equal("Content-Length says 10 but the body has 3 bytes (then the connection closed)"))
		Expect(parseErr("HTTP/1.1 200 OK\r\nContent-Le", true)).To(ContainSubstring("the connection closed before the head's blank line"))
		Expect(parseErr("HTTP/1.1 20", true)).To(ContainSubstring("no complete status line"))
	})

	It("reads no body after HEAD, 1xx, 204 and 304, whatever Content-Length says", func() {
		r, err := check.ParseResponse([]byte("HTTP/1.1 200 OK\r\nContent-Length: 26415\r\n\r\n"), true, false)
		Expect(err).NotTo(HaveOccurred())
		Expect(r.Framing).To(Equal(check.FramingNone))
		Expect(r.Size).To(Equal(r.HeadLen))
		for _, status := range []string{"100 Continue", "204 No Content", "304 Not Modified"} {
			r, err := check.ParseResponse([]byte("HTTP/1.1 "+status+"\r\nContent-Length: 9\r\n\r\nleft"), false, false)
			Expect(err).NotTo(HaveOccurred())
			Expect(r.Body).To(BeEmpty())
			Expect(r.Size).To(Equal(r.HeadLen), status)
		}
	})

	It("reads a body delimited by the close only once closed", func() {
		data := []byte("HTTP/1.0 200 OK\r\n\r\n<h1>x</h1>")
		_, err := check.ParseResponse(data, false, false)
		Expect(err).To(MatchError(check.ErrIncomplete))
		r, err := check.ParseResponse(data, false, true)
		Expect(err).NotTo(HaveOccurred())
		Expect(r.Framing).To(Equal(check.FramingClose))
		Expect(string(r.Body)).To(Equal("<h1>x</h1>"))
		Expect(r.Size).To(Equal(len(data)))
	})

	Describe("chunked bodies", func() {
		It("joins the chunks, skips extensions and reads the trailer", func() {
			data := "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5;name=v\r\nhello\r\n1\r\n!\r\n0\r\nX-Sum: 1\r\n\r\nnext"
			r, err := check.ParseResponse([]byte(data), false, false)
			Expect(err).NotTo(HaveOccurred())
			Expect(r.Framing).To(Equal(check.FramingChunked))
			Expect(string(r.Body)).To(Equal("hello!"))
			Expect(r.Size).To(Equal(len(data) - 4))
		})

		It("waits for more and rejects what cannot be a chunk", func() {
			_, err := check.ParseResponse([]byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel"), false, false)
			Expect(err).To(MatchError(check.ErrIncomplete))
			te := "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
			Expect(parseErr(te+"zz\r\n", false)).To(ContainSubstring("is not a hexadecimal number"))
			Expect(parseErr(te+"5\r\nhelloXX0\r\n\r\n", false)).To(ContainSubstring("a chunk of 5 bytes is not followed by \\r\\n (is the size in hexadecimal?)"))
			Expect(parseErr(te+"5\nhello\r\n", false)).To(ContainSubstring("does not end with \\r\\n"))
			Expect(parseErr(te+"5\r\nhel", true)).To(ContainSubstring("the connection closed in the middle of the chunked body"))
			Expect(parseErr(te+"fffffffff\r\n", false)).To(ContainSubstring("is not a hexadecimal number"))
			Expect(parseErr(te+strings.Repeat("0", 2000), false)).To(ContainSubstring("a chunk-size line longer than 1024 bytes"))
		})

		It("follows Transfer-Encoding over Content-Length, as a flaw", func() {
			r, err := check.ParseResponse([]byte("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), false, false)
			Expect(err).NotTo(HaveOccurred())
			Expect(r.Body).To(BeEmpty())
			Expect(r.Flaws).To(ConsistOf(ContainSubstring("a server must not send both")))
		})
	})

	It("reads through a bare LF as a flaw that names the line", func() {
		r, err := check.ParseResponse([]byte("HTTP/1.1 200 OK\r\nSet-Cookie:a=b\n\r\n\r\nbody"), false, true)
		Expect(err).NotTo(HaveOccurred())
		Expect(r.Flaws).To(Equal([]string{"line 2 of the head (`Set-Cookie:a=b`) ends with a bare \\n instead of \\r\\n (RFC 9112 section 2.2)"}))
		Expect(string(r.Body)).To(Equal("\r\nbody"))
		r, err = check.ParseResponse([]byte("HTTP/1.1 200 OK\nA: b\n\n"), true, false)
		Expect(err).NotTo(HaveOccurred())
		Expect(r.Flaws).To(HaveLen(3))
		Expect(r.Flaws[0]).To(HavePrefix("the status line ends with a bare \\n"))
		Expect(r.Flaws[2]).To(HavePrefix("the blank line that ends the head ends with a bare \\n"))
	})

	DescribeTable("rejects a malformed head and says why",
		func(data, msg string) {
			Expect(parseErr(data, false)).To(ContainSubstring(msg))
		},
		Entry("not HTTP", "bonjour OK\r\n\r\n", "does not start with a status line such as `HTTP/1.1 200 OK`: it starts with `bonjour OK`"),
		Entry("HTTP/2", "HTTP/2.0 200 OK\r\n\r\n", "is not HTTP/1.x"),
		Entry("no version digits", "HTTP/1 200 OK\r\n\r\n", "is not `HTTP/1.x <3-digit code> <reason>`"),
		Entry("letters in the code", "HTTP/1.1 2OO OK\r\n\r\n", "is not 3 digits"),
		Entry("a code past 599", "HTTP/1.1 600 Odd\r\n\r\n", "is not from 100 to 599"),
		Entry("no space after the code", "HTTP/1.1 200OK\r\n\r\n", "is not followed by a space"),
		Entry("a control byte in the reason", "HTTP/1.1 200 O\x01K\r\n\r\n", "a control byte in the reason phrase"),
		Entry("an empty first line", "\r\nHTTP/1.1 200 OK\r\n\r\n", "an empty line where the status line should be"),
		Entry("a bare CR", "HTTP/1.1 200 OK\r\nA: b\rc\r\n\r\n", "a bare \\r inside line 2"),
		Entry("obsolete folding", "HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n", "obsolete line folding"),
		Entry("no colon", "HTTP/1.1 200 OK\r\nContent-Length 5\r\n\r\n", "is not a `Name: value` field"),
		Entry("space before the colon", "HTTP/1.1 200 OK\r\nContent-Length : 5\r\n\r\n", "white space between the field name and the colon"),
		Entry("a bad name", "HTTP/1.1 200 OK\r\nBad(Name): 5\r\n\r\n", "has no valid field name"),
		Entry("a NUL in a value", "HTTP/1.1 200 OK\r\nA: b\x00c\r\n\r\n", "a control byte in the value of A"),
		Entry("a Content-Length that is no number", "HTTP/1.1 200 OK\r\nContent-Length: 12abc\r\n\r\n", "Content-Length `12abc` is not a number of bytes"),
		Entry("a negative Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "is not a number of bytes"),
		Entry("two Content-Lengths", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", "two different Content-Length values (5 and 6)"),
		Entry("a huge Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n", "more than the grader reads"),
	)

	It("accepts repeated identical Content-Length values", func() {
		r, err := check.ParseResponse([]byte("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nab"), false, false)
		Expect(err).NotTo(HaveOccurred())
		Expect(string(r.Body)).To(Equal("ab"))
	})

	It("accepts a status line without a reason phrase", func() {
		r, err := check.ParseResponse([]byte("HTTP/1.0 404\r\nContent-Length: 0\r\n\r\n"), false, false)
		Expect(err).NotTo(HaveOccurred())
		Expect(r.Status).To(Equal(404))
		Expect(r.Reason).To(BeEmpty())
	})

	It("bounds the head and the number of fields", func() {
		long := "HTTP/1.1 200 OK\r\nX: " + strings.Repeat("a", check.MaxHTTPHead+10)
		Expect(parseErr(long, false)).To(ContainSubstring("the head is longer than 64 KiB"))
		many := "HTTP/1.1 200 OK\r\n" + strings.Repeat("X: y\r\n", check.MaxHTTPFields+1) + "\r\n"
		Expect(parseErr(many, false)).To(ContainSubstring("more than 100 header fields"))
	})
})

var _ = Describe("ParseByteranges", func() {
	body := "preamble\r\n--B\r\nContent-Type: text/html\r\nContent-Range: bytes 0-2/10\r\n\r\nabc\r\n--B\r\nContent-Range: bytes 5-5/10\r\n\r\n\r\n\r\n--B--\r\n"

	It("splits the parts at the boundary and keeps their fields", func() {
		parts, err := check.ParseByteranges([]byte(body), "B")
		Expect(err).NotTo(HaveOccurred())
		Expect(parts).To(HaveLen(2))
		Expect(string(parts[0].Content)).To(Equal("abc"))
		v, _ := parts[0].Get("content-range")
		Expect(v).To(Equal("bytes 0-2/10"))
		Expect(string(parts[1].Content)).To(Equal("\r\n"))
	})

	DescribeTable("says why a body is not multipart",
		func(b, boundary, msg string) {
			_, err := check.ParseByteranges([]byte(b), boundary)
			Expect(err).To(MatchError(ContainSubstring(msg)))
		},
		Entry("no delimiter", "abc", "B", "no delimiter line `--B`"),
		Entry("no end", "--B\r\nA: b\r\n\r\nabc", "B", "part 1 is not followed by a delimiter line"),
		Entry("fields without their blank line", "--B\r\nA: b", "B", "the fields of part 1 do not end with a blank line"),
		Entry("a line that is no field", "--B\r\nnot a field\r\n\r\nx\r\n--B--", "B", "part 1 has a line that is not a field"),
		Entry("text after the delimiter", "--Bxyz\r\n\r\nx\r\n--B--", "B", "is not followed by \\r\\n"),
		Entry("an empty boundary", "--\r\n", "", "is not 1 to 70 characters"),
	)

	It("reads the boundary parameter, quoted or not", func() {
		for _, ct := range []string{`multipart/byteranges; boundary=abc`, `multipart/byteranges;charset=x; Boundary="abc"`} {
			b, ok := check.Param(ct, "boundary")
			Expect(ok).To(BeTrue())
			Expect(b).To(Equal("abc"))
		}
		_, ok := check.Param("multipart/byteranges", "boundary")
		Expect(ok).To(BeFalse())
	})
})
