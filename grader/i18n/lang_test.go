package i18n_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/i18n"
)

// env is a fake environment for Parse.
func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

var _ = Describe("Parse", func() {
	DescribeTable("chooses the report language",
		func(flag string, getenv func(string) string, want i18n.Lang) {
			Expect(i18n.Parse(flag, getenv)).To(Equal(want))
		},
		Entry("English by default", "", env(), i18n.English),
		Entry("LANG=fr_FR.UTF-8", "", env("LANG", "fr_FR.UTF-8"), i18n.French),
		Entry("LANG=fr_CA", "", env("LANG", "fr_CA"), i18n.French),
		Entry("LANG=fr", "", env("LANG", "fr"), i18n.French),
		Entry("LANG=en_US.UTF-8", "", env("LANG", "en_US.UTF-8"), i18n.English),
		Entry("LANG=C", "", env("LANG", "C"), i18n.English),
		Entry("LC_ALL=fr_FR.UTF-8 without LANG", "", env("LC_ALL", "fr_FR.UTF-8"), i18n.French),
		Entry("LC_MESSAGES=fr_BE.UTF-8 without LANG", "", env("LC_MESSAGES", "fr_BE.UTF-8"), i18n.French),
		Entry("LC_ALL overrides LANG", "", env("LC_ALL", "C", "LANG", "fr_FR.UTF-8"), i18n.English),
		Entry("LC_MESSAGES overrides LANG", "", env("LC_MESSAGES", "fr_FR.UTF-8", "LANG", "en_GB.UTF-8"), i18n.French),
		Entry("LC_ALL overrides LC_MESSAGES", "", env("LC_ALL", "fr_FR.UTF-8", "LC_MESSAGES", "en_US.UTF-8"), i18n.French),
		Entry("the flag wins over the environment", "en", env("LANG", "fr_FR.UTF-8"), i18n.English),
		Entry("--lang fr in an English locale", "fr", env("LANG", "en_US.UTF-8"), i18n.French),
		Entry("--lang FR", "FR", env(), i18n.French),
		Entry("--lang fr_FR.UTF-8", "fr_FR.UTF-8", env(), i18n.French),
		Entry("--lang french", "french", env(), i18n.French),
		Entry("an unsupported --lang gives English", "de", env("LANG", "fr_FR.UTF-8"), i18n.English),
	)

	It("reads the process environment when getenv is nil", func() {
		GinkgoT().Setenv("LC_ALL", "")
		GinkgoT().Setenv("LC_MESSAGES", "")
		GinkgoT().Setenv("LANG", "fr_FR.UTF-8")
		Expect(i18n.Parse("", nil)).To(Equal(i18n.French))
	})
})

var _ = Describe("Lookup", func() {
	It("accepts the supported languages and refuses others, for a usage error", func() {
		for _, s := range []string{"fr", "FR", " fr ", "fr-CA", "fr_FR.UTF-8", "français"} {
			l, ok := i18n.Lookup(s)
			Expect(ok).To(BeTrue(), s)
			Expect(l).To(Equal(i18n.French), s)
		}
		l, ok := i18n.Lookup("en")
		Expect(ok).To(BeTrue())
		Expect(l).To(Equal(i18n.English))
		for _, s := range []string{"de", "", "C", "frx"} {
			_, ok := i18n.Lookup(s)
			Expect(ok).To(BeFalse(), s)
		}
	})
})

var _ = Describe("Label", func() {
	It("gives the English word back in English", func() {
		for _, k := range i18n.Labels() {
			Expect(i18n.Label(i18n.English, k)).To(Equal(k))
		}
		Expect(i18n.Label("", "hint")).To(Equal("hint"))
	})

	DescribeTable("translates the report's fixed words into French",
		func(key, want string) {
			Expect(i18n.Label(i18n.French, key)).To(Equal(want))
		},
		Entry(nil, i18n.LabelPassed, "réussi"),
		Entry(nil, i18n.LabelFailed, "échoué"),
		Entry(nil, i18n.LabelTimeout, "délai dépassé"),
		Entry(nil, i18n.LabelCrash, "plantage"),
		Entry(nil, i18n.LabelSkipped, "non exécuté"),
		Entry(nil, i18n.LabelError, "erreur"),
		Entry(nil, i18n.LabelHint, "indice"),
		Entry(nil, i18n.LabelExpected, "attendu"),
		Entry(nil, i18n.LabelScore, "note"),
		Entry(nil, i18n.LabelWire, "échanges"),
		Entry(nil, i18n.LabelStderr, "stderr (dernières lignes)"),
		Entry(nil, i18n.LabelHidden, "scénario caché : les détails ne sont pas communiqués"),
		Entry(nil, i18n.LabelWritten, "rapport écrit dans"),
		Entry(nil, i18n.LabelGrader, "un problème du correcteur, pas de votre programme"),
	)

	It("keeps a trailing colon, with the French space before it", func() {
		Expect(i18n.Label(i18n.French, "hint:")).To(Equal("indice :"))
		Expect(i18n.Label(i18n.French, "stderr (last lines):")).To(Equal("stderr (dernières lignes) :"))
		Expect(i18n.Label(i18n.English, "hint:")).To(Equal("hint:"))
	})

	It("has a French word for every key, and gives unknown keys back", func() {
		for _, k := range i18n.Labels() {
			Expect(i18n.Label(i18n.French, k)).NotTo(BeEmpty(), k)
		}
		Expect(i18n.Label(i18n.French, "no such word")).To(Equal("no such word"))
	})
})
