// Package itest runs the real grader binary end to end: it is built once
// with gexec, run from the repository root (so fixtures/ resolves) with
// --ports free, and judged only by its exit code, stdout and stderr, as a
// student, a teacher's script or a CI job would see them.
package itest

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gexec"
	"gopkg.in/yaml.v3"
)

func TestItest(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Grader Integration Suite")
}

// graderBin is the grader command built once for the whole suite.
var graderBin string

// repoRoot is the module root: go test runs in grader/itest.
var repoRoot = func() string {
	wd, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	root := filepath.Clean(filepath.Join(wd, "..", ".."))
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		panic("itest: cannot find the repository root from " + wd)
	}
	return root
}()

var _ = BeforeSuite(func() {
	var err error
	graderBin, err = gexec.Build("github.com/netlab-grader/grader/grader")
	Expect(err).NotTo(HaveOccurred())
})

var _ = AfterSuite(func() {
	gexec.KillAndWait(5 * time.Second)
	gexec.CleanupBuildArtifacts()
})

// Exit codes of DESIGN.md.
const (
	exitPass   = 0
	exitFail   = 1
	exitUsage  = 2
	exitGrader = 3
)

// checkTimeout bounds one `grader check` of a fixture that behaves: the
// slowest built-in fixtures wait for 2s reply timeouts a couple of times.
const checkTimeout = 30 * time.Second

// env is the test's environment without what would change the grader's
// behaviour (colour, another configuration).
func env() []string {
	return slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "NO_COLOR=") || strings.HasPrefix(kv, "GRADER_CONFIG=")
	})
}

// start runs the grader with args from the repository root.
func start(args ...string) *gexec.Session {
	cmd := exec.Command(graderBin, args...)
	cmd.Dir = repoRoot
	cmd.Env = env()
	s, err := gexec.Start(cmd, GinkgoWriter, GinkgoWriter)
	Expect(err).NotTo(HaveOccurred())
	return s
}

// run runs the grader to completion and asserts its exit code.
func run(code int, args ...string) *gexec.Session {
	GinkgoHelper()
	s := start(args...)
	Eventually(s).WithTimeout(checkTimeout).Should(gexec.Exit(code), "grader %s\nstderr:\n%s", strings.Join(args, " "), stderrOf(s))
	return s
}

func stdoutOf(s *gexec.Session) string { return string(s.Out.Contents()) }
func stderrOf(s *gexec.Session) string { return string(s.Err.Contents()) }

// report is the JSON contract of DESIGN.md, decoded without the grader's
// own types: this suite sees the binary from the outside.
type report struct {
	Exercise   string     `json:"exercise"`
	Submission string     `json:"submission"`
	Score      int        `json:"score"`
	MaxScore   int        `json:"max_score"`
	Status     string     `json:"status"`
	DurationMS int64      `json:"duration_ms"`
	Scenarios  []scenario `json:"scenarios"`
}

type scenario struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	Score      int     `json:"score"`
	MaxScore   int     `json:"max_score"`
	Status     string  `json:"status"`
	Checks     []check `json:"checks"`
	Transcript []chunk `json:"transcript"`
	DurationMS int64   `json:"duration_ms"`
}

type check struct {
	Name     string `json:"name"`
	Passed   bool   `json:"passed"`
	Expected string `json:"expected"`
	Actual   string `json:"actual"`
	Message  string `json:"message"`
	Hint     string `json:"hint"`
}

type chunk struct {
	Conn  int    `json:"conn"`
	Dir   string `json:"dir"`
	TMS   int64  `json:"t_ms"`
	Bytes string `json:"bytes_b64"`
}

// data decodes the chunk's base64 payload.
func (c chunk) data() []byte {
	GinkgoHelper()
	b, err := base64.StdEncoding.DecodeString(c.Bytes)
	Expect(err).NotTo(HaveOccurred(), "bytes_b64 %q", c.Bytes)
	return b
}

// sent concatenates what travelled in dir on every connection.
func (s scenario) sent(dir string) string {
	var b strings.Builder
	for _, c := range s.Transcript {
		if c.Dir == dir {
			b.Write(c.data())
		}
	}
	return b.String()
}

func parseReport(out []byte) report {
	GinkgoHelper()
	var r report
	Expect(json.Unmarshal(out, &r)).To(Succeed(), "stdout is not the JSON report:\n%s", out)
	return r
}

func (r report) scenario(id string) scenario {
	GinkgoHelper()
	for _, s := range r.Scenarios {
		if s.ID == id {
			return s
		}
	}
	Fail("no scenario " + id + " in the report")
	return scenario{}
}

// failedChecks lists "scenario/check" for every failed check, sorted.
func (r report) failedChecks() []string {
	out := []string{}
	for _, s := range r.Scenarios {
		for _, c := range s.Checks {
			if !c.Passed {
				out = append(out, s.ID+"/"+c.Name)
			}
		}
	}
	sort.Strings(out)
	return out
}

// expectation is a fixture's expect.yaml.
type expectation struct {
	Description    string            `yaml:"description"`
	Score          *int              `yaml:"score"`
	Fail           []string          `yaml:"fail"`
	Statuses       map[string]string `yaml:"statuses"`
	ReportContains []string          `yaml:"report_contains"`
	Run            string            `yaml:"run"`
}

func readExpect(dir string) expectation {
	GinkgoHelper()
	data, err := os.ReadFile(filepath.Join(repoRoot, dir, "expect.yaml"))
	Expect(err).NotTo(HaveOccurred())
	var e expectation
	Expect(yaml.Unmarshal(data, &e)).To(Succeed())
	Expect(e.Fail).NotTo(BeNil(), "%s/expect.yaml: fail: is required", dir)
	return e
}

// exerciseSpec is the part of an exercise.yaml these tests read.
type exerciseSpec struct {
	ID  string `yaml:"id"`
	Run struct {
		Timeout string `yaml:"timeout"`
	} `yaml:"run"`
	Scenarios []struct {
		ID      string   `yaml:"id"`
		Points  int      `yaml:"points"`
		Depends []string `yaml:"depends"`
	} `yaml:"scenarios"`
}

func readExercise(id string) exerciseSpec {
	GinkgoHelper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "exercises", id, "exercise.yaml"))
	Expect(err).NotTo(HaveOccurred())
	var ex exerciseSpec
	Expect(yaml.Unmarshal(data, &ex)).To(Succeed())
	return ex
}

func (ex exerciseSpec) timeout() time.Duration {
	GinkgoHelper()
	d, err := time.ParseDuration(ex.Run.Timeout)
	Expect(err).NotTo(HaveOccurred(), "run.timeout of %s", ex.ID)
	return d
}

func (ex exerciseSpec) points() int {
	n := 0
	for _, s := range ex.Scenarios {
		n += s.Points
	}
	return n
}

// fixtureDirs lists fixtures/submissions/<exercise>/* (relative to the
// repository root) at tree construction time.
func fixtureDirs(exercise string) []string {
	base := filepath.Join("fixtures", "submissions", exercise)
	ents, err := os.ReadDir(filepath.Join(repoRoot, base))
	if err != nil {
		panic(err)
	}
	var out []string
	for _, e := range ents {
		if e.IsDir() {
			if _, err := os.Stat(filepath.Join(repoRoot, base, e.Name(), "expect.yaml")); err == nil {
				out = append(out, filepath.Join(base, e.Name()))
			}
		}
	}
	return out
}
