package check

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"runtime"
	"testing"

	"github.com/gobwas/ws"

	"github.com/netlab-grader/grader/grader/spec"
)

// The lab sheet's WebSocket vectors (seed 004): its handshake key and
// accept value, and two masked client frames.
const (
	seedKey    = "jLSLU57WxRJACRQxlN47Tw=="
	seedAccept = "KKJRhZfJMWCKezabzQbTk9sUEeY="
	seedUp     = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + seedAccept + "\r\n\r\n"
	seedReq    = "GET / HTTP/1.1\r\nHost: localhost:9527\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + seedKey + "\r\nSec-WebSocket-Version: 13\r\n\r\n"
)

var (
	frame123   = unhex("81 83 ce 48 b6 85 ff 7a 85")
	frameNihao = unhex("81 86 23 a4 37 93 c7 19 97 76 86 19")
)

func unhex(s string) []byte {
	b, err := hex.DecodeString(string(bytes.ReplaceAll([]byte(s), []byte(" "), nil)))
	if err != nil {
		panic(err)
	}
	return b
}

// wsSeeds are frames of every length encoding, masked or not, whole and
// cut short, and headers that announce far more than they carry.
func wsSeeds() [][]byte {
	long := bytes.Repeat([]byte("x"), 300)
	var seeds [][]byte
	for _, h := range []ws.Header{
		{Fin: true, OpCode: ws.OpText, Length: 3},
		{Fin: true, OpCode: ws.OpBinary, Length: 300},
		{Fin: true, OpCode: ws.OpClose, Length: 2, Masked: true, Mask: [4]byte{1, 2, 3, 4}},
		{OpCode: ws.OpPing, Rsv: 5, Length: 0},
	} {
		var b bytes.Buffer
		_ = ws.WriteHeader(&b, h)
		b.Write(long[:h.Length])
		seeds = append(seeds, b.Bytes())
	}
	return append(seeds,
		frame123, frameNihao, frame123[:5],
		unhex("81 7e 00 03 61 62 63"),                   // 3 bytes in the 16-bit form
		unhex("82 7f 00 00 00 00 00 00 00 02 68 69"),    // 2 bytes in the 64-bit form
		unhex("82 7f 7f ff ff ff ff ff ff ff"),          // 2^63-1 announced
		unhex("82 7f 80 00 00 00 00 00 00 00"),          // the 64-bit length's MSB set
		unhex("82 7f 00 00 00 00 04 00 00 00 00 00 00"), // 64 MiB announced
		unhex("88 02 03 e8"),
		[]byte{0x81}, nil,
	)
}

// FuzzParseWS feeds what a student's WebSocket server might send (a
// handshake answer, then frames) to the matchers that judge it. parseWS
// must never panic; a frame it returns encodes back to exactly the bytes
// it consumed (the encoding of gobwas/ws too when the length is
// minimal), a prefix of them is incomplete and the frame alone parses the
// same; a frame it calls incomplete really is; and it allocates no more
// than the bytes it was given, whatever length a header announces. The
// ws and upgrade matchers built on it must answer without panicking, and
// explain every failure.
func FuzzParseWS(f *testing.F) {
	if ok, _, msg := upgradeCheck(&spec.Upgrade{Key: seedKey}, []byte(seedUp)); !ok {
		f.Fatalf("the lab sheet's handshake answer is refused: %s", msg)
	}
	for _, v := range []struct {
		frame []byte
		text  string
	}{{frame123, "123"}, {frameNihao, "你好"}} {
		if fr, ok := parseWS(v.frame); !ok || string(fr.payload) != v.text || fr.size != len(v.frame) {
			f.Fatalf("% x decodes to %q (ok %v), want %q", v.frame, fr.payload, ok, v.text)
		}
	}
	for _, s := range wsSeeds() {
		f.Add(s)
		f.Add(append([]byte(seedUp), s...))
	}
	f.Add([]byte("HTTP/1.1 101 OK\r\nSec-WebSocket-Accept:\r\n\r\n"))
	text, size, hello := "123", 200, "hello"
	expects := []*spec.Match{
		{WS: &spec.WSFrame{Text: &text}},
		{WS: &spec.WSFrame{Opcode: "binary", Size: &size}},
		{WS: &spec.WSFrame{Opcode: "close", CloseCode: 1000}},
		{WS: &spec.WSFrame{Opcode: "pong", Hex: "68 69"}},
		{WS: &spec.WSFrame{Opcode: "continuation", Text: &hello, Fin: new(bool)}},
	}
	up := &spec.Match{Upgrade: &spec.Upgrade{Key: seedKey}}
	f.Fuzz(func(t *testing.T, data []byte) {
		judge(t, up, data)
		rest := data[Consumed(up, data):]
		for i := 0; len(rest) > 0; i++ {
			var fr wsFrame
			var ok bool
			if n := leastAllocated(func() { fr, ok = parseWS(rest) }); n > 512+2*uint64(len(rest)) {
				t.Fatalf("parsing %d bytes allocated %d", len(rest), n)
			}
			judge(t, expects[i%len(expects)], rest)
			if !ok {
				checkIncomplete(t, rest)
				return
			}
			checkFrame(t, fr, rest)
			if c := Consumed(expects[0], rest); c != fr.size {
				t.Fatalf("Consumed %d bytes of a %d-byte frame", c, fr.size)
			}
			rest = rest[fr.size:]
		}
	})
}

// judge runs a matcher on data: it must explain a failure.
func judge(t *testing.T, m *spec.Match, data []byte) {
	t.Helper()
	c := Match("x", m, data, "your server sent")
	if !c.Passed && c.Message == "" {
		t.Fatalf("%q failed without a message", data)
	}
	if c.Expected == "" {
		t.Fatalf("no expected value for %q", data)
	}
}

