package frames

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
)

// The RSA chat protocol (rsa-chat exercise, port 4396). The lab sheet's
// program pickles each ciphertext together with its private key, which
// only Python can read and which defeats the encryption; the exercise
// replaces it with this language-neutral protocol:
//
//  1. On connecting, each side sends its RSA public key as one PEM block
//     ending with a newline: PKIX, "-----BEGIN PUBLIC KEY-----". Both sides
//     send at once, so write yours without waiting to read the peer's.
//  2. Then, in both directions at any time (full duplex), each message is
//     a 4-byte big-endian length followed by that many bytes: the RSA
//     PKCS #1 v1.5 encryption of the UTF-8 text under the peer's public
//     key, as Python's rsa.encrypt(text.encode(), peer_key) returns it.
//
// Keys below 1024 bits (the lab sheet's rsa.newkeys(512)) are refused by
// Go's crypto/rsa unless the program runs with GODEBUG=rsa1024min=0 (or a
// //go:debug rsa1024min=0 line in package main); a 512-bit key carries at
// most 53 bytes of text per message.
const (
	// MaxPublicKeyPEM bounds the bytes ReadPublicKey reads; a 16384-bit
	// key's PEM is about 2.8 KiB.
	MaxPublicKeyPEM = 8 << 10
	// MaxRSAMessage bounds a message's length field: a ciphertext is as
	// long as the key's modulus, 512 bytes for a 4096-bit key.
	MaxRSAMessage = 4096
)

// pkcs1v15Overhead is the padding PKCS #1 v1.5 encryption adds.
const pkcs1v15Overhead = 11

// WritePublicKey writes pub as a PKIX PEM block ("PUBLIC KEY"), ending with
// a newline, in a single Write.
func WritePublicKey(w io.Writer, pub *rsa.PublicKey) error {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return err
	}
	_, err = w.Write(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	return err
}

// ReadPublicKey reads one PEM public key from r and stops right after the
// newline that ends its END line, so the messages that follow stay in r. It
// accepts the protocol's PKIX "PUBLIC KEY" and also PKCS #1 "RSA PUBLIC
// KEY", which is what Python's rsa module saves (save_pkcs1). Blank lines
// before the block are skipped; anything else before it, a block over
// MaxPublicKeyPEM bytes, a missing final newline or a key that is not RSA
// gives an error wrapping [ErrBadPEM]; a stream that ends early wraps
// [ErrShortFrame].
func ReadPublicKey(r io.Reader) (*rsa.PublicKey, error) {
	var buf bytes.Buffer
	var line []byte
	begun := false
	for {
		c, err := readByte(r)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, fmt.Errorf("%w: the stream ended inside the PEM public key (%d bytes read)", ErrShortFrame, buf.Len()+len(line))
			}
			return nil, err
		}
		if buf.Len()+len(line) >= MaxPublicKeyPEM {
			return nil, fmt.Errorf("%w: no END line within %d bytes", ErrBadPEM, MaxPublicKeyPEM)
		}
		line = append(line, c)
		if begun && bytes.HasPrefix(line, []byte("-----END ")) && bytes.HasSuffix(line[1:], []byte("-----")) {
			// The END line is complete: one newline (or CR LF) must follow.
			if err := readNewline(r); err != nil {
				return nil, err
			}
			buf.Write(line)
			buf.WriteByte('\n')
			return parsePublicKey(buf.Bytes())
		}
		if c != '\n' {
			continue
		}
		text := bytes.TrimSpace(line)
		switch {
		case begun:
			buf.Write(line)
		case len(text) == 0:
			// blank line before the block
		case bytes.HasPrefix(text, []byte("-----BEGIN ")):
			begun = true
			buf.Write(line)
		default:
			return nil, fmt.Errorf("%w: expected -----BEGIN PUBLIC KEY-----, got %q", ErrBadPEM, truncate(line, 64))
		}
		line = line[:0]
	}
}

// readNewline consumes the "\n" or "\r\n" that ends a PEM block.
func readNewline(r io.Reader) error {
	c, err := readByte(r)
	if err == nil && c == '\r' {
		c, err = readByte(r)
	}
	switch {
	case errors.Is(err, io.EOF):
		return fmt.Errorf("%w: the stream ended before the newline after the PEM END line", ErrShortFrame)
	case err != nil:
		return err
	case c != '\n':
		return fmt.Errorf("%w: the PEM END line must end with a newline, got byte 0x%02x", ErrBadPEM, c)
	}
	return nil
}

