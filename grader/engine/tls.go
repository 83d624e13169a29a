package engine

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	grader "github.com/netlab-grader/grader"
	"github.com/netlab-grader/grader/grader/check"
	"github.com/netlab-grader/grader/grader/result"
	"github.com/netlab-grader/grader/grader/run"
	"github.com/netlab-grader/grader/grader/spec"
	"github.com/netlab-grader/grader/grader/steps"
	"github.com/netlab-grader/grader/grader/wire"
	"github.com/netlab-grader/grader/reference/echo"
	"github.com/netlab-grader/grader/reference/httpd"
	"github.com/netlab-grader/grader/reference/tlsref"
)

// caEnv are the variables the usual TLS stacks read a trusted CA file
// from: OpenSSL (so Python's ssl.create_default_context(), C and Go),
// requests, Node and curl. Pointed at the scenario's ca.pem, they make an
// unmodified lab-sheet client trust the grader's CA.
var caEnv = []string{"SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS", "CURL_CA_BUNDLE"}

// The files a student's TLS server is given, named as in the lab sheet
// (seed 002), in its working folder.
const (
	serverCertFile = "server-public-key.pem"
	serverKeyFile  = "server-private-key.pem"
	serverCAFile   = "ca-public-key.pem"
)

// startHTTPS starts a TLS reference server of kind s.Kind (https,
// https-untrusted, https-wrong-name, https-expired) serving fixtures/www.
func startHTTPS(s spec.Server, cfg echo.Config, t *wire.Transcript) (refServer, error) {
	www, err := fs.Sub(grader.Files, "fixtures/www")
	if err != nil {
		return nil, err
	}
	if len(s.Aliases) > 0 {
		a := aliasFS{FS: www, alias: map[string]string{}}
		for from, to := range s.Aliases {
			if _, err := fs.Stat(www, to); err != nil {
				return nil, fmt.Errorf("alias %s: no page %s in fixtures/www", from, to)
			}
			a.alias[strings.TrimPrefix(from, "/")] = to
		}
		www = a
	}
	variant := tlsref.Variant(strings.TrimPrefix(strings.TrimPrefix(s.Kind, "https"), "-"))
	srv, err := tlsref.New(tlsref.Config{Addr: cfg.Addr, Variant: variant, HTTP: httpd.Config{
		Transcript: t, FS: www, ModTime: wwwModTime, Idle: time.Duration(s.Idle), Segment: cfg.Segment, Delay: cfg.Delay,
	}})
	if err != nil {
		return nil, err
	}
	return srv, nil
}

// aliasFS also serves some pages under other paths.
type aliasFS struct {
	fs.FS
	alias map[string]string // "api/x" → "doc.pdf"
}

func (a aliasFS) Open(name string) (fs.File, error) {
	if to, ok := a.alias[name]; ok {
		return a.FS.Open(to)
	}
	return a.FS.Open(name)
}

// hostOf is the host a client is told to use for srv: the name a TLS
// server's certificate is for (localhost), else the address it listens on.
func hostOf(srv refServer, addrHost string) string {
	if n, ok := srv.(interface{ HostName() string }); ok {
		return n.HostName()
	}
	return addrHost
}

// trustTLS writes the CA of the scenario's TLS servers into the scenario
// folder as ca.pem and points the environment ({ca} in args) at it.
func trustTLS(servers []started, dir string, v, env map[string]string) error {
	for _, s := range servers {
		ts, ok := s.srv.(*tlsref.Server)
		if !ok {
			continue
		}
		path := filepath.Join(dir, "ca.pem")
		if err := os.WriteFile(path, ts.CAPEM(), 0o644); err != nil {
			return fmt.Errorf("could not write the CA file: %w", err)
		}
		v["ca"] = path
		for _, k := range caEnv {
			env[k] = path
		}
		return nil
	}
	return nil
}

