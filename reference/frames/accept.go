package frames

import (
	"bytes"
	"fmt"
	"strings"
)

// Kind is a frame format of the lab sheets that [Accept], [Diagnose] and
// [Spec.Frame] handle.
type Kind int

// The frame formats.
const (
	// KindChecksum: the message followed by its [Checksum] byte.
	KindChecksum Kind = iota + 1
	// KindCRC8: the message followed by its CRC-8 byte.
	KindCRC8
	// KindRC4: the message encrypted with [RC4].
	KindRC4
	// KindAES: the message in an [AESFrame].
	KindAES
)

// String returns the kind's name as exercises spell it.
func (k Kind) String() string {
	switch k {
	case KindChecksum:
		return "checksum"
	case KindCRC8:
		return "crc8"
	case KindRC4:
		return "rc4"
	case KindAES:
		return "aes"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Dialect says whether the string's trailing NUL is part of the message.
// The lab sheet's C programs send it for the checksum, CRC-8 and RC4
// exercises ("bonjour\x00"); its Python programs never do, and neither
// program sends it in the AES exercise. Both are correct.
type Dialect int

// The dialects.
const (
	// AnyDialect accepts both; it is the zero value.
	AnyDialect Dialect = iota
	// WithNUL: the message ends with the string's NUL byte.
	WithNUL
	// WithoutNUL: the bare text.
	WithoutNUL
)

// String describes the dialect for a report.
func (d Dialect) String() string {
	switch d {
	case AnyDialect:
		return "any"
	case WithNUL:
		return "with the trailing NUL (C)"
	case WithoutNUL:
		return "without the trailing NUL (Python)"
	}
	return fmt.Sprintf("Dialect(%d)", int(d))
}

// Spec describes the frame a student's program should send or will
// receive.
type Spec struct {
	Kind Kind
	// Message is the text without any NUL, e.g. "bonjour".
	Message string
	// Key is the RC4 or AES key, e.g. "monsecret", "0123456789ABCDEF".
	Key []byte
	// CRC is the CRC-8 of KindCRC8; the zero value means SeedCRC8.
	CRC CRC8Params
	// Dialect restricts the accepted frames to one dialect; AnyDialect
	// (the zero value) accepts both.
	Dialect Dialect
}

// Validate reports a spec that cannot describe any frame: an unknown kind,
// a key of the wrong size, a message too long for an AES frame, a message
// that ends with the NUL a Dialect adds. [Accept]
// accepts nothing and [Diagnose] says nothing for such a spec, so load
// exercises through Validate to blame the exercise, not the student.
func (s Spec) Validate() error {
	if s.Dialect < AnyDialect || s.Dialect > WithoutNUL {
		return fmt.Errorf("frames: unknown dialect %d", int(s.Dialect))
	}
	if strings.HasSuffix(s.Message, "\x00") {
		return fmt.Errorf("frames: the message %q ends with NUL; give the bare text and choose a Dialect", s.Message)
	}
	for _, d := range s.dialects() {
		if _, err := s.Frame(d); err != nil {
			return err
		}
	}
	return nil
}

// Frame returns the frame for s in dialect d, the exact bytes the lab
// sheet's program of that dialect sends. d must be WithNUL or WithoutNUL
// (else the error wraps [ErrDialect]).
func (s Spec) Frame(d Dialect) ([]byte, error) {
	if d != WithNUL && d != WithoutNUL {
		return nil, fmt.Errorf("%w: Frame needs WithNUL or WithoutNUL, not %v", ErrDialect, d)
	}
	m := s.message(d)
	switch s.Kind {
	case KindChecksum:
		return append(m, Checksum(m)), nil
	case KindCRC8:
		return append(m, s.crc().Sum(m)), nil
	case KindRC4:
		return RC4(s.Key, m)
	case KindAES:
		return AESFrame(s.Key, m)
	}
	return nil, fmt.Errorf("frames: unknown kind %v", s.Kind)
}

// Accept reports whether got is a correct frame for s, and in which
// dialect. Checksum, CRC-8 and RC4 frames must equal [Spec.Frame] in an
// allowed dialect; an AES frame must decode with [AESUnframe] to the
// message (the padding bytes are not checked, as the lab sheet's own C
// program pads with stack garbage).
func Accept(s Spec, got []byte) (Dialect, bool) {
	for _, d := range s.dialects() {
		switch s.Kind {
		case KindAES:
			if plain, err := AESUnframe(s.Key, got); err == nil && bytes.Equal(plain, s.message(d)) {
				return d, true
			}
		default:
			if want, err := s.Frame(d); err == nil && bytes.Equal(got, want) {
				return d, true
			}
		}
	}
	return AnyDialect, false
}

// dialects lists the dialects s accepts.
func (s Spec) dialects() []Dialect {
	switch s.Dialect {
	case WithNUL, WithoutNUL:
		return []Dialect{s.Dialect}
	}
	return []Dialect{WithoutNUL, WithNUL}
}

// message returns the message bytes in dialect d, in a new slice.
func (s Spec) message(d Dialect) []byte {
	m := make([]byte, 0, len(s.Message)+2)
	m = append(m, s.Message...)
	if d == WithNUL {
		m = append(m, 0)
	}
	return m
}

// crc returns the CRC-8 parameters of s.
func (s Spec) crc() CRC8Params {
	if s.CRC == (CRC8Params{}) {
		return SeedCRC8
	}
	return s.CRC
}
