package httpd

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"path"
	"slices"
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
	// chunk > 0 sends the body with chunked transfer coding, in chunks of
	// that many bytes (the headers then say Transfer-Encoding: chunked).
	chunk int
}

func (r *response) add(k, v string) {
	if r.hdr == nil {
		r.hdr = make([][2]string, 0, 12) // a file response's, without growing
	}
	r.hdr = append(r.hdr, [2]string{k, v})
}

// bytes serialises the response: status line, Date, Server, the headers,
// the body unless head or noBody.
func (r *response) bytes(now time.Time, head bool) []byte {
	var b bytes.Buffer
	r.writeTo(&b, now, head)
	return b.Bytes()
}

// writeTo is bytes into b, which the server reuses from one response to
// the next; no fmt, so nothing else is allocated.
func (r *response) writeTo(b *bytes.Buffer, now time.Time, head bool) {
	b.Grow(512 + len(r.body))
	b.WriteString("HTTP/1.1 ")
	b.WriteString(strconv.Itoa(r.status))
	b.WriteString(" ")
	b.WriteString(http.StatusText(r.status))
	b.WriteString("\r\nDate: ")
	b.Write(now.UTC().AppendFormat(b.AvailableBuffer(), http.TimeFormat))
	b.WriteString("\r\nServer: " + ServerName + "\r\n")
	for _, h := range r.hdr {
		b.WriteString(h[0])
		b.WriteString(": ")
		b.WriteString(h[1])
		b.WriteString("\r\n")
	}
	b.WriteString("\r\n")
	switch {
	case head || r.noBody:
	case r.chunk > 0:
		writeChunked(b, r.body, r.chunk)
	default:
		b.Write(r.body)
	}
}

// header is the response's header fields as a map, as bytes writes them.
func (r *response) header(now time.Time) http.Header {
	h := make(http.Header, len(r.hdr)+2)
	h.Set("Date", now.UTC().Format(http.TimeFormat))
	h.Set("Server", ServerName)
	for _, kv := range r.hdr {
		h.Add(kv[0], kv[1])
	}
	return h
}

