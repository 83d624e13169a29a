package check

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/netlab-grader/grader/grader/result"
	"github.com/netlab-grader/grader/grader/spec"
)

// HTTPRead is what the grader read from a student's server for one http
// expectation.
type HTTPRead struct {
	// Data starts where the response must start; it may run past it.
	Data []byte
	// Closed: the server closed (or reset) the connection after Data.
	Closed bool
	// Waited is how long the read waited in vain when it gave up at its
	// deadline (zero when the response ended or the connection closed).
	Waited time.Duration
	// Unsent lists request fields the grader had to leave out because a
	// value they needed was never saved (no ETag to send back).
	Unsent []string
}

// HTTPCheck evaluates an http matcher: the check (named id), how many
// bytes of r.Data the response used (the rest belongs to the next
// expectation) and the field values the matcher saves for later requests.
// A should-level matcher passes with its problems as a warning.
func HTTPCheck(id string, m *spec.Match, r HTTPRead) (c result.Check, used int, saved map[string]string) {
	h := m.HTTP
	v := httpVerdict(h, r)
	c = result.Check{Name: id, Passed: true, Hint: m.Hint, Expected: v.expected, Actual: v.summary()}
	if len(v.probs) == 0 {
		return c, v.used, v.saved
	}
	msg := strings.Join(v.probs, "; ")
	if len(r.Unsent) > 0 {
		msg += fmt.Sprintf(" (the request went without %s: the value it needs never came in an earlier response)", strings.Join(r.Unsent, ", "))
	}
	if m.Message != "" {
		msg = m.Message + ": " + msg
	}
	if q := v.quoteHead(); q != "" {
		msg += "\n" + q
	}
	if h.Level == "should" {
		c.Actual = "warning: " + msg
		return c, v.used, v.saved
	}
	c.Passed, c.Message = false, msg
	return c, v.used, v.saved
}

// httpCheck is the http matcher inside Match, on bytes already complete
// (the connection is taken as closed after them).
func httpCheck(h *spec.HTTPResponse, data []byte) (ok bool, expected, message string) {
	v := httpVerdict(h, HTTPRead{Data: data, Closed: true})
	if len(v.probs) == 0 || h.Level == "should" {
		return true, v.expected, ""
	}
	msg := strings.Join(v.probs, "; ")
	if q := v.quoteHead(); q != "" {
		msg += "\n" + q
	}
	return false, v.expected, msg
}

// HTTPDone reports whether data holds a whole response for h (the head,
// and the body as framed), so a reader can stop waiting; n is its size.
func HTTPDone(h *spec.HTTPResponse, data []byte) (n int, done bool) {
	r, err := ParseResponse(data, h.Head, false)
	if err == nil {
		return r.Size, true
	}
	return 0, !errors.Is(err, ErrIncomplete)
}

// verdict is the evaluation of one response.
type verdict struct {
	resp     *Response
	read     HTTPRead
	expected string
	probs    []string
	// sent is what followed the head up to the close or the quiet time,
	// when that is more than Content-Length said: the body really sent.
	sent  []byte
	used  int
	saved map[string]string
}

func (v *verdict) add(format string, args ...any) {
	v.probs = append(v.probs, fmt.Sprintf(format, args...))
}

// summary is the Actual of the check: the status line and the body size.
func (v *verdict) summary() string {
	if v.resp == nil {
		return Describe(v.read.Data)
	}
	s := Quote([]byte(v.resp.StatusLine), 80)
	switch {
	case v.resp.Framing == FramingNone:
		s += ", no body"
	default:
		s += fmt.Sprintf(", %d-byte body", len(v.resp.Body))
	}
	return s
}

// quoteHead shows the response's head as the server sent it, line by line.
func (v *verdict) quoteHead() string {
	r := v.resp
	if r == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("your server answered:")
	lines := strings.Split(strings.TrimRight(string(r.Head), "\r\n"), "\n")
	for i, l := range lines {
		if i == 30 {
			fmt.Fprintf(&b, "\n  …(%d more lines)", len(lines)-i)
			break
		}
		b.WriteString("\n  " + Escape([]byte(strings.TrimSuffix(l, "\r")), 200))
	}
	switch {
	case r.Framing == FramingNone:
	case len(r.Body) > 0:
		fmt.Fprintf(&b, "\n  (then a body of %d bytes)", len(r.Body))
	}
	return b.String()
}

