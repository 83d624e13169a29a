package wire_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/wire"
)

const (
	request  = "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
	response = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello"
)

// decoded is one packet read back from a pcapng file.
type decoded struct {
	ts      time.Time
	src     net.IP
	dst     net.IP
	tcp     *layers.TCP
	udp     *layers.UDP
	payload []byte
	comment []string
}

func (d decoded) ports() (int, int) {
	if d.tcp != nil {
		return int(d.tcp.SrcPort), int(d.tcp.DstPort)
	}
	return int(d.udp.SrcPort), int(d.udp.DstPort)
}

func (d decoded) flags() string {
	s := ""
	for _, f := range []struct {
		on bool
		c  string
	}{{d.tcp.SYN, "S"}, {d.tcp.FIN, "F"}, {d.tcp.PSH, "P"}, {d.tcp.ACK, "A"}} {
		if f.on {
			s += f.c
		}
	}
	return s
}

func readBack(b []byte) []decoded {
	GinkgoHelper()
	r, err := pcapgo.NewNgReader(bytes.NewReader(b), pcapgo.DefaultNgReaderOptions)
	Expect(err).NotTo(HaveOccurred())
	Expect(r.LinkType()).To(Equal(layers.LinkTypeRaw))
	var out []decoded
	for {
		data, ci, opts, err := r.ReadPacketDataWithOptions()
		if errors.Is(err, io.EOF) {
			break
		}
		Expect(err).NotTo(HaveOccurred())
		p := gopacket.NewPacket(data, r.LinkType(), gopacket.Default)
		Expect(p.ErrorLayer()).To(BeNil())
		switch l := p.TransportLayer().(type) {
		case *layers.TCP:
			Expect(l.SetNetworkLayerForChecksum(p.NetworkLayer())).To(Succeed())
		case *layers.UDP:
			Expect(l.SetNetworkLayerForChecksum(p.NetworkLayer())).To(Succeed())
		}
		err, bad := p.VerifyChecksums()
		Expect(err).NotTo(HaveOccurred())
		Expect(bad).To(BeEmpty(), "checksums")
		d := decoded{ts: ci.Timestamp, comment: opts.Comments}
		switch ip := p.NetworkLayer().(type) {
		case *layers.IPv4:
			Expect(ip.Checksum).NotTo(BeZero())
			d.src, d.dst = ip.SrcIP, ip.DstIP
		case *layers.IPv6:
			d.src, d.dst = ip.SrcIP, ip.DstIP
		default:
			Fail("not an IP packet")
		}
		if l, ok := p.TransportLayer().(*layers.TCP); ok {
			d.tcp = l
		} else {
			d.udp = p.TransportLayer().(*layers.UDP)
		}
		d.payload = p.TransportLayer().LayerPayload()
		out = append(out, d)
	}
	return out
}

// checkStream walks one TCP connection's packets and checks the
// handshake, seq/ack continuity both ways, and returns the bytes each way.
func checkStream(pkts []decoded, client, server int) (c2s, s2c []byte, flags []string) {
	GinkgoHelper()
	var conn []decoded
	for _, p := range pkts {
		if p.tcp == nil {
			continue
		}
		s, d := p.ports()
		if s == client && d == server || s == server && d == client {
			conn = append(conn, p)
		}
	}
	Expect(len(conn)).To(BeNumerically(">=", 3))
	Expect(conn[0].flags()).To(Equal("S"))
	Expect(conn[1].flags()).To(Equal("SA"))
	Expect(conn[2].flags()).To(Equal("A"))
	Expect(conn[1].tcp.Ack).To(Equal(conn[0].tcp.Seq + 1))
	next := map[int]uint32{client: conn[0].tcp.Seq + 1, server: conn[1].tcp.Seq + 1}
	for i, p := range conn {
		s, _ := p.ports()
		other := client
		if s == client {
			other = server
		}
		if s == client {
			flags = append(flags, ">"+p.flags())
		} else {
			flags = append(flags, "<"+p.flags())
		}
		if i > 0 {
			Expect(p.ts.Before(conn[i-1].ts)).To(BeFalse(), "packet %d goes back in time", i)
		}
		if i < 2 {
			continue
		}
		Expect(p.tcp.Seq).To(Equal(next[s]), "seq of packet %d (%s)", i, p.flags())
		Expect(p.tcp.ACK).To(BeTrue())
		Expect(p.tcp.Ack).To(Equal(next[other]), "ack of packet %d (%s)", i, p.flags())
		next[s] += uint32(len(p.payload))
		if p.tcp.FIN {
			next[s]++
		}
		if s == client {
			c2s = append(c2s, p.payload...)
		} else {
			s2c = append(s2c, p.payload...)
		}
	}
	return c2s, s2c, flags
}

