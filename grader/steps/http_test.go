package steps_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/spec"
	"github.com/netlab-grader/grader/grader/steps"
	"github.com/netlab-grader/grader/grader/wire"
)

func get(path string, header map[string]string) spec.Step {
	return spec.Step{Send: &spec.Payload{HTTP: &spec.HTTPRequest{Path: path, Header: header}}}
}

func expectHTTP(id string, h spec.HTTPResponse, timeout time.Duration) spec.Step {
	return spec.Step{Expect: &spec.Match{ID: id, HTTP: &h, Timeout: spec.Duration(timeout)}}
}

// ok builds a 200 response with Content-Length and extra header lines.
func ok(body string, fields ...string) string {
	return "HTTP/1.1 200 OK\r\n" + strings.Join(append(fields, fmt.Sprintf("Content-Length: %d", len(body))), "\r\n") + "\r\n\r\n" + body
}

// httpServer reads requests one by one on each connection (each up to its
// blank line) and answers with reply(n, request), n counting the
// requests of all connections from 0; closeAfter says whether to close
// the connection after that answer. Every request is sent on the
// returned channel.
func httpServer(reply func(n int, req string) (answer string, closeAfter bool)) (int, chan string) {
	GinkgoHelper()
	requests := make(chan string, 16)
	count := make(chan int, 1)
	count <- 0
	port, _ := tcpServer(func(c net.Conn) []byte {
		var buf []byte
		chunk := make([]byte, 4096)
		_ = c.SetDeadline(time.Now().Add(ioLimit))
		for {
			for !bytes.Contains(buf, []byte("\r\n\r\n")) {
				k, err := c.Read(chunk)
				buf = append(buf, chunk[:k]...)
				if err != nil {
					return nil
				}
			}
			i := bytes.Index(buf, []byte("\r\n\r\n")) + 4
			req := string(buf[:i])
			buf = buf[i:]
			requests <- req
			n := <-count
			count <- n + 1
			answer, closeAfter := reply(n, req)
			_, _ = c.Write([]byte(answer))
			if closeAfter {
				return nil
			}
		}
	})
	return port, requests
}

