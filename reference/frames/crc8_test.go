package frames_test

import (
	"math/rand/v2"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/reference/frames"
)

// seedCRC8 is the lab sheet's C function crc8(data, size, polynome),
// transcribed line by line, to check Sum against the seed's own algorithm.
func seedCRC8(data []byte, polynome uint) uint {
	var crc uint
	for i := range data {
		for k := range 8 {
			bitoctet := uint(data[i]>>(7-k)) & 0x01
			bit7crc := (crc >> 7) & 0x01
			crc <<= 1
			if bit7crc^bitoctet == 1 {
				crc ^= polynome
			}
		}
	}
	return crc & 0xff
}

var _ = Describe("CRC-8", func() {
	check := []byte("123456789")

	It("matches the lab sheet's known answers", func() {
		Expect(frames.SeedCRC8.Sum([]byte("bonjour\x00"))).To(Equal(byte(0xe0)), "C seed")
		Expect(frames.SeedCRC8.Sum([]byte("bonjour"))).To(Equal(byte(0x64)), "Python crcmod seed")
	})

	It("has the lab sheet's parameters, which reveng calls CRC-8/GSM-A", func() {
		Expect(frames.SeedCRC8.Sum(check)).To(Equal(frames.SeedCRC8.Check))
		Expect(frames.SeedCRC8.Check).To(Equal(byte(0x37)))
	})

	It("computes what the lab sheet's C function computes, for any polynomial", func() {
		r := rand.New(rand.NewPCG(1, 2))
		for range 500 {
			data := make([]byte, r.IntN(40))
			for i := range data {
				data[i] = byte(r.Uint32())
			}
			poly := byte(r.Uint32())
			p := frames.CRC8Params{Poly: poly}
			Expect(uint(p.Sum(data))).To(Equal(seedCRC8(data, uint(poly))), "poly 0x%02x data % x", poly, data)
		}
	})

	It("holds the entries the diagnoses need", func() {
		names := map[string]bool{}
		for _, p := range frames.CRC8Catalogue {
			names[p.Name] = true
		}
		for _, n := range []string{"CRC-8", "CRC-8/SAE-J1850 (SAE)", "CRC-8/CDMA2000", "CRC-8/AUTOSAR",
			"CRC-8/MAXIM-DOW (Dallas)", "CRC-8/I-432-1 (CCITT)", "CRC-8/GSM-A"} {
			Expect(names).To(HaveKey(n))
		}
	})

	entries := []TableEntry{}
	for _, p := range frames.CRC8Catalogue {
		entries = append(entries, Entry(p.Name, p))
	}
	DescribeTable("every catalogue entry gives its reveng check value for \"123456789\"",
		func(p frames.CRC8Params) {
			Expect(p.Sum(check)).To(Equal(p.Check), "%s: got 0x%02X", p.Name, p.Sum(check))
		},
		entries,
	)

	// Independent answers from Python's crcmod.predefined (python3-crcmod).
	DescribeTable("agrees with crcmod on \"bonjour\"",
		func(name string, want byte) {
			for _, p := range frames.CRC8Catalogue {
				if p.Name == name {
					Expect(p.Sum([]byte("bonjour"))).To(Equal(want))
					return
				}
			}
			Fail("no catalogue entry " + name)
		},
		Entry("crc-8", "CRC-8", byte(0x8f)),
		Entry("crc-8-darc", "CRC-8/DARC", byte(0xbb)),
		Entry("crc-8-itu", "CRC-8/I-432-1 (CCITT)", byte(0xda)),
		Entry("crc-8-maxim", "CRC-8/MAXIM-DOW (Dallas)", byte(0x7a)),
		Entry("crc-8-rohc", "CRC-8/ROHC", byte(0xd6)),
		Entry("crc-8-wcdma", "CRC-8/WCDMA", byte(0x7c)),
	)
})