// httpVerdict parses the response and lists what is wrong with it.
func httpVerdict(h *spec.HTTPResponse, r HTTPRead) *verdict {
	v := &verdict{read: r, expected: httpExpected(h), used: len(r.Data), saved: map[string]string{}}
	data := r.Data
	if len(data) == 0 {
		if r.Closed {
			v.add("your server closed the connection without answering")
		} else {
			v.add("your server sent nothing within %v", r.Waited.Round(100*time.Millisecond))
		}
		return v
	}
	resp, err := ParseResponse(data, h.Head, r.Closed)
	var he *HTTPError
	switch {
	case resp == nil && errors.Is(err, ErrIncomplete):
		v.add("your server sent %s, not a whole response head (it ends with a blank line, \\r\\n\\r\\n) within %v", Describe(data), r.Waited.Round(100*time.Millisecond))
		return v
	case resp == nil && errors.As(err, &he):
		v.add("your server sent %s, which is not a valid HTTP/1.x response: %s", Describe(data[:min(len(data), 300)]), he.Msg)
		return v
	case resp == nil:
		v.add("your server's response cannot be read: %v", err)
		return v
	}
	v.resp = resp
	for name, field := range h.Save {
		if val, ok := resp.Get(field); ok {
			v.saved[name] = val
		}
	}
	for _, f := range resp.Flaws {
		v.add("%s", f)
	}
	v.status(h)
	v.fields(h)
	bodyAsked := h.Body != nil || h.ContentLength || h.UntilClose || h.Settle != 0 || h.Head
	switch {
	case err == nil:
		if h.UntilClose || h.Settle != 0 {
			v.extra(h)
		} else {
			v.used = resp.Size
		}
		v.body(h)
	case !bodyAsked:
		// the head is what this check is about; the body is cut short
	case errors.As(err, &he):
		v.add("%s", he.Msg+lengthHint(resp, data))
	default:
		v.incomplete(resp)
	}
	if h.UntilClose && !r.Closed && err == nil {
		v.add("your server kept the connection open %v after the response instead of closing it", r.Waited.Round(100*time.Millisecond))
	}
	return v
}

// incomplete explains a body that did not end before the deadline.
func (v *verdict) incomplete(resp *Response) {
	waited := v.read.Waited.Round(100 * time.Millisecond)
	switch resp.Framing {
	case FramingLength:
		v.add("Content-Length says %d but only %d bytes of body came within %v", resp.Length, len(resp.Body), waited)
	case FramingChunked:
		v.add("the chunked body did not end (with the last chunk, 0\\r\\n\\r\\n) within %v", waited)
	default:
		v.add("the response has neither Content-Length nor Transfer-Encoding: chunked, so its body ends only when the connection closes, and your server kept it open (%v): send Content-Length, or close the connection after the body", waited)
	}
}

// lengthHint adds the likely cause of a Content-Length larger than the
// body.
func lengthHint(resp *Response, data []byte) string {
	if resp.Framing == FramingLength && int64(len(data)-resp.HeadLen) < resp.Length {
		return ": compute Content-Length from the bytes you send, not a fixed number"
	}
	return ""
}