// serverTLS prepares a server exercise that the grader reaches with TLS
// (`connect: tls`): a CA and a certificate for localhost, 127.0.0.1 and
// ::1 it signed, written into the scenario folder with its key, their
// paths in TLS_CERT, TLS_KEY and TLS_CA ({cert}, {key}, {ca} in args).
// It returns how the grader verifies the server, or nil for an exercise
// without TLS.
func serverTLS(ex *spec.Exercise, dir string, v, env map[string]string) (*steps.TLSClient, *wire.SyncBuffer, error) {
	if !ex.HasTLSSteps() {
		return nil, nil, nil
	}
	ca, err := tlsref.NewCA("netlab-grader CA " + filepath.Base(dir))
	if err != nil {
		return nil, nil, err
	}
	now := time.Now()
	leaf, err := ca.Issue(tlsref.DefaultNames, now.Add(-time.Hour), now.Add(7*24*time.Hour))
	if err != nil {
		return nil, nil, err
	}
	// The key is a throwaway made for this scenario; it is readable by
	// the program's user, which the sandbox may make another one.
	for _, f := range []struct {
		name, key, env string
		data           []byte
	}{{serverCertFile, "cert", "TLS_CERT", leaf.CertPEM}, {serverKeyFile, "key", "TLS_KEY", leaf.KeyPEM}, {serverCAFile, "ca", "TLS_CA", ca.PEM()}} {
		path := filepath.Join(dir, f.name)
		if err := os.WriteFile(path, f.data, 0o644); err != nil {
			return nil, nil, fmt.Errorf("could not write %s: %w", f.name, err)
		}
		v[f.key], env[f.env] = path, path
	}
	kl := &wire.SyncBuffer{}
	return &steps.TLSClient{CA: ca.Cert, ServerName: tlsref.Host, KeyLog: kl, Files: serverCertFile + " and " + serverKeyFile + " (TLS_CERT, TLS_KEY)"}, kl, nil
}

// saveKeyLog writes the scenario's TLS session secrets as keylog.txt in
// the scenario folder and, with --pcap, beside the capture
// (EXERCISE-SCENARIO.keylog.txt), so Wireshark can decrypt it
// (Preferences, Protocols, TLS, (Pre)-Master-Secret log filename).
func saveKeyLog(keylog []byte, dir string, opt Options, ex *spec.Exercise, sc *spec.Scenario) {
	if len(keylog) == 0 {
		return
	}
	_ = os.WriteFile(filepath.Join(dir, "keylog.txt"), keylog, 0o644)
	if opt.PcapDir == "" || sc.Hidden && !opt.ShowHidden {
		return
	}
	name := ex.ID + "-" + sc.ID
	if opt.PcapPrefix != "" {
		name = opt.PcapPrefix + "-" + name
	}
	name = unsafeName().ReplaceAllString(name, "_")
	if err := os.MkdirAll(opt.PcapDir, 0o755); err == nil {
		_ = os.WriteFile(filepath.Join(opt.PcapDir, name+".keylog.txt"), keylog, 0o644)
	}
}

// unsafeName is what writePcap replaces in a file name.
var unsafeName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^-_.0-9a-zA-Z]`) })

// serversKeyLog joins the key logs of the scenario's TLS servers.
func serversKeyLog(servers []started) []byte {
	var out []byte
	for _, s := range servers {
		if ts, ok := s.srv.(*tlsref.Server); ok {
			out = append(out, ts.KeyLog()...)
		}
	}
	return out
}

// errorWords is what a program that reports a failure on stdout says.
var errorWords = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)error|erreur|fail|échec|echec|exception|certificat|ssl|tls|verif|refus|denied|invalid`)
})

