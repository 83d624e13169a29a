package itest

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// The hostile corpus (fixtures/hostile/<exercise>/<name>/) is graded here
// from the outside, each fixture alone and some in one batch with good
// fixtures: every attack must end in time, leave no process and no file
// behind, get the verdict of its expect.yaml and forge nothing in any
// report format. Attacks whose containment rests on the sandbox (the
// fixtures print what they managed) are judged on that only where the
// grader can sandbox; elsewhere the spec says they wait for it.

// hostileCase is one fixture and what is checked beyond its expect.yaml.
type hostileCase struct {
	exercise, name string
	// args are extra arguments of grader check.
	args []string
	// sandboxed marks an attack only the sandbox contains: its verdict
	// and what it printed are checked only where the grader sandboxes.
	sandboxed bool
	// seen is how many processes of the run must be seen alive at once
	// while it runs: proof that the search for leftovers sees them.
	seen int
	// maxRSS bounds the peak resident memory of the grader and the
	// processes it waited for, in KiB (0: no bound).
	maxRSS int64
	// printed checks what the program printed (under the sandbox).
	printed func(out string)
	// files lists paths that must not exist once the grader is done
	// (under the sandbox); tmp is the grader's temporary folder.
	files func(tmp string) []string
}

// dir is the fixture's folder, relative to the repository root.
func (c hostileCase) dir() string {
	return filepath.Join("fixtures", "hostile", c.exercise, c.name)
}

// hostileRun is what one grader run of a fixture left to judge.
type hostileRun struct {
	exit           int
	took           time.Duration
	stdout, stderr []byte
	// most is the largest number of the run's processes seen at once.
	most int
	// left are the run's processes still alive a second after the grader
	// returned.
	left []string
	// leftFiles are the files left in the grader's temporary folder.
	leftFiles []string
	maxRSS    int64
	// tmp is the grader's temporary folder.
	tmp string
}

// printedIn is what the program printed in every scenario of a JSON
// report (the excerpts the report keeps).
func printedIn(jsonReport []byte) string {
	var r struct {
		Scenarios []struct {
			Stdout string `json:"stdout"`
		} `json:"scenarios"`
	}
	Expect(json.Unmarshal(jsonReport, &r)).To(Succeed())
	var b strings.Builder
	for _, s := range r.Scenarios {
		b.WriteString(s.Stdout)
	}
	return b.String()
}

// excerpt shortens what a program printed for a failure message.
func excerpt(s string) string {
	if len(s) > 2000 {
		return s[:2000] + fmt.Sprintf("… (%d more bytes)", len(s)-2000)
	}
	return s
}

// runProcesses lists "pid: cmdline" for the live processes of the grader
// run whose temporary folder is tmp: their command line, working folder
// or environment names it. The grader itself (pid skip) is left out.
func runProcesses(tmp string, skip int) []string {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	self := os.Getpid()
	mark := []byte(tmp + "/")
	var out []string
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == self || pid == skip {
			continue
		}
		p := "/proc/" + e.Name()
		cmd, err := os.ReadFile(p + "/cmdline")
		if err != nil || len(cmd) == 0 {
			continue // gone, or a zombie
		}
		hit := bytes.Contains(cmd, mark)
		if !hit {
			cwd, _ := os.Readlink(p + "/cwd")
			hit = strings.HasPrefix(cwd+"/", string(mark))
		}
		if !hit {
			envb, _ := os.ReadFile(p + "/environ")
			hit = bytes.Contains(envb, mark)
		}
		if hit {
			out = append(out, e.Name()+": "+strings.TrimSpace(string(bytes.ReplaceAll(cmd, []byte{0}, []byte{' '}))))
		}
	}
	return out
}

