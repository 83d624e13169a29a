package tlsref_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func TestTlsref(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Tlsref Suite")
}
