package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// httpTarget is the floor on the reference HTTP server's
// keep-alive throughput as a fraction of nginx's on the same machine.
const httpTarget = 0.8

// httpLoad is wrk's load, the same for both servers: keep-alive (wrk's
// default), a bounded duration. httpWarm is a shorter run first, so
// neither server is measured cold. The servers take turns httpRounds
// times and each one's best round counts: on a machine shared with other
// work, the best round is the one least disturbed.
var (
	httpLoad = []string{"-t2", "-c32", "-d5s"}
	httpWarm = []string{"-t2", "-c32", "-d1s"}
)

const httpRounds = 2

// httpFile is the page both servers serve, under fixtures/www.
const httpFile = "index.html"

// httpThroughput compares the keep-alive throughput of `grader serve http`
// with nginx's serving the same file under the same wrk load. Without
// nginx or wrk (and no way to install them) it prints how to get them and
// goes on: the rest of the bench does not need them.
func (b *bench) httpThroughput() {
	b.printf("HTTP keep-alive throughput: `grader serve http` and nginx serving fixtures/www/%s, wrk %s\n", httpFile, strings.Join(httpLoad, " "))
	nginx, wrk, err := httpTools(b.out)
	if err != nil {
		line := fmt.Sprintf("http keep-alive throughput: skipped, %v", err)
		b.printf("  %s\n\n", line)
		b.summary = append(b.summary, line)
		return
	}
	www := filepath.Join(b.root, "fixtures", "www")
	want, err := os.ReadFile(filepath.Join(www, httpFile))
	if err != nil {
		b.fail("http throughput: %v", err)
		return
	}
	tmp, err := os.MkdirTemp("", "grader-bench-http-")
	if err != nil {
		b.fail("http throughput: %v", err)
		return
	}
	defer os.RemoveAll(tmp)

	ours, err := startGraderHTTP(b.grader, www)
	if err != nil {
		b.fail("http throughput: grader serve http: %v", err)
		return
	}
	defer ours.stop()
	theirs, err := startNginx(nginx, tmp, www)
	if err != nil {
		b.fail("http throughput: nginx: %v", err)
		return
	}
	defer theirs.stop()

	b.printf("  grader    %s serve http --root fixtures/www on %s (GOMAXPROCS = %d cores)\n", filepath.Base(b.grader), ours.addr, runtime.NumCPU())
	b.printf("  nginx     %s, %s, on %s: worker_processes %d, keepalive on (its defaults: keepalive_timeout 75s,\n", nginx, nginxVersion(nginx), theirs.addr, runtime.NumCPU())
	b.printf("            keepalive_requests 1000), sendfile as nginx defaults (off), access_log off\n")
	b.printf("  load      %s %s http://ADDR/%s, after a warm-up (%s); both on this machine's %d cores with wrk,\n", wrk, strings.Join(httpLoad, " "), httpFile, strings.Join(httpWarm, " "), runtime.NumCPU())
	b.printf("            taking turns %d times; each one's best round counts. CPU per request (user + system, its\n", httpRounds)
	b.printf("            processes) is less sensitive to other work on the machine than requests/s\n")

	servers := []*server{ours, theirs}
	for _, srv := range servers {
		if err := sameFile(srv.url(), want); err != nil {
			b.fail("http throughput: %s: %v", srv.name, err)
			return
		}
		if _, err := runWrk(wrk, httpWarm, srv.url()); err != nil {
			b.fail("http throughput: %s warm-up: %v", srv.name, err)
			return
		}
	}
	best := map[string]wrkResult{}
	for round := range httpRounds {
		for _, srv := range servers {
			cpu0 := srv.cpu()
			res, err := runWrk(wrk, httpLoad, srv.url())
			if err != nil {
				b.fail("http throughput: %s: %v", srv.name, err)
				return
			}
			if !srv.alive() {
				b.fail("http throughput: %s ended during the load", srv.name)
				return
			}
			if res.requests > 0 {
				res.cpuPerReq = (srv.cpu() - cpu0) / time.Duration(res.requests)
			}
			b.printf("  round %d   %-6s %8.0f requests/s, %5.1f µs of its CPU per request %s\n", round+1, srv.name, res.rps, float64(res.cpuPerReq)/1e3, res.notes)
			if res.rps > best[srv.name].rps {
				best[srv.name] = res
			}
		}
	}
	rates := map[string]float64{ours.name: best[ours.name].rps, theirs.name: best[theirs.name].rps}
	r := rates[ours.name] / rates[theirs.name]
	verdict := "OK"
	if r < httpTarget {
		verdict = "BELOW"
	}
	line := fmt.Sprintf("http keep-alive throughput: grader serve http %.0f requests/s, nginx %.0f: ratio %.2f (target ≥ %.1f) %s",
		rates[ours.name], rates[theirs.name], r, httpTarget, verdict)
	b.printf("  best      grader %.0f, nginx %.0f requests/s: ratio %.2f (target ≥ %.1f) %s\n\n", rates[ours.name], rates[theirs.name], r, httpTarget, verdict)
	b.summary = append(b.summary, line)
}