// extra judges what followed the response: with until_close or settle,
// every byte read belongs to this response.
func (v *verdict) extra(h *spec.HTTPResponse) {
	resp, data := v.resp, v.read.Data
	more := data[resp.Size:]
	if len(more) == 0 {
		return
	}
	switch {
	case h.Head:
		v.add("a response to HEAD ends with its head (RFC 9110 section 9.3.2), but %d bytes followed it: %s", len(more), Describe(more))
	case resp.Framing == FramingNone:
		v.add("a %d response has no content, but %d bytes followed its head: %s", resp.Status, len(more), Describe(more))
	case resp.Framing == FramingLength:
		all := data[resp.HeadLen:]
		v.sent = all
		msg := fmt.Sprintf("Content-Length says %d but the body has %d bytes: %d more followed (%s)", resp.Length, len(all), len(more), Quote(more[:min(len(more), 40)], 40))
		if utf8.Valid(all) && int64(utf8.RuneCount(all)) == resp.Length {
			msg += fmt.Sprintf(": %d is the number of characters, and Content-Length counts bytes; a character such as é takes 2 bytes in UTF-8, so take the length of the encoded bytes (len(body.encode()) in Python)", resp.Length)
		}
		v.add("%s", msg)
	case resp.Framing == FramingChunked:
		v.add("%d bytes followed the last chunk: %s", len(more), Describe(more))
	}
}

// status compares the status code.
func (v *verdict) status(h *spec.HTTPResponse) {
	got := v.resp.Status
	if got == h.Status {
		return
	}
	msg := fmt.Sprintf("the status is %s, expected %d %s", Quote([]byte(strconv.Itoa(got)+" "+v.resp.Reason), 60), h.Status, statusText(h.Status))
	switch {
	case h.Status == 206 && got == 200:
		msg += ": the Range field was ignored and the whole representation sent"
	case h.Status == 304 && got == 200:
		msg += ": the condition was ignored and the whole representation sent again"
	case h.Status == 416 && (got == 200 || got == 206):
		msg += ": no byte of the range exists, so the range is unsatisfiable"
	case h.Status == 404 && got == 200:
		msg += ": a file that does not exist was answered as if it did"
	}
	v.add("%s", msg)
}

