package spec

import (
	"encoding/hex"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/netlab-grader/grader/reference/frames"
	"gopkg.in/yaml.v3"
)

// Allowed values, listed in messages when a value is wrong.
var (
	Roles       = []string{"client", "server", "exec"}
	Families    = []string{"ipv4", "ipv6"}
	Protocols   = []string{"tcp", "udp"}
	ServerKinds = []string{"echo-tcp", "echo-udp", "udp-time", "sink-tcp", "rsa-chat", "fernet-http", "ws-echo", "ws-bad-accept", "http", "https", "https-untrusted", "https-wrong-name", "https-expired"}
	FrameKinds  = []string{"checksum", "crc8", "rc4", "aes"}
	Dialects    = []string{"c", "python", "any"}
	Connects    = []string{"tcp", "udp", "tls"}
)

var idRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`) })

type validator struct {
	file  string
	root  *yaml.Node
	probs Problems
}

func (v *validator) add(p fieldPath, format string, args ...any) {
	n := locate(v.root, p)
	pr := Problem{File: v.file, Field: p.String(), Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		pr.Line, pr.Col = n.Line, n.Column
	}
	v.probs = append(v.probs, pr)
}

func (v *validator) oneOf(p fieldPath, got string, allowed []string, required bool) {
	if got == "" && !required {
		return
	}
	if !slices.Contains(allowed, got) {
		v.add(p, "got %q, want one of: %s", got, strings.Join(allowed, ", "))
	}
}

func validate(ex *Exercise, root *yaml.Node) Problems {
	v := &validator{file: ex.File, root: root}
	if ex.ID == "" {
		v.add(fieldPath{"id"}, "missing (want a lowercase id such as \"echo-tcp-server\")")
	} else if !idRE().MatchString(ex.ID) {
		v.add(fieldPath{"id"}, "got %q, want lowercase letters, digits and dashes", ex.ID)
	}
	if ex.Title == "" {
		v.add(fieldPath{"title"}, "missing (a one-line title students see)")
	}
	v.oneOf(fieldPath{"role"}, ex.Role, Roles, true)
	v.oneOf(fieldPath{"run", "family"}, ex.Run.Family, Families, false)
	v.oneOf(fieldPath{"run", "protocol"}, ex.Run.Protocol, Protocols, false)
	if ex.Run.Port < 0 || ex.Run.Port > 65535 {
		v.add(fieldPath{"run", "port"}, "got %d, want a port from 1 to 65535", ex.Run.Port)
	}
	names := map[string]bool{}
	for i, s := range ex.Servers {
		p := fieldPath{"servers", i}
		switch {
		case s.Name == "":
			v.add(p.with("name"), "missing (want a name such as \"echo\")")
		case !idRE().MatchString(s.Name):
			v.add(p.with("name"), "got %q, want lowercase letters, digits and dashes", s.Name)
		case names[s.Name]:
			v.add(p.with("name"), "duplicate server name %q", s.Name)
		}
		names[s.Name] = true
		v.oneOf(p.with("kind"), s.Kind, ServerKinds, true)
		v.tlsServer(p, s)
		v.httpServer(p, s)
		if s.Kind == "fernet-http" {
			if _, err := frames.FernetEncrypt(s.Key, nil); err != nil {
				v.add(p.with("key"), "got %q: a fernet-http server needs a Fernet key (URL-safe base64 of 32 bytes): %v", s.Key, err)
			}
			if s.Message == "" {
				v.add(p.with("message"), "missing (the secret the server encrypts)")
			}
		}
		v.oneOf(p.with("family"), s.Family, Families, false)
		if s.Port < 0 || s.Port > 65535 {
			v.add(p.with("port"), "got %d, want a port from 1 to 65535", s.Port)
		}
	}
	if ex.Role == "client" && len(ex.Servers) == 0 {
		v.add(fieldPath{"servers"}, "a client exercise needs at least one reference server")
	}
	if ex.Role == "exec" && len(ex.Servers) > 0 {
		v.add(fieldPath{"servers"}, "an exec exercise has no network: use role client to give it reference servers")
	}
	if len(ex.Scenarios) == 0 {
		v.add(fieldPath{"scenarios"}, "missing (want at least one scenario)")
	}
	seen := map[string]int{}
	for i, sc := range ex.Scenarios {
		p := fieldPath{"scenarios", i}
		switch {
		case sc.ID == "":
			v.add(p.with("id"), "missing")
		case !idRE().MatchString(sc.ID):
			v.add(p.with("id"), "got %q, want lowercase letters, digits and dashes", sc.ID)
		default:
			if j, dup := seen[sc.ID]; dup {
				v.add(p.with("id"), "duplicate scenario id %q (first at scenarios[%d])", sc.ID, j)
			}
		}
		if sc.Points < 0 {
			v.add(p.with("points"), "got %d, want 0 or more", sc.Points)
		}
		for j, d := range sc.Depends {
			if _, ok := seen[d]; !ok {
				v.add(p.with("depends", j), "got %q, want the id of an earlier scenario (%s)", d, strings.Join(keys(seen), ", "))
			}
		}
		if _, dup := seen[sc.ID]; !dup {
			seen[sc.ID] = i
		}
		if sc.Network != nil && sc.Network.Spoof != nil && !hasUDPServer(ex) {
			v.add(p.with("network", "spoof"), "spoofing needs a UDP reference server (kinds: echo-udp, udp-time)")
		}
		if sc.Network != nil && sc.Network.Segment < 0 {
			v.add(p.with("network", "segment"), "got %d, want 0 or more bytes", sc.Network.Segment)
		}
		v.steps(ex, sc, p)
		v.httpSteps(sc, p)
		v.expect(ex, sc, p)
		hasChat := slices.ContainsFunc(ex.Servers, func(s Server) bool { return s.Kind == "rsa-chat" })
		if sc.Expect.Messages != nil {
			v.match(p.with("expect", "messages"), sc.Expect.Messages)
			if !hasChat {
				v.add(p.with("expect", "messages"), "messages are what an rsa-chat reference peer decrypted: the exercise has none")
			}
		}
		if sc.Target != "" && !slices.ContainsFunc(ex.Servers, func(s Server) bool { return s.Name == sc.Target }) {
			v.add(p.with("target"), "got %q, want the name of one of the exercise's servers", sc.Target)
		}
		if sc.Peer != nil && !hasChat {
			v.add(p.with("peer"), "peer tunes an rsa-chat reference peer: the exercise has none")
		}
		if w := sc.StopWhen; w != nil {
			if ex.Role == "server" {
				v.add(p.with("stop_when"), "stop_when is for client and exec exercises (a server is stopped after its steps)")
			}
			if w.Stdout == nil && w.Messages == nil {
				v.add(p.with("stop_when"), "give stdout, messages or both")
			}
			if w.Stdout != nil {
				v.match(p.with("stop_when", "stdout"), w.Stdout)
			}
			if w.Messages != nil {
				v.match(p.with("stop_when", "messages"), w.Messages)
				if !hasChat {
					v.add(p.with("stop_when", "messages"), "messages need an rsa-chat reference peer")
				}
			}
		}
	}
	v.www(ex)
	v.translations(ex)
	return v.probs
}

// Languages lists the languages an exercise can be translated into (the
// keys of translations); English is the language it is written in.
var Languages = []string{"fr"}

var langRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z]{2}$`) })