// checkFrame checks a frame parseWS returned for data.
func checkFrame(t *testing.T, f wsFrame, data []byte) {
	t.Helper()
	if f.size > len(data) || int64(len(f.payload)) != f.Length {
		t.Fatalf("frame of size %d, %d payload bytes for length %d, from %d bytes", f.size, len(f.payload), f.Length, len(data))
	}
	enc := encodeWS(f)
	if !bytes.Equal(enc, data[:f.size]) {
		t.Fatalf("% x parsed as %+v encodes back to % x", data[:f.size], f, enc)
	}
	if f.lengthBytes == minimalLengthBytes(len(f.payload)) {
		var b bytes.Buffer
		if err := ws.WriteHeader(&b, f.Header); err != nil {
			t.Fatal(err)
		}
		b.Write(masked(f))
		if !bytes.Equal(b.Bytes(), enc) {
			t.Fatalf("gobwas/ws encodes %+v as % x, not % x", f.Header, b.Bytes(), enc)
		}
	}
	if again, ok := parseWS(data[:f.size]); !ok || again.size != f.size || !bytes.Equal(again.payload, f.payload) {
		t.Fatalf("the frame alone % x does not parse the same", data[:f.size])
	}
	if _, ok := parseWS(data[:f.size-1]); ok {
		t.Fatalf("% x, one byte short of a frame, parses", data[:f.size-1])
	}
}

// checkIncomplete checks that data, which parseWS found incomplete, is:
// shorter than its header or its announced payload, or announces more
// than 64 MiB, or has a header gobwas/ws cannot read.
func checkIncomplete(t *testing.T, data []byte) {
	t.Helper()
	h, err := ws.ReadHeader(bytes.NewReader(data))
	if err != nil || h.Length > 64<<20 {
		return
	}
	hl := int64(2)
	switch data[1] & 0x7f {
	case 126:
		hl = 4
	case 127:
		hl = 10
	}
	if h.Masked {
		hl += 4
	}
	if int64(len(data)) >= hl+h.Length {
		t.Fatalf("% x holds a whole %d-byte frame, yet parseWS says incomplete", data, hl+h.Length)
	}
}

// encodeWS writes f as RFC 6455 5.2 lays it out, its length in the form
// it was received in.
func encodeWS(f wsFrame) []byte {
	b0 := byte(f.OpCode) | f.Rsv<<4
	if f.Fin {
		b0 |= 0x80
	}
	var b1 byte
	if f.Masked {
		b1 = 0x80
	}
	out := []byte{b0, b1}
	switch f.lengthBytes {
	case 0:
		out[1] |= byte(f.Length)
	case 2:
		out[1] |= 126
		out = binary.BigEndian.AppendUint16(out, uint16(f.Length))
	case 8:
		out[1] |= 127
		out = binary.BigEndian.AppendUint64(out, uint64(f.Length))
	}
	if f.Masked {
		out = append(out, f.Mask[:]...)
	}
	return append(out, masked(f)...)
}

// masked is f's payload as it travels: masked when f is.
func masked(f wsFrame) []byte {
	p := append([]byte(nil), f.payload...)
	if f.Masked {
		ws.Cipher(p, f.Mask, 0)
	}
	return p
}

// FuzzWSClientStream feeds what a student's WebSocket client might send on
// one or two connections (a handshake, then frames) to the ws-client
// checks. Splitting a stream must account for every byte (the request,
// the frames and the trailing rest add up to the stream), and the checks
// must never panic and must explain every failure.
func FuzzWSClientStream(f *testing.F) {
	f.Add([]byte(seedReq+string(frame123)+string(frameNihao)+"\x88\x82\x01\x02\x03\x04\x02\xea"), []byte(nil))
	f.Add([]byte(seedReq+"\x81\x03abc"), []byte(seedReq))
	f.Add([]byte("GET / HTTP/1.1\r\n\r\n\x82\x7f\x7f\xff\xff\xff\xff\xff\xff\xff"), []byte("\r\n\r\n"))
	f.Add([]byte(seedReq+string(frame123)+string(frame123)), []byte("POST / HTTP/1.0\r\n\r\n"+string(frame123[:4])))
	f.Add([]byte("garbage"), []byte{})
	all := &spec.WSClientExpect{Handshake: true, Masked: true, FreshMasks: true, Close: true, NoData: true}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		for _, c := range [][]byte{a, b} {
			s := parseClientStream(c)
			n := len(s.request) + len(s.rest)
			for _, fr := range s.frames {
				n += fr.size
			}
			if n != len(c) {
				t.Fatalf("the stream of %d bytes split into %d", len(c), n)
			}
			if len(s.rest) > 0 {
				if _, ok := parseWS(s.rest); ok {
					t.Fatalf("the rest % x is a frame", s.rest)
				}
			}
		}
		for _, conns := range [][][]byte{{a}, {a, b}, nil} {
			for _, c := range WSClient(all, conns) {
				if c.Name == "" || !c.Passed && c.Message == "" {
					t.Fatalf("check %+v on %q", c, conns)
				}
			}
		}
	})
}

// allocated is how many bytes of memory fn allocated (the whole process's
// count: the fuzzing worker does little else meanwhile).
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// leastAllocated is the fewest bytes any of three calls of fn allocated.
// The count is the whole process's, and the fuzzing engine's goroutines
// allocate now and then (some KiB, mostly while they gather the seed
// corpus's baseline coverage): one call can be charged for them, three
// in a row hardly. fn must do the same work each time (a pure function
// of its input).
func leastAllocated(fn func()) uint64 {
	least := allocated(fn)
	for i := 0; i < 2 && least > 0; i++ {
		least = min(least, allocated(fn))
	}
	return least
}
