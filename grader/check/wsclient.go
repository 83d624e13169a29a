package check

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"

	"github.com/gobwas/ws"

	"github.com/netlab-grader/grader/grader/result"
	"github.com/netlab-grader/grader/grader/spec"
)

// clientStream is one connection of a WebSocket client, parsed.
type clientStream struct {
	request []byte
	frames  []wsFrame
	// rest is trailing bytes that are not a whole frame.
	rest []byte
}

func parseClientStream(b []byte) clientStream {
	var s clientStream
	n := upgradeLen(b)
	if n < 0 {
		s.request = b
		return s
	}
	s.request, b = b[:n], b[n:]
	for len(b) > 0 {
		f, ok := parseWS(b)
		if !ok {
			s.rest = b
			break
		}
		s.frames = append(s.frames, f)
		b = b[f.size:]
	}
	return s
}

// WSClient checks what a WebSocket client sent on each connection (the
// client-to-server bytes of each) and returns one check per flag.
func WSClient(x *spec.WSClientExpect, conns [][]byte) []result.Check {
	var streams []clientStream
	for _, c := range conns {
		streams = append(streams, parseClientStream(c))
	}
	var out []result.Check
	if x.Handshake {
		out = append(out, wsHandshakeCheck(streams))
	}
	if x.Masked {
		c := result.Check{Name: "ws-masked", Passed: true, Expected: "every frame from the client is masked, its length in the minimal encoding"}
		n := 0
		for _, s := range streams {
			for i, f := range s.frames {
				n++
				switch {
				case !c.Passed:
				case !f.Masked:
					c.Passed = false
					c.Message = fmt.Sprintf("frame %d (%s) is not masked: a client must mask every frame it sends (RFC 6455 5.3)", i+1, frameSummary(f))
					c.Hint = "Set the MASK bit, put 4 random bytes after the length, and XOR payload byte i with mask[i % 4]."
				case f.lengthBytes != minimalLengthBytes(len(f.payload)):
					c.Passed = false
					c.Message = fmt.Sprintf("frame %d carries %d bytes with its length in %s; the minimal encoding is %s (RFC 6455 5.2)", i+1, len(f.payload), lengthForm(f.lengthBytes), lengthForm(minimalLengthBytes(len(f.payload))))
					c.Hint = "Lengths up to 125 go in the 7-bit field, up to 65535 in 126 + 2 bytes, longer ones in 127 + 8 bytes."
				}
			}
		}
		c.Actual = plural(n, "frame") // no frame at all is judged by the other checks
		out = append(out, c)
	}
	if x.FreshMasks {
		c := result.Check{Name: "ws-fresh-masks", Passed: true, Expected: "a new random masking key for every frame"}
		seen := map[[4]byte]int{}
		n := 0
		for _, s := range streams {
			for _, f := range s.frames {
				if !f.Masked {
					continue
				}
				n++
				if j, dup := seen[f.Mask]; dup && c.Passed {
					c.Passed = false
					c.Message = fmt.Sprintf("frames %d and %d use the same masking key %s: each frame needs a fresh random key", j, n, Hex(f.Mask[:], 0))
					c.Hint = "Draw the 4 mask bytes from a random source (os.urandom, crypto.randomBytes) for every frame, not once per connection."
				}
				seen[f.Mask] = n
				if f.Mask == [4]byte{} && c.Passed {
					c.Passed = false
					c.Message = "a frame uses the masking key 00 00 00 00, which masks nothing"
				}
			}
		}
		if n < 2 && c.Passed {
			c.Passed, c.Message = false, fmt.Sprintf("your client sent %s; at least two masked frames are needed to compare their keys", plural(n, "masked frame"))
		}
		c.Actual = plural(n, "masked frame")
		out = append(out, c)
	}
	if x.Close {
		c := result.Check{Name: "ws-close", Expected: "a close frame before the connection ends"}
		for _, s := range streams {
			for _, f := range s.frames {
				if f.OpCode == ws.OpClose {
					c.Passed, c.Actual = true, "a close frame"
				}
			}
		}
		if !c.Passed {
			c.Actual = "no close frame"
			c.Message = "your client ended the connection without a close frame"
			c.Hint = "Send a close frame (opcode 0x8, status 1000 in two bytes, masked) and wait for the server's close before closing the socket."
		}
		out = append(out, c)
	}
	if x.NoData {
		c := result.Check{Name: "ws-no-data", Passed: true, Expected: "a handshake, then no text or binary frame once the server's Sec-WebSocket-Accept is wrong"}
		handshakes := 0
		for _, s := range streams {
			if upgradeLen(s.request) >= 0 {
				handshakes++
			}
		}
		if handshakes == 0 {
			c.Passed = false
			c.Message = "your client never sent an opening handshake to the server"
			c.Hint = "Connect to HOST:PORT and send the opening handshake; then check the server's Sec-WebSocket-Accept."
		}
		for _, s := range streams {
			for _, f := range s.frames {
				if (f.OpCode == ws.OpText || f.OpCode == ws.OpBinary) && c.Passed {
					c.Passed = false
					c.Message = fmt.Sprintf("the server answered with a wrong Sec-WebSocket-Accept, yet your client sent a %s frame carrying %s", opName(f.OpCode), Describe(f.payload))
					c.Hint = "Compute base64(SHA-1(key + GUID)) yourself and compare it with the server's Sec-WebSocket-Accept; if they differ, close the connection without sending anything (browsers do)."
				}
			}
		}
		c.Actual = "no data frame"
		if !c.Passed {
			c.Actual = "a data frame"
		}
		out = append(out, c)
	}
	return out
}

