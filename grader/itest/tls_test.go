package itest

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gbytes"
	"github.com/onsi/gomega/gexec"
)

// rejects are the https-download scenarios against servers a verifying
// client must refuse.
var rejects = []string{"rejects-untrusted", "rejects-wrong-name", "rejects-expired"}

// checkJSON grades one submission and returns its JSON report.
func checkJSON(exercise, submission string) (report, error) {
	cmd := exec.Command(graderBin, "check", exercise, submission, "--format", "json", "--ports", "free")
	cmd.Dir = repoRoot
	cmd.Env = env()
	out, err := cmd.Output()
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == exitFail) {
		return report{}, fmt.Errorf("grader check %s %s: %w", exercise, submission, err)
	}
	var r report
	if err := json.Unmarshal(out, &r); err != nil {
		return r, fmt.Errorf("%s: %w\n%s", submission, err, out)
	}
	return r, nil
}

var _ = Describe("TLS clients against the bad servers", func() {
	// Each fixture is graded 20 times, a few at a time: a verdict on a
	// negative scenario that flips even once would let a client that
	// skips verification through, or fail a careful one.
	const runs, parallel = 20, 4

	gradeMany := func(fixture string) []report {
		reports := make([]report, runs)
		errs := make([]error, runs)
		sem := make(chan struct{}, parallel)
		var wg sync.WaitGroup
		for i := range runs {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				reports[i], errs[i] = checkJSON("https-download", fixture)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			Expect(err).NotTo(HaveOccurred())
		}
		return reports
	}

	It("passes a verifying client (the lab sheet's) 20 runs out of 20", func() {
		for i, r := range gradeMany("fixtures/submissions/https-download/seed-python") {
			Expect(r.Score).To(Equal(r.MaxScore), "run %d:\n%s", i+1, explain(r))
			for _, id := range rejects {
				s := r.scenario(id)
				Expect(s.Status).To(Equal("passed"), "run %d, %s:\n%s", i+1, id, explain(r))
				Expect(checkNamed(s, "tls").Actual).To(MatchRegexp("aborted by the client with the alert `(unknown certificate authority|bad certificate|expired certificate)`"))
			}
		}
	})

	It("fails a client that skips verification 20 runs out of 20, on every bad server", func() {
		for i, r := range gradeMany("fixtures/submissions/https-download/no-verify") {
			Expect(r.scenario("downloads-pdf").Status).To(Equal("passed"), "run %d:\n%s", i+1, explain(r))
			for _, id := range rejects {
				s := r.scenario(id)
				Expect(s.Status).To(Equal("failed"), "run %d, %s:\n%s", i+1, id, explain(r))
				for _, c := range []string{"tls", "file", "reported"} {
					Expect(checkNamed(s, c).Passed).To(BeFalse(), "run %d, %s/%s", i+1, id, c)
				}
			}
			Expect(r.Score).To(Equal(r.MaxScore-len(rejects)), "run %d:\n%s", i+1, explain(r))
		}
	})
})

// The lab sheet asks to find the TLS exchange in Wireshark: the key log
// written beside a scenario's capture must decrypt it.
var _ = Describe("--pcap with a TLS scenario", func() {
	It("writes beside the capture a key log with which tshark reads the HTTP request inside TLS", func() {
		tshark, err := exec.LookPath("tshark")
		if err != nil {
			Skip("tshark is not installed (Debian package tshark)")
		}
		dir := GinkgoT().TempDir()
		run(exitPass, "check", "https-download", "fixtures/submissions/https-download/seed-python", "--ports", "free", "--pcap", dir)
		capture := filepath.Join(dir, "https-download-downloads-pdf.pcapng")
		keylog := filepath.Join(dir, "https-download-downloads-pdf.keylog.txt")
		Expect(keylog).To(BeAnExistingFile())
		// the server's port is the first packet's destination
		port, err := exec.Command(tshark, "-r", capture, "-c", "1", "-T", "fields", "-e", "tcp.dstport").Output()
		Expect(err).NotTo(HaveOccurred())
		decode := []string{"-r", capture, "-d", "tcp.port==" + strings.TrimSpace(string(port)) + ",tls", "-Y", "http.request",
			"-T", "fields", "-e", "http.request.method", "-e", "http.request.uri"}
		out, err := exec.Command(tshark, append(decode, "-o", "tls.keylog_file:"+keylog)...).Output()
		Expect(err).NotTo(HaveOccurred())
		Expect(string(out)).To(ContainSubstring("GET\t/api/certificate.v1/pdf/HDC2GWUR3YT4"))

		By("seeing nothing of it without the key log")
		out, err = exec.Command(tshark, decode...).Output()
		Expect(err).NotTo(HaveOccurred())
		Expect(string(out)).To(BeEmpty())
	})
})

