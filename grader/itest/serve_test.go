package itest

import (
	"net"
	"regexp"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/onsi/gomega/gbytes"
	"github.com/onsi/gomega/gexec"
)

var _ = Describe("grader serve", func() {
	It("runs the echo-tcp reference server on a free port until interrupted", func() {
		s := start("serve", "echo-tcp", "--port", "0")
		DeferCleanup(func() { s.Kill() })
		listening := `listening on 127\.0\.0\.1:(\d+)`
		Eventually(s.Out).WithTimeout(10 * time.Second).Should(gbytes.Say(listening))
		m := regexp.MustCompile(listening).FindStringSubmatch(stdoutOf(s))
		Expect(m).To(HaveLen(2))
		Expect(m[1]).NotTo(Equal("0"))

		conn, err := net.DialTimeout("tcp4", "127.0.0.1:"+m[1], 2*time.Second)
		Expect(err).NotTo(HaveOccurred())
		defer conn.Close()
		Expect(conn.SetDeadline(time.Now().Add(3 * time.Second))).To(Succeed())
		_, err = conn.Write([]byte("bonjour\x00"))
		Expect(err).NotTo(HaveOccurred())
		Expect(readUntil(conn, "OK\x00")).To(Equal("bonjour OK\x00"))
		Expect(conn.Close()).To(Succeed())

		// The exchange is shown as it happens.
		Eventually(s.Out).WithTimeout(2 * time.Second).Should(gbytes.Say("bonjour"))
		s.Interrupt()
		Eventually(s).WithTimeout(5 * time.Second).Should(gexec.Exit(0))
	})
})