// fields checks the header fields the matcher names.
func (v *verdict) fields(h *spec.HTTPResponse) {
	resp := v.resp
	for _, k := range slices.Sorted(maps.Keys(h.Header)) {
		want := h.Header[k]
		vals := resp.Values(k)
		switch {
		case len(vals) == 0:
			v.add("the %s field is missing (want `%s: %s`)", k, k, want)
		case !slices.Contains(vals, want):
			v.add("%s is %s, expected %s", k, Quote([]byte(vals[0]), 120), Quote([]byte(want), 120))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(h.HeaderMatches)) {
		re, err := regexp.Compile(h.HeaderMatches[k])
		if err != nil {
			v.add("the exercise's regular expression for %s is invalid: %v", k, err)
			continue
		}
		vals := resp.Values(k)
		switch {
		case len(vals) == 0:
			v.add("the %s field is missing", k)
		case !slices.ContainsFunc(vals, re.MatchString):
			v.add("%s is %s, which does not match /%s/", k, Quote([]byte(vals[0]), 120), h.HeaderMatches[k])
		}
	}
	for _, k := range h.Present {
		if _, ok := resp.Get(k); !ok {
			v.add("the %s field is missing", k)
		}
	}
	for _, k := range h.Absent {
		if val, ok := resp.Get(k); ok {
			v.add("the response has `%s: %s`, which it must not have here", k, Escape([]byte(val), 80))
		}
	}
	if h.SetCookie != nil {
		v.cookie(*h.SetCookie)
	}
	if h.ContentLength && resp.Framing != FramingNone {
		switch {
		case resp.Framing == FramingChunked:
			v.add("the body is chunked; send it with a Content-Length instead")
		case resp.Length < 0:
			v.add("there is no Content-Length field: say how many bytes the body has, so the client knows where it ends")
		}
	}
}

// cookie checks that one Set-Cookie sets want (name=value).
func (v *verdict) cookie(want string) {
	vals := v.resp.Values("Set-Cookie")
	if len(vals) == 0 {
		v.add("there is no Set-Cookie field (want `Set-Cookie: %s`)", want)
		return
	}
	for _, val := range vals {
		pair, _, _ := strings.Cut(val, ";")
		if strings.TrimSpace(pair) == want {
			return
		}
	}
	msg := fmt.Sprintf("Set-Cookie is %s, expected it to set the cookie %s", Quote([]byte(vals[0]), 120), Quote([]byte(want), 120))
	if !slices.ContainsFunc(vals, func(s string) bool { return strings.Contains(s, want) }) {
		msg += " (the value typed on standard input)"
	}
	v.add("%s", msg)
}

// body compares the content.
func (v *verdict) body(h *spec.HTTPResponse) {
	b := h.Body
	if b == nil {
		return
	}
	got := v.resp.Body
	if v.sent != nil {
		got = v.sent
	}
	switch {
	case b.Empty:
		if len(got) > 0 {
			v.add("the body has %d bytes, expected none", len(got))
		}
	case b.Text != nil:
		if want := []byte(*b.Text); !bytes.Equal(got, want) {
			v.add("the body is %s, expected %s", Describe(got), Describe(want))
		}
	case b.Www != "":
		file, err := spec.Www(b.Www)
		if err != nil {
			v.add("the exercise names a file that does not exist: %s", b.Www)
			return
		}
		if len(b.Parts) > 0 {
			v.multipart(b, file)
			return
		}
		want, first, last, ranged := b.Slice(file)
		if ranged && h.Status == 206 {
			cr := fmt.Sprintf("bytes %d-%d/%d", first, last, len(file))
			if val, ok := v.resp.Get("Content-Range"); !ok {
				v.add("the Content-Range field is missing (want `Content-Range: %s`)", cr)
			} else if val != cr {
				v.add("Content-Range is %s, expected %s%s", Quote([]byte(val), 80), Quote([]byte(cr), 80), rangeHint(val, first, last, int64(len(file))))
			}
		}
		v.compare(got, want, file, b, ranged)
	}
}

// rangeHint names the usual Content-Range mistakes.
func rangeHint(val string, first, last, size int64) string {
	switch val {
	case fmt.Sprintf("bytes %d-%d/%d", first, last+1, size):
		return ": the last position is included in a range, so it is one less"
	case fmt.Sprintf("bytes %d-%d/%d", first, last, last-first+1):
		return ": the number after / is the length of the whole file, not of the range"
	case fmt.Sprintf("bytes=%d-%d/%d", first, last, size):
		return ": Content-Range writes `bytes` and a space, not `bytes=`"
	}
	return ""
}

// compare says how a body differs from what was expected.
func (v *verdict) compare(got, want, file []byte, b *spec.HTTPBody, ranged bool) {
	if bytes.Equal(got, want) {
		return
	}
	what := fmt.Sprintf("the %d bytes of /%s", len(want), b.Www)
	if ranged {
		_, first, last, _ := b.Slice(file)
		what = fmt.Sprintf("bytes %d-%d of /%s (%d bytes)", first, last, b.Www, len(want))
	}
	switch {
	case ranged && bytes.Equal(got, file):
		v.add("the body is the whole file (%d bytes), expected %s", len(got), what)
	case bytes.HasPrefix(want, got) && len(got) < len(want):
		msg := fmt.Sprintf("the body has %d bytes, expected %s: it stops short", len(got), what)
		if v.resp.Length == int64(len(got)) && utf8.Valid(want) && utf8.RuneCount(want) == len(got) {
			msg += fmt.Sprintf(", because Content-Length says %d, the number of characters of the text, where it must count its %d bytes (é takes 2 bytes in UTF-8)", len(got), len(want))
		}
		v.add("%s", msg)
	case bytes.HasPrefix(got, want):
		v.add("the body has %d bytes, expected %s: %d bytes too many at the end", len(got), what, len(got)-len(want))
	default:
		msg := fmt.Sprintf("the body (%d bytes) is not %s", len(got), what)
		if i := bytes.Index(file, got[:min(len(got), 64)]); ranged && i >= 0 && len(got) > 0 {
			msg += fmt.Sprintf(": it starts at offset %d of the file", i)
		}
		v.add("%s\n%s", msg, HexDiff(want, got))
	}
}

// multipart checks a multipart/byteranges body against the parts.
func (v *verdict) multipart(b *spec.HTTPBody, file []byte) {
	ct, _ := v.resp.Get("Content-Type")
	mt, _, _ := strings.Cut(ct, ";")
	boundary, ok := Param(ct, "boundary")
	if !strings.EqualFold(strings.TrimSpace(mt), "multipart/byteranges") || !ok {
		v.add("Content-Type is %s, expected multipart/byteranges with a boundary parameter (several ranges travel as parts of one body, RFC 9110 section 14.6)", Quote([]byte(ct), 100))
		return
	}
	parts, err := ParseByteranges(v.resp.Body, boundary)
	if err != nil {
		v.add("the multipart/byteranges body cannot be read: %v", err)
		return
	}
	if len(parts) != len(b.Parts) {
		v.add("the body has %d part(s), expected %d (one per range)", len(parts), len(b.Parts))
		return
	}
	size := int64(len(file))
	for i, p := range parts {
		r := b.Parts[i]
		last := min(r.To, size-1)
		cr := fmt.Sprintf("bytes %d-%d/%d", r.From, last, size)
		if val, ok := p.Get("Content-Range"); !ok {
			v.add("part %d has no Content-Range field (want `Content-Range: %s`)", i+1, cr)
		} else if val != cr {
			v.add("part %d has Content-Range %s, expected %s%s", i+1, Quote([]byte(val), 80), Quote([]byte(cr), 80), rangeHint(val, r.From, last, size))
		}
		var want []byte
		if r.From <= last {
			want = file[r.From : last+1]
		}
		if !bytes.Equal(p.Content, want) {
			v.add("part %d holds %s, expected bytes %d-%d of /%s (%s)", i+1, Describe(p.Content), r.From, last, b.Www, Describe(want))
		}
	}
}

// httpExpected words what the matcher expects.
func httpExpected(h *spec.HTTPResponse) string {
	parts := []string{fmt.Sprintf("HTTP/1.x %d %s", h.Status, statusText(h.Status))}
	for _, k := range slices.Sorted(maps.Keys(h.Header)) {
		parts = append(parts, fmt.Sprintf("%s: %s", k, h.Header[k]))
	}
	for _, k := range slices.Sorted(maps.Keys(h.HeaderMatches)) {
		parts = append(parts, fmt.Sprintf("%s matching /%s/", k, h.HeaderMatches[k]))
	}
	for _, k := range h.Present {
		parts = append(parts, "a "+k+" field")
	}
	for _, k := range h.Absent {
		parts = append(parts, "no "+k+" field")
	}
	if h.SetCookie != nil {
		parts = append(parts, "Set-Cookie: "+*h.SetCookie)
	}
	if h.ContentLength {
		parts = append(parts, "a Content-Length that counts the body's bytes")
	}
	switch b := h.Body; {
	case h.Head || b != nil && b.Empty:
		parts = append(parts, "no body")
	case b == nil:
	case b.Text != nil:
		parts = append(parts, "the body "+Describe([]byte(*b.Text)))
	case len(b.Parts) > 0:
		var rs []string
		for _, r := range b.Parts {
			rs = append(rs, fmt.Sprintf("%d-%d", r.From, r.To))
		}
		parts = append(parts, fmt.Sprintf("a multipart/byteranges body with bytes %s of /%s", strings.Join(rs, " and "), b.Www))
	case b.Suffix > 0:
		parts = append(parts, fmt.Sprintf("the last %d bytes of /%s", b.Suffix, b.Www))
	case b.From != nil && b.To != nil:
		parts = append(parts, fmt.Sprintf("bytes %d-%d of /%s", *b.From, *b.To, b.Www))
	case b.From != nil:
		parts = append(parts, fmt.Sprintf("bytes %d to the end of /%s", *b.From, b.Www))
	default:
		parts = append(parts, "the content of /"+b.Www)
	}
	if h.UntilClose {
		parts = append(parts, "then the connection closed")
	}
	return strings.Join(parts, ", ")
}

// statusText is the reason phrase of RFC 9110 (net/http keeps a few older
// names, such as "Requested Range Not Satisfiable").
func statusText(code int) string {
	switch code {
	case 413:
		return "Content Too Large"
	case 416:
		return "Range Not Satisfiable"
	case 422:
		return "Unprocessable Content"
	}
	return http.StatusText(code)
}
