package httpd

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
)

// Allow is the value of the Allow header: the methods served.
const Allow = "GET, HEAD, OPTIONS"

// response is a response being built; headers keep their order.
type response struct {
	status int
	hdr    [][2]string
	body   []byte
	// noBody: a 304 never has a body (a HEAD response neither, see bytes).
	noBody bool
}

func (r *response) add(k, v string) { r.hdr = append(r.hdr, [2]string{k, v}) }

// bytes serialises the response: status line, Date, Server, the headers,
// the body unless head or noBody.
func (r *response) bytes(now time.Time, head bool) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", r.status, http.StatusText(r.status))
	fmt.Fprintf(&b, "Date: %s\r\nServer: %s\r\n", now.UTC().Format(http.TimeFormat), ServerName)
	for _, h := range r.hdr {
		fmt.Fprintf(&b, "%s: %s\r\n", h[0], h[1])
	}
	b.WriteString("\r\n")
	if !head && !r.noBody {
		b.Write(r.body)
	}
	return b.Bytes()
}

// errorResponse is a short text/plain response saying why.
func errorResponse(status int, why string) *response {
	r := &response{status: status}
	r.body = []byte(fmt.Sprintf("%d %s\n", status, http.StatusText(status)))
	if why != "" {
		r.body = []byte(fmt.Sprintf("%d %s: %s\n", status, http.StatusText(status), why))
	}
	r.add("Content-Type", "text/plain; charset=utf-8")
	r.add("Content-Length", strconv.Itoa(len(r.body)))
	return r
}

// contentTypes is fixed (mime.TypeByExtension reads the system's tables,
// which differ between machines).
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".htm":  "text/html; charset=utf-8",
	".txt":  "text/plain; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".json": "application/json",
	".png":  "image/png",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".gif":  "image/gif",
	".svg":  "image/svg+xml",
	".ico":  "image/x-icon",
	".pdf":  "application/pdf",
}

func contentType(name string, data []byte) string {
	if t, ok := contentTypes[strings.ToLower(path.Ext(name))]; ok {
		return t
	}
	return http.DetectContentType(data)
}

// ETag is the strong entity tag the server gives content: 16 hex digits of
// its SHA-256, quoted.
func ETag(content []byte) string {
	sum := sha256.Sum256(content)
	return `"` + hex.EncodeToString(sum[:8]) + `"`
}

// resolve maps a request target to a cleaned path ("/index.html").
func resolve(target string) (string, *failure) {
	p := target
	if !strings.HasPrefix(p, "/") {
		// absolute-form (RFC 9112 3.2.2), which servers must accept
		u, err := url.Parse(target)
		if err != nil || !strings.EqualFold(u.Scheme, "http") || u.Host == "" {
			return "", fail(http.StatusBadRequest, "the request target %q is neither a path starting with / nor an http:// URL", target)
		}
		p = u.EscapedPath()
		if u.RawQuery != "" || u.ForceQuery {
			p += "?"
		}
		if p == "" || p == "?" {
			p = "/" + p
		}
	}
	if strings.Contains(p, "#") {
		return "", fail(http.StatusBadRequest, "the request target %q contains a fragment (#...), which is never sent", target)
	}
	p, _, _ = strings.Cut(p, "?")
	dec, err := url.PathUnescape(p)
	if err != nil {
		return "", fail(http.StatusBadRequest, "the request target %q has a bad percent-encoding", target)
	}
	if strings.IndexByte(dec, 0) >= 0 {
		return "", fail(http.StatusBadRequest, "the request target %q contains a NUL byte", target)
	}
	return path.Clean(dec), nil
}

// file is a resource found under the root.
type file struct {
	name    string
	data    []byte
	modTime time.Time
	etag    string
}

func (s *Server) open(p string) (*file, error) {
	name := strings.TrimPrefix(p, "/")
	if name == "" {
		name = "."
	}
	st, err := fs.Stat(s.fsys, name)
	if err == nil && st.IsDir() {
		name = path.Join(name, "index.html")
		st, err = fs.Stat(s.fsys, name)
	}
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fs.ErrNotExist
	}
	data, err := fs.ReadFile(s.fsys, name)
	if err != nil {
		return nil, err
	}
	mt := st.ModTime()
	if !s.cfg.ModTime.IsZero() {
		mt = s.cfg.ModTime
	}
	return &file{name: name, data: data, modTime: mt.UTC().Truncate(time.Second), etag: ETag(data)}, nil
}