// translations checks the translations block: known two-letter language
// codes, no empty translation, and no source text that appears nowhere in
// the exercise (a stale translation, left behind when the English changed).
func (v *validator) translations(ex *Exercise) {
	if len(ex.Translations) == 0 {
		return
	}
	texts := map[string]bool{}
	for _, t := range ex.Texts() {
		texts[t] = true
	}
	block := locate(v.root, fieldPath{"translations"})
	for _, lang := range slices.Sorted(maps.Keys(ex.Translations)) {
		lp := fieldPath{"translations", lang}
		switch {
		case !langRE().MatchString(lang):
			v.addAt(keyNode(block, lang), lp, "got %q, want a two-letter language code (one of: %s)", lang, strings.Join(Languages, ", "))
			continue
		case lang == "en":
			v.addAt(keyNode(block, lang), lp, "the exercise is written in English: translate it into one of: %s", strings.Join(Languages, ", "))
			continue
		case !slices.Contains(Languages, lang):
			v.addAt(keyNode(block, lang), lp, "got %q, want one of: %s (the languages reports are written in)", lang, strings.Join(Languages, ", "))
			continue
		}
		entries := locate(v.root, lp)
		for _, src := range slices.Sorted(maps.Keys(ex.Translations[lang])) {
			k := keyNode(entries, src)
			switch {
			case !texts[src]:
				v.addAt(k, lp, "%q is no title, scenario name, hint or matcher message of this exercise (a stale translation? its English text may have changed)", src)
			case strings.TrimSpace(ex.Translations[lang][src]) == "":
				v.addAt(k, lp, "the translation of %q is empty", src)
			}
		}
	}
}

