package report_test

import (
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// What the specs read back from the JUnit XML.
type jSuites struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Suites   []struct {
		Name       string `xml:"name,attr"`
		Tests      int    `xml:"tests,attr"`
		Failures   int    `xml:"failures,attr"`
		Errors     int    `xml:"errors,attr"`
		Skipped    int    `xml:"skipped,attr"`
		Properties []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value,attr"`
		} `xml:"properties>property"`
		Cases []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			Time      string `xml:"time,attr"`
			Skipped   *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
			Error *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Body    string `xml:",chardata"`
			} `xml:"error"`
			Failure *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Body    string `xml:",chardata"`
			} `xml:"failure"`
			SystemOut string `xml:"system-out"`
			SystemErr string `xml:"system-err"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func parseJUnit(s string) jSuites {
	GinkgoHelper()
	var doc jSuites
	Expect(xml.Unmarshal([]byte(s), &doc)).To(Succeed(), s)
	return doc
}

// xmllint validates doc against testdata/junit.xsd.
func xmllint(doc string) {
	GinkgoHelper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		Skip("xmllint is not installed (Debian package libxml2-utils): the JUnit schema is not checked")
	}
	f := filepath.Join(GinkgoT().TempDir(), "report.xml")
	Expect(os.WriteFile(f, []byte(doc), 0o644)).To(Succeed())
	out, err := exec.Command(bin, "--noout", "--schema", "testdata/junit.xsd", f).CombinedOutput()
	Expect(err).NotTo(HaveOccurred(), "xmllint:\n%s\ndocument:\n%s", out, doc)
	Expect(string(out)).To(ContainSubstring("validates"))
}

var _ = Describe("JUnit", func() {
	It("has a suite per report and a test case per scenario, with the points as properties", func() {
		doc := parseJUnit(render("junit", sampleReport()))
		Expect(doc.Tests).To(Equal(3))
		Expect(doc.Failures).To(Equal(1))
		Expect(doc.Suites).To(HaveLen(1))
		su := doc.Suites[0]
		Expect(su.Name).To(Equal("echo-tcp-server (server.py)"))
		Expect(su.Tests).To(Equal(3))
		Expect(su.Failures).To(Equal(1))
		Expect(su.Skipped).To(Equal(1))
		props := map[string]string{}
		for _, p := range su.Properties {
			props[p.Name] = p.Value
		}
		Expect(props).To(HaveKeyWithValue("exercise", "echo-tcp-server"))
		Expect(props).To(HaveKeyWithValue("submission", "server.py"))
		Expect(props).To(HaveKeyWithValue("score", "1"))
		Expect(props).To(HaveKeyWithValue("max_score", "7"))
		Expect(props).To(HaveKeyWithValue("replies-ok.max_score", "4"))
		Expect(props).To(HaveKeyWithValue("listens.score", "1"))

		Expect(su.Cases).To(HaveLen(3))
		Expect(su.Cases[0].Name).To(Equal("listens: listens on its port"))
		Expect(su.Cases[0].Classname).To(Equal("echo-tcp-server"))
		Expect(su.Cases[0].Failure).To(BeNil())
		f := su.Cases[1].Failure
		Expect(f).NotTo(BeNil())
		Expect(f.Type).To(Equal("failed"))
		Expect(f.Message).To(HavePrefix("your server sent `bonjour` (7 bytes)"))
		Expect(f.Body).To(ContainSubstring("hint: Append \" OK\" to the message."))
		Expect(f.Body).To(ContainSubstring("hint: Send the reply on the same connection."))
		Expect(f.Body).To(ContainSubstring("#1 s>c    5ms `bonjour` (7 bytes)"))
		Expect(su.Cases[2].Skipped).NotTo(BeNil())
		Expect(su.Cases[2].Skipped.Message).To(Equal("skipped: replies-ok failed"))
	})

	It("gives timeouts and crashes their failure type, grader faults an <error>, stdout a <system-out>", func() {
		doc := parseJUnit(render("junit", hostileReport()))
		su := doc.Suites[0]
		Expect(su.Tests).To(Equal(7))
		Expect(su.Failures).To(Equal(4))
		Expect(su.Errors).To(Equal(1))
		Expect(su.Skipped).To(Equal(1))
		byID := map[string]int{}
		for i, c := range su.Cases {
			byID[strings.SplitN(c.Name, ":", 2)[0]] = i
		}
		Expect(su.Cases[byID["slow"]].Failure.Type).To(Equal("timeout"))
		Expect(su.Cases[byID["slow"]].Time).To(Equal("5.000"))
		Expect(su.Cases[byID["segv"]].Failure.Type).To(Equal("crash"))
		Expect(su.Cases[byID["broken"]].Error.Type).To(Equal("error"))
		Expect(su.Cases[byID["broken"]].Failure).To(BeNil())
		Expect(su.Cases[byID["secret"]].Failure.Body).To(ContainSubstring("details are withheld"))
		body := su.Cases[byID["body"]]
		Expect(body.SystemOut).To(ContainSubstring("<script>alert(1)</script>"))
		Expect(body.SystemErr).To(HavePrefix("Traceback:"))
		Expect(body.Failure.Message).To(ContainSubstring("(and 1 more failed checks)"))
	})

	It("escapes everything and drops what XML 1.0 cannot hold", func() {
		out := render("junit", hostileReport(), sampleReport())
		Expect(out).NotTo(ContainSubstring("<script"))
		Expect(out).NotTo(ContainSubstring("]]>"))
		for _, c := range []string{"\x00", "\x01", "\x07", "\x1b", "\x0b", "\x0c", "\ufffe", "\xff"} {
			Expect(out).NotTo(ContainSubstring(c), "%q", c)
		}
		doc := parseJUnit(out)
		Expect(doc.Suites).To(HaveLen(2))
		Expect(doc.Suites[0].Name).To(Equal("http-get (get<b>|`.py)"))
		// the bytes are shown, not lost
		Expect(doc.Suites[0].Cases[1].SystemOut).To(ContainSubstring(`\x1b[31mred`))
	})

	It("validates against the Ant/Jenkins JUnit schema", func() {
		xmllint(render("junit", sampleReport()))
		xmllint(render("junit", hostileReport(), sampleReport()))
		xmllint(render("junit"))
	})

	It("is rejected by the schema when it is wrong (the schema is not a no-op)", func() {
		good := render("junit", sampleReport())
		bad := strings.Replace(good, "<testcase ", "<testcase-typo ", 1)
		bin, err := exec.LookPath("xmllint")
		if err != nil {
			Skip("xmllint is not installed (Debian package libxml2-utils)")
		}
		f := filepath.Join(GinkgoT().TempDir(), "bad.xml")
		Expect(os.WriteFile(f, []byte(bad), 0o644)).To(Succeed())
		Expect(exec.Command(bin, "--noout", "--schema", "testdata/junit.xsd", f).Run()).NotTo(Succeed())
		// an attribute the schema does not know
		swapped := strings.Replace(good, "<testsuite name", "<testsuite bogus=\"1\" name", 1)
		Expect(os.WriteFile(f, []byte(swapped), 0o644)).To(Succeed())
		Expect(exec.Command(bin, "--noout", "--schema", "testdata/junit.xsd", f).Run()).NotTo(Succeed())
	})
})
