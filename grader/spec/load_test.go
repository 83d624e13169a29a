package spec_test

import (
	"errors"
	"strings"
	"testing/fstest"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/spec"
)

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

var _ = Describe("LoadFS", func() {
	It("loads every exercise folder with its statement, sorted by id", func() {
		fsys := fstest.MapFS{
			"exercises/demo-server/exercise.yaml": file(serverDoc),
			"exercises/demo-server/README.md":     file("# Demo server\nWrite a server.\n"),
			"exercises/demo-client/exercise.yaml": file(clientDoc),
			"exercises/demo-client/README.md":     file("# Demo client\n"),
			"exercises/notes/todo.txt":            file("a folder without exercise.yaml is not an exercise"),
			"exercises/stray.yaml":                file("not a folder"),
		}
		exs, err := spec.LoadFS(fsys, "exercises")
		Expect(err).NotTo(HaveOccurred())
		Expect(exs).To(HaveLen(2))
		Expect(exs[0].ID).To(Equal("demo-client"))
		Expect(exs[1].ID).To(Equal("demo-server"))
		Expect(exs[1].Statement).To(Equal("# Demo server\nWrite a server.\n"))
		Expect(exs[1].File).To(Equal("exercises/demo-server/exercise.yaml"))
		Expect(exs[1].Dir).To(Equal("exercises/demo-server"))
	})

	It("requires the id to match the folder name", func() {
		fsys := fstest.MapFS{
			"exercises/other-name/exercise.yaml": file(serverDoc),
			"exercises/other-name/README.md":     file("# x\n"),
		}
		exs, err := spec.LoadFS(fsys, "exercises")
		var ps spec.Problems
		Expect(errors.As(err, &ps)).To(BeTrue())
		Expect(ps).To(HaveLen(1))
		Expect(ps[0].Field).To(Equal("id"))
		Expect(ps[0].Error()).To(Equal(`exercises/other-name/exercise.yaml:1:1: id: must match the folder name (got "demo-server", want "other-name")`))
		Expect(exs).To(BeEmpty())
	})

	It("requires a README.md statement", func() {
		fsys := fstest.MapFS{
			"exercises/demo-server/exercise.yaml": file(serverDoc),
		}
		_, err := spec.LoadFS(fsys, "exercises")
		var ps spec.Problems
		Expect(errors.As(err, &ps)).To(BeTrue())
		Expect(ps).To(HaveLen(1))
		Expect(ps[0].File).To(Equal("exercises/demo-server/README.md"))
		Expect(ps[0].Msg).To(ContainSubstring("missing"))
	})

	It("collects the problems of every file and keeps the good exercises", func() {
		fsys := fstest.MapFS{
			"exercises/demo-server/exercise.yaml": file(serverDoc),
			"exercises/demo-server/README.md":     file("# ok\n"),
			"exercises/bad-one/exercise.yaml":     file("id: bad-one\ntitle: x\nrole: boss\nscenarios: [{id: a}]\n"),
			"exercises/bad-one/README.md":         file("# bad\n"),
			"exercises/bad-two/exercise.yaml":     file(""),
		}
		exs, err := spec.LoadFS(fsys, "exercises")
		var ps spec.Problems
		Expect(errors.As(err, &ps)).To(BeTrue())
		Expect(ps).To(HaveLen(2))
		text := ps.Error()
		Expect(text).To(ContainSubstring(`exercises/bad-one/exercise.yaml:3:7: role: got "boss"`))
		Expect(text).To(ContainSubstring("exercises/bad-two/exercise.yaml: the file is empty"))
		Expect(exs).To(HaveLen(1))
		Expect(exs[0].ID).To(Equal("demo-server"))
	})

	It("fails plainly when the root folder does not exist", func() {
		_, err := spec.LoadFS(fstest.MapFS{}, "nowhere")
		Expect(err).To(HaveOccurred())
		var ps spec.Problems
		Expect(errors.As(err, &ps)).To(BeFalse())
		Expect(strings.Contains(err.Error(), "nowhere")).To(BeTrue())
	})
})
