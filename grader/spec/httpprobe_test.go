package spec_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/spec"
)

// httpDoc is a valid server exercise with HTTP requests and matchers.
const httpDoc = `id: demo-httpd
title: Demo file server
role: server
run: {port: 8080, www: www, args: ["www"]}
scenarios:
  - id: probes
    points: 2
    steps:
      - connect: tcp
      - send: {http: {path: /index.html}}
      - expect:
          id: etag
          http: {status: 200, present: [ETag], save: {etag: ETag}, body: {www: index.html}}
      - send: {http: {path: /index.html, header: {If-None-Match: "{etag}", Range: "bytes=0-9"}}}
      - expect:
          id: inm
          http: {status: 304, settle: 300ms, level: should}
      - send: {http: {method: HEAD, path: /hello.txt, proto: HTTP/1.0}}
      - expect:
          http: {status: 200, head: true, header: {Content-Length: "17"}, header_matches: {Content-Type: "^text/"}, absent: [Transfer-Encoding]}
      - send: {http: {path: /index.html, header: {Range: "bytes=0-9,20-29"}}}
      - expect:
          id: multi
          http: {status: 206, body: {www: index.html, parts: [{from: 0, to: 9}, {from: 20, to: 29}]}}
      - close: {}
`

var _ = Describe("HTTP requests and matchers", func() {
	It("decodes a file server exercise", func() {
		ex, err := spec.Parse("ex.yaml", []byte(httpDoc))
		Expect(err).NotTo(HaveOccurred())
		Expect(ex.Run.Www).To(Equal("www"))
		sc := ex.Scenarios[0]
		Expect(sc.Steps[2].Expect.HTTP.Save).To(Equal(map[string]string{"etag": "ETag"}))
		Expect(sc.Steps[4].Expect.HTTP.Settle.Std(0).Milliseconds()).To(Equal(int64(300)))
		Expect(sc.Steps[8].Expect.HTTP.Body.Parts).To(HaveLen(2))
		Expect(sc.CheckIDs(ex.Role)).To(Equal([]string{"ready", "etag", "inm", "step7", "multi"}))
	})

	It("builds a request with Host, sorted fields and saved values", func() {
		r := &spec.HTTPRequest{Path: "/a", Header: map[string]string{"Range": "bytes=0-1", "If-None-Match": "{etag}"}}
		b, missing := r.Build("127.0.0.1:8080", map[string]string{"etag": `"abc"`})
		Expect(string(b)).To(Equal("GET /a HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nIf-None-Match: \"abc\"\r\nRange: bytes=0-1\r\n\r\n"))
		Expect(missing).To(BeEmpty())
	})

	It("leaves out a field whose saved value is missing, and says which", func() {
		r := &spec.HTTPRequest{Method: "HEAD", Header: map[string]string{"If-None-Match": "{etag}"}}
		b, missing := r.Build("h:1", nil)
		Expect(string(b)).To(Equal("HEAD / HTTP/1.1\r\nHost: h:1\r\n\r\n"))
		Expect(missing).To(Equal([]string{"If-None-Match"}))
	})

	It("sends no Host with HTTP/1.0 unless given", func() {
		b, _ := (&spec.HTTPRequest{Proto: "HTTP/1.0"}).Build("h:1", nil)
		Expect(string(b)).To(Equal("GET / HTTP/1.0\r\n\r\n"))
		b, _ = (&spec.HTTPRequest{Header: map[string]string{"host": "example.org"}}).Build("h:1", nil)
		Expect(string(b)).To(Equal("GET / HTTP/1.1\r\nhost: example.org\r\n\r\n"))
	})

	It("is what a payload's bytes are", func() {
		pl := spec.Payload{HTTP: &spec.HTTPRequest{Path: "/x"}}
		Expect(string(pl.Bytes())).To(Equal("GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
	})

	It("slices a file for a range, a suffix or an open end", func() {
		data := []byte("0123456789")
		from, to := int64(2), int64(4)
		part, first, last, ranged := (&spec.HTTPBody{From: &from, To: &to}).Slice(data)
		Expect([]any{string(part), first, last, ranged}).To(Equal([]any{"234", int64(2), int64(4), true}))
		part, first, last, _ = (&spec.HTTPBody{Suffix: 3}).Slice(data)
		Expect([]any{string(part), first, last}).To(Equal([]any{"789", int64(7), int64(9)}))
		big := int64(100)
		part, _, last, _ = (&spec.HTTPBody{From: &to, To: &big}).Slice(data)
		Expect([]any{string(part), last}).To(Equal([]any{"456789", int64(9)}))
		part, _, _, ranged = (&spec.HTTPBody{}).Slice(data)
		Expect([]any{string(part), ranged}).To(Equal([]any{"0123456789", false}))
		part, _, _, _ = (&spec.HTTPBody{From: &big}).Slice(data)
		Expect(part).To(BeEmpty())
	})

	DescribeTable("reports a bad request or matcher where it is",
		func(steps, field, marker, msg string) {
			doc := server("  - id: a\n    steps:\n      - connect: tcp\n" + steps)
			p := withField(problems(doc), field)
			Expect(p.Msg).To(ContainSubstring(msg))
			located(p, doc, marker)
		},
		Entry("a placeholder nothing saved",
			`      - send: {http: {header: {If-None-Match: "{etag}"}}}
`, "scenarios[0].steps[1].send.http.header.If-None-Match", `"{etag}"`, "{etag} is not saved by an earlier http matcher"),
		Entry("a placeholder saved only later",
			`      - send: {http: {header: {If-None-Match: "{etag}"}}}
      - expect: {http: {status: 200, save: {etag: ETag}}}
`, "scenarios[0].steps[1].send.http.header.If-None-Match", `"{etag}"`, "{etag} is not saved"),
		Entry("a status out of range",
			`      - expect: {http: {status: 42}}
`, "scenarios[0].steps[1].expect.http.status", "42", "want a status code from 100 to 599"),
		Entry("an unknown level",
			`      - expect: {http: {status: 200, level: may}}
`, "scenarios[0].steps[1].expect.http.level", "may", `got "may", want one of: must, should`),
		Entry("a file that is not in fixtures/www",
			`      - expect: {http: {status: 200, body: {www: nope.html}}}
`, "scenarios[0].steps[1].expect.http.body.www", "nope.html", "no such file in fixtures/www"),
		Entry("a range without a file",
			`      - expect: {http: {status: 206, body: {text: "x", from: 1}}}
`, "scenarios[0].steps[1].expect.http.body", `{text: "x"`, "from, to, suffix and parts select bytes of a www file"),
		Entry("one multipart part",
			`      - expect: {http: {status: 206, body: {www: index.html, parts: [{from: 0, to: 1}]}}}
`, "scenarios[0].steps[1].expect.http.body.parts", "[{from", "two parts or more"),
		Entry("a body after HEAD",
			`      - expect: {http: {status: 200, head: true, body: {www: index.html}}}
`, "scenarios[0].steps[1].expect.http.body", "{www: index.html}", "a response to HEAD has no body"),
		Entry("a field name with a space",
			`      - send: {http: {header: {"Bad Name": x}}}
`, "scenarios[0].steps[1].send.http.header.Bad Name", "x}}}", "is not a field name"),
		Entry("a value with a line break",
			`      - send: {http: {header: {X-A: "a\r\nB: c"}}}
`, "scenarios[0].steps[1].send.http.header.X-A", `"a\r`, "cannot hold CR, LF or NUL"),
		Entry("a path without its slash",
			`      - send: {http: {path: index.html}}
`, "scenarios[0].steps[1].send.http.path", "index.html", "starts with /"),
		Entry("an unknown version",
			`      - send: {http: {proto: HTTP/2}}
`, "scenarios[0].steps[1].send.http.proto", "HTTP/2", "want one of: HTTP/1.1, HTTP/1.0"),
		Entry("a bad header regular expression",
			`      - expect: {http: {status: 200, header_matches: {Content-Type: "(("}}}
`, "scenarios[0].steps[1].expect.http.header_matches.Content-Type", `"(("`, "not a valid regular expression"),
		Entry("a cookie without its name",
			`      - expect: {http: {status: 200, set_cookie: abc}}
`, "scenarios[0].steps[1].expect.http.set_cookie", "abc", "want a cookie as name=value"),
		Entry("both ways to read on",
			`      - expect: {http: {status: 200, until_close: true, settle: 1s}}
`, "scenarios[0].steps[1].expect.http", "{status: 200, until", "give until_close or settle, not both"),
	)

	It("keeps an http matcher alone in its expect step", func() {
		p := only(server("  - id: a\n    steps:\n      - connect: tcp\n      - expect: {contains: OK, http: {status: 200}}\n"))
		Expect(p.Msg).To(HavePrefix("an http matcher reads one response and judges it whole"))
	})

	It("counts an http payload and matcher among the kinds", func() {
		p := only(server("  - id: a\n    steps:\n      - connect: tcp\n      - send: {text: x, http: {path: /}}\n"))
		Expect(p.Msg).To(Equal("give exactly one of text, hex, frame, ws, upgrade or http"))
	})

	It("wants run.www inside the working folder, for a server", func() {
		doc := "id: demo\ntitle: Demo\nrole: server\nrun: {www: ../etc}\nscenarios:\n  - id: a\n"
		Expect(withField(problems(doc), "run.www").Msg).To(ContainSubstring("want a folder name inside the program's working folder"))
		doc = "id: demo\ntitle: Demo\nrole: client\nrun: {www: www}\nservers: [{name: echo, kind: echo-tcp}]\nscenarios:\n  - id: a\n    expect: {exit: 0}\n"
		Expect(only(doc).Msg).To(ContainSubstring("it needs role: server"))
	})

	It("names the fields of an http matcher for a typo", func() {
		p := only(server("  - id: a\n    steps:\n      - connect: tcp\n      - expect: {http: {status: 200, stauts: 1}}\n"))
		Expect(p.Msg).To(ContainSubstring(`unknown field (got "stauts"), want one of: status, head, header`))
	})
})