// writeChunked writes body as chunks of at most size bytes, each "HEX
// SIZE\r\n DATA\r\n", then the last chunk "0\r\n" and the empty line
// that ends the (empty) trailer section (RFC 9112 7.1).
func writeChunked(b *bytes.Buffer, body []byte, size int) {
	for len(body) > 0 {
		n := min(size, len(body))
		fmt.Fprintf(b, "%x\r\n", n)
		b.Write(body[:n])
		b.WriteString("\r\n")
		body = body[n:]
	}
	b.WriteString("0\r\n\r\n")
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

// GzipETag is the entity tag of content's gzip representation: a strong
// validator must differ between two representations whose bytes differ
// (RFC 9110 8.8.3), so it is the ETag with "-gzip" inside the quotes.
func GzipETag(content []byte) string {
	return strings.TrimSuffix(ETag(content), `"`) + `-gzip"`
}

// compressible reports a content type worth compressing: text, not the
// already compressed PNG, JPEG or PDF.
func compressible(ctype string) bool {
	mt, _, _ := strings.Cut(ctype, ";")
	switch mt {
	case "application/json", "text/javascript", "application/javascript", "image/svg+xml":
		return true
	}
	return strings.HasPrefix(mt, "text/")
}

// acceptsGzip reads Accept-Encoding (RFC 9110 12.5.3): gzip (or its alias
// x-gzip) with a q above 0, or else "*" with a q above 0. Without the
// header nothing is compressed: RFC 9110 would allow any coding, but a lab
// client that never asked for gzip cannot read it.
func acceptsGzip(values []string) bool {
	gzipQ, starQ := -1.0, -1.0
	for _, v := range values {
		for _, elem := range strings.Split(v, ",") {
			name, params, _ := strings.Cut(elem, ";")
			name = strings.ToLower(strings.TrimSpace(name))
			q := 1.0
			for _, prm := range strings.Split(params, ";") {
				k, val, ok := strings.Cut(strings.TrimSpace(prm), "=")
				if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
					continue
				}
				f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
				if err != nil || f < 0 || f > 1 {
					f = -1 // an invalid weight: the element is ignored
				}
				q = f
			}
			switch {
			case q < 0:
			case name == "gzip" || name == "x-gzip":
				gzipQ = q
			case name == "*":
				starQ = q
			}
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return starQ > 0
}

// gzipped compresses b; with no name and no modification time in its
// header, the same input always gives the same bytes.
func gzipped(b []byte) []byte {
	var out bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&out, gzip.BestCompression)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return out.Bytes()
}

// longestPrefix finds the entry of m whose key is the longest path prefix
// of p, segment by segment: "/free/" and "/free" cover "/free/a.png",
// "/" covers everything, "/fr" covers neither.
func longestPrefix[V any](m map[string]V, p string) (V, bool) {
	var best V
	bestLen := -1
	for k, v := range m {
		covers := k == "/" || p == k || strings.HasPrefix(p, k) && (strings.HasSuffix(k, "/") || p[len(k)] == '/')
		if covers && len(k) > bestLen {
			best, bestLen = v, len(k)
		}
	}
	return best, bestLen >= 0
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
	data, etag, err := s.files.read(s.fsys, name, st)
	if err != nil {
		return nil, err
	}
	mt := st.ModTime()
	if !s.cfg.ModTime.IsZero() {
		mt = s.cfg.ModTime
	}
	return &file{name: name, data: data, modTime: mt.UTC().Truncate(time.Second), etag: etag}, nil
}

// handle answers a well-formed request; now is the clock reading the
// response's Date will carry.
func (s *Server) handle(r *Request, now time.Time) *response {
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
	if rd, ok := s.cfg.Redirects[p]; ok && r.Method != "OPTIONS" {
		return s.redirect(r, rd, now)
	}
	fl, err := s.open(p)
	if err != nil {
		return errorResponse(http.StatusNotFound, fmt.Sprintf("no file %s here", p))
	}
	if r.Method == "OPTIONS" {
		return optionsResponse()
	}
	ctype := contentType(fl.name, fl.data)
	// varies: the answer depends on Accept-Encoding (Vary says so, even
	// on an uncompressed answer, so a cache does not serve one to a client
	// that asked for the other); gz: this client gets gzip.
	varies := s.cfg.Gzip && compressible(ctype)
	gz := varies && acceptsGzip(r.Header.Values("Accept-Encoding"))
	tags := []string{fl.etag}
	if varies {
		tags = append(tags, GzipETag(fl.data))
	}
	matches := func(list string, strong bool) bool {
		return slices.ContainsFunc(tags, func(t string) bool { return matchList(list, t, strong) })
	}

	// Preconditions, in the order of RFC 9110 13.2.2. Either
	// representation's tag is current: a range is always served from the
	// uncompressed file, so a client resuming one holds that tag.
	if v, ok := header(r, "If-Match"); ok {
		if !matches(v, true) {
			return s.precondition(fl, "If-Match "+v+" does not match the ETag "+fl.etag)
		}
	} else if v, ok := header(r, "If-Unmodified-Since"); ok {
		if t, err := http.ParseTime(v); err == nil && fl.modTime.After(t) {
			return s.precondition(fl, "the file was modified after If-Unmodified-Since")
		}
	}
	etag := fl.etag
	if gz {
		etag = GzipETag(fl.data)
	}
	if v, ok := header(r, "If-None-Match"); ok {
		if matches(v, false) {
			return s.notModified(r, fl, etag, varies, now)
		}
	} else if v, ok := header(r, "If-Modified-Since"); ok {
		if t, err := http.ParseTime(v); err == nil && !fl.modTime.After(t) {
			return s.notModified(r, fl, etag, varies, now)
		}
	}

	resp := &response{status: http.StatusOK, body: fl.data}
	var crange string
	if v, ok := header(r, "Range"); ok && r.Method == "GET" && s.ifRange(r, fl) {
		ranges, valid := parseRange(v, int64(len(fl.data)))
		switch {
		case !valid:
			// A Range the server cannot parse is ignored (RFC 9110 14.2).
		case len(ranges) == 0:
			resp := errorResponse(http.StatusRequestedRangeNotSatisfiable, fmt.Sprintf("no range of %q overlaps the %d bytes of %s", v, len(fl.data), p))
			resp.add("Content-Range", fmt.Sprintf("bytes */%d", len(fl.data)))
			s.validators(resp, r, fl, fl.etag, now)
			if varies {
				resp.add("Vary", "Accept-Encoding")
			}
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
	// A range stays uncompressed: its offsets count the bytes of the file
	// (Content-Range: bytes 500-1000/LEN), which a client resuming a
	// download or fetching a piece can only use if they are the bytes it
	// will store; offsets into a gzip stream mean nothing to it, and a
	// compressed piece of the file would not be a valid gzip member.
	encoded := gz && resp.status == http.StatusOK
	if encoded {
		resp.body = gzipped(fl.data)
	} else {
		etag = fl.etag
	}
	resp.add("Content-Type", ctype)
	if encoded {
		resp.add("Content-Encoding", "gzip")
	}
	s.frame(resp, r)
	if crange != "" {
		resp.add("Content-Range", crange)
	}
	s.validators(resp, r, fl, etag, now)
	if varies {
		resp.add("Vary", "Accept-Encoding")
	}
	resp.add("Accept-Ranges", "bytes")
	s.cookies(resp, p)
	return resp
}

// frame says how the body ends: chunked transfer coding for an HTTP/1.1
// request when Config.Chunked, else Content-Length.
func (s *Server) frame(resp *response, r *Request) {
	if s.cfg.Chunked && r.Proto == "HTTP/1.1" {
		resp.chunk = s.cfg.ChunkSize
		resp.add("Transfer-Encoding", "chunked")
		return
	}
	resp.add("Content-Length", strconv.Itoa(len(resp.body)))
}

// redirect answers with a configured redirect: Location, and a short HTML
// page with a link for a client that does not follow it.
func (s *Server) redirect(r *Request, rd Redirect, now time.Time) *response {
	loc := rd.Location
	if rd.Absolute {
		loc = s.URL() + loc
	}
	text := http.StatusText(rd.Status)
	resp := &response{status: rd.Status}
	resp.body = []byte(fmt.Sprintf("<!DOCTYPE html>\n<html><head><title>%d %s</title></head>\n<body><h1>%s</h1><p>The document has moved <a href=\"%s\">here</a>.</p></body></html>\n",
		rd.Status, text, text, html.EscapeString(loc)))
	resp.add("Location", loc)
	resp.add("Content-Type", "text/html; charset=utf-8")
	resp.add("Content-Length", strconv.Itoa(len(resp.body)))
	s.freshness(resp, r.Path, now)
	s.cookies(resp, r.Path)
	return resp
}

// cookies adds the Set-Cookie values configured for p.
func (s *Server) cookies(resp *response, p string) {
	vs, _ := longestPrefix(s.cfg.SetCookie, p)
	for _, v := range vs {
		resp.add("Set-Cookie", v)
	}
}

func optionsResponse() *response {
	resp := &response{status: http.StatusOK}
	resp.add("Allow", Allow)
	resp.add("Content-Length", "0")
	return resp
}

// validators adds Last-Modified, the ETag of the representation sent,
// and the path's freshness.
func (s *Server) validators(resp *response, r *Request, fl *file, etag string, now time.Time) {
	resp.add("Last-Modified", fl.modTime.Format(http.TimeFormat))
	resp.add("ETag", etag)
	s.freshness(resp, r.Path, now)
}

// freshness adds the Cache-Control and Expires configured for path p:
// the exact-path values, else the longest Cache prefix's, its Expires
// counted from now.
func (s *Server) freshness(resp *response, p string, now time.Time) {
	cc, hasCC := s.cfg.CacheControl[p]
	exp, hasExp := s.cfg.Expires[p]
	if rule, ok := longestPrefix(s.cfg.Cache, p); ok {
		if !hasCC && rule.MaxAge != nil {
			cc, hasCC = fmt.Sprintf("max-age=%d", int64(rule.MaxAge.Seconds())), true
		}
		if !hasExp && rule.Expires != nil {
			exp, hasExp = now.Add(*rule.Expires), true
		}
	}
	if hasCC {
		resp.add("Cache-Control", cc)
	}
	if hasExp {
		resp.add("Expires", exp.UTC().Format(http.TimeFormat))
	}
}

// notModified is the 304: no body, but the headers a 200 would have
// carried that a cache updates its copy with (RFC 9110 15.4.5).
func (s *Server) notModified(r *Request, fl *file, etag string, varies bool, now time.Time) *response {
	resp := &response{status: http.StatusNotModified, noBody: true}
	s.validators(resp, r, fl, etag, now)
	if varies {
		resp.add("Vary", "Accept-Encoding")
	}
	s.cookies(resp, r.Path)
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
