package spec

import (
	"fmt"
	"io/fs"
	"maps"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	grader "github.com/netlab-grader/grader"
)

// HTTPRequest is an HTTP/1.x request the grader sends to a student's
// server (send: {http: ...}). Its lines end with CRLF and it has no body.
type HTTPRequest struct {
	// Method defaults to GET.
	Method string `yaml:"method"`
	// Path is the request target; it defaults to /.
	Path string `yaml:"path"`
	// Proto is HTTP/1.1 (the default) or HTTP/1.0.
	Proto string `yaml:"proto"`
	// Header lists the request's fields after Host (which HTTP/1.1
	// requests get unless given here), sorted by name. {name} in a value
	// is a value an earlier http matcher of the scenario saved (an ETag);
	// a field whose value cannot be filled in is left out, and the next
	// http check says so.
	Header map[string]string `yaml:"header"`
}

// HTTPResponse is what an HTTP/1.x response of a student's server must be
// (expect: {http: ...}). The response is parsed strictly (CRLF line ends,
// well-formed fields, one body framing) and every condition given must
// hold; together they make one check, a finding in the manner of REDbot.
type HTTPResponse struct {
	// Status is the status code the response must have.
	Status int `yaml:"status"`
	// Head says the request was HEAD: the response ends with its head,
	// whatever Content-Length announces.
	Head bool `yaml:"head"`
	// Header lists fields that must be present with exactly these values
	// (names case-insensitively, values without surrounding white space).
	Header map[string]string `yaml:"header"`
	// HeaderMatches lists fields whose value must match a regular
	// expression.
	HeaderMatches map[string]string `yaml:"header_matches"`
	// Present lists fields that must be there, whatever their value;
	// Absent lists fields that must not be.
	Present []string `yaml:"present"`
	Absent  []string `yaml:"absent"`
	// SetCookie is a cookie (name=value) one Set-Cookie field must set;
	// attributes after a ";" are allowed.
	SetCookie *string `yaml:"set_cookie"`
	// ContentLength requires a Content-Length field that counts the body's
	// bytes exactly.
	ContentLength bool `yaml:"content_length"`
	// Body is the content the response must carry.
	Body *HTTPBody `yaml:"body"`
	// UntilClose reads on until the server closes the connection, as it
	// must after a response to Connection: close or to HTTP/1.0: a body
	// without Content-Length ends there, and every byte after a framed
	// body is reported.
	UntilClose bool `yaml:"until_close"`
	// Settle keeps reading after the response until the server has gone
	// to sleep with nothing more sent (all its threads asleep, none run
	// since the last look), closes, or the step's timeout passes: bytes
	// that arrive are a body longer than Content-Length said, or a body
	// after HEAD or 304. Where the server's threads cannot be seen (no
	// /proc), reading stops after this long without a new byte.
	Settle Duration `yaml:"settle"`
	// Save keeps header values for later requests: variable → field name
	// ({etag: ETag} lets a request send If-None-Match: "{etag}").
	Save map[string]string `yaml:"save"`
	// Level is must (the default: a problem fails the check) or should
	// (a problem is reported as a warning and the check passes).
	Level string `yaml:"level"`
}

// HTTPBody is the content a response must carry: a file of fixtures/www
// (or a byte range of it, or several ranges in a multipart/byteranges
// body), a text, or nothing.
type HTTPBody struct {
	// Www names the file of fixtures/www.
	Www string `yaml:"www"`
	// From and To select bytes From..To of it, both included (To past the
	// end stops at the end; without To, up to the end); Suffix its last
	// Suffix bytes.
	From   *int64 `yaml:"from"`
	To     *int64 `yaml:"to"`
	Suffix int64  `yaml:"suffix"`
	// Parts are the ranges of a multipart/byteranges body, in order.
	Parts []HTTPRange `yaml:"parts"`
	// Text is the exact body; Empty requires none at all.
	Text  *string `yaml:"text"`
	Empty bool    `yaml:"empty"`
}

// HTTPRange is one byte range of a file, both ends included.
type HTTPRange struct {
	From int64 `yaml:"from"`
	To   int64 `yaml:"to"`
}

// HTTPLevels are the levels of an http matcher.
var HTTPLevels = []string{"must", "should"}

func init() {
	for _, v := range []any{HTTPRequest{}, HTTPResponse{}, HTTPBody{}, HTTPRange{}} {
		t := reflect.TypeOf(v)
		types[t.String()] = t
	}
}

// HTTPVarRE finds {name} placeholders in request field values.
var HTTPVarRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{([a-z][a-z0-9_]*)\}`) })

var (
	tokenRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$") })
	httpVarRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z][a-z0-9_]*$`) })
)

