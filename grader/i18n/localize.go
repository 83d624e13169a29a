package i18n

import (
	"sort"
	"strconv"
	"strings"

	"github.com/netlab-grader/grader/grader/result"
	"github.com/netlab-grader/grader/grader/spec"
)

// Localize rewrites the human text of rep in lang, in place: the title,
// scenario names and hints and check hints through ex's translations
// (ex may be nil), the built-in hints, the reasons a scenario did not run,
// and the generated check messages with what they expected and saw.
// Statuses, ids and check names stay as they are (they are the JSON
// contract), and so does any quoted program output. English, an empty
// or an unknown lang leaves the report unchanged.
func Localize(rep *result.Report, ex *spec.Exercise, lang Lang) {
	loadFrench()
	if rep == nil || lang != French {
		return
	}
	var tr map[string]string
	var prefixes []string
	if ex != nil {
		tr = ex.Translations[string(lang)]
		prefixes = matcherMessages(ex)
	}
	text := func(s string) string {
		if t := tr[s]; strings.TrimSpace(t) != "" {
			return t
		}
		return s
	}
	// A hint is the exercise's (translated by the exercise) or one of the
	// grader's own: an author's untranslated hint is not run through the
	// message patterns, which could translate a part of it.
	hint := func(s string) string {
		if t := text(s); t != s {
			return t
		}
		if t, ok := frExact[s]; ok {
			return t
		}
		if t, ok := frHints.apply(s); ok {
			return t
		}
		return s
	}
	rep.Title = text(rep.Title)
	for i := range rep.Scenarios {
		s := &rep.Scenarios[i]
		if t := text(s.Name); t != s.Name {
			s.Name = t
		} else if t, ok := frNames[s.Name]; ok && s.ID == "build" {
			s.Name = t
		}
		s.Hint = hint(s.Hint)
		s.Reason = Message(lang, s.Reason)
		for j := range s.Checks {
			c := &s.Checks[j]
			c.Hint = hint(c.Hint)
			c.Message = checkMessage(lang, c.Message, prefixes, text)
			c.Expected = Message(lang, c.Expected)
			if rest, ok := strings.CutPrefix(c.Actual, "warning: "); ok {
				// a should-level HTTP check passes with its problems
				// (after the matcher's own message) as a warning
				c.Actual = "avertissement : " + checkMessage(lang, rest, prefixes, text)
			} else {
				c.Actual = Message(lang, c.Actual)
			}
		}
	}
}

// checkMessage translates a check message that may start with the
// matcher's own message ("message: your server sent ...").
func checkMessage(lang Lang, msg string, prefixes []string, text func(string) string) string {
	for _, p := range prefixes {
		if rest, ok := strings.CutPrefix(msg, p+": "); ok {
			sep := ": "
			if lang == French {
				sep = " : "
			}
			return text(p) + sep + Message(lang, rest)
		}
	}
	return Message(lang, msg)
}

