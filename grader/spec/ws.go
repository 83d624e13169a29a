package spec

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"github.com/gobwas/ws"
)

// wsOpcodes names the opcodes of RFC 6455.
var wsOpcodes = map[string]ws.OpCode{
	"continuation": ws.OpContinuation, "text": ws.OpText, "binary": ws.OpBinary,
	"close": ws.OpClose, "ping": ws.OpPing, "pong": ws.OpPong,
}

// WSOpcode parses an opcode name or number (0 to 15); empty means text.
func WSOpcode(s string) (ws.OpCode, error) {
	if s == "" {
		return ws.OpText, nil
	}
	if op, ok := wsOpcodes[s]; ok {
		return op, nil
	}
	n, err := strconv.ParseInt(s, 0, 8)
	if err != nil || n < 0 || n > 15 {
		return 0, fmt.Errorf("got %q, want text, binary, continuation, close, ping, pong or a number from 0 to 15", s)
	}
	return ws.OpCode(n), nil
}

// Payload returns the frame's payload bytes (for close frames, the code
// first).
func (f *WSFrame) Payload() []byte {
	var p []byte
	switch {
	case f.Text != nil:
		p = []byte(*f.Text)
	case f.Size != nil:
		p = make([]byte, *f.Size)
		for i := range p {
			p[i] = "abcdefghijklmnopqrstuvwxyz0123456789"[i%36]
		}
	case f.Hex != "":
		p, _ = DecodeHex(f.Hex)
	}
	if f.CloseCode != 0 {
		p = append(binary.BigEndian.AppendUint16(nil, uint16(f.CloseCode)), p...)
	}
	return p
}

// Encode builds the frame as the grader sends it: masked with a fresh
// random key unless Mask is false.
func (f *WSFrame) Encode() []byte {
	op, _ := WSOpcode(f.Opcode)
	h := ws.Header{Fin: f.Fin == nil || *f.Fin, Rsv: byte(f.Rsv), OpCode: op, Masked: f.Mask == nil || *f.Mask}
	payload := f.Payload()
	h.Length = int64(len(payload))
	if h.Masked {
		_, _ = rand.Read(h.Mask[:])
		ws.Cipher(payload, h.Mask, 0)
	}
	var b bytes.Buffer
	_ = ws.WriteHeader(&b, h)
	b.Write(payload)
	return b.Bytes()
}

// Request builds the opening handshake request.
func (u *Upgrade) Request(host string) []byte {
	path := u.Path
	if path == "" {
		path = "/"
	}
	headers := [][2]string{
		{"Host", host},
		{"Upgrade", "websocket"},
		{"Connection", "Upgrade"},
		{"Sec-WebSocket-Key", u.Key},
		{"Sec-WebSocket-Version", "13"},
	}
	var b strings.Builder
	fmt.Fprintf(&b, "GET %s HTTP/1.1\r\n", path)
	for _, h := range headers {
		omit := false
		for _, o := range u.Omit {
			if strings.EqualFold(o, h[0]) {
				omit = true
			}
		}
		if !omit {
			fmt.Fprintf(&b, "%s: %s\r\n", h[0], h[1])
		}
	}
	b.WriteString("\r\n")
	return []byte(b.String())
}
