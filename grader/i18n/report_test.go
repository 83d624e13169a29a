package i18n_test

import (
	"encoding/json"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	grader "github.com/netlab-grader/grader"
	"github.com/netlab-grader/grader/grader/i18n"
	"github.com/netlab-grader/grader/grader/result"
	"github.com/netlab-grader/grader/grader/spec"
)

const exerciseYAML = `id: echo-tcp-server
title: TCP echo server (IPv4)
role: server
run: {port: 1234, timeout: 5s}
scenarios:
  - id: listens
    name: listens on its TCP port
    points: 1
    hint: Create a SOCK_STREAM socket and call listen().
  - id: replies-ok
    name: answers "bonjour" with "bonjour OK"
    points: 4
    depends: [listens]
    steps:
      - connect: tcp
      - send: {text: "bonjour\0"}
      - expect: {id: reply, equals: "bonjour OK", ignore_nul: true, message: "the reply is wrong", hint: "Append \" OK\" to the message."}
    expect:
      exit: 0
      hints: {exit: Exit once the client has closed.}
  - id: second
    name: reads the second message
    points: 2
    depends: [replies-ok]
translations:
  fr:
    "TCP echo server (IPv4)": "Serveur d'écho TCP (IPv4)"
    "listens on its TCP port": "écoute sur son port TCP"
    "Create a SOCK_STREAM socket and call listen().": "Créez une socket SOCK_STREAM et appelez listen()."
    "answers \"bonjour\" with \"bonjour OK\"": "répond \"bonjour OK\" à \"bonjour\""
    "the reply is wrong": "la réponse est fausse"
    "Append \" OK\" to the message.": "Ajoutez \" OK\" au message."
    "Exit once the client has closed.": "Terminez le programme une fois que le client a fermé la connexion."
`

func exercise() *spec.Exercise {
	GinkgoHelper()
	ex, err := spec.Parse("exercise.yaml", []byte(exerciseYAML))
	Expect(err).NotTo(HaveOccurred())
	return ex
}

// graded is a report as the engine makes it for exercise(): English
// everywhere, student bytes quoted.
func graded() *result.Report {
	return &result.Report{
		Exercise: "echo-tcp-server", Title: "TCP echo server (IPv4)", Submission: "server.c",
		Score: 1, MaxScore: 7, Status: result.Failed, DurationMS: 1200,
		Scenarios: []result.Scenario{
			{ID: "build", Name: "compiles", Status: result.Passed,
				Checks: []result.Check{{Name: "compiles", Passed: true, Expected: "the build succeeds", Actual: "gcc -o server server.c"}}},
			{ID: "listens", Name: "listens on its TCP port", Score: 1, MaxScore: 1, Status: result.Passed,
				Checks: []result.Check{{Name: "ready", Passed: true, Expected: "a TCP socket listening on port 41234", Actual: "listening on 0.0.0.0:41234 (an IPv4 socket)"}}},
			{ID: "replies-ok", Name: `answers "bonjour" with "bonjour OK"`, MaxScore: 4, Status: result.Timeout,
				Hint: "", // the scenario has none
				Checks: []result.Check{
					{Name: "ready", Passed: true, Expected: "a TCP socket listening on port 41235", Actual: "listening on 0.0.0.0:41235 (an IPv4 socket)"},
					{Name: "reply", Expected: "`bonjour OK`", Actual: "`hello, expected OK` (18 bytes)",
						Message: "the reply is wrong: your server sent `hello, expected OK` (18 bytes), expected `bonjour OK` (within 2s)",
						Hint:    `Append " OK" to the message.`},
					{Name: "exit", Expected: "exit code 0", Actual: "killed at the timeout",
						Message: "your program was still running after 5s and was killed", Hint: "Exit once the client has closed."},
					{Name: "timeout", Expected: "the program ends within 5s", Actual: "still running",
						Message: "your program was still running after 5s and was killed with everything it started",
						Hint:    "Does it wait for something that never comes (a reply it already read, a second connection)? Close the socket and exit when the exchange is done."},
				},
				Stdout: "hello, expected OK\n", Stderr: "warning: the build failed\n",
				Transcript: []result.Chunk{{Conn: 1, Dir: "c>s", TMS: 3, Bytes: []byte("bonjour\x00")}}},
			{ID: "second", Name: "reads the second message", MaxScore: 2, Status: result.Skipped,
				Reason: "depends on replies-ok, which did not pass"},
		},
	}
}