// addAt adds a problem located at node n (or at the field's path when n
// is nil).
func (v *validator) addAt(n *yaml.Node, p fieldPath, format string, args ...any) {
	if n == nil {
		v.add(p, format, args...)
		return
	}
	v.probs = append(v.probs, Problem{File: v.file, Line: n.Line, Col: n.Column, Field: p.String(), Msg: fmt.Sprintf(format, args...)})
}

// keyNode finds the key node k of mapping n.
func keyNode(n *yaml.Node, k string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == k {
			return n.Content[i]
		}
	}
	return nil
}

// Texts lists the exercise's English texts a report shows and a
// translation can replace: the title, scenario names and hints, and the
// hints and messages of the matchers and browser steps whose checks are
// reported (stop_when matchers are not), in file order, without
// duplicates.
func (ex *Exercise) Texts() []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	match := func(m *Match) {
		if m != nil {
			add(m.Message)
			add(m.Hint)
		}
	}
	add(ex.Title)
	for _, sc := range ex.Scenarios {
		add(sc.Name)
		add(sc.Hint)
		for _, st := range sc.Steps {
			match(st.Expect)
			if st.Browser != nil {
				add(st.Browser.Hint)
			}
		}
		e := sc.Expect
		for _, m := range []*Match{e.Sent, e.Messages, e.Stdout, e.Stderr} {
			match(m)
		}
		if e.File != nil {
			add(e.File.Hint)
		}
		if e.TLS != nil {
			add(e.TLS.Hint)
		}
		for _, id := range slices.Sorted(maps.Keys(e.Hints)) {
			add(e.Hints[id])
		}
	}
	return out
}

func hasUDPServer(ex *Exercise) bool {
	for _, s := range ex.Servers {
		if s.Kind == "echo-udp" || s.Kind == "udp-time" {
			return true
		}
	}
	return false
}

func keys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	if len(out) == 0 {
		return []string{"none yet"}
	}
	return out
}

func (v *validator) steps(ex *Exercise, sc Scenario, p fieldPath) {
	if len(sc.Steps) > 0 && ex.Role != "server" {
		v.add(p.with("steps"), "steps make the grader the client; they need role: server (got %q)", ex.Role)
	}
	connected := false
	for i, st := range sc.Steps {
		sp := p.with("steps", i)
		n := 0
		for _, set := range []bool{st.Connect != "", st.Send != nil, st.Expect != nil, st.Close != nil, st.Browser != nil} {
			if set {
				n++
			}
		}
		if n != 1 {
			v.add(sp, "a step has exactly one of: connect, send, expect, close, browser (got %d)", n)
			continue
		}
		switch {
		case st.Connect != "":
			v.oneOf(sp.with("connect"), st.Connect, Connects, true)
			connected = true
		case st.Send != nil:
			if !connected {
				v.add(sp.with("send"), "send before any connect step")
			}
			v.payload(sp.with("send"), *st.Send)
		case st.Expect != nil:
			if !connected {
				v.add(sp.with("expect"), "expect before any connect step")
			}
			v.match(sp.with("expect"), st.Expect)
		case st.Close != nil:
			connected = false
		}
	}
	ids := map[string]bool{}
	for _, id := range sc.CheckIDs(ex.Role) {
		if ids[id] {
			v.add(p, "two checks are named %q; give the expect steps distinct ids", id)
		}
		ids[id] = true
	}
	for _, id := range slices.Sorted(maps.Keys(sc.Expect.Hints)) {
		if !ids[id] {
			v.add(p.with("expect", "hints", id), "no check is named %q (checks: %s)", id, strings.Join(sc.CheckIDs(ex.Role), ", "))
		}
	}
}

