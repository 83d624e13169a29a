package check

import (
	"bytes"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/gobwas/ws"

	"github.com/netlab-grader/grader/grader/spec"
)

// WSGUID is the magic string of RFC 6455 that the accept key hashes in.
const WSGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// WSAccept is the Sec-WebSocket-Accept a server must answer to key.
func WSAccept(key string) string {
	sum := sha1.Sum([]byte(key + WSGUID))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// upgradeLen returns the length of the HTTP head in data, or -1 while it
// is incomplete.
func upgradeLen(data []byte) int {
	i := bytes.Index(data, []byte("\r\n\r\n"))
	if i < 0 {
		return -1
	}
	return i + 4
}

// upgradeCheck checks the server's answer to the opening handshake.
func upgradeCheck(u *spec.Upgrade, data []byte) (ok bool, expected, message string) {
	want := WSAccept(u.Key)
	expected = fmt.Sprintf("101 Switching Protocols with Upgrade: websocket, Connection: Upgrade and Sec-WebSocket-Accept: %s", want)
	n := upgradeLen(data)
	if n < 0 {
		if len(data) == 0 {
			return false, expected, "your server sent nothing in answer to the handshake"
		}
		return false, expected, fmt.Sprintf("your server sent %s, not a complete HTTP response head (it ends with an empty line, \\r\\n\\r\\n)", Describe(data))
	}
	lines := strings.Split(string(data[:n-4]), "\r\n")
	status := lines[0]
	headers := map[string]string{}
	for _, l := range lines[1:] {
		k, v, found := strings.Cut(l, ":")
		if found {
			headers[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
		}
	}
	var probs []string
	if f := strings.Fields(status); len(f) < 2 || !strings.HasPrefix(f[0], "HTTP/1.") || f[1] != "101" {
		probs = append(probs, fmt.Sprintf("the status line is %s, expected `HTTP/1.1 101 Switching Protocols`", Quote([]byte(status), 80)))
	}
	if !strings.EqualFold(headers["upgrade"], "websocket") {
		probs = append(probs, missingOr("Upgrade", headers, "websocket"))
	}
	if !strings.Contains(strings.ToLower(headers["connection"]), "upgrade") {
		probs = append(probs, missingOr("Connection", headers, "Upgrade"))
	}
	got, has := headers["sec-websocket-accept"]
	switch {
	case !has:
		probs = append(probs, "the Sec-WebSocket-Accept header is missing")
	case got != want:
		probs = append(probs, fmt.Sprintf("Sec-WebSocket-Accept is %s, expected %s = base64(SHA-1(key + %q))%s", Quote([]byte(got), 80), Quote([]byte(want), 80), WSGUID, acceptMistake(u.Key, got)))
	}
	if len(probs) > 0 {
		return false, expected, strings.Join(probs, "; ")
	}
	return true, expected, ""
}

func missingOr(name string, headers map[string]string, want string) string {
	v, ok := headers[strings.ToLower(name)]
	if !ok {
		return fmt.Sprintf("the %s header is missing (want %s: %s)", name, name, want)
	}
	return fmt.Sprintf("%s is %s, expected %s", name, Quote([]byte(v), 60), want)
}

// acceptMistake names the usual ways the accept key goes wrong.
func acceptMistake(key, got string) string {
	sum := sha1.Sum([]byte(key))
	if got == base64.StdEncoding.EncodeToString(sum[:]) {
		return ": the GUID was not appended to the key before hashing"
	}
	full := sha1.Sum([]byte(key + WSGUID))
	if got == hex.EncodeToString(full[:]) {
		return ": that is the hex digest; encode the raw 20 bytes in base64"
	}
	if got == base64.StdEncoding.EncodeToString([]byte(hex.EncodeToString(full[:]))) {
		return ": that is base64 of the hex digest; encode the raw 20 bytes"
	}
	if k, err := base64.StdEncoding.DecodeString(key); err == nil {
		s := sha1.Sum(append(k, WSGUID...))
		if got == base64.StdEncoding.EncodeToString(s[:]) {
			return ": the key was base64-decoded first; hash the key text as received"
		}
	}
	return ""
}

// wsFrame is a parsed frame with how its length was encoded.
type wsFrame struct {
	ws.Header
	lengthBytes int // 0 (7-bit), 2 or 8
	payload     []byte
	size        int // header + payload bytes
}

// parseWS reads one frame from data; ok is false while it is incomplete.
func parseWS(data []byte) (f wsFrame, ok bool) {
	if len(data) < 2 {
		return f, false
	}
	h, err := ws.ReadHeader(bytes.NewReader(data))
	if err != nil {
		return f, false
	}
	f.Header = h
	hl := 2
	switch data[1] & 0x7f {
	case 126:
		f.lengthBytes, hl = 2, 4
	case 127:
		f.lengthBytes, hl = 8, 10
	}
	if h.Masked {
		hl += 4
	}
	if h.Length > 64<<20 || int64(len(data)) < int64(hl)+h.Length {
		return f, false
	}
	f.payload = append([]byte(nil), data[hl:hl+int(h.Length)]...)
	if h.Masked {
		ws.Cipher(f.payload, h.Mask, 0)
	}
	f.size = hl + int(h.Length)
	return f, true
}

var opNames = map[ws.OpCode]string{ws.OpContinuation: "continuation", ws.OpText: "text", ws.OpBinary: "binary", ws.OpClose: "close", ws.OpPing: "ping", ws.OpPong: "pong"}

func opName(op ws.OpCode) string {
	if n, ok := opNames[op]; ok {
		return fmt.Sprintf("%s (0x%x)", n, byte(op))
	}
	return fmt.Sprintf("0x%x", byte(op))
}

// describeWS words the frame a matcher expects.
func describeWS(e *spec.WSFrame) string {
	op, _ := spec.WSOpcode(e.Opcode)
	s := "an unmasked " + opName(op) + " frame"
	p := e.Payload()
	switch {
	case e.CloseCode != 0:
		s += fmt.Sprintf(" with status %d", e.CloseCode)
	case e.Size != nil:
		s += fmt.Sprintf(" carrying the %d bytes sent", *e.Size)
	case e.Text != nil || e.Hex != "":
		s += " carrying " + Describe(p)
	}
	return s
}

// wsCheck checks one frame the server sent.
func wsCheck(e *spec.WSFrame, data []byte) (ok bool, expected, message string) {
	expected = describeWS(e)
	f, complete := parseWS(data)
	if !complete {
		if len(data) == 0 {
			return false, expected, "your server sent no frame"
		}
		return false, expected, fmt.Sprintf("your server sent %s, not a complete WebSocket frame (%s)", Describe(data), incompleteWhy(data))
	}
	op, _ := spec.WSOpcode(e.Opcode)
	var probs []string
	if f.OpCode != op {
		probs = append(probs, fmt.Sprintf("the frame is %s, expected %s", opName(f.OpCode), opName(op)))
	}
	if f.Masked {
		probs = append(probs, "the frame is masked (MASK bit set): a server must never mask its frames")
	}
	if f.Rsv != 0 {
		probs = append(probs, fmt.Sprintf("RSV bits are set (0x%x) without a negotiated extension", f.Rsv))
	}
	if wantFin := e.Fin == nil || *e.Fin; f.Fin != wantFin {
		probs = append(probs, fmt.Sprintf("FIN is %v, expected %v", f.Fin, wantFin))
	}
	if m := minimalLengthBytes(len(f.payload)); f.lengthBytes != m {
		probs = append(probs, fmt.Sprintf("a %d-byte payload has its length in %s; the minimal encoding is %s (RFC 6455 5.2)", len(f.payload), lengthForm(f.lengthBytes), lengthForm(m)))
	}
	switch {
	case f.OpCode != op:
		// the payload of another kind of frame says nothing more
	case op == ws.OpClose && e.CloseCode != 0:
		if len(f.payload) < 2 {
			probs = append(probs, fmt.Sprintf("the close frame has no status code, expected %d", e.CloseCode))
		} else if c := int(binary.BigEndian.Uint16(f.payload)); c != e.CloseCode {
			probs = append(probs, fmt.Sprintf("the close status is %d, expected %d", c, e.CloseCode))
		}
	case e.Text != nil || e.Size != nil || e.Hex != "":
		want := e.Payload()
		if !bytes.Equal(f.payload, want) {
			msg := fmt.Sprintf("the payload is %s, expected %s", Describe(f.payload), Describe(want))
			if len(want) > 64 || !utf8.Valid(want) {
				msg += "\n" + HexDiff(want, f.payload)
			}
			probs = append(probs, msg)
		}
	}
	if len(probs) > 0 {
		return false, expected, "your server sent " + frameSummary(f) + ": " + strings.Join(probs, "; ")
	}
	return true, expected, ""
}

func frameSummary(f wsFrame) string {
	return fmt.Sprintf("a %s frame, FIN=%v, %d payload bytes", opName(f.OpCode), f.Fin, len(f.payload))
}

func incompleteWhy(data []byte) string {
	if len(data) < 2 {
		return "shorter than a frame header"
	}
	if h, err := ws.ReadHeader(bytes.NewReader(data)); err == nil {
		return fmt.Sprintf("its header announces %d payload bytes", h.Length)
	}
	return "the header cannot be read"
}

func minimalLengthBytes(n int) int {
	switch {
	case n <= 125:
		return 0
	case n <= 65535:
		return 2
	}
	return 8
}

func lengthForm(n int) string {
	switch n {
	case 0:
		return "the 7-bit field"
	case 2:
		return "16 bits (126 + 2 bytes)"
	}
	return "64 bits (127 + 8 bytes)"
}

// Consumed is how many bytes of data a satisfied matcher used: one frame
// or one handshake; the rest belongs to the next expectation.
func Consumed(m *spec.Match, data []byte) int {
	switch {
	case m.WS != nil:
		if f, ok := parseWS(data); ok {
			return f.size
		}
	case m.Upgrade != nil:
		if n := upgradeLen(data); n >= 0 {
			return n
		}
	}
	return len(data)
}