func wsHandshakeCheck(streams []clientStream) result.Check {
	c := result.Check{Name: "ws-handshake", Expected: "GET with Host, Upgrade: websocket, Connection: Upgrade, Sec-WebSocket-Version: 13 and a Sec-WebSocket-Key of 16 random bytes in base64"}
	if len(streams) == 0 {
		c.Message = "your client never connected"
		return c
	}
	req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(streams[0].request)))
	if err != nil {
		c.Message = fmt.Sprintf("your client sent %s, which is not an HTTP request: %v", Describe(streams[0].request), err)
		return c
	}
	c.Actual = fmt.Sprintf("%s %s", req.Method, req.URL)
	var probs []string
	if req.Host == "" {
		probs = append(probs, "the Host header is missing (HTTP/1.1 requires it)")
	}
	if req.Method != http.MethodGet {
		probs = append(probs, fmt.Sprintf("the method is %s, expected GET", req.Method))
	}
	if !strings.EqualFold(req.Header.Get("Upgrade"), "websocket") {
		probs = append(probs, fmt.Sprintf("Upgrade is %q, expected websocket", req.Header.Get("Upgrade")))
	}
	if !strings.Contains(strings.ToLower(req.Header.Get("Connection")), "upgrade") {
		probs = append(probs, fmt.Sprintf("Connection is %q, expected Upgrade", req.Header.Get("Connection")))
	}
	if v := req.Header.Get("Sec-WebSocket-Version"); v != "13" {
		probs = append(probs, fmt.Sprintf("Sec-WebSocket-Version is %q, expected 13", v))
	}
	key := req.Header.Get("Sec-WebSocket-Key")
	if raw, err := base64.StdEncoding.DecodeString(key); err != nil || len(raw) != 16 {
		probs = append(probs, fmt.Sprintf("Sec-WebSocket-Key is %q: it must be 16 random bytes encoded in base64 (24 characters)", key))
	}
	if len(probs) > 0 {
		c.Message = strings.Join(probs, "; ")
		c.Hint = "Send the opening handshake of RFC 6455 4.1: a GET request with these headers, then read the 101 answer."
		return c
	}
	c.Passed = true
	return c
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
