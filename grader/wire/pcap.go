package wire

import (
	"cmp"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// PcapLinkType is the link type of the pcapng files WritePcapng makes:
// raw IP (LINKTYPE_RAW, 101), IPv4 or IPv6 told apart by the version
// nibble, so one file holds both families without fake Ethernet headers.
const PcapLinkType = layers.LinkTypeRaw

// MaxSegment is the largest payload put in one synthesised TCP segment or
// UDP datagram; longer events are split (a UDP event is split into
// several datagrams too, which a real UDP socket would not do).
const MaxSegment = 65000

// Recorder values for PcapOptions.Recorder.
const (
	RecorderServer = "server" // reference servers: ConnInfo.Local is the server
	RecorderClient = "client" // the grader playing the client: Local is the client
)

// PcapOptions tune WritePcapngOptions.
type PcapOptions struct {
	// Recorder says which end recorded the transcript, so each
	// connection's Local and Remote can be told apart as client and
	// server: RecorderServer, RecorderClient, or "" to guess per
	// connection (an endpoint shared by several connections is the
	// server's listening port; else the port outside the Linux ephemeral
	// range 32768-60999 is the server's; else Local is the server).
	Recorder string
	// KeyLog, when not empty, is an NSS key log (the SSLKEYLOGFILE format)
	// embedded as a Decryption Secrets Block so Wireshark and tshark
	// decrypt TLS without a separate key file.
	KeyLog []byte
	// Comment is added to the section header.
	Comment string
}

// Start returns the wall-clock time the transcript's clock started:
// event and connection times are offsets from it.
func (t *Transcript) Start() time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.start
}

// WritePcapng writes the transcript to w as a pcapng capture Wireshark
// and tshark can open, guessing client and server per connection (see
// PcapOptions.Recorder).
func (t *Transcript) WritePcapng(w io.Writer) error {
	return t.WritePcapngOptions(w, PcapOptions{})
}

// WritePcapngOptions writes the transcript to w as a pcapng capture. The
// packets are synthesised, not captured: for each TCP connection a
// three-way handshake at its open time, one PSH|ACK segment per recorded
// event (split at MaxSegment) with consistent sequence and
// acknowledgement numbers both ways, and, when the transcript saw it
// closed, a FIN from the side that closed first, acknowledged, then the
// other side's FIN after its last bytes; for UDP one datagram per event.
// Addresses and ports are the connections' own; timestamps are the
// transcript's start plus each event's time; checksums are correct.
func (t *Transcript) WritePcapngOptions(w io.Writer, opt PcapOptions) error {
	t.mu.Lock()
	start := t.start
	events := append([]Event(nil), t.events...)
	conns := append([]ConnInfo(nil), t.conns...)
	dropped := t.dropped
	t.mu.Unlock()

	comment := opt.Comment
	if dropped > 0 {
		comment = strings.TrimSpace(comment + fmt.Sprintf("\nThe transcript kept its first bytes only: %d more were not recorded and are missing here.", dropped))
	}
	section := pcapgo.DefaultNgWriterOptions
	section.SectionInfo.Application = "netlab-grader"
	section.SectionInfo.Comment = comment
	intf := pcapgo.DefaultNgInterface
	intf.Name = "transcript"
	intf.Description = "packets synthesised from the grader's transcript (not a capture)"
	intf.LinkType = PcapLinkType
	nw, err := pcapgo.NewNgWriterInterface(w, intf, section)
	if err != nil {
		return err
	}
	if len(opt.KeyLog) > 0 {
		if err := nw.WriteDecryptionSecretsBlock(pcapgo.DSB_SECRETS_TYPE_TLS, opt.KeyLog); err != nil {
			return err
		}
	}

	byConn := map[int][]Event{}
	for _, e := range events {
		byConn[e.Conn] = append(byConn[e.Conn], e)
	}
	localN, remoteN := map[string]int{}, map[string]int{}
	for _, c := range conns {
		localN[c.Network+" "+c.Local]++
		remoteN[c.Network+" "+c.Remote]++
	}
	var pkts []packet
	for _, c := range conns {
		var tcp bool
		switch c.Network {
		case "tcp", "tcp4", "tcp6":
			tcp = true
		case "udp", "udp4", "udp6":
		default:
			continue // unix sockets and the like have no IP packets
		}
		local, remote := endpoints(c)
		srvLocal := localIsServer(c, opt.Recorder, localN, remoteN, local, remote)
		f := flow{conn: c.ID, client: local, server: remote}
		if srvLocal {
			f.client, f.server = remote, local
		}
		var ps []packet
		if tcp {
			ps, err = f.tcp(c, byConn[c.ID])
		} else {
			ps, err = f.udp(byConn[c.ID])
		}
		if err != nil {
			return fmt.Errorf("pcapng: connection %d: %w", c.ID, err)
		}
		pkts = append(pkts, ps...)
	}
	// Each connection's packets are already in order with strictly
	// increasing times; a stable sort interleaves connections by time.
	slices.SortStableFunc(pkts, func(a, b packet) int { return cmp.Compare(a.at, b.at) })
	for _, p := range pkts {
		ci := gopacket.CaptureInfo{Timestamp: start.Add(p.at), CaptureLength: len(p.data), Length: len(p.data)}
		var po pcapgo.NgPacketOptions
		if p.comment != "" {
			po.Comments = []string{p.comment}
		}
		if err := nw.WritePacketWithOptions(ci, p.data, po); err != nil {
			return err
		}
	}
	return nw.Flush()
}