// matcherMessages lists the exercise's matcher messages, longest first.
func matcherMessages(ex *spec.Exercise) []string {
	var out []string
	add := func(m *spec.Match) {
		if m != nil && m.Message != "" {
			out = append(out, m.Message)
		}
	}
	for _, sc := range ex.Scenarios {
		for _, st := range sc.Steps {
			add(st.Expect)
		}
		for _, m := range []*spec.Match{sc.Expect.Sent, sc.Expect.Messages, sc.Expect.Stdout, sc.Expect.Stderr} {
			add(m)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

// Message translates one English string the grader generated: a check
// message, a reason, what a check expected or saw, a built-in hint. A
// message is cut at "; " and line breaks and each part is translated on
// its own when a pattern recognises it whole; a part nothing recognises
// stays in English. Text between backticks or double quotes (the
// program's output, the exercise's data) is never changed. English gives
// s back.
func Message(lang Lang, s string) string {
	loadFrench()
	if lang != French || strings.TrimSpace(s) == "" {
		return s
	}
	if strings.ContainsAny(s, "\uE000\uE001\uE002\uE003") {
		return s // would be mistaken for the placeholders below
	}
	if t, ok := frExact[s]; ok {
		return t
	}
	if t, ok := frHints.apply(s); ok {
		return t
	}
	if out, ok := strings.CutPrefix(s, "the build failed:\n"); ok {
		// the compiler's own words follow: leave them alone; the
		// grader's note stands in for them when there are none
		if strings.HasPrefix(strings.TrimSpace(out), "(the compiler printed nothing; ") {
			out = Message(lang, out)
		}
		return "la compilation a échoué :\n" + out
	}
	if before, after, ok := strings.Cut(s, "\n"+answeredLine); ok {
		return Message(lang, before) + "\n" + answered(answeredLine+after)
	}
	p, quotes := protect(s)
	var done []string
	p = frFragments.replaceAll(p, func(t string) string {
		done = append(done, t)
		return "\uE002" + strconv.Itoa(len(done)-1) + "\uE003"
	})
	parts := split(p)
	var b strings.Builder
	prevOK := false
	for i, part := range parts {
		if i%2 == 1 {
			continue // a separator, written below
		}
		t, ok := frSegments.apply(part)
		if !ok {
			t = part
		}
		if i > 0 {
			sep := parts[i-1]
			if sep == "; " && ok && prevOK {
				sep = " ; "
			}
			b.WriteString(sep)
		}
		b.WriteString(t)
		prevOK = ok
	}
	return restore(restore(b.String(), '\uE002', '\uE003', done), '\uE000', '\uE001', quotes)
}

// answeredLine starts the response head an HTTP check quotes at the end
// of its message, one line of the server's per line below it.
const answeredLine = "your server answered:"

// answered translates the quoted head: its first line, the note on the
// lines left out (after 30) and the one on the body (last); every other
// line is what the server sent, unquoted, and stays as it is.
func answered(block string) string {
	lines := strings.Split(block, "\n")
	for i, l := range lines {
		if i != 0 && i != 31 && i != len(lines)-1 {
			continue
		}
		if t, ok := frAnswered.apply(l); ok {
			lines[i] = t
		}
	}
	return strings.Join(lines, "\n")
}

// split cuts s at "; " and "\n", keeping the separators at odd indices.
func split(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\n':
			out = append(out, s[start:i], "\n")
			start = i + 1
		case s[i] == ';' && i+1 < len(s) && s[i+1] == ' ':
			out = append(out, s[start:i], "; ")
			start = i + 2
			i++
		}
	}
	return append(out, s[start:])
}

// protect replaces every quoted span of s (`…` as check.Quote writes it,
// "…" as %q does, with their backslash escapes) by a placeholder, so no
// pattern can see or change what a program printed.
func protect(s string) (string, []string) {
	var b strings.Builder
	var quotes []string
	for i := 0; i < len(s); {
		c := s[i]
		if c != '`' && c != '"' {
			b.WriteByte(c)
			i++
			continue
		}
		end := -1
		for j := i + 1; j < len(s); j++ {
			if s[j] == '\\' {
				j++
				continue
			}
			if s[j] == c {
				end = j
				break
			}
		}
		if end < 0 {
			b.WriteString(s[i:])
			break
		}
		b.WriteString("\uE000" + strconv.Itoa(len(quotes)) + "\uE001")
		quotes = append(quotes, s[i:end+1])
		i = end + 1
	}
	return b.String(), quotes
}

// restore puts the saved texts back in place of their placeholders.
func restore(s string, open, close rune, saved []string) string {
	if len(saved) == 0 {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexRune(s, open)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexRune(s[i:], close)
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		n, err := strconv.Atoi(s[i+len(string(open)) : i+j])
		if err != nil || n >= len(saved) {
			b.WriteString(s[:i+j+len(string(close))])
		} else {
			b.WriteString(s[:i] + saved[n])
		}
		s = s[i+j+len(string(close)):]
	}
}
