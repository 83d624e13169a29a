package frames_test

import (
	"bytes"
	"testing"

	"github.com/netlab-grader/grader/reference/frames"
)

// FuzzAESUnframe feeds arbitrary keys and frames to AESUnframe: it must
// never panic, and whatever it decodes must frame back to a frame it
// decodes the same way.
func FuzzAESUnframe(f *testing.F) {
	key := []byte("0123456789ABCDEF")
	f.Add(key, []byte("\x10\x8d\x83\x5d\x0c\xff\xd8\xba\xd5\x85\xfe\x8b\x42\x94\xc4\x21\x88"))
	f.Add(key, []byte{0})
	f.Add(key, []byte{})
	f.Add(key, []byte{0xff, 1, 2, 3})
	f.Add([]byte("monsecret"), []byte{7})
	f.Fuzz(func(t *testing.T, key, frame []byte) {
		plain, err := frames.AESUnframe(key, frame)
		if err != nil {
			if plain != nil {
				t.Fatalf("error %v with a result", err)
			}
			return
		}
		if len(plain) != int(frame[0]) || len(frame) != 1+(len(plain)+15)/16*16 {
			t.Fatalf("decoded %d bytes from a %d-byte frame with length byte %d", len(plain), len(frame), frame[0])
		}
		again, err := frames.AESFrame(key, plain)
		if err != nil {
			t.Fatalf("cannot frame what was unframed: %v", err)
		}
		if back, err := frames.AESUnframe(key, again); err != nil || !bytes.Equal(back, plain) {
			t.Fatalf("round trip: %q, %v; want %q", back, err, plain)
		}
	})
}

// FuzzDiagnose feeds arbitrary specs and frames to Accept and Diagnose:
// they must never panic, Diagnose says nothing about an accepted frame and
// at least one thing about a rejected one (for a valid spec).
func FuzzDiagnose(f *testing.F) {
	f.Add(uint8(frames.KindCRC8), uint8(0), byte(0x1d), "bonjour", []byte(nil), []byte("bonjour\x00\xe0"))
	f.Add(uint8(frames.KindCRC8), uint8(1), byte(0x07), "bonjour", []byte(nil), []byte("bonjourd"))
	f.Add(uint8(frames.KindChecksum), uint8(2), byte(0), "bonjour", []byte(nil), []byte("\xffruojnob"))
	f.Add(uint8(frames.KindRC4), uint8(0), byte(0), "bonjour", []byte("monsecret"), []byte("\xd6\x9dU\x1eY[k["))
	f.Add(uint8(frames.KindAES), uint8(0), byte(0), "0123456789ABCDEF", []byte("0123456789ABCDEF"),
		[]byte("\x10\x8d\x83\x5d\x0c\xff\xd8\xba\xd5\x85\xfe\x8b\x42\x94\xc4\x21\x88"))
	f.Add(uint8(frames.KindAES), uint8(0), byte(0), "", []byte("0123456789ABCDEF"), []byte{0, 1, 2})
	f.Add(uint8(9), uint8(9), byte(0), "", []byte{}, []byte{})
	f.Fuzz(func(t *testing.T, kind, dialect uint8, poly byte, msg string, key, got []byte) {
		s := frames.Spec{
			Kind:    frames.Kind(kind % 6),
			Message: msg,
			Key:     key,
			CRC:     frames.CRC8Params{Poly: poly},
			Dialect: frames.Dialect(dialect % 4),
		}
		_, ok := frames.Accept(s, got)
		hints := frames.Diagnose(s, got)
		if ok && hints != nil {
			t.Fatalf("accepted, yet diagnosed %q", hints)
		}
		if !ok && s.Validate() == nil && len(hints) == 0 {
			t.Fatalf("rejected % x for %+v without a hint", got, s)
		}
		for _, h := range hints {
			if h == "" {
				t.Fatalf("empty hint in %q", hints)
			}
		}
	})
}