func tcpAddr(s string) *net.TCPAddr { a, _ := net.ResolveTCPAddr("tcp", s); return a }
func udpAddr(s string) *net.UDPAddr { a, _ := net.ResolveUDPAddr("udp", s); return a }

// bigResponse is an HTTP response of more than 2*65000 bytes.
func bigResponse() []byte {
	return append([]byte("HTTP/1.1 200 OK\r\nContent-Length: 150000\r\n\r\n"), bytes.Repeat([]byte("0123456789"), 15000)...)
}

// sample records what reference servers would: two HTTP connections to
// 127.0.0.1:8080 (the second with a 150000-byte response, closed by the
// server) and a UDP exchange with 127.0.0.1:9999.
func sample() *wire.Transcript {
	t := wire.New()
	c1 := t.Open("tcp", tcpAddr("127.0.0.1:8080"), tcpAddr("127.0.0.1:40001"))
	t.Record(c1, wire.C2S, []byte(request[:10]))
	t.Record(c1, wire.C2S, []byte(request[10:]))
	t.Record(c1, wire.S2C, []byte(response))
	t.Closed(c1, "client")
	c2 := t.Open("tcp", tcpAddr("127.0.0.1:8080"), tcpAddr("127.0.0.1:40003"))
	t.Record(c2, wire.C2S, []byte(request))
	t.Record(c2, wire.S2C, bigResponse())
	t.Closed(c2, "server")
	u := t.Open("udp", udpAddr("127.0.0.1:9999"), udpAddr("127.0.0.1:50000"))
	t.Record(u, wire.C2S, []byte("ping"))
	t.Record(u, wire.S2C, []byte("pong"))
	return t
}

