package steps

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"time"

	"github.com/netlab-grader/grader/grader/check"
	"github.com/netlab-grader/grader/grader/result"
	"github.com/netlab-grader/grader/grader/spec"
)

// ErrNoBrowser means no Chromium is installed: a browser step is skipped.
var ErrNoBrowser = errors.New("chromium is not installed")

// Chromium finds the browser, or returns ErrNoBrowser.
func Chromium() (string, error) {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoBrowser
}

// browserPage connects to the server, sends the text and shows what came
// back (or the error) in an element the grader reads from the DOM.
const browserPage = `<!doctype html><meta charset="utf-8"><title>ws</title>
<pre id="out">waiting</pre>
<script>
const out = document.getElementById("out");
try {
  const ws = new WebSocket(%q);
  ws.onopen = () => ws.send(%q);
  ws.onmessage = (e) => { out.textContent = "ECHO[" + e.data + "]"; ws.close(1000); };
  ws.onerror = () => { out.textContent = "ERROR[the browser could not use the WebSocket: handshake refused or connection failed]"; };
  ws.onclose = (e) => { if (out.textContent === "waiting") out.textContent = "CLOSED[" + e.code + "]"; };
} catch (e) { out.textContent = "ERROR[" + e + "]"; }
</script>`

var outRE = regexp.MustCompile(`(ECHO|ERROR|CLOSED)\[(.*?)\]`)

// browser runs one browser step: a page served from loopback opens a
// WebSocket to the student's server in headless Chromium.
func (s *Session) browser(ctx context.Context, b *spec.Browser) result.Check {
	id := b.ID
	if id == "" {
		id = "browser"
	}
	c := result.Check{Name: id, Expected: fmt.Sprintf("a browser's WebSocket gets %q echoed", b.Text), Hint: b.Hint}
	bin, err := Chromium()
	if err != nil {
		c.Message = err.Error()
		return c
	}
	url := "ws://" + s.Target.Addr() + "/"
	page := fmt.Sprintf(browserPage, url, b.Text)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		c.Message = "could not serve the test page: " + err.Error()
		return c
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(page))
	})}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	timeout := b.Timeout.Std(10 * time.Second)
	bctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	profile, err := os.MkdirTemp("", "grader-chromium-")
	if err != nil {
		c.Message = err.Error()
		return c
	}
	defer os.RemoveAll(profile)
	cmd := exec.CommandContext(bctx, bin, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--no-first-run", "--disable-quic", "--user-data-dir="+profile,
		"--virtual-time-budget=5000", "--dump-dom", "http://"+ln.Addr().String()+"/")
	cmd.WaitDelay = time.Second
	outb, _ := cmd.Output()
	m := outRE.FindStringSubmatch(string(outb))
	switch {
	case m == nil:
		c.Message = fmt.Sprintf("the browser's page saw no answer from %s within %v", url, timeout)
	case m[1] == "ECHO" && html.UnescapeString(m[2]) == b.Text:
		c.Passed, c.Actual = true, "echoed "+check.Quote([]byte(b.Text), 80)
	case m[1] == "ECHO":
		c.Message = fmt.Sprintf("the browser received %s, expected %s", check.Quote([]byte(html.UnescapeString(m[2])), 200), check.Quote([]byte(b.Text), 80))
	default:
		c.Message = strings.ToLower(m[1]) + ": " + html.UnescapeString(m[2])
	}
	return c
}
