package frames_test

import (
	"encoding/hex"
	"strings"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func TestFrames(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Frames Suite")
}

// unhex decodes space-separated hex as the lab sheets print it.
func unhex(s string) []byte {
	GinkgoHelper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	Expect(err).NotTo(HaveOccurred())
	return b
}