var _ = Describe("Localize", func() {
	It("translates the report's human text into French", func() {
		rep := graded()
		i18n.Localize(rep, exercise(), i18n.French)

		Expect(rep.Title).To(Equal("Serveur d'écho TCP (IPv4)"))
		build, listens, replies, second := rep.Scenarios[0], rep.Scenarios[1], rep.Scenarios[2], rep.Scenarios[3]
		Expect(build.Name).To(Equal("compile"))
		Expect(build.Checks[0].Expected).To(Equal("la compilation réussit"))
		Expect(build.Checks[0].Actual).To(Equal("gcc -o server server.c"))

		Expect(listens.Name).To(Equal("écoute sur son port TCP"))
		Expect(listens.Checks[0].Expected).To(Equal("une socket TCP en écoute sur le port 41234"))
		Expect(listens.Checks[0].Actual).To(Equal("en écoute sur 0.0.0.0:41234 (une socket IPv4)"))

		Expect(replies.Name).To(Equal(`répond "bonjour OK" à "bonjour"`))
		reply := replies.Checks[1]
		Expect(reply.Message).To(Equal("la réponse est fausse : votre serveur a envoyé `hello, expected OK` (18 octets), attendu `bonjour OK` (en 2s)"))
		Expect(reply.Expected).To(Equal("`bonjour OK`"))
		Expect(reply.Actual).To(Equal("`hello, expected OK` (18 octets)"))
		Expect(reply.Hint).To(Equal(`Ajoutez " OK" au message.`))
		Expect(replies.Checks[2].Message).To(Equal("votre programme tournait encore après 5s et a été tué"))
		Expect(replies.Checks[2].Expected).To(Equal("code de sortie 0"))
		Expect(replies.Checks[2].Actual).To(Equal("tué à l'expiration du délai"))
		Expect(replies.Checks[2].Hint).To(Equal("Terminez le programme une fois que le client a fermé la connexion."))
		Expect(replies.Checks[3].Hint).To(Equal("Votre programme attend-il quelque chose qui n'arrive jamais (une réponse déjà lue, une seconde connexion) ? Fermez la socket et terminez le programme quand l'échange est fini."))
		Expect(replies.Checks[3].Expected).To(Equal("le programme se termine en moins de 5s"))

		Expect(second.Name).To(Equal("reads the second message"), "no translation given: stays English")
		Expect(second.Reason).To(Equal("dépend de replies-ok, qui n'a pas réussi"))
	})

	It("keeps the JSON contract: ids, check names, statuses, scores and program output", func() {
		rep := graded()
		i18n.Localize(rep, exercise(), i18n.French)
		orig := graded()
		Expect(rep.Exercise).To(Equal(orig.Exercise))
		Expect(rep.Status).To(Equal(orig.Status))
		Expect(rep.Score).To(Equal(orig.Score))
		for i, s := range rep.Scenarios {
			o := orig.Scenarios[i]
			Expect(s.ID).To(Equal(o.ID))
			Expect(s.Status).To(Equal(o.Status))
			Expect(s.Stdout).To(Equal(o.Stdout))
			Expect(s.Stderr).To(Equal(o.Stderr))
			Expect(s.Transcript).To(Equal(o.Transcript))
			for j, c := range s.Checks {
				Expect(c.Name).To(Equal(o.Checks[j].Name))
				Expect(c.Passed).To(Equal(o.Checks[j].Passed))
			}
		}
	})

	It("keeps what a failed check expected inside its message, as the text report looks for it", func() {
		rep := graded()
		i18n.Localize(rep, exercise(), i18n.French)
		c := rep.Scenarios[2].Checks[1]
		Expect(c.Message).To(ContainSubstring(c.Expected))
	})

	It("works without an exercise: generated text only", func() {
		rep := graded()
		i18n.Localize(rep, nil, i18n.French)
		Expect(rep.Title).To(Equal("TCP echo server (IPv4)"))
		Expect(rep.Scenarios[1].Name).To(Equal("listens on its TCP port"))
		Expect(rep.Scenarios[3].Reason).To(Equal("dépend de replies-ok, qui n'a pas réussi"))
		Expect(rep.Scenarios[2].Checks[2].Message).To(Equal("votre programme tournait encore après 5s et a été tué"))
		// the matcher's own message is not known without the exercise: the
		// whole message stays English rather than half translated
		Expect(rep.Scenarios[2].Checks[1].Message).To(Equal(graded().Scenarios[2].Checks[1].Message))
	})

	It("leaves the report untouched in English, with no language or an unknown one", func() {
		for _, l := range []i18n.Lang{i18n.English, "", "de"} {
			rep := graded()
			i18n.Localize(rep, exercise(), l)
			Expect(rep).To(Equal(graded()), string(l))
		}
		i18n.Localize(nil, exercise(), i18n.French)
	})

	It("leaves a scenario named after a built-in name alone when it is not the build", func() {
		rep := &result.Report{Scenarios: []result.Scenario{{ID: "x", Name: "compiles"}}}
		i18n.Localize(rep, nil, i18n.French)
		Expect(rep.Scenarios[0].Name).To(Equal("compiles"))
	})
})

