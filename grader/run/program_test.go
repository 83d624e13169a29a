package run_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/config"
	"github.com/netlab-grader/grader/grader/run"
)

// repoConfig is the repository's grader.yaml.
func repoConfig() *config.Config {
	GinkgoHelper()
	cfg, err := config.Load("../../grader.yaml")
	Expect(err).NotTo(HaveOccurred())
	return cfg
}

// writeFiles creates files (path relative to dir -> content) under dir.
func writeFiles(dir string, files map[string]string) {
	GinkgoHelper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		Expect(os.MkdirAll(filepath.Dir(p), 0o755)).To(Succeed())
		Expect(os.WriteFile(p, []byte(content), 0o644)).To(Succeed())
	}
}

// usageError asserts err is a *run.UsageError and returns its message.
func usageError(err error) string {
	GinkgoHelper()
	var ue *run.UsageError
	Expect(errors.As(err, &ue)).To(BeTrue(), "error %v (%T) is not a *run.UsageError", err, err)
	return ue.Error()
}

var _ = Describe("Prepare", func() {
	var (
		cfg  *config.Config
		tmp  string
		work string
	)

	BeforeEach(func() {
		cfg = repoConfig()
		tmp = GinkgoT().TempDir()
		work = filepath.Join(tmp, "work")
	})

	It("copies a single file and picks the runner from its extension", func() {
		writeFiles(tmp, map[string]string{"sub/hello.py": "print('hi')\n"})
		p, err := run.Prepare(cfg, filepath.Join(tmp, "sub/hello.py"), work, "")
		Expect(err).NotTo(HaveOccurred())
		Expect(p.Runner.Name).To(Equal("python"))
		Expect(p.Src).To(Equal(filepath.Join(work, "src")))
		Expect(p.Main).To(Equal(filepath.Join(work, "src", "hello.py")))
		Expect(p.Sources).To(Equal([]string{p.Main}))
		Expect(os.ReadFile(p.Main)).To(Equal([]byte("print('hi')\n")))
		Expect(p.NeedsBuild()).To(BeFalse())
		Expect(p.Command([]string{"127.0.0.1", "1234"})).To(Equal([]string{cfg.Python, "-u", p.Main, "127.0.0.1", "1234"}))
		Expect(p.LookPath()).To(Succeed())
	})

	It("picks main.py in a folder and copies every file", func() {
		writeFiles(tmp, map[string]string{"sub/util.py": "X = 1\n", "sub/main.py": "import util\n", "sub/data.txt": "d"})
		p, err := run.Prepare(cfg, filepath.Join(tmp, "sub"), work, "")
		Expect(err).NotTo(HaveOccurred())
		Expect(p.Runner.Name).To(Equal("python"))
		Expect(p.Main).To(Equal(filepath.Join(p.Src, "main.py")))
		Expect(p.Sources).To(Equal([]string{filepath.Join(p.Src, "main.py"), filepath.Join(p.Src, "util.py")}))
		Expect(filepath.Join(p.Src, "data.txt")).To(BeARegularFile())
	})

	It("runs a folder's Python program end to end", func() {
		writeFiles(tmp, map[string]string{"sub/util.py": "X = 'from util'\n", "sub/server.py": "import sys, util\nprint(util.X, sys.argv[1])\n"})
		p, err := run.Prepare(cfg, filepath.Join(tmp, "sub"), work, "")
		Expect(err).NotTo(HaveOccurred())
		Expect(filepath.Base(p.Main)).To(Equal("server.py"))
		proc, err := run.Start(run.Spec{Argv: p.Command([]string{"arg1"}), Dir: p.Src, Env: run.Environ(work, p.Env())})
		Expect(err).NotTo(HaveOccurred())
		res := proc.Wait(20 * time.Second)
		Expect(string(res.Stderr)).To(BeEmpty())
		Expect(string(res.Stdout)).To(Equal("from util arg1\n"))
	})

	It("rejects an unknown extension, pointing at --run", func() {
		writeFiles(tmp, map[string]string{"prog.rs": "fn main() {}"})
		_, err := run.Prepare(cfg, filepath.Join(tmp, "prog.rs"), work, "")
		msg := usageError(err)
		Expect(msg).To(ContainSubstring(`no runner for extension ".rs"`))
		Expect(msg).To(ContainSubstring(".py"))
		Expect(msg).To(ContainSubstring("--run"))
	})

	It("rejects a folder without a known source file, pointing at --run", func() {
		writeFiles(tmp, map[string]string{"sub/notes.txt": "x"})
		_, err := run.Prepare(cfg, filepath.Join(tmp, "sub"), work, "")
		msg := usageError(err)
		Expect(msg).To(ContainSubstring("no source file the grader can run"))
		Expect(msg).To(ContainSubstring("--run"))
	})

	It("rejects a missing path", func() {
		missing := filepath.Join(tmp, "nope.py")
		_, err := run.Prepare(cfg, missing, work, "")
		msg := usageError(err)
		Expect(msg).To(ContainSubstring(missing))
		Expect(msg).To(ContainSubstring("no such file or directory"))
	})

	It("rejects a folder of several Python files without main.py, naming them", func() {
		writeFiles(tmp, map[string]string{"sub/a.py": "", "sub/b.py": ""})
		_, err := run.Prepare(cfg, filepath.Join(tmp, "sub"), work, "")
		msg := usageError(err)
		Expect(msg).To(ContainSubstring("several python files (a.py, b.py)"))
		Expect(msg).To(ContainSubstring("none is named main"))
	})

	It("does not copy symbolic links, expect.yaml or hidden and cache folders", func() {
		secret := filepath.Join(tmp, "secret.txt")
		writeFiles(tmp, map[string]string{
			"secret.txt":              "grader's private file",
			"sub/main.py":             "",
			"sub/expect.yaml":         "score: 10\n",
			"sub/.git/config":         "x",
			"sub/__pycache__/m.pyc":   "x",
			"sub/node_modules/m/a.js": "x",
		})
		Expect(os.Symlink(secret, filepath.Join(tmp, "sub", "link.py"))).To(Succeed())
		Expect(os.Symlink(tmp, filepath.Join(tmp, "sub", "linkdir"))).To(Succeed())
		p, err := run.Prepare(cfg, filepath.Join(tmp, "sub"), work, "")
		Expect(err).NotTo(HaveOccurred())
		Expect(p.Main).To(Equal(filepath.Join(p.Src, "main.py")))
		Expect(p.Sources).To(Equal([]string{p.Main}))
		for _, gone := range []string{"link.py", "linkdir", "expect.yaml", ".git", "__pycache__", "node_modules"} {
			_, err := os.Lstat(filepath.Join(p.Src, gone))
			Expect(os.IsNotExist(err)).To(BeTrue(), "%s was copied", gone)
		}
	})

	It("picks the language with the most files in a mixed folder", func() {
		writeFiles(tmp, map[string]string{"sub/a.c": "", "sub/b.c": "", "sub/helper.py": ""})
		p, err := run.Prepare(cfg, filepath.Join(tmp, "sub"), work, "")
		Expect(err).NotTo(HaveOccurred())
		Expect(p.Runner.Name).To(Equal("c"))
		Expect(p.Main).To(BeEmpty(), "compiled languages build every source")
		Expect(p.Sources).To(Equal([]string{filepath.Join(p.Src, "a.c"), filepath.Join(p.Src, "b.c")}))
		Expect(p.NeedsBuild()).To(BeTrue())
	})

	It("finds the Java class with main, with its package", func() {
		writeFiles(tmp, map[string]string{
			"sub/Util.java": "package lab;\nclass Util {}\n",
			"sub/Echo.java": "package lab;\npublic class Echo {\n  public static void main(String[] args) {}\n}\n",
		})
		p, err := run.Prepare(cfg, filepath.Join(tmp, "sub"), work, "")
		Expect(err).NotTo(HaveOccurred())
		Expect(p.Runner.Name).To(Equal("java"))
		Expect(p.Class).To(Equal("lab.Echo"))
		Expect(p.Command(nil)).To(Equal([]string{"java", "-cp", p.Build, "lab.Echo"}))
	})

	It("passes arguments to a --run custom command", func() {
		writeFiles(tmp, map[string]string{"prog.txt": "content of the submission"})
		p, err := run.Prepare(cfg, filepath.Join(tmp, "prog.txt"), work, `cat prog.txt >&2; printf '[%s]'`)
		Expect(err).NotTo(HaveOccurred())
		Expect(p.Runner.Name).To(Equal("custom"))
		Expect(p.NeedsBuild()).To(BeFalse())
		Expect(p.LookPath()).To(Succeed())
		argv := p.Command([]string{"a b", "c"})
		Expect(argv[0]).To(Equal("/bin/sh"))
		proc, err := run.Start(run.Spec{Argv: argv, Dir: p.Src, Env: run.Environ(work, nil)})
		Expect(err).NotTo(HaveOccurred())
		res := proc.Wait(10 * time.Second)
		Expect(res.ExitCode).To(Equal(0))
		Expect(string(res.Stderr)).To(Equal("content of the submission"), "the command runs beside the copied submission")
		Expect(string(res.Stdout)).To(Equal("[a b][c]"), "the arguments reach the command as \"$@\", spaces kept")
	})

	It("reports a runner whose tool is not installed", func() {
		cfg := &config.Config{Runners: []config.Runner{{Name: "zig", Ext: []string{".zig"}, Run: []string{"no-such-tool-xyz", "{main}"}}}}
		writeFiles(tmp, map[string]string{"a.zig": ""})
		p, err := run.Prepare(cfg, filepath.Join(tmp, "a.zig"), work, "")
		Expect(err).NotTo(HaveOccurred())
		Expect(p.LookPath()).To(MatchError(ContainSubstring(`the zig runner needs "no-such-tool-xyz"`)))
	})
})

