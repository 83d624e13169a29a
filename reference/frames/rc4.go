package frames

import (
	"crypto/rc4"
	"fmt"
)

// RC4 returns data encrypted (or, the same operation, decrypted) with the
// RC4 stream cipher under key, from the start of the keystream, as the lab
// sheet's OpenSSL RC4() and PyCryptodome ARC4 do. The key is 1 to 256
// bytes, otherwise the error wraps [ErrKeySize]. RC4 is broken; it is here
// only because the lab exercises use it.
func RC4(key, data []byte) ([]byte, error) {
	c, err := rc4.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("%w: RC4 key of %d bytes, want 1 to 256", ErrKeySize, len(key))
	}
	out := make([]byte, len(data))
	c.XORKeyStream(out, data)
	return out, nil
}