var _ = Describe("translations in exercise.yaml", func() {
	parse := func(block string) error {
		_, err := spec.Parse("exercise.yaml", []byte(`id: x
title: An exercise
role: exec
scenarios:
  - id: a
    name: prints hello
    hint: Print hello.
    expect:
      stdout: {contains: hello, hint: Print it on stdout.}
`+block))
		return err
	}

	It("accepts translations of the title, names and hints", func() {
		Expect(parse(`translations:
  fr:
    An exercise: Un exercice
    prints hello: affiche hello
    Print hello.: Affichez hello.
    Print it on stdout.: Affichez-le sur stdout.
`)).To(Succeed())
	})

	It("reports a stale translation where it is", func() {
		err := parse(`translations:
  fr:
    prints hello: affiche hello
    prints hello!: affiche hello !
`)
		Expect(err).To(MatchError(ContainSubstring(`exercise.yaml:13:5: translations.fr: "prints hello!" is no title, scenario name, hint or matcher message of this exercise (a stale translation?`)))
	})

	It("reports an empty translation", func() {
		Expect(parse("translations:\n  fr:\n    prints hello: \"\"\n")).To(MatchError(ContainSubstring(`translations.fr: the translation of "prints hello" is empty`)))
	})

	It("wants two-letter codes of the known languages", func() {
		Expect(parse("translations:\n  french: {prints hello: affiche hello}\n")).To(MatchError(ContainSubstring(`exercise.yaml:11:3: translations.french: got "french", want a two-letter language code (one of: fr)`)))
		Expect(parse("translations:\n  de: {prints hello: druckt hallo}\n")).To(MatchError(ContainSubstring(`translations.de: got "de", want one of: fr`)))
		Expect(parse("translations:\n  en: {prints hello: prints hi}\n")).To(MatchError(ContainSubstring(`translations.en: the exercise is written in English`)))
	})

	It("wants a mapping of texts", func() {
		Expect(parse("translations:\n  fr: affiche hello\n")).To(MatchError(ContainSubstring("wrong type")))
	})

	It("translates every text of every built-in exercise into French", func() {
		exs, err := spec.LoadFS(grader.Files, "exercises")
		Expect(err).NotTo(HaveOccurred())
		Expect(exs).NotTo(BeEmpty())
		for _, ex := range exs {
			for _, t := range ex.Texts() {
				Expect(ex.Translations["fr"]).To(HaveKeyWithValue(t, Not(BeEmpty())), "%s: %q", ex.ID, t)
				Expect(ex.Translations["fr"][t]).NotTo(Equal(t), "%s: %q", ex.ID, t)
			}
		}
	})

	It("translates a built-in exercise's report", func() {
		exs, err := spec.LoadFS(grader.Files, "exercises")
		Expect(err).NotTo(HaveOccurred())
		var ex *spec.Exercise
		for _, e := range exs {
			if e.ID == "crc8-client" {
				ex = e
			}
		}
		Expect(ex).NotTo(BeNil())
		rep := &result.Report{Exercise: ex.ID, Title: ex.Title, Scenarios: []result.Scenario{{
			ID: ex.Scenarios[0].ID, Name: ex.Scenarios[0].Name, Status: result.Failed,
			Checks: []result.Check{{Name: "sent", Message: "your client sent nothing, which is not x", Hint: ex.Scenarios[0].Expect.Sent.Hint}},
		}}}
		i18n.Localize(rep, ex, i18n.French)
		b, _ := json.Marshal(rep)
		Expect(string(b)).To(ContainSubstring(`"title":"Client qui envoie un message avec son CRC-8"`))
		Expect(rep.Scenarios[0].Name).To(Equal(`envoie "bonjour" dans une trame avec CRC-8`))
		Expect(rep.Scenarios[0].Checks[0].Hint).To(HavePrefix("Envoyez le message suivi de son CRC-8 : polynôme 0x1D"))
		Expect(rep.Scenarios[0].Checks[0].Message).To(Equal("your client sent nothing, which is not x"))
	})
})

var _ = Describe("Localize and the exercise's own English", func() {
	It("does not run an untranslated hint of the exercise through the message patterns", func() {
		rep := &result.Report{Scenarios: []result.Scenario{{ID: "a", Name: "a", Status: result.Failed,
			Hint:   "Close the socket; still running is wrong.",
			Checks: []result.Check{{Name: "x", Hint: "still running"}}}}}
		i18n.Localize(rep, nil, i18n.French)
		Expect(rep.Scenarios[0].Hint).To(Equal("Close the socket; still running is wrong."))
		Expect(rep.Scenarios[0].Checks[0].Hint).To(Equal("still running"))
	})
})
