package frames

// Checksum returns the lab sheet's check byte: the sum of the bytes of b
// modulo 256. A trailing NUL adds nothing, so "bonjour" and "bonjour\x00"
// have the same checksum (0xff).
func Checksum(b []byte) byte {
	var s byte
	for _, c := range b {
		s += c
	}
	return s
}
