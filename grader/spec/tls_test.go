package spec_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/spec"
)

// tlsClient builds a client exercise with a trusted and an untrusted TLS
// server around scenario lines.
func tlsClient(scenarios string) string {
	return "id: demo\ntitle: Demo\nrole: client\nservers:\n" +
		"  - {name: web, kind: https, port: 443, aliases: {\"/api/x\": doc.pdf}}\n" +
		"  - {name: bad, kind: https-untrusted}\n" +
		"scenarios:\n" + scenarios
}

var _ = Describe("TLS exercises", func() {
	It("decodes the TLS server kinds, aliases, tls expectations and absent files, with their check ids", func() {
		ex, err := spec.Parse("ex.yaml", []byte(tlsClient(
			"  - id: ok\n    target: web\n    expect:\n      tls: {sni: true, hint: Send SNI.}\n      file: {path: f.pdf, www: doc.pdf}\n"+
				"  - id: refused\n    target: bad\n    expect:\n      tls: {reject: true}\n      file: {path: f.pdf, absent: true}\n")))
		Expect(err).NotTo(HaveOccurred())
		Expect(ex.Servers[0].Aliases).To(Equal(map[string]string{"/api/x": "doc.pdf"}))
		Expect(ex.Scenarios[0].Expect.TLS).To(Equal(&spec.TLSExpect{SNI: true, Hint: "Send SNI."}))
		Expect(ex.Scenarios[0].CheckIDs("client")).To(Equal([]string{"file", "tls"}))
		Expect(ex.Scenarios[1].CheckIDs("client")).To(Equal([]string{"file", "tls", "reported"}))
		Expect(ex.Scenarios[1].Expect.File.Absent).To(BeTrue())
		Expect(ex.Texts()).To(ContainElement("Send SNI."))
		Expect(ex.HasTLSSteps()).To(BeFalse())
		for _, k := range spec.TLSServerKinds {
			Expect(spec.ServerKinds).To(ContainElement(k))
			Expect(spec.IsTLSKind(k)).To(BeTrue())
		}
		Expect(spec.IsTLSKind("http")).To(BeFalse())
	})

	It("accepts an empty tls expectation: a handshake that completes", func() {
		ex, err := spec.Parse("ex.yaml", []byte(tlsClient("  - id: ok\n    expect:\n      tls: {}\n")))
		Expect(err).NotTo(HaveOccurred())
		Expect(ex.Scenarios[0].Expect.TLS).To(Equal(&spec.TLSExpect{}))
	})

	It("accepts requests checks against a TLS server", func() {
		_, err := spec.Parse("ex.yaml", []byte(tlsClient("  - id: ok\n    expect:\n      requests: [{method: GET, path: /}]\n")))
		Expect(err).NotTo(HaveOccurred())
	})

	It("names the tls checks of connect: tls steps in order", func() {
		ex, err := spec.Parse("ex.yaml", []byte(server("  - id: s\n    steps:\n      - connect: tls\n      - send: {text: a}\n      - expect: {contains: b}\n      - close: {}\n      - connect: tls\n")))
		Expect(err).NotTo(HaveOccurred())
		Expect(ex.Scenarios[0].CheckIDs("server")).To(Equal([]string{"ready", "tls", "step3", "tls2"}))
		Expect(ex.HasTLSSteps()).To(BeTrue())
	})

	It("reports a tls expectation without a TLS server", func() {
		doc := client("  - id: s\n    expect:\n      tls: {}\n")
		p := only(doc)
		located(p, doc, "{}")
		Expect(p.Field).To(Equal("scenarios[0].expect.tls"))
		Expect(p.Msg).To(HavePrefix("tls needs a TLS reference server (kinds: https, "))
	})

	It("reports a tls expectation aimed at a scenario's plain server", func() {
		doc := "id: demo\ntitle: Demo\nrole: client\nservers:\n  - {name: web, kind: https}\n  - {name: plain, kind: http}\nscenarios:\n  - id: s\n    target: plain\n    expect:\n      tls: {reject: true}\n"
		p := only(doc)
		Expect(p.Field).To(Equal("scenarios[0].expect.tls"))
	})

	It("reports aliases on a server that is not TLS, and bad alias paths", func() {
		doc := "id: demo\ntitle: Demo\nrole: client\nservers:\n  - {name: web, kind: http, aliases: {\"/a\": doc.pdf}}\n  - {name: tls, kind: https, aliases: {\"x\": doc.pdf, \"/y\": \"../etc/passwd\"}}\nscenarios:\n  - id: s\n    expect: {exit: 0}\n"
		ps := problems(doc)
		Expect(ps).To(HaveLen(3), "%v", ps)
		Expect(withField(ps, "servers[0].aliases").Msg).To(HavePrefix("aliases are served by the TLS kinds"))
		Expect(withField(ps, "servers[1].aliases.x").Msg).To(Equal(`got "x", want a request path starting with /`))
		Expect(withField(ps, "servers[1].aliases./y").Msg).To(HavePrefix(`got "../etc/passwd", want a page of fixtures/www`))
	})

	It("reports a file that must be both absent and equal to a page", func() {
		doc := tlsClient("  - id: s\n    expect:\n      file: {path: f.pdf, www: doc.pdf, absent: true}\n")
		p := only(doc)
		Expect(p.Field).To(Equal("scenarios[0].expect.file.absent"))
	})
})
