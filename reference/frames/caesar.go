package frames

// SeedCaesarShift is the lab sheet's Caesar cipher: its key is 1 and it
// shifts each letter back by one ("fluffy tail" → "ekteex szhk"), so
// Caesar(text, SeedCaesarShift) encrypts and Caesar(text, -SeedCaesarShift)
// decrypts.
const SeedCaesarShift = -1

// Caesar returns text with each ASCII letter moved shift places forward in
// the alphabet (negative shifts move back), wrapping from z to a, case
// kept. Every other character, spaces and accented letters included, is
// left as it is, as in the lab sheet's substitution table.
func Caesar(text string, shift int) string {
	s := byte((shift%26 + 26) % 26)
	out := []byte(text)
	for i, c := range out {
		switch {
		case 'a' <= c && c <= 'z':
			out[i] = 'a' + (c-'a'+s)%26
		case 'A' <= c && c <= 'Z':
			out[i] = 'A' + (c-'A'+s)%26
		}
	}
	return string(out)
}