// httpTools finds nginx and wrk, installing the missing ones with apt-get
// when it is there and this runs as root (as .ci/deps does). The error
// says how to install them.
func httpTools(out io.Writer) (nginx, wrk string, err error) {
	find := func() {
		nginx, wrk = lookPath("nginx"), lookPath("wrk")
	}
	find()
	missing := func() []string {
		var m []string
		if nginx == "" {
			m = append(m, "nginx")
		}
		if wrk == "" {
			m = append(m, "wrk")
		}
		return m
	}
	pkgs := missing()
	if len(pkgs) == 0 {
		return nginx, wrk, nil
	}
	how := fmt.Errorf("%s not installed (apt-get install %s)", strings.Join(pkgs, " and "), strings.Join(pkgs, " "))
	if _, err := exec.LookPath("apt-get"); err != nil || os.Geteuid() != 0 {
		return "", "", how
	}
	fmt.Fprintf(out, "  installing %s (apt-get)\n", strings.Join(pkgs, " "))
	if err := aptInstall(pkgs); err != nil {
		return "", "", fmt.Errorf("%w; apt-get: %v", how, err)
	}
	find()
	if len(missing()) > 0 {
		return "", "", how
	}
	return nginx, wrk, nil
}

// lookPath finds a command in PATH or in /usr/sbin (where nginx is, and
// which a user's PATH may lack); "" when it is nowhere.
func lookPath(name string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	p := filepath.Join("/usr/sbin", name)
	if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
		return p
	}
	return ""
}

// aptInstall installs Debian packages quietly, bounded in time.
func aptInstall(pkgs []string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	for _, args := range [][]string{
		{"update", "-qq"},
		append([]string{"install", "-y", "-qq", "--no-install-recommends"}, pkgs...),
	} {
		cmd := exec.CommandContext(ctx, "apt-get", args...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%s: %w: %s", args[0], err, lastLine(out))
		}
	}
	return nil
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}

func nginxVersion(nginx string) string {
	out, err := exec.Command(nginx, "-v").CombinedOutput()
	if err != nil {
		return "version unknown"
	}
	_, v, _ := strings.Cut(strings.TrimSpace(string(out)), ": ")
	return v
}

// server is one of the two servers under load, a process of this tool's.
type server struct {
	name, addr string
	cmd        *exec.Cmd
	done       chan struct{}
	err        error // Wait's, once done is closed
}

func launch(name string, cmd *exec.Cmd) (*server, error) {
	// Its own process group, so stop reaches what it started too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{name: name, cmd: cmd, done: make(chan struct{})}
	go func() {
		s.err = cmd.Wait()
		close(s.done)
	}()
	return s, nil
}

func (s *server) url() string { return "http://" + s.addr + "/" + httpFile }