// tlsChecks judges the client's handshakes with the scenario's TLS
// servers: check "tls" and, for a server the client must refuse,
// "reported".
func tlsChecks(x *spec.TLSExpect, servers []started, res run.Result) []result.Check {
	var srv *tlsref.Server
	var hs []tlsref.Handshake
	for _, s := range servers {
		if ts, ok := s.srv.(*tlsref.Server); ok {
			hs = append(hs, ts.Handshakes()...)
			if srv == nil {
				srv = ts
			}
		}
	}
	c := result.Check{Name: "tls", Hint: x.Hint, Actual: describeHandshakes(hs)}
	if srv == nil {
		c.Message = "the scenario has no TLS reference server"
		return []result.Check{c}
	}
	host := srv.HostName()
	if x.Reject {
		c.Expected = "your client starts a TLS handshake and refuses " + refusalReason(srv)
	} else {
		c.Expected = "a completed TLS handshake: your client trusts the grader's CA (ca.pem)"
		if x.SNI {
			c.Expected += fmt.Sprintf(" and names %s in the server_name extension (SNI)", host)
		}
	}
	var hello, done []tlsref.Handshake
	var plain *tlsref.Handshake
	for i, h := range hs {
		if h.Hello {
			hello = append(hello, h)
		}
		if h.Done {
			done = append(done, h)
		}
		if len(h.Plain) > 0 && plain == nil {
			plain = &hs[i]
		}
	}
	// fail words the failure; seen, when given, adds what that handshake
	// showed (SNI, versions, outcome).
	fail := func(msg, hint string, seen ...tlsref.Handshake) []result.Check {
		c.Message = msg
		if len(seen) > 0 {
			c.Message += " (" + describeHandshake(seen[0]) + ")"
		}
		if c.Hint == "" {
			c.Hint = hint
		}
		out := []result.Check{c}
		if x.Reject {
			out = append(out, reportedCheck(res, len(done) > 0))
		}
		return out
	}
	switch {
	case len(hs) == 0:
		return fail("your client never connected to the TLS server", "Connect to the host and port given in HOST and PORT.")
	case len(hello) == 0 && plain != nil:
		return fail(fmt.Sprintf("your client sent %s in clear text to the TLS port: it never started a TLS handshake", check.Quote(plain.Plain, 100)),
			"Wrap the socket with TLS before sending anything: ssl.create_default_context().wrap_socket(sock, server_hostname=HOST), then send the request through the wrapped socket.")
	case len(hello) == 0:
		return fail("your client connected but never sent a TLS ClientHello", "Wrap the socket with TLS (ssl.create_default_context().wrap_socket(sock, server_hostname=HOST)) right after connect().")
	}
	if x.Reject {
		if len(done) > 0 {
			msg := "your client accepted " + acceptedWhat(srv)
			if reqs := srv.Requests(); len(reqs) > 0 {
				msg += " and sent " + check.Quote([]byte(requestLine(reqs[0])), 100) + " through it"
			}
			return fail(msg, "Keep the default verification: ssl.create_default_context() checks the chain, the dates and the host name. Never set check_hostname = False or verify_mode = ssl.CERT_NONE (in C: SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL) and SSL_set1_host).", done[0])
		}
		c.Passed = true
		out := []result.Check{c}
		return append(out, reportedCheck(res, false))
	}
	if len(done) == 0 {
		h := hello[0]
		switch {
		case h.Alert != "" && h.SNI != "" && h.SNI != host:
			return fail(fmt.Sprintf("the handshake failed: your client asked for %s (its SNI) and refused the certificate, made out to %s, with the alert `%s`", h.SNI, host, h.Alert),
				"Connect to the host in HOST and pass that same name as server_hostname: the certificate is made out to it.", h)
		case h.Alert != "":
			return fail(fmt.Sprintf("the handshake failed: your client aborted it with the alert `%s`, so it does not trust the certificate, which the grader's CA signed for %s", h.Alert, host),
				"Trust the CA in ca.pem: ssl.create_default_context() reads it from SSL_CERT_FILE, which the grader sets; or pass cafile= (in C: SSL_CTX_set_default_verify_paths or SSL_CTX_load_verify_locations). Connect to the host in HOST, which is the certificate's name.", h)
		case strings.Contains(h.Err, "protocol version") || strings.Contains(h.Err, "no supported versions"):
			return fail(fmt.Sprintf("the handshake failed: your client offered only %s, the server speaks TLS 1.2 and 1.3", h.OfferedVersions()), "Let the TLS library choose the version (ssl.create_default_context(), TLS_client_method()).")
		}
		return fail("the handshake failed", "", h)
	}
	if x.SNI {
		for _, h := range hello {
			switch {
			case h.SNI == "":
				return fail(fmt.Sprintf("your client sent no SNI (server_name): a server that hosts several sites cannot tell it wants %s, and answers with another site's certificate", host),
					"Give the server's name when you wrap the socket: wrap_socket(sock, server_hostname=HOST); in C, SSL_set_tlsext_host_name(ssl, host) before SSL_connect.", h)
			case h.SNI != host:
				return fail(fmt.Sprintf("your client sent the SNI %s, expected %s (the host in HOST)", check.Quote([]byte(h.SNI), 80), host),
					"Use the name your program connects to, from HOST, as server_hostname.", h)
			}
		}
	}
	c.Passed = true
	return []result.Check{c}
}

// refusalReason says why the bad server's certificate must be refused.
func refusalReason(srv *tlsref.Server) string {
	cert := srv.Certificate()
	switch srv.Variant() {
	case tlsref.Untrusted:
		return fmt.Sprintf("the certificate, signed by %q, a CA it was never given", cert.Issuer.CommonName)
	case tlsref.WrongName:
		return fmt.Sprintf("the certificate, made out to %s, not %s", strings.Join(tlsref.Names(cert), ", "), srv.HostName())
	case tlsref.Expired:
		return fmt.Sprintf("the certificate, expired on %s", cert.NotAfter.UTC().Format(time.DateOnly))
	}
	return "the certificate"
}