// handle answers a well-formed request.
func (s *Server) handle(r *Request) *response {
	switch r.Method {
	case "GET", "HEAD", "OPTIONS":
	default:
		resp := errorResponse(http.StatusMethodNotAllowed, fmt.Sprintf("this server only allows %s", Allow))
		resp.add("Allow", Allow)
		return resp
	}
	if r.Target == "*" {
		if r.Method != "OPTIONS" {
			return errorResponse(http.StatusBadRequest, "the target * is only for OPTIONS")
		}
		return optionsResponse()
	}
	p, f := resolve(r.Target)
	if f != nil {
		r.Err = f.why
		return errorResponse(f.status, f.why)
	}
	r.Path = p
	fl, err := s.open(p)
	if err != nil {
		return errorResponse(http.StatusNotFound, fmt.Sprintf("no file %s here", p))
	}
	if r.Method == "OPTIONS" {
		return optionsResponse()
	}

	// Preconditions, in the order of RFC 9110 13.2.2.
	if v, ok := header(r, "If-Match"); ok {
		if !matchList(v, fl.etag, true) {
			return s.precondition(fl, "If-Match "+v+" does not match the ETag "+fl.etag)
		}
	} else if v, ok := header(r, "If-Unmodified-Since"); ok {
		if t, err := http.ParseTime(v); err == nil && fl.modTime.After(t) {
			return s.precondition(fl, "the file was modified after If-Unmodified-Since")
		}
	}
	if v, ok := header(r, "If-None-Match"); ok {
		if matchList(v, fl.etag, false) {
			return s.notModified(r, fl)
		}
	} else if v, ok := header(r, "If-Modified-Since"); ok {
		if t, err := http.ParseTime(v); err == nil && !fl.modTime.After(t) {
			return s.notModified(r, fl)
		}
	}

	resp := &response{status: http.StatusOK, body: fl.data}
	ctype := contentType(fl.name, fl.data)
	var crange string
	if v, ok := header(r, "Range"); ok && r.Method == "GET" && s.ifRange(r, fl) {
		ranges, valid := parseRange(v, int64(len(fl.data)))
		switch {
		case !valid:
			// A Range the server cannot parse is ignored (RFC 9110 14.2).
		case len(ranges) == 0:
			resp := errorResponse(http.StatusRequestedRangeNotSatisfiable, fmt.Sprintf("no range of %q overlaps the %d bytes of %s", v, len(fl.data), p))
			resp.add("Content-Range", fmt.Sprintf("bytes */%d", len(fl.data)))
			s.validators(resp, r, fl)
			return resp
		case len(ranges) == 1:
			rg := ranges[0]
			resp.status = http.StatusPartialContent
			resp.body = fl.data[rg.first : rg.last+1]
			crange = rg.contentRange(len(fl.data))
		default:
			resp.status = http.StatusPartialContent
			boundary := "netlab-byteranges-" + strings.Trim(fl.etag, `"`)
			var b bytes.Buffer
			mw := multipart.NewWriter(&b)
			_ = mw.SetBoundary(boundary)
			for _, rg := range ranges {
				pw, _ := mw.CreatePart(textproto.MIMEHeader{
					"Content-Type":  {ctype},
					"Content-Range": {rg.contentRange(len(fl.data))},
				})
				_, _ = pw.Write(fl.data[rg.first : rg.last+1])
			}
			_ = mw.Close()
			resp.body = b.Bytes()
			ctype = "multipart/byteranges; boundary=" + boundary
		}
	}
	resp.add("Content-Type", ctype)
	resp.add("Content-Length", strconv.Itoa(len(resp.body)))
	if crange != "" {
		resp.add("Content-Range", crange)
	}
	s.validators(resp, r, fl)
	resp.add("Accept-Ranges", "bytes")
	return resp
}

func optionsResponse() *response {
	resp := &response{status: http.StatusOK}
	resp.add("Allow", Allow)
	resp.add("Content-Length", "0")
	return resp
}

// validators adds Last-Modified, ETag, and the path's Cache-Control and
// Expires.
func (s *Server) validators(resp *response, r *Request, fl *file) {
	resp.add("Last-Modified", fl.modTime.Format(http.TimeFormat))
	resp.add("ETag", fl.etag)
	if v, ok := s.cfg.CacheControl[r.Path]; ok {
		resp.add("Cache-Control", v)
	}
	if t, ok := s.cfg.Expires[r.Path]; ok {
		resp.add("Expires", t.UTC().Format(http.TimeFormat))
	}
}

func (s *Server) notModified(r *Request, fl *file) *response {
	resp := &response{status: http.StatusNotModified, noBody: true}
	s.validators(resp, r, fl)
	return resp
}

func (s *Server) precondition(fl *file, why string) *response {
	resp := errorResponse(http.StatusPreconditionFailed, why)
	resp.add("ETag", fl.etag)
	resp.add("Last-Modified", fl.modTime.Format(http.TimeFormat))
	return resp
}

// ifRange reports whether Range applies: no If-Range, or an If-Range that
// names the current file by its strong ETag or its exact Last-Modified.
func (s *Server) ifRange(r *Request, fl *file) bool {
	v, ok := header(r, "If-Range")
	if !ok {
		return true
	}
	if strings.HasPrefix(v, `"`) || strings.HasPrefix(v, "W/") {
		return v == fl.etag
	}
	t, err := http.ParseTime(v)
	return err == nil && t.Equal(fl.modTime)
}

// header is the value of a header sent once (joined with ", " when it
// was sent several times, as for a list).
func header(r *Request, k string) (string, bool) {
	vs := r.Header.Values(k)
	if len(vs) == 0 {
		return "", false
	}
	return strings.Join(vs, ", "), true
}

// matchList evaluates an If-Match (strong) or If-None-Match (weak) list
// against etag; "*" matches any existing file, a malformed list nothing.
func matchList(list, etag string, strong bool) bool {
	if strings.TrimSpace(list) == "*" {
		return true
	}
	tags, ok := parseETags(list)
	if !ok {
		return false
	}
	for _, t := range tags {
		weak := strings.HasPrefix(t, "W/")
		if strong && weak {
			continue
		}
		if strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// parseETags splits `"a", W/"b"` into its entity tags.
func parseETags(s string) ([]string, bool) {
	var out []string
	for {
		s = strings.TrimLeft(s, " \t,")
		if s == "" {
			return out, len(out) > 0
		}
		start := s
		weak := strings.HasPrefix(s, "W/")
		if weak {
			s = s[2:]
		}
		if !strings.HasPrefix(s, `"`) {
			return nil, false
		}
		end := strings.IndexByte(s[1:], '"')
		if end < 0 {
			return nil, false
		}
		n := len(start) - len(s) + end + 2
		out = append(out, start[:n])
		s = start[n:]
		rest := strings.TrimLeft(s, " \t")
		if rest != "" && rest[0] != ',' {
			return nil, false
		}
		s = rest
	}
}