func (v *validator) payload(p fieldPath, pl Payload) {
	n := 0
	for _, set := range []bool{pl.Text != nil, pl.Hex != "", pl.Frame != nil, pl.WS != nil, pl.Upgrade != nil, pl.HTTP != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		v.add(p, "give exactly one of text, hex, frame, ws, upgrade or http")
	}
	if pl.WS != nil {
		v.wsFrame(p.with("ws"), pl.WS)
	}
	if pl.Upgrade != nil && pl.Upgrade.Key == "" {
		v.add(p.with("upgrade", "key"), "missing (Sec-WebSocket-Key, e.g. \"jLSLU57WxRJACRQxlN47Tw==\")")
	}
	if pl.Frame != nil {
		v.frame(p.with("frame"), pl.Frame, true)
	}
	if pl.Hex != "" {
		if _, err := DecodeHex(pl.Hex); err != nil {
			v.add(p.with("hex"), "got %q: %v", pl.Hex, err)
		}
	}
}

func (v *validator) match(p fieldPath, m *Match) {
	if m.Equals == nil && m.Hex == "" && m.Contains == nil && m.NotContains == nil && m.Matches == "" && m.NotMatches == "" && m.Frame == nil && m.Fernet == nil && m.WS == nil && m.Upgrade == nil && !m.Closed && m.HTTP == nil {
		v.add(p, "a matcher needs at least one of: equals, hex, contains, not_contains, matches, not_matches, frame, fernet, ws, upgrade, closed, http")
	}
	if m.WS != nil {
		v.wsFrame(p.with("ws"), m.WS)
	}
	if m.Upgrade != nil && m.Upgrade.Key == "" {
		v.add(p.with("upgrade", "key"), "missing (the Sec-WebSocket-Key the request sent)")
	}
	if m.Fernet != nil {
		if _, err := frames.FernetEncrypt(m.Fernet.Key, nil); err != nil {
			v.add(p.with("fernet", "key"), "got %q: %v", m.Fernet.Key, err)
		}
	}
	if m.Frame != nil {
		v.frame(p.with("frame"), m.Frame, false)
	}
	if m.Equals != nil && m.Hex != "" {
		v.add(p, "give equals or hex, not both")
	}
	if m.Hex != "" {
		if _, err := DecodeHex(m.Hex); err != nil {
			v.add(p.with("hex"), "got %q: %v", m.Hex, err)
		}
	}
	for _, f := range []struct{ name, re string }{{"matches", m.Matches}, {"not_matches", m.NotMatches}} {
		if f.re == "" {
			continue
		}
		if _, err := regexp.Compile(f.re); err != nil {
			v.add(p.with(f.name), "got %q: not a valid regular expression: %v", f.re, err)
		}
	}
	if m.ID != "" && !idRE().MatchString(m.ID) {
		v.add(p.with("id"), "got %q, want lowercase letters, digits and dashes", m.ID)
	}
}

