package frames_test

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/netlab-grader/grader/reference/frames"
)

// The known-answer vectors of the lab sheets (DESIGN.md).
var (
	seedAESKey   = []byte("0123456789ABCDEF")
	seedAESFrame = []byte("\x10\x8d\x83\x5d\x0c\xff\xd8\xba\xd5\x85\xfe\x8b\x42\x94\xc4\x21\x88")
	seedRC4Key   = []byte("monsecret")
	seedRC4Frame = []byte("\xd6\x9d\x55\x1e\x59\x5b\x6b\x5b") // RC4 of "bonjour\x00"
)

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

// FuzzAESUnframe feeds arbitrary keys and frames to AESUnframe: it must
// never panic nor allocate more than the frame's size (its length byte
// announces at most 255 bytes), the lab sheet's frame decodes to its
// message, and whatever it decodes must frame back to a frame it decodes
// the same way.
func FuzzAESUnframe(f *testing.F) {
	if plain, err := frames.AESUnframe(seedAESKey, seedAESFrame); err != nil || string(plain) != "0123456789ABCDEF" {
		f.Fatalf("the lab sheet's AES frame decodes to %q, %v", plain, err)
	}
	key := seedAESKey
	f.Add(key, seedAESFrame)
	f.Add(key, []byte{0})
	f.Add(key, []byte{})
	f.Add(key, []byte{0xff, 1, 2, 3})
	f.Add([]byte("monsecret"), []byte{7})
	f.Fuzz(func(t *testing.T, key, frame []byte) {
		var plain []byte
		var err error
		if n := leastAllocated(func() { plain, err = frames.AESUnframe(key, frame) }); n > 4<<10+2*uint64(len(frame)) {
			t.Fatalf("unframing %d bytes allocated %d", len(frame), n)
		}
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
// at least one thing about a rejected one (for a valid spec). The lab
// sheets' known-answer frames are accepted.
func FuzzDiagnose(f *testing.F) {
	for _, v := range []struct {
		s     frames.Spec
		frame []byte
	}{
		{frames.Spec{Kind: frames.KindChecksum, Message: "bonjour"}, []byte("bonjour\xff")},
		{frames.Spec{Kind: frames.KindChecksum, Message: "bonjour"}, []byte("bonjour\x00\xff")},
		{frames.Spec{Kind: frames.KindCRC8, Message: "bonjour"}, []byte("bonjour\x00\xe0")},
		{frames.Spec{Kind: frames.KindCRC8, Message: "bonjour"}, []byte("bonjour\x64")},
		{frames.Spec{Kind: frames.KindRC4, Message: "bonjour", Key: seedRC4Key, Dialect: frames.WithNUL}, seedRC4Frame},
		{frames.Spec{Kind: frames.KindAES, Message: "0123456789ABCDEF", Key: seedAESKey}, seedAESFrame},
	} {
		if _, ok := frames.Accept(v.s, v.frame); !ok {
			f.Fatalf("the lab sheet's %v frame % x is refused", v.s.Kind, v.frame)
		}
	}
	f.Add(uint8(frames.KindChecksum), uint8(0), byte(0), "bonjour", []byte(nil), []byte("bonjour\xff"))
	f.Add(uint8(frames.KindCRC8), uint8(2), byte(0x1d), "bonjour", []byte(nil), []byte("bonjour\x64"))
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

// fuzzKey is a 512-bit RSA key (the lab sheet's size, allowed in this test
// binary by rsa_test.go's go:debug line) made for these tests only, in
// PKCS #1 DER, so the seed corpus can hold messages encrypted for it.
const fuzzKey = "MIIBOgIBAAJBAPbGn58c+Snq3dNPcHAoT9sX5wTUG87/pQgm0JHoJgg+P5Tz6PlRzycwaTM7iNEhuP8r9L8/jp45Il0QkhVqtGUCAwEAAQJALSC+BIIvI4X+mlu631vT3KhWmCi0zCoucxrsBd6rA9MIblGfHW9Natm/7Xn2CsGr2he0VbMvFBY7Lsab0nhLSQIhAPvg5uLZaXSfKL92mQIdWYaBZK6k9a3myLUCUA7UbeVdAiEA+tBY2CfbAanFRMsHY9T819kLkfdqzes8r7MzE9oY0qkCIQCpFBLJKrqQj5qR0/HoKn2DPe6xEYjd4LLQVyoYml7e/QIgf2cZ2iLUopGkPP+Mr29fSB1ePTUasaLOXsl+JpVgipECIF3bVXj75n7qrro334ypcN/9qfefpxnyd3v6ZaOUWhgT"

func loadFuzzKey(f *testing.F) *rsa.PrivateKey {
	der, err := base64.StdEncoding.DecodeString(fuzzKey)
	if err != nil {
		f.Fatal(err)
	}
	k, err := x509.ParsePKCS1PrivateKey(der)
	if err != nil {
		f.Fatal(err)
	}
	return k
}

// FuzzReadMessage feeds a peer's arbitrary stream to ReadMessage, message
// after message, as the rsa-chat reference peer reads a student's chat
// client: it must never panic; every error is one the package documents;
// a length field that is 0 or over MaxRSAMessage is refused without
// reading further; whatever a length field announces, a message costs no
// more than MaxRSAMessage of memory; and a message WriteMessage wrote
// reads back to its text.
func FuzzReadMessage(f *testing.F) {
	priv := loadFuzzKey(f)
	var hello bytes.Buffer
	if err := frames.WriteMessage(&hello, &priv.PublicKey, []byte("bonjour")); err != nil {
		f.Fatal(err)
	}
	f.Add(hello.Bytes(), []byte("bonjour"))
	f.Add(append(append([]byte(nil), hello.Bytes()...), hello.Bytes()[:30]...), []byte("你好"))
	f.Add([]byte("\x00\x00\x00\x00"), []byte{})
	f.Add([]byte("\xff\xff\xff\xff"), []byte("x"))
	f.Add([]byte("\x00\x00\x10\x00abc"), []byte("\x00"))
	f.Add([]byte("\x00\x00\x00\x40"+string(make([]byte, 64))), bytes.Repeat([]byte("y"), 53))
	f.Add([]byte("\x00\x00"), bytes.Repeat([]byte("y"), 54))
	f.Fuzz(func(t *testing.T, stream, plain []byte) {
		r := bytes.NewReader(stream)
		for i := 0; ; i++ {
			left := r.Len()
			var msg []byte
			var err error
			if n := allocated(func() { msg, err = frames.ReadMessage(r, priv) }); n > 64<<10 {
				t.Fatalf("message %d of a %d-byte stream allocated %d bytes", i, len(stream), n)
			}
			if err == nil {
				if msg == nil {
					t.Fatalf("message %d: no error and no message", i)
				}
				continue
			}
			switch {
			case errors.Is(err, io.EOF):
				if left != 0 {
					t.Fatalf("io.EOF with %d bytes left", left)
				}
			case errors.Is(err, frames.ErrMessageTooLong), errors.Is(err, frames.ErrFrameSize) && left-r.Len() == 4:
				if left-r.Len() != 4 {
					t.Fatalf("%v after reading %d bytes: the length field alone should be read", err, left-r.Len())
				}
				if n := binary.BigEndian.Uint32(stream[len(stream)-left:]); n != 0 && n <= frames.MaxRSAMessage {
					t.Fatalf("length field %d refused: %v", n, err)
				}
			case errors.Is(err, frames.ErrShortFrame), errors.Is(err, frames.ErrFrameSize), errors.Is(err, frames.ErrDecrypt):
			default:
				t.Fatalf("undocumented error %v", err)
			}
			break
		}
		var b bytes.Buffer
		err := frames.WriteMessage(&b, &priv.PublicKey, plain)
		if len(plain) > priv.Size()-11 {
			if !errors.Is(err, frames.ErrMessageTooLong) {
				t.Fatalf("a %d-byte message for a %d-byte key: %v", len(plain), priv.Size(), err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		got, err := frames.ReadMessage(&b, priv)
		if err != nil || !bytes.Equal(got, plain) || b.Len() != 0 {
			t.Fatalf("round trip of %q: %q, %v, %d bytes left", plain, got, err, b.Len())
		}
	})
}

// FuzzReadPublicKey feeds a peer's arbitrary stream to ReadPublicKey, the
// first thing the rsa-chat peer reads from a student: it must never
// panic; every error is one the package documents; it never reads more
// than MaxPublicKeyPEM and the END line's newline, nor allocates more than
// a few times what it read; and a key it accepts is the one WritePublicKey
// then writes, read back the same.
func FuzzReadPublicKey(f *testing.F) {
	priv := loadFuzzKey(f)
	var pkix bytes.Buffer
	if err := frames.WritePublicKey(&pkix, &priv.PublicKey); err != nil {
		f.Fatal(err)
	}
	f.Add(append(pkix.Bytes(), "\x00\x00\x00\x40"...))
	f.Add(append([]byte("\n\r\n"), bytes.ReplaceAll(pkix.Bytes(), []byte("\n"), []byte("\r\n"))...))
	f.Add(pkix.Bytes()[:pkix.Len()-1])
	f.Add([]byte("-----BEGIN RSA PUBLIC KEY-----\nMEgCQQD2xp+fHPkp6t3TT3BwKE/bF+cE1BvO/6UIJtCR6CYIPj+U8+j5Uc8nMGkzO4jRIbj/K/S/P46eOSJdEJIVarRlAgMBAAE=\n-----END RSA PUBLIC KEY-----\n"))
	f.Add([]byte("-----BEGIN PUBLIC KEY-----\n-----END PRIVATE KEY-----x\n"))
	f.Add([]byte("ssh-rsa AAAA\n"))
	f.Add([]byte("-----BEGIN PUBLIC KEY-----\n" + string(bytes.Repeat([]byte("A"), 9000))))
	f.Fuzz(func(t *testing.T, stream []byte) {
		r := bytes.NewReader(stream)
		var pub *rsa.PublicKey
		var err error
		n := allocated(func() { pub, err = frames.ReadPublicKey(r) })
		read := len(stream) - r.Len()
		if read > frames.MaxPublicKeyPEM+2 {
			t.Fatalf("read %d bytes, more than MaxPublicKeyPEM", read)
		}
		if limit := 64<<10 + 16*uint64(read); n > limit {
			t.Fatalf("reading %d bytes allocated %d", read, n)
		}
		if err != nil {
			if pub != nil || !errors.Is(err, frames.ErrBadPEM) && !errors.Is(err, frames.ErrShortFrame) {
				t.Fatalf("undocumented error %v (key %v)", err, pub)
			}
			return
		}
		if stream[read-1] != '\n' {
			t.Fatalf("the key ended at % x, not after a newline", stream[max(read-8, 0):read])
		}
		var b bytes.Buffer
		if err := frames.WritePublicKey(&b, pub); err != nil {
			t.Fatal(err)
		}
		again, err := frames.ReadPublicKey(&b)
		if err != nil || !again.Equal(pub) || b.Len() != 0 {
			t.Fatalf("round trip of the key: %v, %d bytes left", err, b.Len())
		}
	})
}

// FuzzFernetDecrypt feeds arbitrary keys and tokens to FernetDecrypt, the
// fernet-server exercise's judge of a student's token: it must never
// panic, every error says which documented kind it is, and a token that
// FernetEncrypt made decrypts to its message.
func FuzzFernetDecrypt(f *testing.F) {
	const (
		seedKey   = "8jtTR9QcD-k3RO9Pcd5ePgmTu_itJQt9WKQPzqjrcoM="
		seedToken = "gAAAAABdlW033LxsrnmA2P0WzaS-wk1UKXA1IdyDpmHcV6yrE7H_ApmSK8KpCW-6jaODFaeTeDRKJMMsa_526koApx1suJ4_dQ=="
	)
	if msg, err := frames.FernetDecrypt(seedKey, []byte(seedToken), 0); err != nil || string(msg) != "fluffy tail" {
		f.Fatalf("the lab sheet's token decrypts to %q, %v", msg, err)
	}
	f.Add(seedKey, []byte(seedToken+"\n"), []byte("fluffy tail"), uint16(0))
	f.Add(seedKey, []byte(seedToken[:40]), []byte{}, uint16(60))
	f.Add("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", []byte(seedToken), []byte("x"), uint16(1))
	f.Add("short", []byte("gAAAAA=="), []byte(nil), uint16(0))
	f.Add(seedKey, []byte("not base64!"), []byte("\x00\xff"), uint16(0))
	f.Fuzz(func(t *testing.T, key string, token, msg []byte, ttl uint16) {
		got, err := frames.FernetDecrypt(key, token, time.Duration(ttl)*time.Second)
		if err != nil {
			if got != nil || !errors.Is(err, frames.ErrDecrypt) && !errors.Is(err, frames.ErrKeySize) {
				t.Fatalf("undocumented error %v", err)
			}
		}
		tok, err := frames.FernetEncrypt(seedKey, msg)
		if err != nil {
			t.Fatal(err)
		}
		back, err := frames.FernetDecrypt(seedKey, tok, time.Minute)
		if err != nil || !bytes.Equal(back, msg) {
			t.Fatalf("round trip of %q: %q, %v", msg, back, err)
		}
	})
}
