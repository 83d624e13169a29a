package spec

import (
	"maps"
	"slices"
	"strconv"
	"strings"
)

// TLSServerKinds are the server kinds that speak TLS (package tlsref):
// https presents a certificate the client is told to trust; the others
// present one a verifying client must refuse (signed by another CA, for
// another name, expired).
var TLSServerKinds = []string{"https", "https-untrusted", "https-wrong-name", "https-expired"}

// IsTLSKind reports whether a server kind speaks TLS.
func IsTLSKind(kind string) bool { return slices.Contains(TLSServerKinds, kind) }

// TLSExpect checks what a TLS reference server saw of the client's
// handshakes. It becomes the check "tls", and with Reject also the check
// "reported".
type TLSExpect struct {
	// SNI requires every ClientHello to carry the server's name (the host
	// in HOST) in its server_name extension.
	SNI bool `yaml:"sni"`
	// Reject turns the check around, for the bad servers: the client must
	// start a handshake and refuse the certificate (no handshake
	// completes), and must say so (check "reported": a non-zero exit code
	// or an error message).
	Reject bool   `yaml:"reject"`
	Hint   string `yaml:"hint"`
}

// CheckIDs are the ids of the checks a TLS expectation produces.
func (t *TLSExpect) CheckIDs() []string {
	if t.Reject {
		return []string{"tls", "reported"}
	}
	return []string{"tls"}
}

// TLSStepCheckID is the check id of the n-th (1-based) `connect: tls`
// step of a scenario: tls, tls2, tls3...
func TLSStepCheckID(n int) string {
	if n <= 1 {
		return "tls"
	}
	return "tls" + strconv.Itoa(n)
}

// HasTLSSteps reports whether some scenario of the exercise connects with
// TLS: the grader then makes a CA and a server certificate for every
// scenario and hands them to the student's server.
func (ex *Exercise) HasTLSSteps() bool {
	for _, sc := range ex.Scenarios {
		for _, st := range sc.Steps {
			if st.Connect == "tls" {
				return true
			}
		}
	}
	return false
}

// tlsServer validates the fields only TLS servers have.
func (v *validator) tlsServer(p fieldPath, s Server) {
	if len(s.Aliases) > 0 && !IsTLSKind(s.Kind) {
		v.add(p.with("aliases"), "aliases are served by the TLS kinds (%s), not by %q", strings.Join(TLSServerKinds, ", "), s.Kind)
	}
	for _, k := range slices.Sorted(maps.Keys(s.Aliases)) {
		if !strings.HasPrefix(k, "/") || strings.Contains(k, "..") {
			v.add(p.with("aliases", k), "got %q, want a request path starting with /", k)
		}
		if t := s.Aliases[k]; t == "" || strings.HasPrefix(t, "/") || strings.Contains(t, "..") {
			v.add(p.with("aliases", k), "got %q, want a page of fixtures/www such as \"doc.pdf\"", t)
		}
	}
}

// tlsExpect validates a scenario's tls expectation.
func (v *validator) tlsExpect(ex *Exercise, sc Scenario, p fieldPath) {
	if sc.Expect.TLS == nil {
		return
	}
	if ex.Role != "client" {
		v.add(p, "tls checks what a TLS reference server saw: only a client exercise has one")
		return
	}
	target := ex.Servers
	if sc.Target != "" {
		target = slices.DeleteFunc(slices.Clone(ex.Servers), func(s Server) bool { return s.Name != sc.Target })
	}
	if !slices.ContainsFunc(target, func(s Server) bool { return IsTLSKind(s.Kind) }) {
		v.add(p, "tls needs a TLS reference server (kinds: %s) among the scenario's servers", strings.Join(TLSServerKinds, ", "))
	}
}