// cpu is the user and system time used so far by the server's process
// and its children (nginx's workers), from /proc; 0 where it cannot be
// read.
func (s *server) cpu() time.Duration {
	pid := s.cmd.Process.Pid
	pids := []int{pid}
	if ents, err := os.ReadDir("/proc"); err == nil {
		for _, e := range ents {
			if p, err := strconv.Atoi(e.Name()); err == nil && p != pid && ppid(p) == pid {
				pids = append(pids, p)
			}
		}
	}
	var ticks int64
	for _, p := range pids {
		f := statFields(p)
		if len(f) > 13 {
			u, _ := strconv.ParseInt(f[11], 10, 64)
			s, _ := strconv.ParseInt(f[12], 10, 64)
			ticks += u + s
		}
	}
	// USER_HZ is 100 on Linux.
	return time.Duration(ticks) * 10 * time.Millisecond
}

// statFields are the fields of /proc/PID/stat after the command name
// (which may hold spaces): state is [0], ppid [1], utime [11], stime [12].
func statFields(pid int) []string {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil
	}
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return nil
	}
	return strings.Fields(string(data[i+1:]))
}

func ppid(pid int) int {
	f := statFields(pid)
	if len(f) < 2 {
		return 0
	}
	p, _ := strconv.Atoi(f[1])
	return p
}

func (s *server) alive() bool {
	select {
	case <-s.done:
		return false
	default:
		return true
	}
}

// stop asks the server to end (SIGTERM, which both handle: nginx's fast
// shutdown) and kills its process group if it has not within 5 s.
func (s *server) stop() {
	if !s.alive() {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-s.done
	}
}

// listening matches the line `grader serve` prints once it listens.
var listening = regexp.MustCompile(`listening on (\S+)`)

// startGraderHTTP runs `grader serve http` on a free loopback port (port
// 0: the kernel picks it, and the grader says which) and returns once it
// listens. Its stdout, which shows the exchange as it happens, is read
// and dropped.
func startGraderHTTP(grader, www string) (*server, error) {
	cmd := exec.Command(grader, "serve", "http", "--root", www, "--host", "127.0.0.1", "--port", "0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	s, err := launch("grader", cmd)
	if err != nil {
		return nil, err
	}
	addr := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		line, _ := r.ReadString('\n')
		if m := listening.FindStringSubmatch(line); m != nil {
			addr <- m[1]
		}
		close(addr)
		_, _ = io.Copy(io.Discard, r)
	}()
	select {
	case a, ok := <-addr:
		if ok {
			s.addr = a
			return s, nil
		}
	case <-time.After(10 * time.Second):
	}
	s.stop()
	return nil, fmt.Errorf("it did not say it listens within 10 s: %s", strings.TrimSpace(stderr.String()))
}

// nginxConf is a configuration that needs no privilege: everything nginx
// writes is under its own prefix, it listens on a loopback port, and it
// serves www with keep-alive and its defaults otherwise.
const nginxConf = `daemon off;
worker_processes %d;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log warn;
events {
    worker_connections 1024;
}
http {
    access_log off;
    client_body_temp_path %[2]s/client_body;
    proxy_temp_path %[2]s/proxy;
    fastcgi_temp_path %[2]s/fastcgi;
    uwsgi_temp_path %[2]s/uwsgi;
    scgi_temp_path %[2]s/scgi;
    types {
        text/html html;
    }
    default_type application/octet-stream;
    server {
        listen %[3]s;
        root %[4]s;
    }
}
`