// killRun kills what runProcesses finds: processes a grader run of this
// spec left behind.
func killRun(tmp string) {
	for _, p := range runProcesses(tmp, 0) {
		pid, _ := strconv.Atoi(strings.SplitN(p, ":", 2)[0])
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
}

// gradeHostile runs grader args with tmp as its temporary folder, watches
// the processes of the run while it lasts and looks for leftovers after.
func gradeHostile(tmp string, limit time.Duration, args ...string) hostileRun {
	cmd := exec.Command(graderBin, args...)
	cmd.Dir = repoRoot
	cmd.Env = append(env(), "TMPDIR="+tmp)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	t0 := time.Now()
	Expect(cmd.Start()).To(Succeed())
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	r := hostileRun{tmp: tmp}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
wait:
	for {
		select {
		case <-done:
			break wait
		case <-deadline.C:
			_ = cmd.Process.Kill()
			<-done
			break wait
		case <-tick.C:
			r.most = max(r.most, len(runProcesses(tmp, cmd.Process.Pid)))
		}
	}
	r.took = time.Since(t0)
	r.exit = cmd.ProcessState.ExitCode()
	r.stdout, r.stderr = out.Bytes(), errb.Bytes()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.maxRSS = ru.Maxrss
	}
	// The kernel may take a moment to finish off a killed namespace.
	for end := time.Now().Add(time.Second); ; {
		r.left = runProcesses(tmp, 0)
		if len(r.left) == 0 || time.Now().After(end) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	killRun(tmp)
	_ = filepath.WalkDir(tmp, func(p string, d os.DirEntry, err error) error {
		if err == nil && p != tmp {
			r.leftFiles = append(r.leftFiles, p)
		}
		return nil
	})
	return r
}

// inParallel runs jobs two at a time.
func inParallel(jobs []func()) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for _, j := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer GinkgoRecover()
			defer wg.Done()
			defer func() { <-sem }()
			j()
		}()
	}
	wg.Wait()
}

// sandboxWorks reports whether this grader confines submissions here.
func sandboxWorks() bool {
	if runtime.GOOS != "linux" || os.Geteuid() != 0 {
		return false
	}
	cmd := exec.Command(graderBin, "check", "echo-tcp-client", "fixtures/submissions/echo-tcp-client/seed-python", "--sandbox", "on", "--format", "json")
	cmd.Dir, cmd.Env = repoRoot, env()
	return cmd.Run() == nil
}

// linesWith returns the lines of out that contain s.
func linesWith(out, s string) []string {
	var l []string
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, s) {
			l = append(l, line)
		}
	}
	return l
}

const pwned = "hostile-writes-outside-pwned"

