package itest

import (
	"os/exec"
	"path/filepath"
	"regexp"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// The lab sheets ask Wireshark questions: a capture written for an HTTP
// scenario must show the request in tshark.
var _ = Describe("--pcap", func() {
	It("writes a pcapng in which tshark finds the HTTP request line of an HTTP scenario", func() {
		tshark, err := exec.LookPath("tshark")
		if err != nil {
			Skip("tshark is not installed (Debian package tshark)")
		}
		dir := GinkgoT().TempDir()
		run(exitPass, "check", "fernet-client", "fixtures/submissions/fernet-client/seed-python", "--ports", "free", "--pcap", dir)
		files, err := filepath.Glob(filepath.Join(dir, "*.pcapng"))
		Expect(err).NotTo(HaveOccurred())
		Expect(files).To(HaveLen(1))
		// find the server port from the conversation list, then decode it as HTTP
		conv, err := exec.Command(tshark, "-r", files[0], "-q", "-z", "conv,tcp").Output()
		Expect(err).NotTo(HaveOccurred())
		m := regexp.MustCompile(`127\.0\.0\.1:(\d+)\s+<->\s+127\.0\.0\.1:(\d+)`).FindStringSubmatch(string(conv))
		Expect(m).NotTo(BeNil(), string(conv))
		var lines []byte
		for _, port := range m[1:] {
			out, err := exec.Command(tshark, "-r", files[0], "-d", "tcp.port=="+port+",http", "-Y", "http.request",
				"-T", "fields", "-e", "http.request.method", "-e", "http.request.uri", "-e", "http.request.version").Output()
			Expect(err).NotTo(HaveOccurred())
			lines = append(lines, out...)
		}
		Expect(string(lines)).To(ContainSubstring("GET\t/\tHTTP/1.1"))
	})
})