// startNginx runs nginx in the foreground with its own prefix dir under
// tmp on a free loopback port, and returns once it accepts connections.
// A port taken between the probe and nginx's bind is retried.
func startNginx(nginx, tmp, www string) (*server, error) {
	var last error
	for range 3 {
		port, err := freeTCPPort("127.0.0.1")
		if err != nil {
			return nil, err
		}
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		conf := filepath.Join(tmp, "nginx.conf")
		if err := os.WriteFile(conf, fmt.Appendf(nil, nginxConf, runtime.NumCPU(), tmp, addr, www), 0o644); err != nil {
			return nil, err
		}
		errLog := filepath.Join(tmp, "error.log")
		_ = os.Remove(errLog)
		// -e: the log used before the configuration is read, which is
		// otherwise /var/log/nginx/error.log.
		cmd := exec.Command(nginx, "-p", tmp, "-c", conf, "-e", errLog)
		var stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = io.Discard, &stderr
		s, err := launch("nginx", cmd)
		if err != nil {
			return nil, err
		}
		s.addr = addr
		if err = s.waitListening(10 * time.Second); err == nil {
			return s, nil
		}
		s.stop()
		log, _ := os.ReadFile(errLog)
		last = fmt.Errorf("%w: %s", err, lastLine(append(stderr.Bytes(), log...)))
	}
	return nil, last
}

// waitListening polls a connect until it succeeds, the process ends, or
// the deadline passes.
func (s *server) waitListening(within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		c, err := net.DialTimeout("tcp", s.addr, time.Second)
		if err == nil {
			_ = c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not listening on %s within %v", s.addr, within)
		}
		select {
		case <-s.done:
			return fmt.Errorf("it exited before it listened: %v", s.err)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// sameFile fetches url once and checks the answer is the whole file, so
// both servers are measured doing the same work.
func sameFile(url string, want []byte) error {
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || !bytes.Equal(got, want) {
		return fmt.Errorf("GET %s: %s with %d bytes, not the %d bytes of the file", url, resp.Status, len(got), len(want))
	}
	return nil
}

// wrkResult is what is read from wrk's report.
type wrkResult struct {
	rps      float64
	requests int64
	// cpuPerReq is the server's CPU time per request, filled in by the
	// caller.
	cpuPerReq time.Duration
	// notes has wrk's socket errors, if any.
	notes string
}

var (
	wrkRate   = regexp.MustCompile(`(?m)^Requests/sec:\s+([0-9.]+)`)
	wrkCount  = regexp.MustCompile(`(?m)^\s*(\d+) requests in `)
	wrkErrors = regexp.MustCompile(`(?m)^\s*Socket errors: .*$`)
	wrkNon2xx = regexp.MustCompile(`(?m)^\s*Non-2xx or 3xx responses: (\d+)`)
)

// runWrk runs wrk with args against url and reads its report.
func runWrk(wrk string, args []string, url string) (wrkResult, error) {
	d := 5 * time.Second
	for _, a := range args {
		if v, ok := strings.CutPrefix(a, "-d"); ok {
			if p, err := time.ParseDuration(v); err == nil {
				d = p
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), d+30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, wrk, append(append([]string(nil), args...), url)...).CombinedOutput()
	if ctx.Err() != nil {
		return wrkResult{}, errors.New("wrk did not end in time")
	}
	if err != nil {
		return wrkResult{}, fmt.Errorf("wrk: %w: %s", err, lastLine(out))
	}
	return parseWrk(out)
}

// parseWrk reads requests/s, the request count and the socket errors
// from wrk's report. Any non-2xx answer makes the run unusable: the
// servers did different work.
func parseWrk(out []byte) (wrkResult, error) {
	if m := wrkNon2xx.FindSubmatch(out); m != nil {
		return wrkResult{}, fmt.Errorf("wrk saw %s answers that were not 2xx or 3xx", m[1])
	}
	m := wrkRate.FindSubmatch(out)
	if m == nil {
		return wrkResult{}, fmt.Errorf("no Requests/sec in wrk's report: %s", lastLine(out))
	}
	rps, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		return wrkResult{}, err
	}
	r := wrkResult{rps: rps}
	if m := wrkCount.FindSubmatch(out); m != nil {
		r.requests, _ = strconv.ParseInt(string(m[1]), 10, 64)
	}
	if e := wrkErrors.Find(out); e != nil {
		r.notes = "(" + strings.TrimSpace(string(e)) + ")"
	}
	return r, nil
}
