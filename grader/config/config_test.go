package config_test

import (
	"os"
	"path/filepath"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/config"
)

const minimalRunners = "runners:\n  - {name: python, ext: [\".py\"], run: [\"{python}\", \"{main}\"]}\n"

var _ = Describe("the repository's grader.yaml", func() {
	var cfg *config.Config

	BeforeEach(func() {
		data, err := os.ReadFile("../../grader.yaml")
		Expect(err).NotTo(HaveOccurred())
		cfg, err = config.Parse("grader.yaml", data)
		Expect(err).NotTo(HaveOccurred())
	})

	It("declares the runners of the lab languages", func() {
		var names []string
		for _, r := range cfg.Runners {
			names = append(names, r.Name)
			Expect(r.Ext).NotTo(BeEmpty())
			Expect(r.Run).NotTo(BeEmpty())
		}
		Expect(names).To(ContainElements("python", "c", "go", "node", "java"))
	})

	It("reads the timeouts, the output limit and the port policy", func() {
		Expect(cfg.BuildTimeout()).To(Equal(60 * time.Second))
		Expect(cfg.ScenarioTimeout()).To(Equal(5 * time.Second))
		Expect(cfg.ReadyTimeout()).To(Equal(5 * time.Second))
		Expect(cfg.GraceTimeout()).To(Equal(time.Second))
		Expect(cfg.Limits.Output).To(Equal(config.Size(1 << 20)))
		Expect(cfg.Ports).To(Equal("seed"))
	})

	It("resolves python: auto to an interpreter", func() {
		if _, err := os.Stat("/usr/bin/python3"); err == nil {
			Expect(cfg.Python).To(Equal("/usr/bin/python3"))
		} else {
			Expect(cfg.Python).To(Equal("python3"))
		}
	})

	It("finds runners by extension, ignoring case", func() {
		r, ok := cfg.RunnerFor(".py")
		Expect(ok).To(BeTrue())
		Expect(r.Name).To(Equal("python"))
		Expect(r.Env).To(HaveKeyWithValue("PYTHONUNBUFFERED", "1"))

		r, ok = cfg.RunnerFor(".PY")
		Expect(ok).To(BeTrue())
		Expect(r.Name).To(Equal("python"))

		r, ok = cfg.RunnerFor(".mjs")
		Expect(ok).To(BeTrue())
		Expect(r.Name).To(Equal("node"))

		r, ok = cfg.RunnerFor(".c")
		Expect(ok).To(BeTrue())
		Expect(r.Build).To(ContainElement("{sources}"))

		_, ok = cfg.RunnerFor(".rs")
		Expect(ok).To(BeFalse())
		_, ok = cfg.RunnerFor("py")
		Expect(ok).To(BeFalse(), "the extension includes its dot")
	})

	It("lists every extension for messages", func() {
		Expect(cfg.Extensions()).To(ContainElements(".py", ".c", ".go", ".js", ".mjs", ".cjs", ".java"))
	})
})

var _ = Describe("Parse", func() {
	It("applies defaults to a minimal file", func() {
		cfg, err := config.Parse("g.yaml", []byte(minimalRunners))
		Expect(err).NotTo(HaveOccurred())
		Expect(cfg.Ports).To(Equal("seed"))
		Expect(cfg.Limits.Output).To(Equal(config.Size(1 << 20)))
		Expect(cfg.ScenarioTimeout()).To(Equal(5 * time.Second))
		Expect(cfg.BuildTimeout()).To(Equal(60 * time.Second))
		Expect(cfg.Python).NotTo(BeEmpty())
	})

	It("keeps an explicit interpreter, port policy, sizes and timeouts", func() {
		cfg, err := config.Parse("g.yaml", []byte(minimalRunners+"python: /opt/py/bin/python3\nports: free\nlimits: {output: 64KiB}\ntimeouts: {scenario: 250ms}\n"))
		Expect(err).NotTo(HaveOccurred())
		Expect(cfg.Python).To(Equal("/opt/py/bin/python3"))
		Expect(cfg.Ports).To(Equal("free"))
		Expect(cfg.Limits.Output).To(Equal(config.Size(64 << 10)))
		Expect(cfg.ScenarioTimeout()).To(Equal(250 * time.Millisecond))
	})

	It("rejects an unknown field, naming it and the file", func() {
		_, err := config.Parse("g.yaml", []byte(minimalRunners+"pyhton: python3\n"))
		Expect(err).To(MatchError(And(HavePrefix("g.yaml: "), ContainSubstring("pyhton"))))
	})

	It("rejects an unknown field inside a runner", func() {
		_, err := config.Parse("g.yaml", []byte("runners:\n  - {name: py, ext: [\".py\"], run: [x], compile: [y]}\n"))
		Expect(err).To(MatchError(ContainSubstring("compile")))
	})

	It("rejects a bad ports value, listing the good ones", func() {
		_, err := config.Parse("g.yaml", []byte(minimalRunners+"ports: random\n"))
		Expect(err).To(MatchError(`g.yaml: ports: got "random", want one of: seed, free`))
	})

	It("rejects a bad size and a bad duration", func() {
		_, err := config.Parse("g.yaml", []byte(minimalRunners+"limits: {output: lots}\n"))
		Expect(err).To(MatchError(ContainSubstring(`cannot use "lots" as a size`)))
		_, err = config.Parse("g.yaml", []byte(minimalRunners+"timeouts: {build: forever}\n"))
		Expect(err).To(MatchError(ContainSubstring(`"forever"`)))
	})

	It("rejects an incomplete runner", func() {
		_, err := config.Parse("g.yaml", []byte("runners:\n  - {name: py, ext: [\".py\"]}\n"))
		Expect(err).To(MatchError("g.yaml: runners[0]: a runner needs name, ext and run"))
	})

	It("Load reads a file and reports a missing one", func() {
		dir := GinkgoT().TempDir()
		p := filepath.Join(dir, "grader.yaml")
		Expect(os.WriteFile(p, []byte(minimalRunners+"ports: free\n"), 0o644)).To(Succeed())
		cfg, err := config.Load(p)
		Expect(err).NotTo(HaveOccurred())
		Expect(cfg.Ports).To(Equal("free"))

		_, err = config.Load(filepath.Join(dir, "missing.yaml"))
		Expect(err).To(MatchError(ContainSubstring("could not read configuration")))
	})
})

var _ = Describe("ParseSize", func() {
	DescribeTable("reads sizes with binary and decimal units",
		func(in string, want int64) {
			Expect(config.ParseSize(in)).To(Equal(want))
		},
		Entry("plain bytes", "4096", int64(4096)),
		Entry("zero", "0", int64(0)),
		Entry("B", "10B", int64(10)),
		Entry("KiB", "64KiB", int64(64<<10)),
		Entry("MiB", "1MiB", int64(1<<20)),
		Entry("GiB", "2GiB", int64(2<<30)),
		Entry("KB", "3KB", int64(3000)),
		Entry("MB", "1MB", int64(1000000)),
		Entry("GB", "2GB", int64(2000000000)),
		Entry("spaces around and before the unit", " 1 MiB ", int64(1<<20)),
	)

	DescribeTable("rejects what is not a size, with an example",
		func(in string) {
			_, err := config.ParseSize(in)
			Expect(err).To(MatchError(ContainSubstring(`want e.g. "1MiB"`)))
		},
		Entry("empty", ""),
		Entry("a word", "lots"),
		Entry("negative", "-1"),
		Entry("fraction", "1.5MiB"),
		Entry("unknown unit", "1TiB"),
		Entry("unit alone", "MiB"),
	)
})
