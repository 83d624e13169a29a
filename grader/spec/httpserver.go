package spec

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/netlab-grader/grader/reference/httpd"
)

// httpServer validates the fields that only an http reference server
// reads: gzip, chunked, redirects, cache and cookies.
func (v *validator) httpServer(p fieldPath, s Server) {
	if s.Kind != "http" {
		for _, f := range []struct {
			name string
			set  bool
		}{{"gzip", s.Gzip}, {"chunked", s.Chunked}, {"redirects", s.Redirects != nil}, {"cache", s.Cache != nil}, {"cookies", s.Cookies != nil}} {
			if f.set {
				v.add(p.with(f.name), "%s is for a server of kind http (got kind %q)", f.name, s.Kind)
			}
		}
		return
	}
	statuses := make([]string, len(httpd.RedirectStatuses))
	for i, st := range httpd.RedirectStatuses {
		statuses[i] = strconv.Itoa(st)
	}
	for _, k := range slices.Sorted(maps.Keys(s.Redirects)) {
		rp := p.with("redirects", k)
		r := s.Redirects[k]
		if !strings.HasPrefix(k, "/") {
			v.add(rp, "got the path %q, want a request path starting with /", k)
		}
		if !slices.Contains(httpd.RedirectStatuses, r.Status) {
			v.add(rp.with("status"), "got %d, want one of: %s (301 moved permanently, 302 found)", r.Status, strings.Join(statuses, ", "))
		}
		switch {
		case r.To == "":
			v.add(rp.with("to"), "missing (the Location: a path such as /new.html, or a whole URL)")
		case r.Absolute && !strings.HasPrefix(r.To, "/"):
			v.add(rp.with("absolute"), "absolute makes a path a whole URL on the server; %q is not a path", r.To)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(s.Cache)) {
		cp := p.with("cache", k)
		c := s.Cache[k]
		if !strings.HasPrefix(k, "/") {
			v.add(cp, "got the prefix %q, want a path prefix starting with / (\"/\" for every page)", k)
		}
		if c.MaxAge == nil && c.Expires == nil {
			v.add(cp, "give max_age (seconds of Cache-Control: max-age), expires (seconds from the answer's date), or both")
		}
		if c.MaxAge != nil && *c.MaxAge < 0 {
			v.add(cp.with("max_age"), "got %d, want 0 or more seconds", *c.MaxAge)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(s.Cookies)) {
		if !strings.HasPrefix(k, "/") {
			v.add(p.with("cookies", k), "got the prefix %q, want a path prefix starting with / (\"/\" for every page)", k)
		}
		for i, c := range s.Cookies[k] {
			if name, _, ok := strings.Cut(c, "="); !ok || strings.TrimSpace(name) == "" {
				v.add(p.with("cookies", k, i), "got %q, want a Set-Cookie value such as \"session=abc123; Path=/\"", c)
			}
		}
	}
}

// requestMatches validates the expected requests' own fields.
func (v *validator) requestMatches(p fieldPath, rs []RequestMatch) {
	for i, r := range rs {
		if r.Status != 0 && (r.Status < 100 || r.Status > 599) {
			v.add(p.with(i, "status"), "got %d, want an HTTP status from 100 to 599", r.Status)
		}
	}
}

// ApplyHTTP sets the fields of an http reference server's configuration
// that the server's gzip, chunked, redirects, cache and cookies ask for.
func (s Server) ApplyHTTP(cfg *httpd.Config) {
	cfg.Gzip, cfg.Chunked = s.Gzip, s.Chunked
	if len(s.Redirects) > 0 {
		cfg.Redirects = map[string]httpd.Redirect{}
		for k, r := range s.Redirects {
			cfg.Redirects[k] = httpd.Redirect{Status: r.Status, Location: r.To, Absolute: r.Absolute}
		}
	}
	if len(s.Cache) > 0 {
		cfg.Cache = map[string]httpd.CacheRule{}
		for k, c := range s.Cache {
			var rule httpd.CacheRule
			if c.MaxAge != nil {
				rule.MaxAge = new(time.Duration(*c.MaxAge) * time.Second)
			}
			if c.Expires != nil {
				rule.Expires = new(time.Duration(*c.Expires) * time.Second)
			}
			cfg.Cache[k] = rule
		}
	}
	if len(s.Cookies) > 0 {
		cfg.SetCookie = maps.Clone(s.Cookies)
	}
}
