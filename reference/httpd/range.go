package httpd

import (
	"fmt"
	"strconv"
	"strings"
)

// MaxRanges caps the ranges of one request; a Range with more is ignored
// (the whole file is sent), as RFC 9110 14.2 allows.
const MaxRanges = 32

// byteRange is an inclusive, already clamped range of a file.
type byteRange struct{ first, last int64 }

func (r byteRange) contentRange(size int) string {
	return fmt.Sprintf("bytes %d-%d/%d", r.first, r.last, size)
}

// parseRange parses a Range value for a file of size bytes (RFC 9110
// 14.1.1): valid is false when the value is not a well-formed bytes
// range set (the server then ignores it); ranges are the satisfiable ones,
// in the order asked, clamped to the file (none: 416).
func parseRange(v string, size int64) (ranges []byteRange, valid bool) {
	unit, set, ok := strings.Cut(v, "=")
	if !ok || !strings.EqualFold(strings.TrimSpace(unit), "bytes") || strings.TrimSpace(unit) != unit {
		return nil, false
	}
	n := 0
	for _, spec := range strings.Split(set, ",") {
		spec = strings.Trim(spec, " \t")
		if spec == "" {
			continue // empty list elements are allowed (RFC 9110 5.6.1)
		}
		n++
		if n > MaxRanges {
			return nil, false
		}
		a, b, ok := strings.Cut(spec, "-")
		if !ok {
			return nil, false
		}
		if a == "" { // suffix-range: the last b bytes
			k, ok := digits(b)
			if !ok {
				return nil, false
			}
			if k > 0 && size > 0 {
				ranges = append(ranges, byteRange{max(size-k, 0), size - 1})
			}
			continue
		}
		first, ok := digits(a)
		if !ok {
			return nil, false
		}
		last := int64(-1)
		if b != "" {
			if last, ok = digits(b); !ok || last < first {
				return nil, false
			}
		}
		if first >= size {
			continue // unsatisfiable
		}
		if last < 0 || last >= size {
			last = size - 1
		}
		ranges = append(ranges, byteRange{first, last})
	}
	if n == 0 {
		return nil, false
	}
	return ranges, true
}

// digits parses 1*DIGIT.
func digits(s string) (int64, bool) {
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	k, err := strconv.ParseInt(s, 10, 64)
	return k, err == nil
}