func (v *validator) expect(ex *Exercise, sc Scenario, p fieldPath) {
	e := sc.Expect
	ep := p.with("expect")
	for _, f := range []struct {
		name string
		m    *Match
	}{{"stdout", e.Stdout}, {"stderr", e.Stderr}, {"sent", e.Sent}} {
		if f.m != nil {
			v.match(ep.with(f.name), f.m)
		}
	}
	if ex.Role != "client" {
		if e.Sent != nil {
			v.add(ep.with("sent"), "only a client exercise has reference servers to record what was sent")
		}
		if e.Connections != nil {
			v.add(ep.with("connections"), "only a client exercise has reference servers to count connections")
		}
		if e.ClosedByClient != nil {
			v.add(ep.with("closed_by_client"), "only a client exercise has reference servers to see who closed")
		}
	}
	if e.Exit != nil && (*e.Exit < 0 || *e.Exit > 255) {
		v.add(ep.with("exit"), "got %d, want an exit code from 0 to 255", *e.Exit)
	}
	if e.Connections != nil && *e.Connections < 0 {
		v.add(ep.with("connections"), "got %d, want 0 or more", *e.Connections)
	}
	if e.WSClient != nil && ex.Role != "client" {
		v.add(ep.with("ws_client"), "ws_client checks a client exercise's frames")
	}
	if f := e.File; f != nil {
		if f.Path == "" || strings.HasPrefix(f.Path, "/") || strings.Contains(f.Path, "..") {
			v.add(ep.with("file", "path"), "got %q, want a file name inside the program's working folder", f.Path)
		}
		if f.Www == "" && !f.Absent {
			v.add(ep.with("file", "www"), "missing (the page of fixtures/www the file must equal)")
		}
		if f.Www != "" && f.Absent {
			v.add(ep.with("file", "absent"), "a file that must be absent has no content to compare: drop www")
		}
	}
	v.tlsExpect(ex, sc, ep.with("tls"))
	v.requestMatches(ep.with("requests"), e.Requests)
	if len(e.Requests) > 0 && !slices.ContainsFunc(ex.Servers, func(s Server) bool { return s.Kind == "http" || IsTLSKind(s.Kind) }) {
		v.add(ep.with("requests"), "requests are what an http reference server received: the exercise has none")
	}
	if len(sc.Steps) == 0 && (ex.Role == "client" || ex.Role == "exec") && e.Exit == nil && e.Stdout == nil && e.Stderr == nil && e.Sent == nil && e.Messages == nil && e.Connections == nil && e.ClosedByClient == nil && e.WSClient == nil && len(e.Requests) == 0 && e.File == nil && e.TLS == nil {
		v.add(ep, "the scenario checks nothing: give at least one expectation")
	}
}

func (v *validator) wsFrame(p fieldPath, f *WSFrame) {
	if _, err := WSOpcode(f.Opcode); err != nil {
		v.add(p.with("opcode"), "%v", err)
	}
	n := 0
	for _, set := range []bool{f.Text != nil, f.Size != nil, f.Hex != ""} {
		if set {
			n++
		}
	}
	if n > 1 {
		v.add(p, "give at most one of text, size, hex")
	}
	if f.Size != nil && (*f.Size < 0 || *f.Size > 16<<20) {
		v.add(p.with("size"), "got %d, want 0 to 16 MiB", *f.Size)
	}
	if f.Hex != "" {
		if _, err := DecodeHex(f.Hex); err != nil {
			v.add(p.with("hex"), "got %q: %v", f.Hex, err)
		}
	}
	if f.Rsv < 0 || f.Rsv > 7 {
		v.add(p.with("rsv"), "got %d, want 0 to 7 (the three RSV bits)", f.Rsv)
	}
}

