package main

import (
	"os"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// wrkReport is wrk 4.1's report of a keep-alive run.
const wrkReport = `Running 5s test @ http://127.0.0.1:41393/index.html
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.62ms    1.10ms  21.41ms   87.29%
    Req/Sec    11.08k     1.21k   13.60k    71.00%
  110231 requests in 5.00s, 2.74GB read
  Socket errors: connect 0, read 12, write 0, timeout 0
Requests/sec:  22046.17
Transfer/sec:    560.32MB
`

var _ = Describe("wrk's report", func() {
	It("gives the rate, the count and the socket errors", func() {
		r, err := parseWrk([]byte(wrkReport))
		Expect(err).NotTo(HaveOccurred())
		Expect(r.rps).To(BeNumerically("~", 22046.17, 0.001))
		Expect(r.requests).To(Equal(int64(110231)))
		Expect(r.notes).To(Equal("(Socket errors: connect 0, read 12, write 0, timeout 0)"))
	})

	It("makes a run with non-2xx answers unusable", func() {
		_, err := parseWrk([]byte(wrkReport + "  Non-2xx or 3xx responses: 4021\n"))
		Expect(err).To(MatchError(ContainSubstring("4021 answers")))
	})

	It("says when there is no rate", func() {
		_, err := parseWrk([]byte("unable to connect to 127.0.0.1:1 Connection refused\n"))
		Expect(err).To(MatchError(ContainSubstring("Connection refused")))
	})
})

var _ = Describe("the nginx instance", func() {
	It("serves fixtures/www from its own prefix on a loopback port, and stops", func() {
		nginx := lookPath("nginx")
		if nginx == "" {
			Skip("nginx is not installed (apt-get install nginx)")
		}
		www, err := filepath.Abs(filepath.Join("..", "..", "fixtures", "www"))
		Expect(err).NotTo(HaveOccurred())
		want, err := os.ReadFile(filepath.Join(www, httpFile))
		Expect(err).NotTo(HaveOccurred())
		tmp := GinkgoT().TempDir()
		s, err := startNginx(nginx, tmp, www)
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(s.stop)
		Expect(sameFile(s.url(), want)).To(Succeed())
		Expect(filepath.Join(tmp, "nginx.pid")).To(BeAnExistingFile())
		s.stop()
		Expect(s.alive()).To(BeFalse())
		Expect(filepath.Join(tmp, "nginx.pid")).NotTo(BeAnExistingFile(), "a fast shutdown removes the pid file")
	})
})