// acceptedWhat words the certificate a client should not have accepted.
func acceptedWhat(srv *tlsref.Server) string {
	cert := srv.Certificate()
	switch srv.Variant() {
	case tlsref.Untrusted:
		return fmt.Sprintf("a certificate signed by an unknown CA (%q, not the CA in ca.pem): it does not verify the chain", cert.Issuer.CommonName)
	case tlsref.WrongName:
		return fmt.Sprintf("a certificate for %s although it connected to %s: it does not check the host name", strings.Join(tlsref.Names(cert), ", "), srv.HostName())
	case tlsref.Expired:
		return fmt.Sprintf("a certificate that expired on %s: it does not check the dates", cert.NotAfter.UTC().Format(time.DateOnly))
	}
	return "the certificate"
}

// reportedCheck requires a client that refused a certificate to say so:
// a non-zero exit code, something on stderr, or an error on stdout. What
// a client printed after it got through (accepted) is the server's page,
// whose words prove nothing.
func reportedCheck(res run.Result, accepted bool) result.Check {
	c := result.Check{Name: "reported", Expected: "the program reports the failure: a non-zero exit code or an error message", Actual: exitText(res)}
	switch {
	case res.TimedOut || res.Stopped:
		c.Message = "your program did not end: after a refused handshake it should stop and say why"
	case res.ExitCode != 0 || res.Signal != "":
		c.Passed = true
	case len(bytes.TrimSpace(res.Stderr)) > 0:
		c.Passed, c.Actual = true, "stderr: "+check.Quote(lastLines(res.Stderr, 3), 200)
	case !accepted && errorWords().Match(res.Stdout):
		c.Passed, c.Actual = true, "stdout: "+check.Quote(lastLines(res.Stdout, 3), 200)
	default:
		c.Message = "your program exited with code 0 and printed no error: a failed verification must not look like a success"
		c.Hint = "Let the exception end the program (exit code 1), or catch it, print why, and exit with a non-zero code (sys.exit(1))."
	}
	return c
}

// describeHandshakes sums up what each connection showed.
func describeHandshakes(hs []tlsref.Handshake) string {
	if len(hs) == 0 {
		return "no connection"
	}
	var out []string
	for i, h := range hs {
		if i == 5 {
			out = append(out, fmt.Sprintf("and %d more", len(hs)-i))
			break
		}
		out = append(out, describeHandshake(h))
	}
	return strings.Join(out, "; ")
}

// describeHandshake says what one connection showed: the ClientHello's
// SNI, versions and ALPN, and how the handshake ended.
func describeHandshake(h tlsref.Handshake) string {
	var b strings.Builder
	fmt.Fprintf(&b, "connection %d: ", h.Conn)
	switch {
	case !h.Hello && len(h.Plain) > 0:
		fmt.Fprintf(&b, "plain text %s, no ClientHello", check.Quote(h.Plain, 60))
		return b.String()
	case !h.Hello:
		b.WriteString("no ClientHello (" + h.Err + ")")
		return b.String()
	}
	if h.SNI == "" {
		b.WriteString("no SNI")
	} else {
		fmt.Fprintf(&b, "SNI %s", h.SNI)
	}
	fmt.Fprintf(&b, ", offered %s", h.OfferedVersions())
	if len(h.ALPN) > 0 {
		fmt.Fprintf(&b, ", ALPN %s", strings.Join(h.ALPN, " "))
	}
	switch {
	case h.Done:
		fmt.Fprintf(&b, ": %s negotiated", tls.VersionName(h.Version))
	case h.Alert != "":
		fmt.Fprintf(&b, ": aborted by the client with the alert `%s`", h.Alert)
	default:
		fmt.Fprintf(&b, ": failed (%s)", h.Err)
	}
	return b.String()
}

// absentCheck requires the program not to have written a file.
func absentCheck(f *spec.FileExpect, dir string) result.Check {
	c := result.Check{Name: "file", Hint: f.Hint, Expected: "no file " + f.Path}
	st, err := os.Stat(filepath.Join(dir, f.Path))
	if err != nil {
		c.Passed, c.Actual = true, "no file"
		return c
	}
	c.Actual = fmt.Sprintf("%s, %d bytes", f.Path, st.Size())
	c.Message = fmt.Sprintf("your program wrote %s (%d bytes) although the exchange should have failed", f.Path, st.Size())
	return c
}