func (v *validator) frame(p fieldPath, f *Frame, sending bool) {
	v.oneOf(p.with("kind"), f.Kind, FrameKinds, true)
	v.oneOf(p.with("dialect"), f.Dialect, Dialects, false)
	if f.Message == "" {
		v.add(p.with("message"), "missing (the text the frame carries, e.g. \"bonjour\")")
	}
	if strings.HasSuffix(f.Message, "\x00") {
		v.add(p.with("message"), "give the text without its NUL and choose dialect: c (got %q)", f.Message)
	}
	switch f.Kind {
	case "rc4":
		if f.Key == "" {
			v.add(p.with("key"), "missing (rc4 needs a key, e.g. \"monsecret\")")
		}
	case "aes":
		if len(f.Key) != 16 {
			v.add(p.with("key"), "got %q (%d bytes), want a 16-byte AES-128 key", f.Key, len(f.Key))
		}
		if len(f.Message) > 255 {
			v.add(p.with("message"), "%d bytes: an AES frame's length byte counts at most 255", len(f.Message))
		}
	}
	if (f.Poly != nil || f.Init != nil) && f.Kind != "crc8" {
		v.add(p.with("poly"), "poly and init are for kind crc8 (kind is %q)", f.Kind)
	}
	for _, x := range []struct {
		name string
		v    *int
	}{{"poly", f.Poly}, {"init", f.Init}} {
		if x.v != nil && (*x.v < 0 || *x.v > 0xff) {
			v.add(p.with(x.name), "got %d, want a byte (0 to 0xff)", *x.v)
		}
	}
	if f.Corrupt && !sending {
		v.add(p.with("corrupt"), "only a frame the grader sends can be corrupted")
	}
	if sending && f.Dialect == "any" {
		v.add(p.with("dialect"), "a frame the grader sends needs one dialect: c or python")
	}
}

// CheckIDs lists the ids of the checks the scenario produces, in report
// order; fixtures' expect.yaml refer to them as scenario/check.
func (sc Scenario) CheckIDs(role string) []string {
	var ids []string
	if role == "server" {
		ids = append(ids, "ready")
	}
	tlsSteps := 0
	for i, st := range sc.Steps {
		if st.Connect == "tls" {
			tlsSteps++
			ids = append(ids, TLSStepCheckID(tlsSteps))
		}
		if st.Expect != nil {
			ids = append(ids, StepCheckID(i, st.Expect))
		}
		if st.Browser != nil {
			id := st.Browser.ID
			if id == "" {
				id = "browser"
			}
			ids = append(ids, id)
		}
	}
	e := sc.Expect
	if e.Connections != nil {
		ids = append(ids, "connections")
	}
	if e.Sent != nil {
		ids = append(ids, idOr(e.Sent, "sent"))
	}
	if w := e.WSClient; w != nil {
		for _, c := range []struct {
			on bool
			id string
		}{{w.Handshake, "ws-handshake"}, {w.Masked, "ws-masked"}, {w.FreshMasks, "ws-fresh-masks"}, {w.Close, "ws-close"}, {w.NoData, "ws-no-data"}} {
			if c.on {
				ids = append(ids, c.id)
			}
		}
	}
	if e.Messages != nil {
		ids = append(ids, idOr(e.Messages, "messages"))
	}
	if len(e.Requests) > 0 {
		ids = append(ids, "requests")
	}
	if e.File != nil {
		ids = append(ids, "file")
	}
	if e.TLS != nil {
		ids = append(ids, e.TLS.CheckIDs()...)
	}
	if e.ClosedByClient != nil {
		ids = append(ids, "closed")
	}
	if e.Stdout != nil {
		ids = append(ids, idOr(e.Stdout, "stdout"))
	}
	if e.Stderr != nil {
		ids = append(ids, idOr(e.Stderr, "stderr"))
	}
	if e.Exit != nil {
		ids = append(ids, "exit")
	}
	return ids
}

// StepCheckID is the check id of an expect step: its id, or step<N> (1-based).
func StepCheckID(i int, m *Match) string {
	return idOr(m, "step"+strconv.Itoa(i+1))
}

func idOr(m *Match, def string) string {
	if m.ID != "" {
		return m.ID
	}
	return def
}

// DecodeHex reads hex bytes, allowing spaces, colons and a 0x prefix per
// byte: "62 6f", "62:6f", "0x62 0x6f" and "626f" are the same.
func DecodeHex(s string) ([]byte, error) {
	r := strings.NewReplacer(" ", "", ":", "", "\n", "", "\t", "", "0x", "", "0X", "")
	return hex.DecodeString(r.Replace(s))
}
