package main

import (
	"fmt"
	"slices"
	"time"
)

// sample is a set of timings of one thing.
type sample []time.Duration

// quantile returns the q-quantile (0..1) by linear interpolation between
// the closest ranks; 0 for an empty sample.
func (s sample) quantile(q float64) time.Duration {
	if len(s) == 0 {
		return 0
	}
	c := slices.Clone(s)
	slices.Sort(c)
	pos := q * float64(len(c)-1)
	lo := int(pos)
	if lo >= len(c)-1 {
		return c[len(c)-1]
	}
	frac := pos - float64(lo)
	return c[lo] + time.Duration(frac*float64(c[lo+1]-c[lo]))
}

func (s sample) median() time.Duration { return s.quantile(0.5) }

// ms formats a duration in milliseconds with one decimal.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}

// msSigned is ms with an explicit sign, for differences.
func msSigned(d time.Duration) string {
	return fmt.Sprintf("%+.1f ms", float64(d)/float64(time.Millisecond))
}

// ratio formats a/b as "×1.23".
func ratio(a, b time.Duration) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("×%.2f", float64(a)/float64(b))
}

// verdict is "ok" or "over target".
func verdict(got, target time.Duration) string {
	if got <= target {
		return "ok"
	}
	return "over target"
}

// whole formats a target such as 20ms as "20 ms".
func whole(d time.Duration) string {
	return fmt.Sprintf("%d ms", d/time.Millisecond)
}
