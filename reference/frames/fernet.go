package frames

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"github.com/fernet/fernet-go"
)

// The Fernet token layout: version byte, 8-byte timestamp, 16-byte IV,
// ciphertext of at least one block, 32-byte HMAC.
const (
	fernetVersion      = 0x80
	fernetMinLen       = 1 + 8 + 16 + 16 + 32
	fernetMaxClockSkew = 60 * time.Second
)

// NewFernetKey returns a fresh random Fernet key in the form Python's
// cryptography.fernet.Fernet.generate_key() prints: 32 bytes in URL-safe
// base64 with padding (44 characters).
func NewFernetKey() (string, error) {
	var k fernet.Key
	if err := k.Generate(); err != nil {
		return "", err
	}
	return k.Encode(), nil
}

// FernetEncrypt returns the Fernet token of msg under key, the URL-safe
// base64 key that Python's Fernet(key) takes; Python's
// Fernet(key).decrypt(token) returns msg.
func FernetEncrypt(key string, msg []byte) ([]byte, error) {
	k, err := fernetKey(key)
	if err != nil {
		return nil, err
	}
	return fernet.EncryptAndSign(msg, k)
}

// FernetDecrypt returns the message in token, a token from Python's
// Fernet(key).encrypt(msg). Surrounding white space (a trailing newline)
// is ignored. If ttl > 0 a token signed more than ttl ago is refused, as
// Python's decrypt(token, ttl=...) does; ttl 0 accepts any age. A token
// that does not decrypt gives an error wrapping [ErrDecrypt] that says
// why: not a Fernet token, expired, or a signature that does not match
// (the wrong key, or an altered token).
func FernetDecrypt(key string, token []byte, ttl time.Duration) ([]byte, error) {
	k, err := fernetKey(key)
	if err != nil {
		return nil, err
	}
	token = bytes.TrimSpace(token)
	if msg := fernet.VerifyAndDecrypt(token, ttl, []*fernet.Key{k}); msg != nil {
		return msg, nil
	}
	raw, err := base64.URLEncoding.DecodeString(string(token))
	if err != nil {
		return nil, fmt.Errorf("%w: the token is not URL-safe base64: %v", ErrDecrypt, err)
	}
	if len(raw) < fernetMinLen || raw[0] != fernetVersion || (len(raw)-fernetMinLen)%16 != 0 {
		return nil, fmt.Errorf("%w: not a Fernet token (%d bytes, % x...)", ErrDecrypt, len(raw), raw[:min(len(raw), 1)])
	}
	signed := time.Unix(int64(binary.BigEndian.Uint64(raw[1:9])), 0)
	if ttl > 0 {
		if now := time.Now(); now.After(signed.Add(ttl)) {
			return nil, fmt.Errorf("%w: the token expired: signed %s, ttl %s", ErrDecrypt, signed.UTC().Format(time.RFC3339), ttl)
		} else if signed.After(now.Add(fernetMaxClockSkew)) {
			return nil, fmt.Errorf("%w: the token is signed in the future (%s)", ErrDecrypt, signed.UTC().Format(time.RFC3339))
		}
	}
	return nil, fmt.Errorf("%w: the token's signature does not match this key (wrong key, or altered token)", ErrDecrypt)
}

// fernetKey decodes a Fernet key given as Python prints it.
func fernetKey(key string) (*fernet.Key, error) {
	k, err := fernet.DecodeKey(strings.TrimSpace(key))
	if err != nil {
		return nil, fmt.Errorf("%w: a Fernet key is 32 bytes in URL-safe base64: %v", ErrKeySize, err)
	}
	return k, nil
}
