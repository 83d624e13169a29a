package engine

import (
	"fmt"
	"strings"

	"github.com/netlab-grader/grader/grader/check"
	"github.com/netlab-grader/grader/grader/result"
	"github.com/netlab-grader/grader/grader/spec"
	"github.com/netlab-grader/grader/reference/httpd"
)

// requestsCheck compares the requests the reference HTTP servers received
// with the ones the scenario expects, in order, and words each difference
// with the request line the client really sent.
func requestsCheck(want []spec.RequestMatch, servers []started) result.Check {
	var got []httpd.Request
	for _, s := range servers {
		if h, ok := s.srv.(*httpd.Server); ok {
			got = append(got, h.Requests()...)
		}
	}
	c := result.Check{Name: "requests", Expected: describeRequests(want), Actual: describeGot(got)}
	var probs []string
	for i, w := range want {
		if i >= len(got) {
			probs = append(probs, fmt.Sprintf("your client sent %d request(s), expected %d: %s is missing", len(got), len(want), describeRequest(w)))
			break
		}
		probs = append(probs, requestProblems(i+1, w, got[i])...)
	}
	if len(got) > len(want) && len(probs) == 0 {
		probs = append(probs, fmt.Sprintf("your client sent %d requests, expected %d; the extra one is %s", len(got), len(want), check.Quote([]byte(requestLine(got[len(want)])), 120)))
	}
	if len(probs) > 0 {
		c.Message = strings.Join(probs, "; ")
		c.Hint = "An HTTP/1.1 request is the request line, headers (Host is required), each line ending with \\r\\n, then an empty line: \"GET / HTTP/1.1\\r\\nHost: example.org\\r\\n\\r\\n\"."
		if strings.Contains(c.Message, "(pipelining)") {
			c.Hint = "On a persistent connection, send one request, read its whole answer (the headers, then Content-Length bytes), and only then send the next one."
		}
		return c
	}
	c.Passed = true
	return c
}

func requestLine(r httpd.Request) string {
	if r.Method == "" {
		line, _, _ := strings.Cut(string(r.Raw), "\n")
		return strings.TrimRight(line, "\r")
	}
	return r.Method + " " + r.Target + " " + r.Proto
}

func requestProblems(n int, w spec.RequestMatch, r httpd.Request) []string {
	line := check.Quote([]byte(requestLine(r)), 120)
	var p []string
	if r.Err != "" {
		p = append(p, fmt.Sprintf("request %d, %s, was refused by the server (%d): %s", n, line, r.Status, r.Err))
	}
	if w.Method != "" && r.Method != w.Method {
		p = append(p, fmt.Sprintf("request %d is %s: expected the method %s", n, line, w.Method))
	}
	if w.Path != "" && r.Target != w.Path && r.Path != w.Path {
		p = append(p, fmt.Sprintf("request %d is %s: expected the path %s", n, line, w.Path))
	}
	proto := w.Proto
	if proto == "" {
		proto = "HTTP/1.1"
	}
	if r.Proto != "" && r.Proto != proto {
		p = append(p, fmt.Sprintf("request %d is %s: expected %s", n, line, proto))
	}
	if proto == "HTTP/1.1" && r.Method != "" && r.Header.Get("Host") == "" {
		p = append(p, fmt.Sprintf("your client sent %s without a Host header", line))
	}
	for k, v := range w.Header {
		got := r.Header.Values(k)
		switch {
		case len(got) == 0:
			p = append(p, fmt.Sprintf("request %d (%s) has no %s header: expected %s: %s", n, line, k, k, v))
		case strings.TrimSpace(got[0]) != v:
			p = append(p, fmt.Sprintf("request %d (%s) sends %s: %s, expected %s", n, line, k, check.Quote([]byte(got[0]), 80), check.Quote([]byte(v), 80)))
		}
	}
	if w.NotPipelined && r.Pipelined {
		p = append(p, fmt.Sprintf("request %d (%s) was sent before the answer to the previous one had been read (pipelining): read the whole answer, Content-Length bytes after the headers, before the next request", n, line))
	}
	if (w.CRLF == nil || *w.CRLF) && r.BareLF {
		p = append(p, fmt.Sprintf("request %d (%s) ends its lines with \\n alone: HTTP requires \\r\\n", n, line))
	}
	return p
}

func describeRequest(w spec.RequestMatch) string {
	proto := w.Proto
	if proto == "" {
		proto = "HTTP/1.1"
	}
	s := fmt.Sprintf("`%s %s %s`", w.Method, w.Path, proto)
	for k, v := range w.Header {
		s += fmt.Sprintf(" with %s: %s", k, v)
	}
	return s
}

func describeRequests(ws []spec.RequestMatch) string {
	var out []string
	for _, w := range ws {
		out = append(out, describeRequest(w))
	}
	return strings.Join(out, ", then ")
}

func describeGot(rs []httpd.Request) string {
	if len(rs) == 0 {
		return "no request"
	}
	var out []string
	for _, r := range rs {
		out = append(out, check.Quote([]byte(requestLine(r)), 80))
	}
	return strings.Join(out, ", ")
}
