package main_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"
)

func TestStresscmd(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Stresscmd Suite")
}

// stressBin and graderBin are the commands, built once for the suite.
var stressBin, graderBin string

// repoRoot is the module root: go test runs in grader/stresscmd.
var repoRoot = func() string {
	wd, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	return filepath.Clean(filepath.Join(wd, "..", ".."))
}()

var _ = BeforeSuite(func() {
	var err error
	stressBin, err = gexec.Build("github.com/netlab-grader/grader/grader/stresscmd")
	Expect(err).NotTo(HaveOccurred())
	graderBin, err = gexec.Build("github.com/netlab-grader/grader/grader")
	Expect(err).NotTo(HaveOccurred())
})

var _ = AfterSuite(func() {
	gexec.KillAndWait(5 * time.Second)
	gexec.CleanupBuildArtifacts()
})
