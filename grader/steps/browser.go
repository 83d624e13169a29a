package steps

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
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

// browserPage connects to the server, sends the text and reports what
// came back (or the error) to the page's own server: the grader waits for
// that report instead of guessing when the page is done.
const browserPage = `<!doctype html><meta charset="utf-8"><title>ws</title>
<script>
function report(kind, text) {
  fetch("/result", {method: "POST", body: kind + "\n" + text});
}
try {
  const ws = new WebSocket(%q);
  let done = false;
  ws.onopen = () => ws.send(%q);
  ws.onmessage = (e) => { done = true; report("ECHO", e.data); ws.close(1000); };
  ws.onerror = () => { if (!done) { done = true; report("ERROR", "the browser could not use the WebSocket (handshake refused, bad frame or connection failed)"); } };
  ws.onclose = (e) => { if (!done) { done = true; report("CLOSED", "the connection closed with code " + e.code + " before any message came back"); } };
} catch (e) { report("ERROR", String(e)); }
</script>`

// browser runs one browser step: a page served from loopback opens a
// WebSocket to the student's server in headless Chromium and reports the
// outcome back; the browser is killed as soon as it has.
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
	results := make(chan string, 1)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		c.Message = "could not serve the test page: " + err.Error()
		return c
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/result", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		select {
		case results <- string(body):
		default:
		}
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(page))
	})
	srv := &http.Server{Handler: mux}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	timeout := b.Timeout.Std(15 * time.Second)
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
		"http://"+ln.Addr().String()+"/")
	cmd.WaitDelay = time.Second
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		c.Message = "could not start chromium: " + err.Error()
		return c
	}
	defer func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
	}()
	var got string
	select {
	case got = <-results:
	case <-bctx.Done():
		c.Message = fmt.Sprintf("the browser's page got no answer from %s within %v", url, timeout)
		return c
	}
	kind, text, _ := strings.Cut(got, "\n")
	switch {
	case kind == "ECHO" && text == b.Text:
		c.Passed, c.Actual = true, "echoed "+check.Quote([]byte(b.Text), 80)
	case kind == "ECHO":
		c.Message = fmt.Sprintf("the browser received %s, expected %s", check.Quote([]byte(text), 200), check.Quote([]byte(b.Text), 80))
	default:
		c.Message = text
	}
	return c
}
