package catalog_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing/fstest"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/catalog"
	"github.com/netlab-grader/grader/grader/spec"
)

// exerciseYAML is a minimal valid server exercise.
func exerciseYAML(id, title string) string {
	return "id: " + id + "\ntitle: " + title + "\nrole: server\nrun: {port: 1234}\nscenarios:\n  - id: listens\n    points: 1\n"
}

func builtIn(ids ...string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for _, id := range ids {
		fsys["exercises/"+id+"/exercise.yaml"] = &fstest.MapFile{Data: []byte(exerciseYAML(id, "Built-in "+id))}
		fsys["exercises/"+id+"/README.md"] = &fstest.MapFile{Data: []byte("# " + id + "\n")}
	}
	return fsys
}

// writeExercise writes dir/id/exercise.yaml (with yaml as content) and a README.
func writeExercise(dir, id, yaml string) {
	GinkgoHelper()
	Expect(os.MkdirAll(filepath.Join(dir, id), 0o755)).To(Succeed())
	Expect(os.WriteFile(filepath.Join(dir, id, "exercise.yaml"), []byte(yaml), 0o644)).To(Succeed())
	Expect(os.WriteFile(filepath.Join(dir, id, "README.md"), []byte("# private "+id+"\n"), 0o644)).To(Succeed())
}

var _ = Describe("Load", func() {
	It("loads the built-in exercises", func() {
		c, err := catalog.Load(builtIn("echo-tcp-server", "echo-udp-client"), "exercises", nil)
		Expect(err).NotTo(HaveOccurred())
		ex, err := c.Get("echo-tcp-server")
		Expect(err).NotTo(HaveOccurred())
		Expect(ex.Title).To(Equal("Built-in echo-tcp-server"))
		Expect(ex.Statement).To(Equal("# echo-tcp-server\n"))
		Expect(c.Origin).To(HaveKeyWithValue("echo-tcp-server", "built-in"))
		Expect(c.All()).To(HaveLen(2))
		Expect(c.All()[0].ID).To(Equal("echo-tcp-server"))
		Expect(c.All()[1].ID).To(Equal("echo-udp-client"))
	})

	It("lets a folder add exercises and override built-in ones with the same id", func() {
		dir := GinkgoT().TempDir()
		writeExercise(dir, "echo-tcp-server", exerciseYAML("echo-tcp-server", "Teacher's version"))
		writeExercise(dir, "private-one", exerciseYAML("private-one", "Only in the folder"))
		c, err := catalog.Load(builtIn("echo-tcp-server", "echo-udp-client"), "exercises", []string{dir})
		Expect(err).NotTo(HaveOccurred())

		ex, err := c.Get("echo-tcp-server")
		Expect(err).NotTo(HaveOccurred())
		Expect(ex.Title).To(Equal("Teacher's version"))
		Expect(ex.Statement).To(Equal("# private echo-tcp-server\n"))
		Expect(c.Origin["echo-tcp-server"]).To(Equal(dir))
		Expect(ex.File).To(Equal(dir + "/echo-tcp-server/exercise.yaml"))
		Expect(ex.Dir).To(Equal(dir + "/echo-tcp-server"))

		Expect(c.Origin["echo-udp-client"]).To(Equal("built-in"))
		Expect(c.Origin["private-one"]).To(Equal(dir))
		Expect(c.All()).To(HaveLen(3))
	})

	It("applies folders in order, the last one winning", func() {
		a, b := GinkgoT().TempDir(), GinkgoT().TempDir()
		writeExercise(a, "shared", exerciseYAML("shared", "From A"))
		writeExercise(b, "shared", exerciseYAML("shared", "From B"))
		c, err := catalog.Load(nil, "", []string{a, b})
		Expect(err).NotTo(HaveOccurred())
		ex, err := c.Get("shared")
		Expect(err).NotTo(HaveOccurred())
		Expect(ex.Title).To(Equal("From B"))
		Expect(c.Origin["shared"]).To(Equal(b))
	})

	It("returns the problems of a folder's files with the folder in their path", func() {
		dir := GinkgoT().TempDir()
		writeExercise(dir, "broken", "id: broken\ntitle: x\nrole: nobody\nscenarios: [{id: a}]\n")
		c, err := catalog.Load(builtIn("echo-tcp-server"), "exercises", []string{dir})
		var ps spec.Problems
		Expect(errors.As(err, &ps)).To(BeTrue(), "err = %v", err)
		Expect(ps).To(HaveLen(1))
		Expect(ps[0].File).To(Equal(dir + "/broken/exercise.yaml"))
		Expect(ps[0].Error()).To(HavePrefix(dir + "/broken/exercise.yaml:3:7: role: "))
		Expect(c).NotTo(BeNil(), "the good exercises stay usable")
		_, err = c.Get("echo-tcp-server")
		Expect(err).NotTo(HaveOccurred())
	})

	It("rejects a folder that does not exist or is a file", func() {
		dir := GinkgoT().TempDir()
		_, err := catalog.Load(nil, "", []string{filepath.Join(dir, "missing")})
		Expect(err).To(MatchError(ContainSubstring("missing")))
		f := filepath.Join(dir, "file")
		Expect(os.WriteFile(f, nil, 0o644)).To(Succeed())
		_, err = catalog.Load(nil, "", []string{f})
		Expect(err).To(MatchError(ContainSubstring("is not a folder")))
	})
})

var _ = Describe("Get", func() {
	var c *catalog.Catalog

	BeforeEach(func() {
		var err error
		c, err = catalog.Load(builtIn("echo-tcp-server", "echo-tcp-client", "echo-udp-server", "udp-time"), "exercises", nil)
		Expect(err).NotTo(HaveOccurred())
	})

	It("suggests ids within a small edit distance", func() {
		_, err := c.Get("echo-tcp-serve")
		Expect(err).To(MatchError(ContainSubstring(`no exercise "echo-tcp-serve" (did you mean `)))
		Expect(err.Error()).To(ContainSubstring("echo-tcp-server"))
		Expect(err.Error()).NotTo(ContainSubstring("udp-time"))
		Expect(err.Error()).To(ContainSubstring("`grader list`"))
	})

	It("suggests ids containing what was typed, sorted", func() {
		_, err := c.Get("echo-tcp")
		Expect(err).To(MatchError(ContainSubstring("(did you mean echo-tcp-client, echo-tcp-server?)")))
	})

	It("suggests nothing for an unrelated id", func() {
		_, err := c.Get("zzzzzzzzzzzz")
		Expect(err).To(HaveOccurred())
		Expect(err.Error()).NotTo(ContainSubstring("did you mean"))
		Expect(strings.HasPrefix(err.Error(), `no exercise "zzzzzzzzzzzz"`)).To(BeTrue())
	})
})