var _ = Describe("Session.Run with HTTP requests and responses", func() {
	It("sends requests with Host and answers on one persistent connection", func() {
		port, requests := httpServer(func(n int, _ string) (string, bool) {
			return ok(fmt.Sprintf("response %d", n)), false
		})
		checks := session(port).Run(context.Background(), []spec.Step{
			connect("tcp"),
			get("/a", nil),
			expectHTTP("first", spec.HTTPResponse{Status: 200, Body: &spec.HTTPBody{Text: textp("response 0")}}, time.Second),
			get("/b", map[string]string{"Range": "bytes=0-1"}),
			expectHTTP("second", spec.HTTPResponse{Status: 200, Body: &spec.HTTPBody{Text: textp("response 1")}}, time.Second),
			closeStep(),
		})
		Expect(checks).To(HaveLen(2))
		for _, c := range checks {
			Expect(c.Passed).To(BeTrue(), c.Message)
		}
		Expect(<-requests).To(Equal(fmt.Sprintf("GET /a HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n", port)))
		Expect(<-requests).To(Equal(fmt.Sprintf("GET /b HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nRange: bytes=0-1\r\n\r\n", port)))
	})

	It("keeps a second response that came with the first for the next expectation", func() {
		port, _ := httpServer(func(int, string) (string, bool) { return ok("one") + ok("two"), false })
		checks := session(port).Run(context.Background(), []spec.Step{
			connect("tcp"),
			get("/", nil),
			expectHTTP("first", spec.HTTPResponse{Status: 200, Body: &spec.HTTPBody{Text: textp("one")}}, time.Second),
			expectHTTP("second", spec.HTTPResponse{Status: 200, Body: &spec.HTTPBody{Text: textp("two")}}, time.Second),
			closeStep(),
		})
		Expect(checks[0].Passed).To(BeTrue(), checks[0].Message)
		Expect(checks[1].Passed).To(BeTrue(), checks[1].Message)
	})

	It("sends back a saved value on a later connection", func() {
		port, requests := httpServer(func(n int, _ string) (string, bool) {
			if n == 0 {
				return ok("page", `ETag: "v1"`), true
			}
			return "HTTP/1.1 304 Not Modified\r\n\r\n", true
		})
		checks := session(port).Run(context.Background(), []spec.Step{
			connect("tcp"),
			get("/", nil),
			expectHTTP("etag", spec.HTTPResponse{Status: 200, Save: map[string]string{"etag": "ETag"}}, time.Second),
			closeStep(),
			connect("tcp"),
			get("/", map[string]string{"If-None-Match": "{etag}"}),
			expectHTTP("inm", spec.HTTPResponse{Status: 304}, time.Second),
			closeStep(),
		})
		Expect(checks[0].Passed).To(BeTrue(), checks[0].Message)
		Expect(checks[1].Passed).To(BeTrue(), checks[1].Message)
		<-requests
		Expect(<-requests).To(ContainSubstring("\r\nIf-None-Match: \"v1\"\r\n"))
	})

	It("leaves out a field whose value never came, and says so", func() {
		port, requests := httpServer(func(int, string) (string, bool) { return ok("page"), false })
		checks := session(port).Run(context.Background(), []spec.Step{
			connect("tcp"),
			get("/", nil),
			expectHTTP("etag", spec.HTTPResponse{Status: 200, Save: map[string]string{"etag": "ETag"}}, time.Second),
			get("/", map[string]string{"If-None-Match": "{etag}"}),
			expectHTTP("inm", spec.HTTPResponse{Status: 304}, time.Second),
			closeStep(),
		})
		Expect(checks[1].Passed).To(BeFalse())
		Expect(checks[1].Message).To(ContainSubstring("the request went without If-None-Match"))
		<-requests
		Expect(<-requests).NotTo(ContainSubstring("If-None-Match"))
	})

	It("reads on for the settle time and counts the bytes past Content-Length", func() {
		port, _ := httpServer(func(int, string) (string, bool) {
			return "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcdef", false
		})
		checks := session(port).Run(context.Background(), []spec.Step{
			connect("tcp"),
			get("/", nil),
			expectHTTP("cl", spec.HTTPResponse{Status: 200, ContentLength: true, Settle: spec.Duration(200 * time.Millisecond)}, 2*time.Second),
			closeStep(),
		})
		Expect(checks[0].Passed).To(BeFalse())
		Expect(checks[0].Message).To(HavePrefix("Content-Length says 3 but the body has 6 bytes: 3 more followed (`def`)"))
	})

	It("waits for the close when asked, and says when it did not come", func() {
		port, _ := httpServer(func(int, string) (string, bool) { return ok("x"), false })
		checks := session(port).Run(context.Background(), []spec.Step{
			connect("tcp"),
			get("/", map[string]string{"Connection": "close"}),
			expectHTTP("close", spec.HTTPResponse{Status: 200, UntilClose: true}, 300*time.Millisecond),
			closeStep(),
		})
		Expect(checks[0].Passed).To(BeFalse())
		Expect(checks[0].Message).To(MatchRegexp(`^your server kept the connection open [0-9.]+m?s after the response instead of closing it`))
		port, _ = httpServer(func(int, string) (string, bool) { return "HTTP/1.0 200 OK\r\n\r\nuntil the end", true })
		checks = session(port).Run(context.Background(), []spec.Step{
			connect("tcp"),
			get("/", map[string]string{"Connection": "close"}),
			expectHTTP("close", spec.HTTPResponse{Status: 200, UntilClose: true, Body: &spec.HTTPBody{Text: textp("until the end")}}, 2*time.Second),
		})
		Expect(checks[0].Passed).To(BeTrue(), checks[0].Message)
	})

	It("takes a reset after the answer as the server's close, as from a server that never reads", func() {
		port, _ := tcpServer(func(c net.Conn) []byte {
			_, _ = c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 19\r\nSet-Cookie:a=b\r\n\r\n<h1> Page HTML</h1>"))
			got := readAtLeast(c, 10)
			_ = c.(*net.TCPConn).SetLinger(0)
			return got
		})
		checks := session(port).Run(context.Background(), []spec.Step{
			connect("tcp"),
			get("/", nil),
			expectHTTP("cookie", spec.HTTPResponse{Status: 200, SetCookie: textp("a=b"), ContentLength: true, UntilClose: true}, 3*time.Second),
			closeStep(),
		})
		Expect(checks[0].Passed).To(BeTrue(), checks[0].Message)
	})

	It("starts each connection afresh after the server closed the previous one", func() {
		port, _ := httpServer(func(n int, _ string) (string, bool) { return ok(fmt.Sprint(n)), true })
		var run []spec.Step
		for i := range 3 {
			run = append(run, connect("tcp"), get("/", nil),
				expectHTTP(fmt.Sprintf("client-%d", i+1), spec.HTTPResponse{Status: 200, Body: &spec.HTTPBody{Text: textp(fmt.Sprint(i))}, Settle: spec.Duration(time.Second)}, time.Second),
				closeStep())
		}
		checks := session(port).Run(context.Background(), run)
		Expect(checks).To(HaveLen(3))
		for _, c := range checks {
			Expect(c.Passed).To(BeTrue(), c.Name+": "+c.Message)
		}
	})

	It("reports a server that closes without answering", func() {
		port, _ := httpServer(func(int, string) (string, bool) { return "", true })
		checks := session(port).Run(context.Background(), []spec.Step{
			connect("tcp"), get("/", nil), expectHTTP("x", spec.HTTPResponse{Status: 200}, time.Second),
		})
		Expect(checks[0].Message).To(Equal("your server closed the connection without answering"))
	})

	It("records the exchange in the transcript", func() {
		port, _ := httpServer(func(int, string) (string, bool) { return ok("hi"), true })
		s := &steps.Session{T: wire.New(), Target: steps.Target{Host: "127.0.0.1", Port: port}}
		s.Run(context.Background(), []spec.Step{connect("tcp"), get("/t", nil), expectHTTP("x", spec.HTTPResponse{Status: 200}, time.Second), closeStep()})
		Expect(string(s.T.Bytes(0, wire.C2S))).To(HavePrefix("GET /t HTTP/1.1\r\n"))
		Expect(string(s.T.Bytes(0, wire.S2C))).To(Equal(ok("hi")))
	})
})