// packet is one synthesised packet at an offset from the transcript start.
type packet struct {
	at      time.Duration
	data    []byte
	comment string
}

// flow builds the packets of one connection.
type flow struct {
	conn           int
	client, server netip.AddrPort
	pkts           []packet
	last           time.Duration
	ipID           [2]uint16
	err            error
}

// endpoints parses a connection's addresses; one that does not parse
// becomes the loopback address of the other's family with port 0.
func endpoints(c ConnInfo) (netip.AddrPort, netip.AddrPort) {
	l, lerr := netip.ParseAddrPort(c.Local)
	r, rerr := netip.ParseAddrPort(c.Remote)
	l = netip.AddrPortFrom(l.Addr().WithZone("").Unmap(), l.Port())
	r = netip.AddrPortFrom(r.Addr().WithZone("").Unmap(), r.Port())
	six := strings.HasSuffix(c.Network, "6")
	fallback := func(other netip.AddrPort, otherErr error) netip.AddrPort {
		if otherErr == nil && other.Addr().Is6() || otherErr != nil && six {
			return netip.AddrPortFrom(netip.IPv6Loopback(), 0)
		}
		return netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), 0)
	}
	if lerr != nil {
		l = fallback(r, rerr)
	}
	if rerr != nil {
		r = fallback(l, lerr)
	}
	// Mixed families (an IPv4 peer seen by a dual-stack socket whose
	// other end did not unmap) become IPv4-mapped IPv6 on both ends.
	if l.Addr().Is4() != r.Addr().Is4() {
		if l.Addr().Is4() {
			l = netip.AddrPortFrom(netip.AddrFrom16(l.Addr().As16()), l.Port())
		} else {
			r = netip.AddrPortFrom(netip.AddrFrom16(r.Addr().As16()), r.Port())
		}
	}
	return l, r
}

// localIsServer tells whether c's Local address is the server's.
func localIsServer(c ConnInfo, recorder string, localN, remoteN map[string]int, local, remote netip.AddrPort) bool {
	switch recorder {
	case RecorderServer:
		return true
	case RecorderClient:
		return false
	}
	sharedLocal := localN[c.Network+" "+c.Local] > 1
	sharedRemote := remoteN[c.Network+" "+c.Remote] > 1
	if sharedLocal != sharedRemote {
		return sharedLocal
	}
	if el, er := ephemeral(local.Port()), ephemeral(remote.Port()); el != er {
		return er
	}
	return true
}

func ephemeral(port uint16) bool { return port >= 32768 && port <= 60999 }

// at returns the time of the connection's next packet: d, but strictly
// after its previous packet so the connection's order survives sorting.
func (f *flow) at(d time.Duration) time.Duration {
	if len(f.pkts) > 0 && d <= f.last {
		d = f.last + time.Nanosecond
	}
	f.last = d
	return d
}

// emit serialises one packet from the client (fromClient) or the server.
func (f *flow) emit(d time.Duration, fromClient bool, transport gopacket.SerializableLayer, payload []byte, comment string) {
	if f.err != nil {
		return
	}
	src, dst := f.server, f.client
	dir := 1
	if fromClient {
		src, dst, dir = f.client, f.server, 0
	}
	var ip gopacket.NetworkLayer
	var ipLayer gopacket.SerializableLayer
	var proto layers.IPProtocol
	switch transport.(type) {
	case *layers.TCP:
		proto = layers.IPProtocolTCP
	default:
		proto = layers.IPProtocolUDP
	}
	if src.Addr().Is4() {
		f.ipID[dir]++
		v4 := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Flags: layers.IPv4DontFragment, Id: f.ipID[dir], Protocol: proto,
			SrcIP: src.Addr().AsSlice(), DstIP: dst.Addr().AsSlice()}
		ip, ipLayer = v4, v4
	} else {
		v6 := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: proto, SrcIP: src.Addr().AsSlice(), DstIP: dst.Addr().AsSlice()}
		ip, ipLayer = v6, v6
	}
	switch l := transport.(type) {
	case *layers.TCP:
		l.SrcPort, l.DstPort = layers.TCPPort(src.Port()), layers.TCPPort(dst.Port())
		f.err = l.SetNetworkLayerForChecksum(ip)
	case *layers.UDP:
		l.SrcPort, l.DstPort = layers.UDPPort(src.Port()), layers.UDPPort(dst.Port())
		f.err = l.SetNetworkLayerForChecksum(ip)
	}
	if f.err != nil {
		return
	}
	buf := gopacket.NewSerializeBuffer()
	f.err = gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ipLayer, transport, gopacket.Payload(payload))
	if f.err != nil {
		return
	}
	f.pkts = append(f.pkts, packet{at: f.at(d), data: append([]byte(nil), buf.Bytes()...), comment: comment})
}

