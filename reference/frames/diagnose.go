package frames

import (
	"bytes"
	"crypto/cipher"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The fixed hints [Diagnose] returns. Other hints are built around the
// frame's own bytes (see Diagnose).
const (
	HintNothingSent = "nothing was sent"
	HintNULMissing  = "the trailing NUL is missing"
	HintNULExtra    = "the trailing NUL is extra"
	HintHexText     = "the frame was sent as hex text, not as raw bytes"
	HintUnencrypted = "plaintext sent unencrypted"

	// Checksum and CRC-8 frames.
	HintCheckMissing         = "the check byte is missing"
	HintCRCWithoutNUL        = "CRC computed without the trailing NUL"
	HintCRCOverNUL           = "CRC computed over the NUL that was not sent"
	HintChecksumNotCRC       = "this is a checksum (sum mod 256), not a CRC-8"
	HintCRCNotChecksum       = "this is a CRC-8, not a checksum (sum mod 256)"
	HintChecksumComplemented = "the checksum is complemented (~sum); send the plain sum mod 256"
	HintChecksumNegated      = "the checksum is negated (256 - sum); send the plain sum mod 256"
	HintCheckFirst           = "the check byte is sent before the data; it goes after it"
	HintReversed             = "byte order reversed"

	// RC4 frames.
	HintRC4WrongKey = "wrong key: the first keystream byte differs"
	HintKeyWithNUL  = "the key was used with its trailing NUL"

	// AES frames.
	HintLengthMissing = "the length byte is missing"
	HintPKCS7         = "PKCS#7 padding where zeros were expected"
	HintLengthPadded  = "the length byte counts the padded size"
	HintAESWrongKey   = "wrong key: the blocks decrypt to garbage"
	HintCBCWithIV     = "ECB expected, got CBC (an IV is prepended)"
	HintCBC           = "ECB expected, got CBC"
	HintNotBlocks     = "the frame is not 1 length byte plus whole 16-byte blocks"
	HintOnlyLength    = "only the length byte was sent, no blocks"
)

// Diagnose names the likely mistakes in got, a frame a student's program
// sent where s was expected. It returns nil when [Accept] takes got, or
// when s is not valid (see [Spec.Validate]). Each hint is a short sentence
// for a feedback line: one of the Hint constants, or one built from the
// frame:
//
//	this is <CRC name> with polynomial 0x07, not 0x1D
//	this is <CRC name>: init 0xFF, xorout 0xFF, not init 0x00, xorout 0x00
//	the check byte is 0x12, expected 0xe0
//	the frame carries "hello", not "bonjour" (its check byte is right for that text)
//	the data is "hello", not "bonjour", and the check byte fits neither
//	the message is "hello", not "bonjour"
//	the message is cut short: 5 of 7 bytes
//	1 extra byte after the message: 0a
//	2 extra bytes after the message and its NUL: 0d 0a
//	the length byte is 9, but the message is 7 bytes
//	1 extra block after the message
//	the length is sent in 4 bytes; the frame has a single length byte
//	the blocks do not decrypt to the message, and the length byte 200 does not fit 1 block
//
// The diagnoses are heuristics: a single check byte matches a wrong guess
// one time in 256, so a hint says what the frame is consistent with, most
// likely explanation first. An AES frame's padding is never blamed on its
// own: the lab sheet's C client pads with stack garbage and its decoders
// ignore padding, so PKCS#7 padding is named only when it broke the frame
// (an extra block, a length byte that counts it).
func Diagnose(s Spec, got []byte) []string {
	if s.Validate() != nil {
		return nil
	}
	if _, ok := Accept(s, got); ok {
		return nil
	}
	if len(got) == 0 {
		return []string{HintNothingSent}
	}
	if s.Dialect != AnyDialect {
		anyDialect := s
		anyDialect.Dialect = AnyDialect
		if d, ok := Accept(anyDialect, got); ok {
			if d == WithoutNUL {
				return []string{HintNULMissing}
			}
			return []string{HintNULExtra}
		}
	}
	if raw, ok := hexText(got); ok {
		if _, ok := Accept(s, raw); ok {
			return []string{HintHexText}
		}
	}
	switch s.Kind {
	case KindChecksum, KindCRC8:
		return diagnoseCheck(s, got)
	case KindRC4:
		return diagnoseRC4(s, got)
	case KindAES:
		return diagnoseAES(s, got)
	}
	return nil
}

// diagnoseCheck explains a checksum or CRC-8 frame.
func diagnoseCheck(s Spec, got []byte) []string {
	f := s.checkFunc()
	if s.isMessage(got) {
		return []string{HintCheckMissing}
	}
	n := len(got)
	data, ck := got[:n-1], got[n-1]
	if s.isMessage(data) {
		return []string{s.checkByteHint(data, ck)}
	}
	if s.isMessage(got[1:]) && got[0] == f(got[1:]) {
		return []string{HintCheckFirst}
	}
	if rev := reversed(got); s.isMessage(rev[:n-1]) && rev[n-1] == f(rev[:n-1]) {
		return []string{HintReversed} // the whole frame, check byte first
	}
	if rd := reversed(data); s.isMessage(rd) && (ck == f(rd) || ck == f(data)) {
		return []string{HintReversed} // the data, check byte still last
	}
	if ck == f(data) {
		return []string{fmt.Sprintf("the frame carries %q, not %q (its check byte is right for that text)", data, s.Message)}
	}
	return []string{fmt.Sprintf("the data is %q, not %q, and the check byte fits neither", data, s.Message)}
}

// checkByteHint explains a wrong check byte ck after the right data.
func (s Spec) checkByteHint(data []byte, ck byte) string {
	f := s.checkFunc()
	other := s.message(WithNUL)
	if len(data) == len(other) {
		other = s.message(WithoutNUL)
	}
	if s.Kind == KindCRC8 {
		want := s.crc()
		switch {
		case ck == f(other) && len(data) > len(other):
			return HintCRCWithoutNUL
		case ck == f(other):
			return HintCRCOverNUL
		case ck == Checksum(data):
			return HintChecksumNotCRC
		}
		for _, p := range CRC8Catalogue {
			if !p.sameAlgorithm(want) && (p.Sum(data) == ck || p.Sum(other) == ck) {
				return crcMismatch(p, want)
			}
		}
	} else {
		sum := Checksum(data)
		switch {
		case ck == ^sum:
			return HintChecksumComplemented
		case ck == -sum:
			return HintChecksumNegated
		}
		for _, p := range append([]CRC8Params{SeedCRC8}, CRC8Catalogue...) {
			if p.Sum(data) == ck || p.Sum(other) == ck {
				return HintCRCNotChecksum
			}
		}
	}
	return fmt.Sprintf("the check byte is 0x%02x, expected 0x%02x", ck, f(data))
}

// crcMismatch names the CRC-8 p a student computed instead of want.
func crcMismatch(p, want CRC8Params) string {
	if p.Poly != want.Poly {
		return fmt.Sprintf("this is %s with polynomial 0x%02X, not 0x%02X", p.Name, p.Poly, want.Poly)
	}
	return fmt.Sprintf("this is %s: %s, not %s", p.Name, paramsDiff(p, want), paramsDiff(want, p))
}

// paramsDiff lists the parameters of p that differ from q's.
func paramsDiff(p, q CRC8Params) string {
	var d []string
	if p.Init != q.Init {
		d = append(d, fmt.Sprintf("init 0x%02X", p.Init))
	}
	if p.XorOut != q.XorOut {
		d = append(d, fmt.Sprintf("xorout 0x%02X", p.XorOut))
	}
	if p.RefIn != q.RefIn {
		d = append(d, map[bool]string{true: "reflected input", false: "unreflected input"}[p.RefIn])
	}
	if p.RefOut != q.RefOut {
		d = append(d, map[bool]string{true: "reflected output", false: "unreflected output"}[p.RefOut])
	}
	return strings.Join(d, ", ")
}

// diagnoseRC4 explains an RC4 frame.
func diagnoseRC4(s Spec, got []byte) []string {
	if s.isMessage(got) {
		return []string{HintUnencrypted}
	}
	plain, _ := RC4(s.Key, got)
	want, _ := RC4(s.Key, s.message(WithNUL))
	if got[0] == want[0] {
		return []string{textHint(plain, s.Message)}
	}
	if isText(plain) {
		return []string{textHint(plain, s.Message)} // right key, other text
	}
	h := []string{HintRC4WrongKey}
	if k := append(bytes.Clone(s.Key), 0); len(k) <= 256 {
		if p, err := RC4(k, got); err == nil && s.startsWithMessage(p) {
			h = append(h, HintKeyWithNUL)
		}
	}
	return h
}

// diagnoseAES explains an AES frame.
func diagnoseAES(s Spec, got []byte) []string {
	b, err := newAES(s.Key)
	if err != nil {
		return nil
	}
	if s.Message != "" && (s.startsWithMessage(got) || s.startsWithMessage(got[1:])) {
		return []string{HintUnencrypted}
	}
	if len(got)%AESBlock == 0 {
		if plain := ecbPlain(b, got); s.startsWithMessage(plain) {
			h := []string{HintLengthMissing}
			if m, ok := s.matchMessage(plain, -1); ok && bytes.Equal(unpadPKCS7(plain), m) {
				h = append(h, HintPKCS7)
			}
			return h
		}
	}
	n, body := int(got[0]), got[1:]
	if len(body) == 0 {
		return []string{HintOnlyLength}
	}
	if len(body)%AESBlock != 0 {
		for _, hdr := range []int{2, 4, 8} {
			if len(got) > hdr && (len(got)-hdr)%AESBlock == 0 && s.startsWithMessage(ecbPlain(b, got[hdr:])) {
				return []string{fmt.Sprintf("the length is sent in %d bytes; the frame has a single length byte", hdr)}
			}
		}
		if extra := len(body) % AESBlock; len(body) > extra {
			if m, ok := s.matchMessage(ecbPlain(b, body[:len(body)-extra]), n); ok && n == len(m) {
				return []string{extraBytes(body[len(body)-extra:], "after the blocks")}
			}
		}
		return []string{fmt.Sprintf("%s (got %d bytes)", HintNotBlocks, len(got))}
	}
	plain := ecbPlain(b, body)
	if m, ok := s.matchMessage(plain, n); ok {
		var h []string
		pkcs7 := bytes.Equal(unpadPKCS7(plain), m)
		if pkcs7 {
			h = append(h, HintPKCS7)
		}
		switch {
		case n == len(m):
			if !pkcs7 {
				extra := len(body)/AESBlock - blocksFor(len(m))
				h = append(h, fmt.Sprintf("%d extra %s after the message", extra, plural(extra, "block")))
			}
		case n == len(body):
			h = append(h, HintLengthPadded)
		default:
			h = append(h, fmt.Sprintf("the length byte is %d, but the message is %d bytes", n, len(m)))
		}
		return h
	}
	if len(body) >= 2*AESBlock {
		p := make([]byte, len(body)-AESBlock)
		cipher.NewCBCDecrypter(b, body[:AESBlock]).CryptBlocks(p, body[AESBlock:])
		if s.startsWithMessage(p) {
			return []string{HintCBCWithIV}
		}
		p = make([]byte, len(body))
		cipher.NewCBCDecrypter(b, make([]byte, AESBlock)).CryptBlocks(p, body)
		if s.startsWithMessage(p) {
			return []string{HintCBC}
		}
	}
	if n <= len(body) && blocksFor(n)*AESBlock == len(body) {
		if isText(plain[:n]) {
			return []string{textHint(plain[:n], s.Message)}
		}
		return []string{HintAESWrongKey}
	}
	blocks := len(body) / AESBlock
	return []string{fmt.Sprintf("the blocks do not decrypt to the message, and the length byte %d does not fit %d %s", n, blocks, plural(blocks, "block"))}
}

// checkFunc returns the check byte function of a checksum or CRC-8 spec.
func (s Spec) checkFunc() func([]byte) byte {
	if s.Kind == KindCRC8 {
		return s.crc().Sum
	}
	return Checksum
}

// isMessage reports whether b is the message in either dialect.
func (s Spec) isMessage(b []byte) bool {
	return bytes.Equal(b, s.message(WithoutNUL)) || bytes.Equal(b, s.message(WithNUL))
}

// startsWithMessage reports whether b starts with the (non-empty) message.
func (s Spec) startsWithMessage(b []byte) bool {
	return s.Message != "" && bytes.HasPrefix(b, []byte(s.Message))
}

// matchMessage returns the dialect's message that plain starts with,
// preferring the one n (a length byte, or -1) counts; zero padding makes
// both match, so the bare message comes first otherwise.
func (s Spec) matchMessage(plain []byte, n int) ([]byte, bool) {
	m0, m1 := s.message(WithoutNUL), s.message(WithNUL)
	switch {
	case n == len(m1) && bytes.HasPrefix(plain, m1):
		return m1, true
	case bytes.HasPrefix(plain, m0) && s.Message != "":
		return m0, true
	case bytes.HasPrefix(plain, m1):
		return m1, true
	}
	return nil, false
}

// textHint compares text a student sent (or encrypted) with msg.
func textHint(got []byte, msg string) string {
	m0, m1 := []byte(msg), append([]byte(msg), 0)
	switch {
	case len(got) > len(m1) && bytes.HasPrefix(got, m1):
		return extraBytes(got[len(m1):], "after the message and its NUL")
	case len(got) > len(m0) && bytes.HasPrefix(got, m0):
		return extraBytes(got[len(m0):], "after the message")
	case len(got) < len(m0) && bytes.HasPrefix(m0, got):
		return fmt.Sprintf("the message is cut short: %d of %d bytes", len(got), len(m0))
	}
	return fmt.Sprintf("the message is %q, not %q", got, msg)
}

// extraBytes describes bytes that follow what was expected.
func extraBytes(extra []byte, where string) string {
	return fmt.Sprintf("%d extra %s %s: % x", len(extra), plural(len(extra), "byte"), where, extra)
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// isText reports whether b reads as text: at least 3 bytes of valid UTF-8,
// printable or white space, with at most a NUL at the end. Random bytes
// (a wrong key's output) almost never do.
func isText(b []byte) bool {
	b = bytes.TrimSuffix(b, []byte{0})
	if len(b) < 3 || !utf8.Valid(b) {
		return false
	}
	for _, r := range string(b) {
		if !unicode.IsPrint(r) && !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// hexText decodes got if it is the frame written out in hexadecimal
// (white space and colons between the digits allowed).
func hexText(got []byte) ([]byte, bool) {
	digits := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == ':' {
			return -1
		}
		return r
	}, string(got))
	if digits == "" {
		return nil, false
	}
	raw, err := hex.DecodeString(digits)
	return raw, err == nil
}

// ecbPlain decrypts the whole blocks of c.
func ecbPlain(b cipher.Block, c []byte) []byte {
	p := make([]byte, len(c)/AESBlock*AESBlock)
	ecbDecrypt(b, p, c)
	return p
}

// unpadPKCS7 removes PKCS #7 padding from p, or returns nil if p does not
// end with it.
func unpadPKCS7(p []byte) []byte {
	if len(p) == 0 || len(p)%AESBlock != 0 {
		return nil
	}
	k := int(p[len(p)-1])
	if k == 0 || k > AESBlock {
		return nil
	}
	for _, c := range p[len(p)-k:] {
		if int(c) != k {
			return nil
		}
	}
	return p[:len(p)-k]
}

func reversed(b []byte) []byte {
	r := make([]byte, len(b))
	for i, c := range b {
		r[len(b)-1-i] = c
	}
	return r
}