var _ = Describe("Compile", func() {
	var (
		cfg  *config.Config
		tmp  string
		work string
	)

	BeforeEach(func() {
		cfg = repoConfig()
		tmp = GinkgoT().TempDir()
		work = filepath.Join(tmp, "work")
	})

	It("reports the compiler's output when a C file does not compile", func() {
		writeFiles(tmp, map[string]string{"bad.c": "int main( { return 0; }\n"})
		p, err := run.Prepare(cfg, filepath.Join(tmp, "bad.c"), work, "")
		Expect(err).NotTo(HaveOccurred())
		Expect(p.NeedsBuild()).To(BeTrue())
		b := p.Compile(context.Background(), 60*time.Second, 1<<20)
		Expect(b.OK).To(BeFalse())
		Expect(b.TimedOut).To(BeFalse())
		Expect(b.Output).To(ContainSubstring("bad.c"))
		Expect(b.Output).To(ContainSubstring("error"))
		Expect(b.Command[0]).To(Equal("cc"))
		Expect(b.Command).To(ContainElement(p.Main))
	})

	It("builds a C file that the runner then runs", func() {
		writeFiles(tmp, map[string]string{"hello.c": "#include <stdio.h>\nint main(int c, char **v) { printf(\"hi %s\\n\", v[1]); return 0; }\n"})
		p, err := run.Prepare(cfg, filepath.Join(tmp, "hello.c"), work, "")
		Expect(err).NotTo(HaveOccurred())
		b := p.Compile(context.Background(), 60*time.Second, 1<<20)
		Expect(b.OK).To(BeTrue(), b.Output)
		Expect(p.Bin).To(BeARegularFile())
		proc, err := run.Start(run.Spec{Argv: p.Command([]string{"there"}), Dir: p.Src, Env: run.Environ(work, p.Env())})
		Expect(err).NotTo(HaveOccurred())
		res := proc.Wait(10 * time.Second)
		Expect(string(res.Stdout)).To(Equal("hi there\n"))
	})

	It("kills a build that runs past its timeout", func() {
		cfg := &config.Config{Runners: []config.Runner{{Name: "slow", Ext: []string{".slow"}, Build: []string{"sleep", "100"}, Run: []string{"{bin}"}}}}
		writeFiles(tmp, map[string]string{"a.slow": ""})
		p, err := run.Prepare(cfg, filepath.Join(tmp, "a.slow"), work, "")
		Expect(err).NotTo(HaveOccurred())
		t0 := time.Now()
		b := p.Compile(context.Background(), 200*time.Millisecond, 1<<20)
		Expect(time.Since(t0)).To(BeNumerically("<", 3*time.Second))
		Expect(b.TimedOut).To(BeTrue())
		Expect(b.OK).To(BeFalse())
	})

	It("stops a build when the context is cancelled", func() {
		cfg := &config.Config{Runners: []config.Runner{{Name: "slow", Ext: []string{".slow"}, Build: []string{"sleep", "100"}, Run: []string{"{bin}"}}}}
		writeFiles(tmp, map[string]string{"a.slow": ""})
		p, err := run.Prepare(cfg, filepath.Join(tmp, "a.slow"), work, "")
		Expect(err).NotTo(HaveOccurred())
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		t0 := time.Now()
		b := p.Compile(ctx, time.Minute, 1<<20)
		Expect(time.Since(t0)).To(BeNumerically("<", 3*time.Second))
		Expect(b.OK).To(BeFalse())
		Expect(b.TimedOut).To(BeFalse())
	})
})