var _ = Describe("WritePcapng", func() {
	var (
		t   *wire.Transcript
		buf bytes.Buffer
	)
	BeforeEach(func() {
		t = sample()
		buf.Reset()
		Expect(t.WritePcapng(&buf)).To(Succeed())
	})

	It("synthesises both TCP connections with handshakes, continuous seq/ack and the recorded bytes", func() {
		pkts := readBack(buf.Bytes())
		for _, p := range pkts {
			Expect(p.src.String()).To(Equal("127.0.0.1"))
			Expect(p.dst.String()).To(Equal("127.0.0.1"))
		}
		c2s, s2c, flags := checkStream(pkts, 40001, 8080)
		Expect(string(c2s)).To(Equal(request))
		Expect(string(s2c)).To(Equal(response))
		// Two client writes, one server write, then the client's FIN first.
		Expect(flags).To(Equal([]string{">S", "<SA", ">A", ">PA", ">PA", "<PA", ">FA", "<A", "<FA", ">A"}))
		Expect(pkts[0].comment).To(ConsistOf(ContainSubstring("transcript conn 1")))

		c2s, s2c, flags = checkStream(pkts, 40003, 8080)
		Expect(string(c2s)).To(Equal(request))
		Expect(s2c).To(Equal(bigResponse()))
		// 150000+ bytes in segments of at most 65000; the server closes.
		Expect(flags).To(Equal([]string{">S", "<SA", ">A", ">PA", "<PA", "<PA", "<PA", "<FA", ">A", ">FA", "<A"}))
	})

	It("writes one UDP datagram per event, client to server then back", func() {
		var udp []decoded
		for _, p := range readBack(buf.Bytes()) {
			if p.udp != nil {
				udp = append(udp, p)
			}
		}
		Expect(udp).To(HaveLen(2))
		s, d := udp[0].ports()
		Expect([]int{s, d}).To(Equal([]int{50000, 9999}))
		Expect(string(udp[0].payload)).To(Equal("ping"))
		s, d = udp[1].ports()
		Expect([]int{s, d}).To(Equal([]int{9999, 50000}))
		Expect(string(udp[1].payload)).To(Equal("pong"))
	})

	It("stamps packets with the transcript's start plus the event times, in order", func() {
		pkts := readBack(buf.Bytes())
		Expect(pkts[0].ts).To(BeTemporally(">=", t.Start()))
		Expect(pkts[len(pkts)-1].ts).To(BeTemporally("<=", time.Now()))
		for i := 1; i < len(pkts); i++ {
			Expect(pkts[i].ts.Before(pkts[i-1].ts)).To(BeFalse())
		}
	})

	It("uses IPv6 and the grader's client port when the grader recorded as the client", func() {
		t := wire.New()
		c := t.Open("tcp", tcpAddr("[::1]:45000"), tcpAddr("[::1]:7000"))
		t.Record(c, wire.C2S, []byte("hello\n"))
		t.Record(c, wire.S2C, []byte("hello\n"))
		t.Closed(c, "client")
		var b bytes.Buffer
		Expect(t.WritePcapngOptions(&b, wire.PcapOptions{Recorder: wire.RecorderClient})).To(Succeed())
		pkts := readBack(b.Bytes())
		Expect(pkts[0].src.String()).To(Equal("::1"))
		Expect(pkts[0].tcp.SrcPort).To(Equal(layers.TCPPort(45000)))
		Expect(pkts[0].tcp.DstPort).To(Equal(layers.TCPPort(7000)))
		c2s, s2c, _ := checkStream(pkts, 45000, 7000)
		Expect(string(c2s)).To(Equal("hello\n"))
		Expect(string(s2c)).To(Equal("hello\n"))
	})

	It("guesses the server from the ports when nothing else tells", func() {
		t := wire.New()
		c := t.Open("tcp", tcpAddr("127.0.0.1:45000"), tcpAddr("127.0.0.1:7000"))
		t.Record(c, wire.C2S, []byte("x"))
		var b bytes.Buffer
		Expect(t.WritePcapng(&b)).To(Succeed())
		pkts := readBack(b.Bytes())
		Expect(pkts[0].tcp.SrcPort).To(Equal(layers.TCPPort(45000)))
		// Still open: no FIN.
		_, _, flags := checkStream(pkts, 45000, 7000)
		Expect(flags).To(Equal([]string{">S", "<SA", ">A", ">PA"}))
	})

	It("embeds a TLS key log as a Decryption Secrets Block", func() {
		var b bytes.Buffer
		keylog := "CLIENT_RANDOM 00112233 4455\n"
		Expect(t.WritePcapngOptions(&b, wire.PcapOptions{KeyLog: []byte(keylog)})).To(Succeed())
		raw := b.Bytes()
		i := bytes.Index(raw, []byte(keylog))
		Expect(i).To(BeNumerically(">=", 16))
		hdr := raw[i-16 : i]
		Expect(binary.LittleEndian.Uint32(hdr[0:4])).To(Equal(uint32(0x0000000A)))
		Expect(binary.LittleEndian.Uint32(hdr[8:12])).To(Equal(pcapgo.DSB_SECRETS_TYPE_TLS))
		Expect(binary.LittleEndian.Uint32(hdr[12:16])).To(Equal(uint32(len(keylog))))
		Expect(readBack(raw)).NotTo(BeEmpty())
	})

	Context("with tshark", func() {
		var file string
		BeforeEach(func() {
			if _, err := exec.LookPath("tshark"); err != nil {
				Skip("tshark is not installed (Debian package tshark)")
			}
			file = filepath.Join(GinkgoT().TempDir(), "t.pcapng")
			Expect(os.WriteFile(file, buf.Bytes(), 0o644)).To(Succeed())
		})
		tshark := func(args ...string) string {
			GinkgoHelper()
			cmd := exec.Command("tshark", append([]string{"-r", file}, args...)...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			Expect(err).NotTo(HaveOccurred(), stderr.String())
			return string(out)
		}

		It("decodes the HTTP request line", func() {
			// http.request.line is tshark's name for each header line; the
			// request line itself is method, URI and version (and the Info
			// column).
			out := tshark("-d", "tcp.port==8080,http", "-Y", "http.request", "-T", "fields", "-E", "separator=/s",
				"-e", "http.request.method", "-e", "http.request.uri", "-e", "http.request.version", "-e", "http.request.line")
			Expect(strings.Split(strings.TrimSpace(out), "\n")).To(Equal([]string{`GET / HTTP/1.1 Host: x\r\n`, `GET / HTTP/1.1 Host: x\r\n`}))
			out = tshark("-d", "tcp.port==8080,http", "-Y", "http.request", "-T", "fields", "-e", "_ws.col.Info")
			Expect(out).To(ContainSubstring("GET / HTTP/1.1"))
			out = tshark("-d", "tcp.port==8080,http", "-Y", "http.response", "-T", "fields", "-e", "http.response.code", "-e", "http.content_length")
			Expect(strings.Fields(out)).To(Equal([]string{"200", "5", "200", "150000"}))
		})

		It("sees 2 TCP conversations, 1 UDP conversation and no analysis warnings or bad checksums", func() {
			out := tshark("-q", "-z", "conv,tcp")
			Expect(strings.Count(out, "127.0.0.1:")).To(Equal(2 * 2))
			Expect(out).To(ContainSubstring("127.0.0.1:40001"))
			Expect(out).To(ContainSubstring("127.0.0.1:40003"))
			out = tshark("-q", "-z", "conv,udp")
			Expect(out).To(ContainSubstring("127.0.0.1:50000"))
			out = tshark("-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
				"-Y", "tcp.analysis.flags || ip.checksum.status == 0 || tcp.checksum.status == 0 || udp.checksum.status == 0 || _ws.expert.severity >= warning")
			Expect(strings.TrimSpace(out)).To(BeEmpty())
		})
	})
})