// Build renders the request for a server reached as host ("127.0.0.1:8080")
// with the values saved so far. missing names the fields left out because
// a value they need was never saved.
func (r *HTTPRequest) Build(host string, vars map[string]string) (b []byte, missing []string) {
	method, target, proto := r.Method, r.Path, r.Proto
	if method == "" {
		method = "GET"
	}
	if target == "" {
		target = "/"
	}
	if proto == "" {
		proto = "HTTP/1.1"
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s %s %s\r\n", method, target, proto)
	hasHost := false
	for k := range r.Header {
		hasHost = hasHost || strings.EqualFold(k, "Host")
	}
	if !hasHost && proto == "HTTP/1.1" {
		fmt.Fprintf(&sb, "Host: %s\r\n", host)
	}
	names := make([]string, 0, len(r.Header))
	for k := range r.Header {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		v, ok := fill(r.Header[k], vars)
		if !ok {
			missing = append(missing, k)
			continue
		}
		fmt.Fprintf(&sb, "%s: %s\r\n", k, v)
	}
	sb.WriteString("\r\n")
	return []byte(sb.String()), missing
}

// fill replaces the {name} placeholders of v; ok is false when one has no
// saved value.
func fill(v string, vars map[string]string) (string, bool) {
	ok := true
	out := HTTPVarRE().ReplaceAllStringFunc(v, func(m string) string {
		val, found := vars[m[1:len(m)-1]]
		if !found {
			ok = false
		}
		return val
	})
	return out, ok
}

// Www returns the bytes of a file of fixtures/www.
func Www(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, fmt.Errorf("%q is not a file name inside fixtures/www", name)
	}
	return fs.ReadFile(grader.Files, path.Join("fixtures/www", name))
}

// Slice returns the bytes of the body's single range of data (all of it
// without a range) and whether the body asks for a range at all.
func (b *HTTPBody) Slice(data []byte) (part []byte, first, last int64, ranged bool) {
	n := int64(len(data))
	switch {
	case b.Suffix > 0:
		first = max(n-b.Suffix, 0)
		return data[first:], first, n - 1, true
	case b.From != nil:
		first, last = *b.From, n-1
		if b.To != nil && *b.To < last {
			last = *b.To
		}
		if first >= n || last < first {
			return nil, first, last, true
		}
		return data[first : last+1], first, last, true
	}
	return data, 0, n - 1, false
}

// httpSteps validates a scenario's http requests and matchers: request
// lines and fields that make a valid request, placeholders that name a
// value saved by an earlier matcher, and matchers that can be met.
func (v *validator) httpSteps(sc Scenario, p fieldPath) {
	saved := map[string]bool{}
	for i, st := range sc.Steps {
		sp := p.with("steps", i)
		if st.Send != nil && st.Send.HTTP != nil {
			v.httpRequest(sp.with("send", "http"), st.Send.HTTP, saved)
		}
		if m := st.Expect; m != nil && m.HTTP != nil {
			if m.Equals != nil || m.Hex != "" || m.Contains != nil || m.NotContains != nil || m.Matches != "" || m.NotMatches != "" ||
				m.Frame != nil || m.Fernet != nil || m.WS != nil || m.Upgrade != nil || m.Closed || m.IgnoreNUL || m.Trim || m.IgnoreCase {
				v.add(sp.with("expect"), "an http matcher reads one response and judges it whole: give it without equals, contains, matches, frame, ws, upgrade, closed or their options")
			}
			v.httpResponse(sp.with("expect", "http"), m.HTTP)
			for name := range st.Expect.HTTP.Save {
				saved[name] = true
			}
		}
	}
}

func (v *validator) httpRequest(p fieldPath, r *HTTPRequest, saved map[string]bool) {
	if r.Method != "" && !tokenRE().MatchString(r.Method) {
		v.add(p.with("method"), "got %q, want a method token such as GET or HEAD", r.Method)
	}
	if r.Path != "" && (!strings.HasPrefix(r.Path, "/") && r.Path != "*" || strings.ContainsAny(r.Path, " \t\r\n")) {
		v.add(p.with("path"), "got %q, want a path that starts with / and has no white space", r.Path)
	}
	v.oneOf(p.with("proto"), r.Proto, []string{"HTTP/1.1", "HTTP/1.0"}, false)
	for _, k := range slices.Sorted(maps.Keys(r.Header)) {
		val := r.Header[k]
		if !tokenRE().MatchString(k) {
			v.add(p.with("header", k), "%q is not a field name (letters, digits and !#$%%&'*+.^_`|~-)", k)
		}
		if strings.ContainsAny(val, "\r\n\x00") {
			v.add(p.with("header", k), "a field value cannot hold CR, LF or NUL (got %q)", val)
		}
		for _, m := range HTTPVarRE().FindAllStringSubmatch(val, -1) {
			if !saved[m[1]] {
				v.add(p.with("header", k), "{%s} is not saved by an earlier http matcher of the scenario (save: {%s: ETag})", m[1], m[1])
			}
		}
	}
}

