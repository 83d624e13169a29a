package i18n

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// The rule language. A pattern is English text with typed holes,
// {name:KIND}, where KIND is a fragment type registered with leaf or
// table; the rest of the pattern is literal. A template is French text
// where {name} is the translation of that hole and {name|one|many} is
// "one" when the hole's number is 0 or 1 (French counts 0 as singular)
// and "many" otherwise.
//
// A table kind is itself a list of rules: its fragment is translated by
// the first rule that matches it whole and whose every hole translates.
// A fragment nothing recognises makes the enclosing rule fail, so a
// message is translated completely or not at all.

// kind is a fragment type: what it matches and how it translates.
type kind struct {
	name string
	re   string // a regular expression without capturing groups
	tr   func(string) (string, bool)
}

// rule is one pattern and its French template.
type rule struct {
	src    string
	re     *regexp.Regexp // anchored
	free   *regexp.Regexp // unanchored, for fragments inside a message
	holes  []hole         // by capturing group, from 1
	tmpl   string
	embed  string // the pattern without capturing groups
	parsed []piece
}

type hole struct {
	name string
	kind *kind
}

// piece is a parsed template: literal text, a hole, or a plural choice.
type piece struct {
	lit, hole, one, many string
	plural               bool
}

// table is an ordered list of rules.
type table struct {
	name  string
	rules []*rule
}

var kinds = map[string]*kind{}

var holeRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{(\w+):(\w+)\}`) })

// leaf registers a fragment type with its own translation.
func leaf(name, re string, tr func(string) (string, bool)) *kind {
	if tr == nil {
		tr = same
	}
	k := &kind{name: name, re: re, tr: tr}
	kinds[name] = k
	return k
}

func same(s string) (string, bool) { return s, true }

// words is a leaf translation by exact lookup; unknown text fails.
func words(m map[string]string) func(string) (string, bool) {
	return func(s string) (string, bool) {
		t, ok := m[s]
		return t, ok
	}
}

// newTable compiles rules given as pattern, template pairs and registers
// the table as a kind, so other patterns can have holes of it.
func newTable(name string, pairs ...string) *table {
	if len(pairs)%2 != 0 {
		panic("i18n: table " + name + ": odd number of strings")
	}
	t := &table{name: name}
	for i := 0; i < len(pairs); i += 2 {
		t.rules = append(t.rules, compile(pairs[i], pairs[i+1]))
	}
	alts := make([]string, len(t.rules))
	for i, r := range t.rules {
		alts[i] = r.embed
	}
	kinds[name] = &kind{name: name, re: strings.Join(alts, "|"), tr: t.apply}
	return t
}

// compile turns a pattern and a template into a rule; a mistake in the
// tables is a programming error and panics at start-up.
func compile(pattern, tmpl string) *rule {
	r := &rule{src: pattern, tmpl: tmpl}
	var capt, embed strings.Builder
	last := 0
	for _, m := range holeRE().FindAllStringSubmatchIndex(pattern, -1) {
		lit := regexp.QuoteMeta(pattern[last:m[0]])
		name, kn := pattern[m[2]:m[3]], pattern[m[4]:m[5]]
		k, ok := kinds[kn]
		if !ok {
			panic(fmt.Sprintf("i18n: pattern %q: unknown kind %s", pattern, kn))
		}
		capt.WriteString(lit + "((?:" + k.re + "))")
		embed.WriteString(lit + "(?:" + k.re + ")")
		r.holes = append(r.holes, hole{name: name, kind: k})
		last = m[1]
	}
	capt.WriteString(regexp.QuoteMeta(pattern[last:]))
	embed.WriteString(regexp.QuoteMeta(pattern[last:]))
	r.embed = embed.String()
	r.re = regexp.MustCompile(`(?s)^(?:` + capt.String() + `)$`)
	r.free = regexp.MustCompile(`(?s)` + capt.String())
	if got, want := r.re.NumSubexp(), len(r.holes); got != want {
		panic(fmt.Sprintf("i18n: pattern %q: %d groups for %d holes (a kind has a capturing group)", pattern, got, want))
	}
	r.parsed = parseTemplate(tmpl, r)
	return r
}

var tmplRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{(\w+)(?:\|([^|{}]*)\|([^|{}]*))?\}`) })

func parseTemplate(tmpl string, r *rule) []piece {
	var out []piece
	last := 0
	for _, m := range tmplRE().FindAllStringSubmatchIndex(tmpl, -1) {
		out = append(out, piece{lit: tmpl[last:m[0]]})
		name := tmpl[m[2]:m[3]]
		if r.index(name) < 0 {
			panic(fmt.Sprintf("i18n: template %q: no hole named %s in %q", tmpl, name, r.src))
		}
		p := piece{hole: name}
		if m[4] >= 0 {
			p.plural, p.one, p.many = true, tmpl[m[4]:m[5]], tmpl[m[6]:m[7]]
		}
		out = append(out, p)
		last = m[1]
	}
	return append(out, piece{lit: tmpl[last:]})
}

func (r *rule) index(name string) int {
	for i, h := range r.holes {
		if h.name == name {
			return i
		}
	}
	return -1
}

// expand translates the holes of a match (groups by hole) into the
// template; it fails when a hole does not translate.
func (r *rule) expand(groups []string) (string, bool) {
	tr := make([]string, len(r.holes))
	for i, h := range r.holes {
		t, ok := h.kind.tr(groups[i])
		if !ok {
			return "", false
		}
		tr[i] = t
	}
	var b strings.Builder
	for _, p := range r.parsed {
		switch {
		case p.hole == "":
			b.WriteString(p.lit)
		case p.plural:
			n, _ := strconv.Atoi(groups[r.index(p.hole)])
			if n <= 1 {
				b.WriteString(p.one)
			} else {
				b.WriteString(p.many)
			}
		default:
			b.WriteString(tr[r.index(p.hole)])
		}
	}
	return b.String(), true
}

// apply translates s whole with the first rule that fits it.
func (t *table) apply(s string) (string, bool) {
	for _, r := range t.rules {
		m := r.re.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		if out, ok := r.expand(m[1:]); ok {
			return out, true
		}
	}
	return s, false
}

// replaceAll rewrites every fragment of s that a rule of t recognises
// with wrap(translation), leftmost first.
func (t *table) replaceAll(s string, wrap func(string) string) string {
	for _, r := range t.rules {
		s = r.free.ReplaceAllStringFunc(s, func(frag string) string {
			m := r.re.FindStringSubmatch(frag)
			if out, ok := r.expand(m[1:]); ok {
				return wrap(out)
			}
			return frag
		})
	}
	return s
}
