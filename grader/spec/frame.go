package spec

import (
	"github.com/netlab-grader/grader/reference/frames"
)

// FrameSpec converts the YAML frame to the reference package's spec.
func (f *Frame) FrameSpec() frames.Spec {
	s := frames.Spec{Message: f.Message, Key: []byte(f.Key)}
	switch f.Kind {
	case "checksum":
		s.Kind = frames.KindChecksum
	case "crc8":
		s.Kind = frames.KindCRC8
		if f.Poly != nil || f.Init != nil {
			s.CRC = frames.SeedCRC8
			s.CRC.Name = "CRC-8"
			if f.Poly != nil {
				s.CRC.Poly = byte(*f.Poly)
			}
			if f.Init != nil {
				s.CRC.Init = byte(*f.Init)
			}
			s.CRC.Check = s.CRC.Sum([]byte("123456789"))
		}
	case "rc4":
		s.Kind = frames.KindRC4
	case "aes":
		s.Kind = frames.KindAES
	}
	switch f.Dialect {
	case "c":
		s.Dialect = frames.WithNUL
	case "python":
		s.Dialect = frames.WithoutNUL
	}
	return s
}

// Bytes returns the payload's bytes.
func (pl Payload) Bytes() []byte {
	switch {
	case pl.Text != nil:
		return []byte(*pl.Text)
	case pl.WS != nil:
		return pl.WS.Encode()
	case pl.Upgrade != nil:
		return pl.Upgrade.Request("127.0.0.1")
	case pl.HTTP != nil:
		b, _ := pl.HTTP.Build("127.0.0.1", nil)
		return b
	case pl.Frame != nil:
		fs := pl.Frame.FrameSpec()
		d := fs.Dialect
		if d == frames.AnyDialect {
			d = frames.WithNUL
		}
		b, _ := fs.Frame(d)
		if pl.Frame.Corrupt && len(b) > 0 {
			b[len(b)-1] ^= 0x01
		}
		return b
	}
	b, _ := DecodeHex(pl.Hex)
	return b
}
