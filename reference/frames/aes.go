package frames

import (
	"crypto/aes"
	"crypto/cipher"
	"fmt"
)

// AESBlock is the AES block size: the frame body is whole blocks of it.
const AESBlock = aes.BlockSize

// AESFrame returns the lab sheet's AES frame for msg: one byte holding
// len(msg), then msg zero-padded to whole 16-byte blocks and encrypted
// block by block with AES in ECB mode. An empty msg gives the single byte
// 0x00. key is 16 bytes for the lab's AES-128 (24 or 32 select AES-192 or
// AES-256); msg is at most 255 bytes.
func AESFrame(key, msg []byte) ([]byte, error) {
	if len(msg) > 255 {
		return nil, fmt.Errorf("%w: %d bytes do not fit a one-byte length", ErrMessageTooLong, len(msg))
	}
	b, err := newAES(key)
	if err != nil {
		return nil, err
	}
	n := blocksFor(len(msg))
	frame := make([]byte, 1+n*AESBlock)
	frame[0] = byte(len(msg))
	body := frame[1:]
	copy(body, msg) // the rest of body is the zero padding
	ecbEncrypt(b, body)
	return frame, nil
}

// AESUnframe decodes a frame made by [AESFrame]: it reads the length byte,
// decrypts the blocks and returns the first length bytes. The body must be
// exactly as many blocks as the length needs (else the error wraps
// [ErrFrameSize]; an empty frame wraps [ErrShortFrame]). The padding is
// not checked: the lab sheet's C AES_encode pads with whatever its stack
// buffer held, and its decoder ignores the padding too.
func AESUnframe(key, frame []byte) ([]byte, error) {
	if len(frame) == 0 {
		return nil, fmt.Errorf("%w: no length byte", ErrShortFrame)
	}
	b, err := newAES(key)
	if err != nil {
		return nil, err
	}
	n, body := int(frame[0]), frame[1:]
	if len(body)%AESBlock != 0 {
		return nil, fmt.Errorf("%w: body of %d bytes is not whole %d-byte blocks", ErrFrameSize, len(body), AESBlock)
	}
	if want := blocksFor(n) * AESBlock; len(body) != want {
		return nil, fmt.Errorf("%w: length byte %d needs %d body bytes, got %d", ErrFrameSize, n, want, len(body))
	}
	plain := make([]byte, len(body))
	ecbDecrypt(b, plain, body)
	return plain[:n], nil
}

// blocksFor returns how many AES blocks hold n bytes.
func blocksFor(n int) int { return (n + AESBlock - 1) / AESBlock }

func newAES(key []byte) (cipher.Block, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("%w: AES key of %d bytes, want 16 (or 24, 32)", ErrKeySize, len(key))
	}
	return b, nil
}

// ecbEncrypt encrypts whole blocks of p in place, each on its own (ECB).
func ecbEncrypt(b cipher.Block, p []byte) {
	for i := 0; i+AESBlock <= len(p); i += AESBlock {
		b.Encrypt(p[i:i+AESBlock], p[i:i+AESBlock])
	}
}

// ecbDecrypt decrypts the whole blocks of src into dst, each on its own.
func ecbDecrypt(b cipher.Block, dst, src []byte) {
	for i := 0; i+AESBlock <= len(src); i += AESBlock {
		b.Decrypt(dst[i:i+AESBlock], src[i:i+AESBlock])
	}
}
