package frames

import "errors"

// Errors returned by this package, wrapped with details; test for them with
// errors.Is.
var (
	// ErrKeySize: an RC4 key is not 1 to 256 bytes, or an AES key is not
	// 16, 24 or 32 bytes.
	ErrKeySize = errors.New("frames: wrong key size")
	// ErrMessageTooLong: a message does not fit the frame (more than 255
	// bytes for an AES frame's length byte, more than the RSA key allows,
	// more than MaxRSAMessage on the wire).
	ErrMessageTooLong = errors.New("frames: message too long")
	// ErrShortFrame: a frame or stream ended before its declared length.
	ErrShortFrame = errors.New("frames: frame too short")
	// ErrFrameSize: an AES frame's body is not whole 16-byte blocks, or
	// not as many blocks as its length byte announces.
	ErrFrameSize = errors.New("frames: wrong frame size")
	// ErrBadPEM: no PEM public key could be read.
	ErrBadPEM = errors.New("frames: bad PEM public key")
	// ErrDecrypt: a ciphertext or token did not decrypt.
	ErrDecrypt = errors.New("frames: cannot decrypt")
	// ErrDialect: a frame was requested in AnyDialect.
	ErrDialect = errors.New("frames: no dialect chosen")
)