func parsePublicKey(data []byte) (*rsa.PublicKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("%w: the block does not decode (BEGIN and END types differ, or bad base64)", ErrBadPEM)
	}
	switch block.Type {
	case "PUBLIC KEY":
		key, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadPEM, err)
		}
		pub, ok := key.(*rsa.PublicKey)
		if !ok {
			return nil, fmt.Errorf("%w: a %T, not an RSA public key", ErrBadPEM, key)
		}
		return pub, nil
	case "RSA PUBLIC KEY":
		pub, err := x509.ParsePKCS1PublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadPEM, err)
		}
		return pub, nil
	default:
		return nil, fmt.Errorf("%w: a %q block, not PUBLIC KEY", ErrBadPEM, block.Type)
	}
}

// WriteMessage encrypts plaintext for pub (RSA PKCS #1 v1.5) and writes it
// as one message: a 4-byte big-endian length, then the ciphertext, in a
// single Write. A plaintext longer than the key allows (its size in bytes
// minus 11) gives an error wrapping [ErrMessageTooLong].
func WriteMessage(w io.Writer, pub *rsa.PublicKey, plaintext []byte) error {
	if limit := pub.Size() - pkcs1v15Overhead; len(plaintext) > limit {
		return fmt.Errorf("%w: %d bytes, a %d-bit key carries at most %d", ErrMessageTooLong, len(plaintext), pub.N.BitLen(), limit)
	}
	if pub.Size() > MaxRSAMessage {
		return fmt.Errorf("%w: a %d-bit key's ciphertext exceeds %d bytes", ErrMessageTooLong, pub.N.BitLen(), MaxRSAMessage)
	}
	//lint:ignore SA1019 the chat protocol is PKCS #1 v1.5 because that is what the lab sheet's Python rsa.encrypt produces.
	ct, err := rsa.EncryptPKCS1v15(rand.Reader, pub, plaintext)
	if err != nil {
		return err
	}
	msg := make([]byte, 4+len(ct))
	binary.BigEndian.PutUint32(msg, uint32(len(ct)))
	copy(msg[4:], ct)
	_, err = w.Write(msg)
	return err
}

// ReadMessage reads one message from r and decrypts it with priv. At a
// clean end of stream (before any byte of a message) it returns io.EOF
// itself. A length field over MaxRSAMessage wraps [ErrMessageTooLong] and
// one of 0 wraps [ErrFrameSize], without reading further; a stream that
// ends inside a message wraps [ErrShortFrame]; a ciphertext that is not as
// long as priv's modulus wraps [ErrFrameSize]; one that does not decrypt
// wraps [ErrDecrypt].
func ReadMessage(r io.Reader, priv *rsa.PrivateKey) ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("%w: the stream ended inside a length field", ErrShortFrame)
		}
		return nil, err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n == 0 {
		return nil, fmt.Errorf("%w: length field 0, an empty message", ErrFrameSize)
	}
	if n > MaxRSAMessage {
		return nil, fmt.Errorf("%w: length field %d, at most %d", ErrMessageTooLong, n, MaxRSAMessage)
	}
	ct := make([]byte, n)
	if _, err := io.ReadFull(r, ct); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("%w: the stream ended inside a %d-byte message", ErrShortFrame, n)
		}
		return nil, err
	}
	if int(n) != priv.Size() {
		return nil, fmt.Errorf("%w: a %d-byte ciphertext, but this %d-bit key's ciphertexts are %d bytes", ErrFrameSize, n, priv.N.BitLen(), priv.Size())
	}
	//lint:ignore SA1019 the chat protocol is PKCS #1 v1.5 because that is what the lab sheet's Python rsa.decrypt expects.
	msg, err := rsa.DecryptPKCS1v15(nil, priv, ct)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDecrypt, err)
	}
	return msg, nil
}

// readByte reads one byte without reading ahead, so nothing after it is
// taken from r.
func readByte(r io.Reader) (byte, error) {
	if br, ok := r.(io.ByteReader); ok {
		return br.ReadByte()
	}
	var b [1]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return 0, err
	}
	return b[0], nil
}

// truncate shortens b to at most n bytes for an error message.
func truncate(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}
