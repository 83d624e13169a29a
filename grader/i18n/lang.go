// Package i18n translates what the grader tells a student: the report's
// fixed words (statuses, "hint", "expected", "score"...), the exercise's
// own texts (scenario names, hints and matcher messages, through the
// translations block of its exercise.yaml) and the messages the engine
// generates in English ("your server sent `…` (8 bytes), expected `…`"),
// which are recognised by an ordered table of patterns and rewritten from
// French templates. The lab sheets are partly French, and so are many of
// the students who read the feedback.
//
// The JSON report keeps English statuses and identifiers: [Localize]
// rewrites only human text, and [Label] gives the words a renderer prints
// around it. Quoted program output (`…` or "…") is never translated, and a
// message no pattern recognises stays in English rather than becoming half
// French.
package i18n

import (
	"os"
	"strings"
)

// Lang is a report language: a two-letter code.
type Lang string

// The languages the reports speak. English is the language the grader and
// the exercises are written in.
const (
	English Lang = "en"
	French  Lang = "fr"
)

// Langs lists the supported languages, English first.
var Langs = []Lang{English, French}

// Lookup reads a language name as a user gives it ("fr", "FR",
// "fr_FR.UTF-8", "fr-CA", "french", "français") and reports whether it is
// a supported one.
func Lookup(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "english", "anglais":
		return English, true
	case "french", "français", "francais":
		return French, true
	}
	// a locale: language[_territory][.codeset][@modifier]
	if i := strings.IndexAny(s, "_-.@"); i >= 0 {
		s = s[:i]
	}
	for _, l := range Langs {
		if s == string(l) {
			return l, true
		}
	}
	return English, false
}

// Parse chooses the report language: the --lang flag when it is given
// (an unsupported value gives English: check it first with [Lookup] to
// report a usage error), otherwise the locale of the environment, read as
// POSIX does for messages: the first of LC_ALL, LC_MESSAGES and LANG that
// is set decides, and a locale starting with "fr" (fr_FR.UTF-8, fr_CA,
// fr) gives French; anything else (C, POSIX, en_US.UTF-8, unset) gives
// English. getenv is os.Getenv when nil.
func Parse(flag string, getenv func(string) string) Lang {
	if strings.TrimSpace(flag) != "" {
		l, _ := Lookup(flag)
		return l
	}
	if getenv == nil {
		getenv = os.Getenv
	}
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if loc := strings.TrimSpace(getenv(v)); loc != "" {
			if strings.HasPrefix(strings.ToLower(loc), "fr") {
				return French
			}
			return English
		}
	}
	return English
}

// The keys of [Label]: the fixed words of the reports, in English.
const (
	LabelPassed   = "passed"
	LabelFailed   = "failed"
	LabelTimeout  = "timeout"
	LabelCrash    = "crash"
	LabelSkipped  = "skipped"
	LabelError    = "error"
	LabelHint     = "hint"
	LabelExpected = "expected"
	LabelActual   = "actual"
	LabelScore    = "score"
	LabelWire     = "wire"
	LabelStdout   = "stdout"
	LabelStderr   = "stderr (last lines)"
	LabelHidden   = "hidden scenario: details are withheld"
	LabelMore     = "more"
	LabelWritten  = "report written to"
	LabelGrader   = "a problem of the grader, not of your program"
)

// labels holds the French of every fixed word a report prints.
var labels = map[Lang]map[string]string{
	French: {
		// statuses, as displayed (the JSON keeps the English ones)
		"passed":  "réussi",
		"failed":  "échoué",
		"timeout": "délai dépassé",
		"crash":   "plantage",
		"skipped": "non exécuté",
		"error":   "erreur",
		// the text report
		"hint":                                  "indice",
		"expected":                              "attendu",
		"actual":                                "obtenu",
		"score":                                 "note",
		"wire":                                  "échanges",
		"stdout":                                "stdout",
		"stderr":                                "stderr",
		"stderr (last lines)":                   "stderr (dernières lignes)",
		"hidden scenario: details are withheld": "scénario caché : les détails ne sont pas communiqués",
		"more":                                  "de plus",
		"ok":                                    "ok",
		"report written to":                     "rapport écrit dans",
		"a problem of the grader, not of your program": "un problème du correcteur, pas de votre programme",
		// other formats (Markdown, HTML, gradebooks)
		"exercise":   "exercice",
		"submission": "rendu",
		"scenario":   "scénario",
		"scenarios":  "scénarios",
		"check":      "vérification",
		"checks":     "vérifications",
		"status":     "statut",
		"points":     "points",
		"duration":   "durée",
		"message":    "message",
		"reason":     "raison",
		"total":      "total",
		"transcript": "transcription",
	},
}

// Labels lists the keys [Label] knows, for renderers and tests.
func Labels() []string {
	out := make([]string, 0, len(labels[French]))
	for k := range labels[French] {
		out = append(out, k)
	}
	return out
}

// Label translates one of the report's fixed words (a status as
// displayed, "hint", "expected", "score"...; see the Label constants). The
// key is the English word, which is also what English and unknown keys
// give back. A key ending with ":" keeps its colon, French style in
// French: Label(French, "hint:") is "indice :".
func Label(lang Lang, key string) string {
	if base, ok := strings.CutSuffix(key, ":"); ok {
		t := Label(lang, base)
		if lang == French {
			return t + " :"
		}
		return t + ":"
	}
	if t, ok := labels[lang][key]; ok {
		return t
	}
	return key
}