func (v *validator) httpResponse(p fieldPath, h *HTTPResponse) {
	if h.Status < 100 || h.Status > 599 {
		v.add(p.with("status"), "got %d, want a status code from 100 to 599", h.Status)
	}
	v.oneOf(p.with("level"), h.Level, HTTPLevels, false)
	names := func(field string, list []string) {
		for j, k := range list {
			if !tokenRE().MatchString(k) {
				v.add(p.with(field, j), "%q is not a field name", k)
			}
		}
	}
	names("present", h.Present)
	names("absent", h.Absent)
	for _, k := range slices.Sorted(maps.Keys(h.Header)) {
		if !tokenRE().MatchString(k) {
			v.add(p.with("header", k), "%q is not a field name", k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(h.HeaderMatches)) {
		if !tokenRE().MatchString(k) {
			v.add(p.with("header_matches", k), "%q is not a field name", k)
		}
		if _, err := regexp.Compile(h.HeaderMatches[k]); err != nil {
			v.add(p.with("header_matches", k), "got %q: not a valid regular expression: %v", h.HeaderMatches[k], err)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(h.Save)) {
		if !httpVarRE().MatchString(k) {
			v.add(p.with("save", k), "got %q, want a lowercase name (letters, digits, _) to write as {%s}", k, k)
		}
		if !tokenRE().MatchString(h.Save[k]) {
			v.add(p.with("save", k), "%q is not a field name", h.Save[k])
		}
	}
	if h.SetCookie != nil && !strings.Contains(*h.SetCookie, "=") {
		v.add(p.with("set_cookie"), "got %q, want a cookie as name=value", *h.SetCookie)
	}
	if d := h.Settle.Std(0); d > 5*time.Second {
		v.add(p.with("settle"), "got %v, want at most 5s", d)
	}
	if h.UntilClose && h.Settle != 0 {
		v.add(p, "give until_close or settle, not both")
	}
	if b := h.Body; b != nil {
		v.httpBody(p.with("body"), b, h)
	}
}

func (v *validator) httpBody(p fieldPath, b *HTTPBody, h *HTTPResponse) {
	n := 0
	for _, set := range []bool{b.Www != "", b.Text != nil, b.Empty} {
		if set {
			n++
		}
	}
	if n != 1 {
		v.add(p, "give exactly one of www, text, empty")
	}
	ranged := b.From != nil || b.To != nil || b.Suffix != 0 || len(b.Parts) > 0
	if ranged && b.Www == "" {
		v.add(p, "from, to, suffix and parts select bytes of a www file")
	}
	if b.Www != "" {
		if _, err := Www(b.Www); err != nil {
			v.add(p.with("www"), "got %q: no such file in fixtures/www", b.Www)
		}
	}
	kinds := 0
	for _, set := range []bool{b.From != nil || b.To != nil, b.Suffix != 0, len(b.Parts) > 0} {
		if set {
			kinds++
		}
	}
	if kinds > 1 {
		v.add(p, "give one of from/to, suffix or parts")
	}
	if b.To != nil && b.From == nil {
		v.add(p.with("to"), "to needs from (for the last bytes, use suffix)")
	}
	if b.From != nil && (*b.From < 0 || b.To != nil && *b.To < *b.From) {
		v.add(p.with("from"), "want 0 <= from <= to")
	}
	if b.Suffix < 0 {
		v.add(p.with("suffix"), "got %d, want a number of bytes", b.Suffix)
	}
	for j, r := range b.Parts {
		if r.From < 0 || r.To < r.From {
			v.add(p.with("parts", j), "want 0 <= from <= to")
		}
	}
	if len(b.Parts) == 1 {
		v.add(p.with("parts"), "a multipart/byteranges body has two parts or more (one range is answered without multipart)")
	}
	if h.Head && !b.Empty {
		v.add(p, "a response to HEAD has no body: give empty: true or no body")
	}
}

// www validates run.www, the folder fixtures/www is copied into.
func (v *validator) www(ex *Exercise) {
	w := ex.Run.Www
	if w == "" {
		return
	}
	if !fs.ValidPath(w) || w == "." {
		v.add(fieldPath{"run", "www"}, "got %q, want a folder name inside the program's working folder (such as www)", w)
	}
	if ex.Role != "server" {
		v.add(fieldPath{"run", "www"}, "www gives a student's server the files to serve: it needs role: server")
	}
}
