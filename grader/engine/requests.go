package engine

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
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
		if h, ok := s.srv.(interface{ Requests() []httpd.Request }); ok {
			got = append(got, h.Requests()...)
		}
	}
	c := result.Check{Name: "requests", Expected: describeRequests(want), Actual: describeGot(got)}
	var probs []string
	// malformed: a request itself is wrong (the syntax hint helps);
	// revalidate: a request that should have been answered 304 was not.
	malformed, revalidate := false, false
	for i, w := range want {
		if i >= len(got) {
			probs = append(probs, fmt.Sprintf("your client sent %d request(s), expected %d: %s is missing", len(got), len(want), describeRequest(w)))
			break
		}
		p := requestProblems(i+1, w, got[i])
		malformed = malformed || len(p) > 0
		probs = append(probs, p...)
		p = answerProblems(i+1, w, got[i], got[:i])
		revalidate = revalidate || len(p) > 0 && w.Status == http.StatusNotModified
		probs = append(probs, p...)
	}
	if len(got) > len(want) && len(probs) == 0 {
		extra := got[len(want)]
		msg := fmt.Sprintf("your client sent %d requests, expected %d; the extra one is %s", len(got), len(want), check.Quote([]byte(requestLine(extra)), 120))
		for _, k := range []string{"If-None-Match", "If-Modified-Since"} {
			if v := extra.Header.Values(k); len(v) > 0 {
				msg += fmt.Sprintf(" with %s: %s", k, check.Quote([]byte(strings.Join(v, ", ")), 80))
			}
		}
		probs = append(probs, msg)
	}
	if len(probs) > 0 {
		c.Message = strings.Join(probs, "; ")
		// Otherwise the scenario's own hint says what was expected.
		switch {
		case strings.Contains(c.Message, "(pipelining)"):
			c.Hint = "On a persistent connection, send one request, read its whole answer (the headers, then Content-Length bytes), and only then send the next one."
		case malformed:
			c.Hint = "An HTTP/1.1 request is the request line, headers (Host is required), each line ending with \\r\\n, then an empty line: \"GET / HTTP/1.1\\r\\nHost: example.org\\r\\n\\r\\n\"."
		case revalidate:
			c.Hint = "Keep the ETag and Last-Modified of the first answer with the page, and send them back unchanged as If-None-Match and If-Modified-Since: the server then answers 304 Not Modified, with no body."
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

// answerProblems checks a request against the expectations on its
// contents (header_contains) and on the server's answer (status).
func answerProblems(n int, w spec.RequestMatch, r httpd.Request, before []httpd.Request) []string {
	line := check.Quote([]byte(requestLine(r)), 120)
	var p []string
	for _, k := range slices.Sorted(maps.Keys(w.HeaderContains)) {
		v := w.HeaderContains[k]
		got := r.Header.Values(k)
		switch {
		case len(got) == 0:
			p = append(p, fmt.Sprintf("request %d (%s) has no %s header: expected one that contains %s", n, line, k, check.Quote([]byte(v), 80)))
		case !strings.Contains(strings.ToLower(strings.Join(got, ", ")), strings.ToLower(v)):
			p = append(p, fmt.Sprintf("request %d (%s) sends %s: %s, which does not contain %s", n, line, k, check.Quote([]byte(strings.Join(got, ", ")), 80), check.Quote([]byte(v), 80)))
		}
	}
	if w.Status != 0 && r.Status != w.Status && r.Err == "" {
		msg := fmt.Sprintf("request %d (%s) was answered %d %s, expected %d %s", n, line, r.Status, http.StatusText(r.Status), w.Status, http.StatusText(w.Status))
		if w.Status == http.StatusNotModified {
			msg += ": " + revalidation(r, before)
		}
		p = append(p, msg)
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
	for _, k := range slices.Sorted(maps.Keys(w.HeaderContains)) {
		s += fmt.Sprintf(" with %s containing %s", k, w.HeaderContains[k])
	}
	if w.Status != 0 {
		s += fmt.Sprintf(" answered %d", w.Status)
	}
	return s
}

// revalidation says why a request the server should have answered 304
// was not: which validators it carried, and which ones the last answer
// for the same path (among before) gave, quoted as sent.
func revalidation(r httpd.Request, before []httpd.Request) string {
	given := ""
	for i := len(before) - 1; i >= 0; i-- {
		if b := before[i]; b.Path == r.Path && b.Status == http.StatusOK {
			var vs []string
			for _, k := range []string{"ETag", "Last-Modified"} {
				if v := b.Answer.Get(k); v != "" {
					vs = append(vs, k+": "+check.Quote([]byte(v), 80))
				}
			}
			if len(vs) > 0 {
				given = fmt.Sprintf(" (the answer to request %d gave %s)", i+1, strings.Join(vs, " and "))
			}
			break
		}
	}
	inm, ims := r.Header.Values("If-None-Match"), r.Header.Values("If-Modified-Since")
	switch {
	case len(inm) > 0:
		return fmt.Sprintf("its If-None-Match: %s matches no ETag the server gave the page%s: send back the ETag exactly, quotes included", check.Quote([]byte(strings.Join(inm, ", ")), 80), given)
	case len(ims) > 0:
		return fmt.Sprintf("its If-Modified-Since: %s is earlier than the page's Last-Modified%s: send back the Last-Modified date as it came", check.Quote([]byte(strings.Join(ims, ", ")), 80), given)
	}
	return "it carried neither If-None-Match nor If-Modified-Since" + given + ", so the server could only send the whole page again"
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