var hostileCases = []hostileCase{
	{exercise: "echo-tcp-client", name: "fork-bomb", sandboxed: true, seen: 50, printed: func(out string) {
		Expect(out).To(MatchRegexp(`hostile fork-bomb: \d+ processes started, [1-9]\d* forks refused: contained`))
	}},
	{exercise: "echo-tcp-client", name: "double-fork-daemon", seen: 2},
	{exercise: "echo-tcp-client", name: "memory-hog", sandboxed: true, printed: func(out string) {
		Expect(out).To(MatchRegexp(`hostile memory-hog: got \d+ MiB of 8192 MiB: contained`))
	}},
	{exercise: "echo-tcp-client", name: "cpu-spin", seen: 1},
	{exercise: "echo-tcp-client", name: "gigabyte-stdout", maxRSS: 256 << 10},
	{exercise: "echo-tcp-client", name: "forged-report"},
	{exercise: "echo-tcp-client", name: "binds-seed-port", args: []string{"--ports", "seed"}},
	{exercise: "echo-tcp-client", name: "slowloris-client", seen: 1},
	{exercise: "echo-tcp-client", name: "reads-exercises", sandboxed: true, printed: func(out string) {
		Expect(out).To(ContainSubstring("hostile reads-exercises: grader processes seen: 0"))
		Expect(out).To(ContainSubstring("read 0 spec files through the grader's processes: contained"))
		for _, l := range linesWith(out, filepath.Join(repoRoot, "exercises")+":") {
			Expect(l).To(ContainSubstring(": read 0 files"), "the grader's exercises are hidden")
		}
	}},
	{exercise: "echo-tcp-client", name: "reads-grader", sandboxed: true, printed: func(out string) {
		Expect(out).To(ContainSubstring("hostile reads-grader: the executable: refused (Permission denied)"))
		Expect(out).To(ContainSubstring("hostile reads-grader: the grader runs: True"))
		Expect(out).To(MatchRegexp(`hostile reads-grader: /proc/\d+/exe: refused`))
		Expect(out).NotTo(ContainSubstring("READ"))
		Expect(out).To(ContainSubstring("hostile reads-grader: contained"))
	}},
	{exercise: "echo-tcp-client", name: "reads-other-submissions", sandboxed: true, printed: func(out string) {
		Expect(out).To(ContainSubstring("hostile reads-other-submissions: grader processes seen: 0"))
		Expect(out).To(ContainSubstring("read 0 files of the grader's run: contained"))
		for _, l := range linesWith(out, filepath.Join(repoRoot, "fixtures")) {
			Expect(l).To(ContainSubstring(": read 0 files"), "the fixtures are hidden")
		}
	}},
	{exercise: "echo-tcp-client", name: "writes-outside", sandboxed: true, printed: func(out string) {
		Expect(out).To(MatchRegexp(`hostile writes-outside: \d+ of \d+ writes outside its folder succeeded`))
	}, files: func(tmp string) []string {
		return []string{"/tmp/" + pwned, "/var/tmp/" + pwned, "/dev/shm/" + pwned, "/root/" + pwned,
			filepath.Join(tmp, pwned), filepath.Join(filepath.Dir(repoRoot), pwned)}
	}},
	{exercise: "echo-tcp-client", name: "closes-stdout", seen: 1},
	{exercise: "echo-tcp-client", name: "thousand-connections", sandboxed: true, printed: func(out string) {
		Expect(out).To(MatchRegexp(`hostile thousand-connections: opened \d+ of 1000: stopped by EMFILE: contained`))
	}},
	{exercise: "echo-tcp-client", name: "symlinks"},
	{exercise: "echo-tcp-client", name: "zip-bomb", sandboxed: true, printed: func(out string) {
		Expect(out).To(MatchRegexp(`hostile zip-bomb: wrote 6[34] MiB of 256 MiB to one file: stopped by EFBIG: contained`))
	}},
	{exercise: "echo-tcp-server", name: "script-injection"},
	{exercise: "echo-tcp-server", name: "slowloris-server", seen: 1},
	{exercise: "echo-tcp-server", name: "accepts-never-reads", seen: 1},
	{exercise: "echo-tcp-server", name: "hundred-megabytes", maxRSS: 256 << 10},
	{exercise: "http-get", name: "binary-garbage"},
	{exercise: "echo-udp-client", name: "dials-out", sandboxed: true, printed: func(out string) {
		for _, target := range []string{"tcp 10.255.255.1:80", "tcp 1.1.1.1:53", "udp 1.1.1.1:53", "udp 2606:4700:4700::1111:53"} {
			Expect(out).To(MatchRegexp(`hostile dials-out: `+regexp.QuoteMeta(target)+`: (ENETUNREACH|EHOSTUNREACH|EADDRNOTAVAIL|EAFNOSUPPORT)`), "nothing leaves the machine: %s", target)
		}
		Expect(out).To(ContainSubstring("hostile dials-out: reached nothing: contained"))
	}},
}

// baselines are good fixtures graded alongside the corpus: their slowest
// scenario is what starting and stopping a program costs on this machine
// at that moment, the slack allowed beyond timeout + 1 s (a fraction of a
// second on a quiet machine, more on an overloaded one).
var baselines = []hostileCase{
	{exercise: "echo-tcp-client", name: "seed-python"},
	{exercise: "echo-tcp-server", name: "seed-python"},
}

