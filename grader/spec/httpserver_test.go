package spec_test

import (
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/spec"
	"github.com/netlab-grader/grader/reference/httpd"
)

// httpServerDoc is a client exercise with an http server: %KIND%,
// %SERVER% (its extension fields) and %REQUEST% (a second expected
// request) are replaced to break one thing at a time.
const httpServerDoc = `id: demo-http
title: Demo HTTP client
role: client
servers:
  - name: web
    kind: %KIND%
%SERVER%
scenarios:
  - id: fetch
    points: 1
    expect:
      requests:
        - {method: GET, path: /, header_contains: {Accept-Encoding: gzip}, status: 200}
%REQUEST%
`

// allFields sets every extension of an http server.
const allFields = `    gzip: true
    chunked: true
    redirects:
      /old: {status: 301, to: /new, absolute: true}
      /tmp: {status: 302, to: "http://example.org/x"}
    cache:
      /: {max_age: 60}
      /free/: {max_age: 3600, expires: -60}
    cookies:
      /: ["session=abc123; Path=/"]`

// httpServerExercise is httpServerDoc with its placeholders replaced.
func httpServerExercise(kind, server, request string) string {
	return strings.NewReplacer("%KIND%", kind, "%SERVER%", server, "%REQUEST%", request).Replace(httpServerDoc)
}

var _ = Describe("the http server's fields", func() {
	It("decodes gzip, chunked, redirects, cache, cookies and the request fields", func() {
		ex, err := spec.Parse("ex.yaml", []byte(httpServerExercise("http", allFields, "")))
		Expect(err).NotTo(HaveOccurred())
		s := ex.Servers[0]
		Expect(s.Gzip).To(BeTrue())
		Expect(s.Chunked).To(BeTrue())
		Expect(s.Redirects).To(Equal(map[string]spec.Redirect{
			"/old": {Status: 301, To: "/new", Absolute: true},
			"/tmp": {Status: 302, To: "http://example.org/x"},
		}))
		Expect(*s.Cache["/"].MaxAge).To(Equal(60))
		Expect(s.Cache["/"].Expires).To(BeNil())
		Expect(*s.Cache["/free/"].Expires).To(Equal(-60))
		Expect(s.Cookies).To(Equal(map[string][]string{"/": {"session=abc123; Path=/"}}))
		r := ex.Scenarios[0].Expect.Requests[0]
		Expect(r.HeaderContains).To(Equal(map[string]string{"Accept-Encoding": "gzip"}))
		Expect(r.Status).To(Equal(200))
	})

	It("becomes the reference server's configuration", func() {
		ex, err := spec.Parse("ex.yaml", []byte(httpServerExercise("http", allFields, "")))
		Expect(err).NotTo(HaveOccurred())
		var cfg httpd.Config
		ex.Servers[0].ApplyHTTP(&cfg)
		Expect(cfg.Gzip).To(BeTrue())
		Expect(cfg.Chunked).To(BeTrue())
		Expect(cfg.Redirects["/old"]).To(Equal(httpd.Redirect{Status: 301, Location: "/new", Absolute: true}))
		Expect(*cfg.Cache["/"].MaxAge).To(Equal(time.Minute))
		Expect(cfg.Cache["/"].Expires).To(BeNil())
		Expect(*cfg.Cache["/free/"].MaxAge).To(Equal(time.Hour))
		Expect(*cfg.Cache["/free/"].Expires).To(Equal(-time.Minute))
		Expect(cfg.SetCookie).To(Equal(map[string][]string{"/": {"session=abc123; Path=/"}}))
	})

	It("leaves an http server without them as it was", func() {
		var cfg httpd.Config
		spec.Server{Kind: "http"}.ApplyHTTP(&cfg)
		Expect(cfg).To(Equal(httpd.Config{}))
	})

	DescribeTable("refuses what the server could not do, naming what is allowed",
		func(kind, server, request, want string) {
			Expect(problems(httpServerExercise(kind, server, request)).Error()).To(ContainSubstring(want))
		},
		Entry("an unknown field in a redirect", "http", "    redirects: {/a: {status: 301, to: /, permanent: true}}", "",
			`unknown field (got "permanent"), want one of: status, to, absolute`),
		Entry("an unknown field in a cache rule", "http", "    cache: {/a: {maxage: 1}}", "",
			`unknown field (got "maxage"), want one of: max_age, expires`),
		Entry("a redirect status that is no redirect", "http", "    redirects: {/a: {status: 200, to: /}}", "",
			"got 200, want one of: 301, 302, 303, 307, 308"),
		Entry("a redirect without to", "http", "    redirects: {/a: {status: 301}}", "",
			"missing (the Location"),
		Entry("a redirect path without /", "http", "    redirects: {a: {status: 301, to: /}}", "",
			`got the path "a"`),
		Entry("absolute with a whole URL", "http", `    redirects: {/a: {status: 301, to: "http://x/", absolute: true}}`, "",
			"is not a path"),
		Entry("an empty cache rule", "http", "    cache: {/a: {}}", "",
			"give max_age"),
		Entry("a negative max_age", "http", "    cache: {/a: {max_age: -1}}", "",
			"want 0 or more seconds"),
		Entry("a cookie without a name", "http", `    cookies: {/a: ["=x"]}`, "",
			"want a Set-Cookie value"),
		Entry("gzip on an echo server", "echo-tcp", allFields, "",
			`gzip is for a server of kind http (got kind "echo-tcp")`),
		Entry("a status that is not HTTP", "http", allFields, "        - {method: GET, path: /, status: 42}",
			"got 42, want an HTTP status from 100 to 599"),
		Entry("header_contains that is not a mapping", "http", allFields, "        - {method: GET, path: /, header_contains: gzip}",
			"want a mapping"),
	)
})