var _ = Describe("grader serve https", func() {
	It("serves the built-in pages over TLS with a CA it writes to a file, and shows each handshake", func() {
		ca := GinkgoT().TempDir() + "/ca.pem"
		s := start("serve", "https", "--port", "0", "--ca", ca)
		DeferCleanup(func() { s.Kill() })
		at := `listening on 127\.0\.0\.1:(\d+)`
		Eventually(s.Out).WithTimeout(10 * time.Second).Should(gbytes.Say(at))
		Eventually(s.Out).WithTimeout(5 * time.Second).Should(gbytes.Say("CA certificate written to " + regexp.QuoteMeta(ca)))
		port := regexp.MustCompile(at).FindStringSubmatch(stdoutOf(s))[1]

		pem, err := os.ReadFile(ca)
		Expect(err).NotTo(HaveOccurred())
		pool := x509.NewCertPool()
		Expect(pool.AppendCertsFromPEM(pem)).To(BeTrue())
		conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 2 * time.Second}, "tcp", "127.0.0.1:"+port, &tls.Config{RootCAs: pool, ServerName: "localhost"})
		Expect(err).NotTo(HaveOccurred())
		defer conn.Close()
		Expect(conn.SetDeadline(time.Now().Add(5 * time.Second))).To(Succeed())
		_, err = io.WriteString(conn, "GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
		Expect(err).NotTo(HaveOccurred())
		body, err := io.ReadAll(conn)
		Expect(err).NotTo(HaveOccurred())
		Expect(string(body)).To(HavePrefix("HTTP/1.1 200 OK\r\n"))
		Expect(string(body)).To(HaveSuffix("Bonjour le monde\n"))

		By("serving curl --cacert, and failing curl without it")
		if curl, err := exec.LookPath("curl"); err == nil {
			url := "https://localhost:" + port + "/hello.txt"
			out, err := exec.Command(curl, "-sS", "--max-time", "10", "--resolve", "localhost:"+port+":127.0.0.1", "--cacert", ca, url).CombinedOutput()
			Expect(err).NotTo(HaveOccurred(), "curl --cacert: %s", out)
			Expect(string(out)).To(Equal("Bonjour le monde\n"))
			cmd := exec.Command(curl, "-sS", "--max-time", "10", "--resolve", "localhost:"+port+":127.0.0.1", url)
			cmd.Env = append(os.Environ(), "CURL_CA_BUNDLE=", "SSL_CERT_FILE=")
			out, err = cmd.CombinedOutput()
			var ee *exec.ExitError
			Expect(errors.As(err, &ee)).To(BeTrue(), "curl without the CA must fail: %s", out)
			Expect(ee.ExitCode()).To(Equal(60), "curl's code for a certificate it cannot verify: %s", out)
		}

		By("refusing a client that does not trust the CA, and saying so")
		_, err = tls.DialWithDialer(&net.Dialer{Timeout: 2 * time.Second}, "tcp", "127.0.0.1:"+port, &tls.Config{ServerName: "localhost"})
		Expect(err).To(HaveOccurred())

		Eventually(s.Out).WithTimeout(3 * time.Second).Should(gbytes.Say(`#1 TLS: SNI "localhost", offered TLS 1\.3, TLS 1\.2.*: TLS 1\.3 negotiated`))
		Eventually(s.Out).WithTimeout(3 * time.Second).Should(gbytes.Say(`#1 c>s .GET /hello\.txt HTTP/1\.1`))
		Eventually(s.Out).WithTimeout(3 * time.Second).Should(gbytes.Say(`#\d+ TLS handshake failed: SNI "localhost", offered TLS 1\.3, TLS 1\.2: remote error: tls: bad certificate`))
		s.Interrupt()
		Eventually(s).WithTimeout(5 * time.Second).Should(gexec.Exit(0))
	})

	It("refuses an unknown certificate variant", func() {
		s := run(exitUsage, "serve", "https", "--port", "0", "--variant", "self-signed")
		Expect(stderrOf(s)).To(ContainSubstring(`--variant "self-signed": want one of trusted, untrusted, wrong-name, expired`))
	})
})

// explain lists every scenario's status and its failed checks' messages,
// so a failure says what the grader saw.
func explain(r report) string {
	var b strings.Builder
	for _, s := range r.Scenarios {
		fmt.Fprintf(&b, "  %s: %s (%d ms)\n", s.ID, s.Status, s.DurationMS)
		for _, c := range s.Checks {
			if !c.Passed {
				fmt.Fprintf(&b, "    %s: %s\n", c.Name, c.Message)
			}
		}
	}
	return b.String()
}

// checkNamed is the scenario's check with that name.
func checkNamed(s scenario, name string) check {
	GinkgoHelper()
	for _, c := range s.Checks {
		if c.Name == name {
			return c
		}
	}
	Fail(fmt.Sprintf("scenario %s has no check %q", s.ID, name))
	return check{}
}