var _ = Describe("the hostile corpus", Ordered, ContinueOnFailure, func() {
	var (
		sandboxed bool
		runs      = map[string]hostileRun{}
		slack     time.Duration
		private   string
		marker    string
	)

	BeforeAll(func() {
		sandboxed = sandboxWorks()
		if !sandboxed {
			var waiting []string
			for _, c := range hostileCases {
				if c.sandboxed {
					waiting = append(waiting, c.name)
				}
			}
			AddReportEntry("waits for the sandbox", "the grader cannot sandbox here: the verdicts and printed proofs of "+
				strings.Join(waiting, ", ")+" are not checked")
		}
		// A teacher's private copy of the exercise, marked, for the
		// program that hunts for specifications.
		private = GinkgoT().TempDir()
		marker = fmt.Sprintf("private-spec-%d", time.Now().UnixNano())
		src, err := os.ReadFile(filepath.Join(repoRoot, "exercises", "echo-tcp-client", "exercise.yaml"))
		Expect(err).NotTo(HaveOccurred())
		Expect(os.MkdirAll(filepath.Join(private, "echo-tcp-client"), 0o755)).To(Succeed())
		Expect(os.WriteFile(filepath.Join(private, "echo-tcp-client", "exercise.yaml"), append([]byte("# "+marker+"\n"), src...), 0o644)).To(Succeed())
		Expect(os.WriteFile(filepath.Join(private, "echo-tcp-client", "README.md"), []byte("# private\n"), 0o644)).To(Succeed())

		var mu sync.Mutex
		var jobs []func()
		for _, c := range hostileCases {
			tmp := GinkgoT().TempDir()
			DeferCleanup(killRun, tmp)
			if c.files != nil {
				for _, f := range c.files(tmp) {
					_ = os.Remove(f)
					DeferCleanup(func() { _ = os.Remove(f) })
				}
			}
			args := append([]string{"check", c.exercise, c.dir(), "--ports", "free", "--format", "json"}, c.args...)
			if c.name == "reads-exercises" {
				args = append(args, "--exercises", private)
			}
			if run := readExpect(c.dir()).Run; run != "" {
				args = append(args, "--run", run)
			}
			jobs = append(jobs, func() {
				r := gradeHostile(tmp, 2*time.Minute, args...)
				mu.Lock()
				runs[c.name] = r
				mu.Unlock()
			})
		}
		for i, b := range baselines {
			tmp := GinkgoT().TempDir()
			DeferCleanup(killRun, tmp)
			dir := filepath.Join("fixtures", "submissions", b.exercise, b.name)
			// Early in the queue and late, to see the load both times.
			at := min(i*len(jobs), len(jobs))
			jobs = append(jobs[:at], append([]func(){func() {
				r := gradeHostile(tmp, 2*time.Minute, "check", b.exercise, dir, "--ports", "free", "--format", "json")
				Expect(r.exit).To(Equal(exitPass), "baseline %s\nstderr:\n%s", dir, r.stderr)
				mu.Lock()
				defer mu.Unlock()
				for _, s := range parseReport(r.stdout).Scenarios {
					slack = max(slack, time.Duration(s.DurationMS)*time.Millisecond)
				}
			}}, jobs[at:]...)...)
		}
		inParallel(jobs)
		AddReportEntry("slack beyond timeout + 1 s", slack.String())
	})

	for _, c := range hostileCases {
		It(c.exercise+"/"+c.name+" is contained and honestly graded", func() {
			r, ok := runs[c.name]
			Expect(ok).To(BeTrue())
			ex := readExercise(c.exercise)
			timeout := ex.timeout()
			e := readExpect(c.dir())
			Expect(r.exit).To(BeElementOf(exitPass, exitFail), "grader check %s\nstderr:\n%s", c.dir(), r.stderr)
			rep := parseReport(r.stdout)
			printed := printedIn(r.stdout)

			By(fmt.Sprintf("ending each scenario within its timeout + 1 s (+ %v for this machine's load)", slack))
			limit := timeout + time.Second + slack
			budget := 5 * time.Second
			for _, s := range rep.Scenarios {
				d := time.Duration(s.DurationMS) * time.Millisecond
				if s.ID == "build" {
					budget += d
					continue
				}
				if s.Status != "skipped" {
					Expect(d).To(BeNumerically("<=", limit), "scenario %s took %v", s.ID, d)
					budget += limit
				}
			}
			Expect(r.took).To(BeNumerically("<=", budget), "the whole check")

			By("leaving no process and no file behind")
			Expect(r.most).To(BeNumerically(">=", c.seen), "processes of the run seen while it ran (the search must see them)")
			Expect(r.left).To(BeEmpty(), "processes of the run outlived the grader")
			if c.files == nil || sandboxed {
				Expect(r.leftFiles).To(BeEmpty(), "files left in the grader's temporary folder")
			}
			if c.files != nil && sandboxed {
				for _, f := range c.files(r.tmp) {
					_, err := os.Lstat(f)
					Expect(os.IsNotExist(err)).To(BeTrue(), "%s was written outside the run", f)
				}
			}
			if c.maxRSS > 0 {
				Expect(r.maxRSS).To(BeNumerically("<=", c.maxRSS), "peak memory of the grader, KiB")
			}
			for _, out := range [][]byte{r.stdout, r.stderr} {
				Expect(string(out)).NotTo(ContainSubstring("root:x:0:0"), "a linked file reached the report")
			}

			if c.sandboxed && !sandboxed {
				Skip("its containment and verdict wait for the sandbox")
			}
			for _, out := range [][]byte{r.stdout, r.stderr} {
				Expect(string(out)).NotTo(ContainSubstring(marker), "the private spec reached the report")
			}
			By("getting the verdict of its expect.yaml")
			Expect(rep.Score).To(Equal(*e.Score), "the program printed:\n%s", excerpt(printed))
			Expect(rep.failedChecks()).To(ConsistOf(e.Fail), "the program printed:\n%s", excerpt(printed))
			for id, st := range e.Statuses {
				Expect(rep.scenario(id).Status).To(Equal(st), id)
			}
			if c.printed != nil {
				By("failing at what it attempted, as it says itself")
				c.printed(printed)
			}
		})
	}
})