// chunks splits b into pieces of at most MaxSegment bytes.
func chunks(b []byte) [][]byte {
	var out [][]byte
	for len(b) > MaxSegment {
		out = append(out, b[:MaxSegment])
		b = b[MaxSegment:]
	}
	return append(out, b)
}

func (f *flow) label() string {
	return fmt.Sprintf("transcript conn %d: client %s, server %s", f.conn, f.client, f.server)
}

func (f *flow) udp(evs []Event) ([]packet, error) {
	for i, e := range evs {
		comment := ""
		if i == 0 {
			comment = f.label()
		}
		for _, p := range chunks(e.Data) {
			f.emit(e.T, e.Dir == C2S, &layers.UDP{}, p, comment)
			comment = ""
		}
	}
	return f.pkts, f.err
}

// Window scale shift announced in the SYNs, so the advertised window
// (65535 << 14, about 1 GiB) never makes Wireshark report a full window
// for data the synthesised trace never acknowledges on its own.
const wscale = 14

func (f *flow) tcp(c ConnInfo, evs []Event) ([]packet, error) {
	// Fixed initial sequence numbers keep the output reproducible.
	seq := [2]uint32{0x10000000 + uint32(c.ID)*0x01000000, 0x80000000 + uint32(c.ID)*0x01000000} // [client, server]
	opts := []layers.TCPOption{
		{OptionType: layers.TCPOptionKindMSS, OptionLength: 4, OptionData: []byte{0xff, 0xd7}}, // 65495, as on loopback
		{OptionType: layers.TCPOptionKindNop, OptionLength: 1},
		{OptionType: layers.TCPOptionKindWindowScale, OptionLength: 3, OptionData: []byte{wscale}},
	}
	side := func(fromClient bool) int {
		if fromClient {
			return 0
		}
		return 1
	}
	seg := func(d time.Duration, fromClient bool, flags string, payload []byte, comment string) {
		me := side(fromClient)
		l := &layers.TCP{Seq: seq[me], Ack: seq[1-me], Window: 65535}
		for _, fl := range flags {
			switch fl {
			case 'S':
				l.SYN = true
			case 'A':
				l.ACK = true
			case 'P':
				l.PSH = true
			case 'F':
				l.FIN = true
			}
		}
		if l.SYN {
			l.Options = opts
		}
		if !l.ACK {
			l.Ack = 0
		}
		f.emit(d, fromClient, l, payload, comment)
		seq[me] += uint32(len(payload))
		if l.SYN || l.FIN {
			seq[me]++
		}
	}
	seg(c.Opened, true, "S", nil, f.label())
	seg(c.Opened, false, "SA", nil, "")
	seg(c.Opened, true, "A", nil, "")

	closed := c.Closed > 0 && (c.ClosedBy == "client" || c.ClosedBy == "server")
	closerIsClient := c.ClosedBy == "client"
	// The first FIN goes at the close time, or after the closer's last
	// bytes if the transcript recorded some later (it cannot send after
	// its FIN); the other side's FIN after its own last bytes.
	firstFin := c.Closed
	for _, e := range evs {
		if (e.Dir == C2S) == closerIsClient && e.T > firstFin {
			firstFin = e.T
		}
	}
	fin := func(d time.Duration, fromClient bool) {
		seg(d, fromClient, "FA", nil, "")
		seg(d, !fromClient, "A", nil, "")
	}
	finned := false
	for _, e := range evs {
		if closed && !finned && e.T > firstFin {
			fin(firstFin, closerIsClient)
			finned = true
		}
		for _, p := range chunks(e.Data) {
			seg(e.T, e.Dir == C2S, "PA", p, "")
		}
	}
	if closed {
		if !finned {
			fin(firstFin, closerIsClient)
		}
		fin(f.last, !closerIsClient)
	}
	return f.pkts, f.err
}
