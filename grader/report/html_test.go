package report_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/result"
)

// htmlTag is a raw tag in the page: what a browser would parse as markup.
var htmlTag = regexp.MustCompile(`<(/?)([A-Za-z][A-Za-z0-9-]*|!DOCTYPE)([^>]*)>`)

// the tags the template writes; anything else came from somewhere else
var ourTags = map[string]bool{
	"!DOCTYPE": true, "html": true, "head": true, "meta": true, "title": true, "style": true, "body": true,
	"h1": true, "h2": true, "h3": true, "p": true, "ul": true, "li": true, "a": true, "span": true,
	"section": true, "table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true,
	"code": true, "details": true, "summary": true, "div": true, "pre": true, "strong": true,
}

var _ = Describe("HTML", func() {
	It("is one self-contained page with a CSP that allows no script and no resource", func() {
		out := render("html", sampleReport())
		Expect(out).To(HavePrefix("<!DOCTYPE html>"))
		Expect(out).To(ContainSubstring(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`))
		Expect(strings.Index(out, "Content-Security-Policy")).To(BeNumerically("<", strings.Index(out, "<title>")))
		Expect(out).To(ContainSubstring("<title>Grader report: echo-tcp-server (server.py)</title>"))
		Expect(strings.ToLower(out)).NotTo(ContainSubstring("<script"))
		Expect(out).NotTo(MatchRegexp(`(?i)(src|href)="(https?:)?//`))
		Expect(out).NotTo(MatchRegexp(`(?i)<link`))
		Expect(out).NotTo(MatchRegexp(`(?i)url\(`))
	})

	It("shows status, points, checks, the wire as hex and text, and the program's output", func() {
		r := sampleReport()
		r.Scenarios[1].Stdout = "bonjour\n"
		r.Scenarios[1].Stderr = "Traceback (most recent call last)"
		out := render("html", r)
		Expect(out).To(ContainSubstring(`<span class="badge failed">failed</span> <span class="muted">0/4 · 0ms</span>`))
		Expect(out).To(ContainSubstring("<td><code>reply</code></td>"))
		Expect(out).To(ContainSubstring("<span class=\"mono\">`bonjour OK`</span>"))
		Expect(out).To(ContainSubstring("<span class=\"mono\">`bonjour` (7 bytes)</span>"))
		Expect(out).To(ContainSubstring("<pre>your server sent `bonjour` (7 bytes), expected `bonjour OK`: it stops after 7 bytes, ` OK` is missing</pre>"))
		Expect(out).To(ContainSubstring("<strong>Hint:</strong> Append &#34; OK&#34; to the message."))
		Expect(out).To(ContainSubstring("0000  62 6f 6e 6a 6f 75 72 00 "))
		Expect(out).To(ContainSubstring(" bonjour.</pre>"))
		Expect(out).To(ContainSubstring(`<pre title="text">bonjour\0</pre>`))
		Expect(out).To(ContainSubstring("<h3>stdout</h3><pre>bonjour\n</pre>"))
		Expect(out).To(ContainSubstring("<h3>stderr</h3><pre>Traceback (most recent call last)</pre>"))
		// passing scenarios are folded, failing ones open
		Expect(out).To(ContainSubstring(`<details class="scenario" id="r1-s1">`))
		Expect(out).To(ContainSubstring(`<details class="scenario" id="r1-s2" open>`))
	})

	It("escapes a student's markup everywhere: no <script, no onerror= attribute", func() {
		for _, reps := range [][]*result.Report{{hostileReport()}, {sampleReport(), hostileReport()}} {
			out := render("html", reps...)
			Expect(strings.ToLower(out)).NotTo(ContainSubstring("<script"))
			Expect(strings.ToLower(out)).NotTo(ContainSubstring("<img"))
			Expect(out).To(ContainSubstring("&lt;script&gt;alert(1)&lt;/script&gt;&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"))
			for _, m := range htmlTag.FindAllStringSubmatch(out, -1) {
				Expect(ourTags).To(HaveKey(m[2]), "a tag the template does not write: %q", m[0])
				Expect(strings.ToLower(m[3])).NotTo(ContainSubstring("onerror"), m[0])
				Expect(strings.ToLower(m[3])).NotTo(ContainSubstring("javascript:"), m[0])
			}
			// every "onerror=" is text: the last raw < before it was closed
			onerror := regexp.MustCompile(`(?i)onerror\s*=`).FindAllStringIndex(out, -1)
			Expect(onerror).NotTo(BeEmpty())
			for _, i := range onerror {
				before := out[:i[0]]
				Expect(strings.LastIndex(before, ">")).To(BeNumerically(">", strings.LastIndex(before, "<")),
					"onerror= inside a tag: %q", before[max(0, len(before)-80):])
			}
			for _, c := range []string{"\x00", "\x1b", "\x07", "\xff"} {
				Expect(out).NotTo(ContainSubstring(c), "%q", c)
			}
		}
	})

	It("caps the hex dump of a flood", func() {
		r := sampleReport()
		r.Scenarios[1].Transcript = []result.Chunk{{Conn: 1, Dir: "s>c", Bytes: make([]byte, 1<<20)}}
		out := render("html", r)
		Expect(out).To(ContainSubstring("… 1044480 more bytes"))
		Expect(len(out)).To(BeNumerically("<", 200<<10))
	})

	Describe("in a real browser", Ordered, func() {
		var chromium string
		BeforeAll(func() {
			if _, err := os.Stat("/usr/bin/chromium"); err != nil {
				Skip("/usr/bin/chromium is not installed (Debian package chromium): the page is not rendered")
			}
			chromium = "/usr/bin/chromium"
		})

		browse := func(page string, extra ...string) []byte {
			GinkgoHelper()
			dir := GinkgoT().TempDir()
			file := filepath.Join(dir, "report.html")
			Expect(os.WriteFile(file, []byte(page), 0o644)).To(Succeed())
			ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
			defer cancel()
			args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
				"--disable-component-update", "--no-first-run", "--user-data-dir=" + filepath.Join(dir, "profile")}, extra...)
			cmd := exec.CommandContext(ctx, chromium, append(args, "file://"+file)...)
			cmd.Dir = dir
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			Expect(err).NotTo(HaveOccurred(), "chromium: %s", stderr.String())
			return out
		}

		It("renders a readable page (a screenshot of real size)", func() {
			dir := GinkgoT().TempDir()
			shot := filepath.Join(dir, "shot.png")
			browse(render("html", sampleReport(), hostileReport()), "--screenshot="+shot, "--window-size=1200,2000")
			png, err := os.ReadFile(shot)
			Expect(err).NotTo(HaveOccurred())
			Expect(png[:8]).To(Equal([]byte("\x89PNG\r\n\x1a\n")))
			Expect(len(png)).To(BeNumerically(">", 10<<10), "a blank page compresses to almost nothing")
			// left for a person to look at
			Expect(os.WriteFile("/tmp/grader-report.png", png, 0o644)).To(Succeed())
		})

		It("would see a script run (the harness is not blind)", func() {
			dom := string(browse("<!DOCTYPE html><title>before</title><script>document.title='pwned'</script>", "--dump-dom"))
			Expect(dom).To(ContainSubstring("<title>pwned</title>"))
		})

		It("runs nothing a student printed: the title stays", func() {
			r := sampleReport()
			pwn := "<script>document.title='pwned'</script>"
			r.Scenarios[1].Stdout = pwn
			r.Scenarios[1].Checks[1].Message = pwn + `"><img src=x onerror="document.title='pwned'">`
			r.Submission = pwn
			dom := string(browse(render("html", r), "--dump-dom"))
			title := regexp.MustCompile(`<title>([^<]*)</title>`).FindStringSubmatch(dom)
			Expect(title).NotTo(BeNil(), dom)
			Expect(title[1]).To(Equal("Grader report: echo-tcp-server (&lt;script&gt;document.title='pwned'&lt;/script&gt;)"))
			Expect(dom).NotTo(ContainSubstring("<script"))
			Expect(dom).NotTo(ContainSubstring("<img"))
		})
	})
})