// withoutFences is Markdown without its fenced code blocks, where text is
// shown verbatim and never interpreted.
func withoutFences(md string) string {
	var b strings.Builder
	fence := ""
	for _, line := range strings.Split(md, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case fence == "" && strings.HasPrefix(t, "```"):
			fence = t[:len(t)-len(strings.TrimLeft(t, "`"))]
		case fence != "" && strings.HasPrefix(t, fence) && strings.Trim(t, "`") == "":
			fence = ""
		case fence == "":
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

// liveMarkup matches elements that run or load something in a browser;
// no report of the grader has any of its own.
var liveMarkup = regexp.MustCompile(`(?i)<\s*(script|img|iframe|svg|object|embed|link|meta|form)\b`)

// mdMarkup matches HTML that would change the layout of a Markdown
// report; the grader's own are <details>, <summary> and <code>.
var mdMarkup = regexp.MustCompile(`(?i)<\s*/?\s*(h[1-6]|p|pre|table|thead|tbody|td|tr|span|div|a|style)\b`)

// expectNothingForged checks one rendering of a report whose real score
// is score/maxScore over n scenarios: no raw escape or bidi control, no
// live markup where markup is rendered, and exactly one score, the real
// one, where a reader of that format looks for it.
func expectNothingForged(format, out string, score, maxScore, n int) {
	GinkgoHelper()
	Expect(out).NotTo(BeEmpty())
	Expect(strings.ContainsRune(out, 0x1b)).To(BeFalse(), "raw ESC in the %s report", format)
	Expect(strings.ContainsAny(out, "\u202e\u202d\u2066\u2067")).To(BeFalse(), "raw bidi control in the %s report", format)
	real := fmt.Sprintf("%d/%d", score, maxScore)
	lines := strings.Split(out, "\n")
	matching := func(re string) [][]string {
		var m [][]string
		r := regexp.MustCompile(re)
		for _, l := range lines {
			if x := r.FindStringSubmatch(l); x != nil {
				m = append(m, x)
			}
		}
		return m
	}
	switch format {
	case "text", "text-v":
		m := matching(`^score (\d+/\d+) · (\w+)`)
		Expect(m).To(HaveLen(1), "one line starts with the score")
		Expect(m[0][1]).To(Equal(real))
	case "json", "gradescope":
		var r struct {
			Score     int               `json:"score"`
			Scenarios []json.RawMessage `json:"scenarios"`
			Tests     []json.RawMessage `json:"tests"`
		}
		Expect(json.Unmarshal([]byte(out), &r)).To(Succeed())
		Expect(r.Score).To(Equal(score))
		Expect(len(r.Scenarios) + len(r.Tests)).To(Equal(n))
	case "junit":
		var r struct {
			Suites []struct {
				Properties []struct {
					Name  string `xml:"name,attr"`
					Value string `xml:"value,attr"`
				} `xml:"properties>property"`
				Cases []struct {
					Name string `xml:"name,attr"`
				} `xml:"testcase"`
			} `xml:"testsuite"`
		}
		Expect(xml.Unmarshal([]byte(out), &r)).To(Succeed())
		Expect(r.Suites).To(HaveLen(1))
		Expect(r.Suites[0].Cases).To(HaveLen(n))
		var scores []string
		for _, p := range r.Suites[0].Properties {
			if p.Name == "score" {
				scores = append(scores, p.Value)
			}
		}
		Expect(scores).To(Equal([]string{strconv.Itoa(score)}))
		Expect(liveMarkup.FindAllString(out, -1)).To(BeEmpty(), "live markup in the JUnit XML")
		Expect(strings.Count(out, "<testcase ")).To(Equal(n), "testcase elements")
	case "tap":
		Expect(matching(`^1\.\.(\d+)$`)).To(Equal([][]string{{"1.." + strconv.Itoa(n), strconv.Itoa(n)}}))
		Expect(matching(`^(not )?ok \d+`)).To(HaveLen(n), "test points")
		m := matching(`^# score (\d+/\d+)`)
		Expect(m).To(HaveLen(1))
		Expect(m[0][1]).To(Equal(real))
		Expect(matching(`^(::|score |Bail out!)`)).To(BeEmpty())
	case "markdown":
		md := withoutFences(out)
		Expect(liveMarkup.FindAllString(md, -1)).To(BeEmpty(), "live markup outside code blocks")
		Expect(mdMarkup.FindAllString(md, -1)).To(BeEmpty(), "layout markup outside code blocks")
		Expect(strings.Count(md, "<details")).To(Equal(strings.Count(md, "</details>")), "<details> balanced")
		Expect(md).NotTo(ContainSubstring("]("), "no link outside code blocks")
		Expect(md).NotTo(MatchRegexp(`(^|[^\\])@[A-Za-z]`), "no mention outside code blocks")
		Expect(regexp.MustCompile(`\*\*Score: (\d+/\d+)\*\*`).FindAllStringSubmatch(md, -1)).To(Equal([][]string{{"**Score: " + real + "**", real}}))
		h := regexp.MustCompile(`(?m)^#{1,6} .*$`).FindAllString(md, -1)
		Expect(h).To(HaveLen(1), "one heading")
		Expect(h[0]).To(HaveSuffix(": " + real))
	case "github":
		for _, l := range lines {
			if l != "" {
				Expect(l).To(HavePrefix("::"), "every line is a workflow command")
			}
		}
		m := matching(`^::notice title=score::(\d+/\d+) `)
		Expect(m).To(HaveLen(1))
		Expect(m[0][1]).To(Equal(real))
	case "html":
		head, body, ok := strings.Cut(out, "</head>")
		Expect(ok).To(BeTrue(), "an HTML document with a head")
		Expect(liveMarkup.FindAllString(body, -1)).To(BeEmpty(), "live markup in the HTML report")
		Expect(regexp.MustCompile(`(?i)<\s*(script|iframe|object|embed|link)\b`).FindAllString(head, -1)).To(BeEmpty(), "the page runs and loads nothing")
		for _, h := range regexp.MustCompile(`(?i)\bhref\s*=\s*"?([^"\s>]*)`).FindAllStringSubmatch(out, -1) {
			Expect(h[1]).To(HavePrefix("#"), "the report links only within itself")
		}
		m := regexp.MustCompile(`class="score">([^<]*)`).FindAllStringSubmatch(out, -1)
		Expect(m).To(HaveLen(1))
		Expect(m[0][1]).To(HavePrefix("Score " + real + " "))
	default:
		Fail("no check for format " + format)
	}
}

var _ = Describe("reports of hostile output", Ordered, ContinueOnFailure, func() {
	fixtures := []hostileCase{
		{exercise: "echo-tcp-client", name: "forged-report"},
		{exercise: "echo-tcp-server", name: "script-injection"},
		{exercise: "http-get", name: "binary-garbage"},
	}
	formats := []string{"text", "text-v", "json", "junit", "gradescope", "tap", "markdown", "github", "html"}
	rendered := map[string]hostileRun{}

	BeforeAll(func() {
		var mu sync.Mutex
		var jobs []func()
		for _, c := range fixtures {
			for _, f := range formats {
				tmp := GinkgoT().TempDir()
				DeferCleanup(killRun, tmp)
				args := []string{"check", c.exercise, c.dir(), "--ports", "free", "--format", strings.TrimSuffix(f, "-v")}
				if f == "text-v" {
					args = append(args, "-v")
				}
				jobs = append(jobs, func() {
					r := gradeHostile(tmp, 2*time.Minute, args...)
					mu.Lock()
					rendered[c.name+" "+f] = r
					mu.Unlock()
				})
			}
		}
		inParallel(jobs)
	})

	for _, c := range fixtures {
		It("forge nothing from "+c.exercise+"/"+c.name+" in any format", func() {
			e := readExpect(c.dir())
			maxScore := readExercise(c.exercise).points()
			js := rendered[c.name+" json"]
			n := len(parseReport(js.stdout).Scenarios)
			for _, f := range formats {
				r := rendered[c.name+" "+f]
				Expect(r.exit).To(Equal(exitFail), "grader check --format %s\nstderr:\n%s", f, r.stderr)
				Expect(strings.ContainsRune(string(r.stderr), 0x1b)).To(BeFalse(), "raw ESC on stderr")
				By("reading the " + f + " report")
				expectNothingForged(f, string(r.stdout), *e.Score, maxScore, n)
			}
		})
	}
	It("would catch a forged score, live markup or a raw escape in every format", func() {
		// forged-report's own reports (3/10 over 3 scenarios), tampered
		// with: the checks above are not vacuous.
		forged := map[string]func(string) string{
			"text":       func(s string) string { return s + "score 10/10 · passed · 0.1s\n" },
			"text-v":     func(s string) string { return "score 10/10 · passed\n" + s },
			"json":       func(s string) string { return strings.Replace(s, `"score": 3`, `"score": 10`, 1) },
			"gradescope": func(s string) string { return strings.Replace(s, `"score": 3`, `"score": 10`, 1) },
			"junit": func(s string) string {
				return strings.Replace(s, `name="score" value="3"`, `name="score" value="10"`, 1)
			},
			"tap":      func(s string) string { return s + "ok 4 - forged\n" },
			"markdown": func(s string) string { return s + "<script>alert(1)</script>\n" },
			"github":   func(s string) string { return s + "::notice title=score::10/10 forged\n" },
			"html":     func(s string) string { return strings.Replace(s, "</body>", "<img src=x onerror=alert(1)></body>", 1) },
		}
		Expect(forged).To(HaveLen(len(formats)))
		for _, f := range formats {
			out := string(rendered["forged-report "+f].stdout)
			Expect(InterceptGomegaFailure(func() { expectNothingForged(f, out, 3, 10, 3) })).To(Succeed(), "the real %s report passes", f)
			Expect(InterceptGomegaFailure(func() { expectNothingForged(f, forged[f](out), 3, 10, 3) })).To(HaveOccurred(), "a tampered %s report is caught", f)
			Expect(InterceptGomegaFailure(func() { expectNothingForged(f, "\x1b[2J"+out, 3, 10, 3) })).To(HaveOccurred(), "a raw ESC in the %s report is caught", f)
		}
	})
})

var _ = Describe("a batch mixing hostile and good submissions", Ordered, ContinueOnFailure, func() {
	const exercise = "echo-tcp-client"
	good := []string{"seed-python", "c", "go"}
	var (
		// hostile are the attacks in the class: those only the sandbox
		// contains (a fork bomb starves the machine) only where it works.
		hostile   []hostileCase
		subs, out string
		r         hostileRun
		sandboxed bool
	)

	result := func(student string) []byte {
		GinkgoHelper()
		b, err := os.ReadFile(filepath.Join(out, "results", student, exercise+".json"))
		Expect(err).NotTo(HaveOccurred(), "no result for %s", student)
		return b
	}

	BeforeAll(func() {
		sandboxed = sandboxWorks()
		for _, c := range hostileCases {
			switch c.name {
			case "fork-bomb", "double-fork-daemon", "memory-hog", "binds-seed-port", "reads-other-submissions", "thousand-connections", "gigabyte-stdout", "cpu-spin":
				if !c.sandboxed || sandboxed {
					hostile = append(hostile, c)
				}
			}
		}
		subs = GinkgoT().TempDir()
		out = filepath.Join(GinkgoT().TempDir(), "out")
		cp := func(src, dst string) {
			Expect(exec.Command("cp", "-r", filepath.Join(repoRoot, src), filepath.Join(subs, dst)).Run()).To(Succeed())
		}
		for _, g := range good {
			cp(filepath.Join("fixtures", "submissions", exercise, g), "good-"+g)
		}
		for _, c := range hostile {
			cp(c.dir(), "hostile-"+c.name)
		}
		// A zip bomb, a file linked to /etc/passwd as the exercise's
		// file, and an exercise folder linked to another student's.
		cp(filepath.Join("fixtures", "hostile", exercise, "zip-bomb", "bomb.zip"), "mallory.zip")
		Expect(os.Mkdir(filepath.Join(subs, "linker"), 0o755)).To(Succeed())
		Expect(os.Symlink("/etc/passwd", filepath.Join(subs, "linker", exercise+".py"))).To(Succeed())
		Expect(os.Mkdir(filepath.Join(subs, "copycat"), 0o755)).To(Succeed())
		Expect(os.Symlink(filepath.Join("..", "good-seed-python"), filepath.Join(subs, "copycat", exercise))).To(Succeed())

		tmp := GinkgoT().TempDir()
		DeferCleanup(killRun, tmp)
		r = gradeHostile(tmp, 5*time.Minute, "batch", exercise, "--submissions", subs, "--out", out, "--jobs", "2", "--ports", "seed")
	})

	It("grades everyone in bounded time, leaving no process and no file behind", func() {
		Expect(r.exit).To(Equal(exitPass), "grader batch\nstderr:\n%s", r.stderr)
		Expect(r.took).To(BeNumerically("<", 4*time.Minute))
		Expect(r.most).To(BeNumerically(">=", 2), "processes of the run seen while it ran (the search must see them)")
		Expect(r.left).To(BeEmpty(), "processes of the batch outlived it")
		Expect(r.leftFiles).To(BeEmpty(), "files left in the grader's temporary folder")
		timeout := readExercise(exercise).timeout()
		ents, err := os.ReadDir(filepath.Join(out, "results"))
		Expect(err).NotTo(HaveOccurred())
		Expect(ents).To(HaveLen(len(good) + len(hostile) + 3))
		for _, e := range ents {
			rep := parseReport(result(e.Name()))
			for _, s := range rep.Scenarios {
				if s.ID != "build" {
					Expect(time.Duration(s.DurationMS)*time.Millisecond).To(BeNumerically("<=", timeout+time.Second), "%s: scenario %s", e.Name(), s.ID)
				}
			}
		}
	})

	It("keeps the full score of the good submissions", func() {
		for _, g := range good {
			rep := parseReport(result("good-" + g))
			Expect(rep.failedChecks()).To(BeEmpty(), "good-%s:\n%s", g, excerpt(printedIn(result("good-"+g))))
			Expect(rep.Score).To(Equal(rep.MaxScore), "good-%s", g)
			Expect(rep.Status).To(Equal("passed"))
		}
	})

	It("gives each hostile submission the verdict it gets alone", func() {
		for _, c := range hostile {
			e := readExpect(c.dir())
			b := result("hostile-" + c.name)
			rep := parseReport(b)
			Expect(rep.Score).To(Equal(*e.Score), "%s:\n%s", c.name, excerpt(printedIn(b)))
			Expect(rep.failedChecks()).To(ConsistOf(e.Fail), c.name)
			if c.printed != nil {
				c.printed(printedIn(b))
			}
		}
		if sandboxed {
			printed := printedIn(result("hostile-reads-other-submissions"))
			for _, l := range linesWith(printed, subs) {
				Expect(l).To(ContainSubstring(": read 0 files"), "the other submissions are hidden")
			}
			for _, l := range linesWith(printed, out) {
				Expect(l).To(ContainSubstring(": read 0 files"), "the other results are hidden")
			}
		}
	})

	It("grades the zip bomb and the linked submissions as failures of their own, leaking nothing", func() {
		for _, student := range []string{"mallory", "linker", "copycat"} {
			rep := parseReport(result(student))
			Expect(rep.Score).To(BeZero(), student)
			Expect(rep.Status).To(Equal("failed"), student)
		}
		var files []string
		Expect(filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				files = append(files, p)
			}
			return err
		})).To(Succeed())
		sort.Strings(files)
		Expect(files).NotTo(BeEmpty())
		for _, f := range append(files, "") {
			b := r.stderr
			if f != "" {
				var err error
				b, err = os.ReadFile(f)
				Expect(err).NotTo(HaveOccurred())
			}
			Expect(string(b)).NotTo(ContainSubstring("root:x:0:0"), "a linked file reached %s", f)
		}
	})
})
