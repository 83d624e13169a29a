// Package spec defines the exercise files that describe what the grader
// runs and checks, decodes them strictly and validates them, so an author
// learns about a typo from `grader validate` with a file:line:col, not from
// a student's wrong grade.
package spec

// Exercise is one exercises/<id>/exercise.yaml.
type Exercise struct {
	ID    string `yaml:"id"`
	Title string `yaml:"title"`
	// Seed names the lab sheet and section the exercise comes from.
	Seed string `yaml:"seed"`
	// Role is what the student writes: "client" (it talks to our reference
	// servers), "server" (the grader plays the client) or "exec" (a
	// program without network: input on stdin and arguments, output on
	// stdout).
	Role      string     `yaml:"role"`
	Run       Run        `yaml:"run"`
	Servers   []Server   `yaml:"servers"`
	Scenarios []Scenario `yaml:"scenarios"`
	// Translations maps a language code ("fr") to English text → its
	// translation, for any scenario name, scenario hint, check hint or
	// matcher message of the exercise (and its title): the fields stay in
	// English and are translated once here, without duplicating them.
	// The report is localized by package i18n.
	Translations map[string]map[string]string `yaml:"translations"`

	// File is the path it was loaded from; Dir its folder; Statement the
	// README.md beside it. None of them is read from YAML.
	File      string `yaml:"-"`
	Dir       string `yaml:"-"`
	Statement string `yaml:"-"`
}

// Run says how the student's program is invoked.
type Run struct {
	// Args is a template: {host}, {port}, {out} and {NAME_host}/{NAME_port}
	// per reference server are replaced.
	Args []string          `yaml:"args"`
	Env  map[string]string `yaml:"env"`
	// Port is the seed's fixed port for a server exercise: the student's
	// server is told PORT and may also just listen on this one.
	Port int `yaml:"port"`
	// Family is where the grader connects for a server exercise: ipv4
	// (127.0.0.1) or ipv6 (::1).
	Family string `yaml:"family"`
	// Protocol of the student's server: tcp or udp (readiness looks for a
	// listening TCP socket or a bound UDP one).
	Protocol string   `yaml:"protocol"`
	Timeout  Duration `yaml:"timeout"`
	// Ready bounds how long a student server may take to listen.
	Ready Duration `yaml:"ready"`
	// Grace is how long a server is given to finish by itself after the
	// last step before it is stopped.
	Grace Duration `yaml:"grace"`
	Stdin *string  `yaml:"stdin"`
	// Www, for a server exercise, is a folder of the program's working
	// folder that receives a copy of fixtures/www (every file dated like
	// the reference server's pages) before the program starts: the root a
	// static file server serves.
	Www string `yaml:"www"`
}

// Server is a reference server the grader starts for a client exercise.
type Server struct {
	Name string `yaml:"name"`
	// Kind selects the implementation: echo-tcp, echo-udp, udp-time.
	Kind string `yaml:"kind"`
	// Port is the seed's fixed port, used when the grader runs with
	// --ports seed (the default on a student's machine).
	Port   int    `yaml:"port"`
	Family string `yaml:"family"`
	// Suffix replaces " OK" for echo servers.
	Suffix *string `yaml:"suffix"`
	// Message is what an rsa-chat peer says to the client, or the secret
	// a fernet-http server encrypts.
	Message string `yaml:"message"`
	// Key is a fernet-http server's Fernet key (the SECRET_KEY).
	Key string `yaml:"key"`
	// Idle is how long an http server keeps a silent connection open.
	Idle Duration `yaml:"idle"`
	// Gzip makes an http server compress text for clients that accept
	// gzip; Chunked makes it frame file answers with chunked transfer
	// coding.
	Gzip    bool `yaml:"gzip"`
	Chunked bool `yaml:"chunked"`
	// Redirects maps a path of an http server to a redirect
	// ({/old: {status: 301, to: /new}}).
	Redirects map[string]Redirect `yaml:"redirects"`
	// Cache maps a path prefix of an http server to the freshness it
	// sends ({/: {max_age: 60}}).
	Cache map[string]CacheRule `yaml:"cache"`
	// Cookies maps a path prefix of an http server to the Set-Cookie
	// values it sends ({/: ["session=abc123; Path=/"]}).
	Cookies map[string][]string `yaml:"cookies"`
	// Aliases maps a request path to a page of fixtures/www a TLS server
	// also serves there ("/api/certificate.v1/pdf/HDC2GWUR3YT4": doc.pdf),
	// so a lab sheet's URL works unchanged.
	Aliases map[string]string `yaml:"aliases"`
}

// Scenario is one graded run of the student's program.
type Scenario struct {
	ID          string   `yaml:"id"`
	Name        string   `yaml:"name"`
	Description string   `yaml:"description"`
	Points      int      `yaml:"points"`
	Hidden      bool     `yaml:"hidden"`
	Depends     []string `yaml:"depends"`
	Args        []string `yaml:"args"`
	Stdin       *string  `yaml:"stdin"`
	Timeout     Duration `yaml:"timeout"`
	Network     *Network `yaml:"network"`
	// Target names the reference server HOST and PORT point at (default:
	// the first one).
	Target string `yaml:"target"`
	// Peer tunes a conversational reference peer (rsa-chat).
	Peer *Peer `yaml:"peer"`
	// StopWhen ends a client that never exits by itself (a chat) as soon
	// as what it had to do is done; it is then not blamed for running.
	StopWhen *StopWhen `yaml:"stop_when"`
	Steps    []Step    `yaml:"steps"`
	Expect   Expect    `yaml:"expect"`
	Hint     string    `yaml:"hint"`
}

// Network makes the grader's side of the wire adversarial: writes are cut
// into Segment-byte pieces with Delay between them, and a UDP reference
// server can be preceded by an impostor.
type Network struct {
	Segment int      `yaml:"segment"`
	Delay   Duration `yaml:"delay"`
	// Spoof is a datagram a UDP reference server sends from another port
	// before every real reply: a client must not take it for the answer.
	Spoof *string `yaml:"spoof"`
}

// FileExpect names a file the program must write and what it must hold.
type FileExpect struct {
	// Path is relative to the program's working folder.
	Path string `yaml:"path"`
	// Www is the page of fixtures/www it must equal byte for byte.
	Www  string `yaml:"www"`
	Hint string `yaml:"hint"`
	// Absent turns the check around: the program must not write the file
	// (a download that should have been refused).
	Absent bool `yaml:"absent"`
}

// RequestMatch describes one HTTP request a client must send.
type RequestMatch struct {
	Method string `yaml:"method"`
	Path   string `yaml:"path"`
	// Proto is the version (default HTTP/1.1).
	Proto string `yaml:"proto"`
	// Header lists headers that must be present with these values
	// (compared without surrounding space, names case-insensitively).
	Header map[string]string `yaml:"header"`
	// CRLF requires every line to end with \r\n (default true).
	CRLF *bool `yaml:"crlf"`
	// NotPipelined requires the request to be sent only after the answer
	// to the previous one was read.
	NotPipelined bool `yaml:"not_pipelined"`
	// HeaderContains lists headers that must be present and contain
	// these texts, case-insensitively ({Accept-Encoding: gzip} accepts
	// "gzip, deflate").
	HeaderContains map[string]string `yaml:"header_contains"`
	// Status is the status the reference server answered the request
	// with (304: the client revalidated with a validator that matched).
	Status int `yaml:"status"`
}

// Redirect is a redirect an http reference server answers a path with.
type Redirect struct {
	// Status is 301, 302, 303, 307 or 308.
	Status int `yaml:"status"`
	// To is the Location: a path or a whole URL.
	To string `yaml:"to"`
	// Absolute sends a path To as a whole URL on the server
	// ("http://127.0.0.1:PORT/new"), so a client meets both forms.
	Absolute bool `yaml:"absolute"`
}

// CacheRule is the freshness an http reference server sends under a path
// prefix.
type CacheRule struct {
	// MaxAge sends Cache-Control: max-age=N (seconds).
	MaxAge *int `yaml:"max_age"`
	// Expires sends Expires: the time of the answer plus this many seconds
	// (negative: already expired).
	Expires *int `yaml:"expires"`
}

// WSClientExpect lists the checks on a WebSocket client's bytes; each
// flag set becomes one check: ws-handshake, ws-masked, ws-fresh-masks,
// ws-no-data.
type WSClientExpect struct {
	// Handshake: GET with Upgrade, Connection, version 13 and a key that is
	// 16 random bytes in base64.
	Handshake bool `yaml:"handshake"`
	// Masked: every frame the client sent is masked.
	Masked bool `yaml:"masked"`
	// FreshMasks: no two frames share a masking key.
	FreshMasks bool `yaml:"fresh_masks"`
	// Close: the client sent a close frame.
	Close bool `yaml:"close"`
	// NoData: a handshake, then no text or binary frame (the server's
	// accept key was wrong: a client must give up).
	NoData bool `yaml:"no_data"`
}

// FernetMatch describes the secret an HTTP response must carry.
type FernetMatch struct {
	Key       string `yaml:"key"`
	Plaintext string `yaml:"plaintext"`
}

// Peer tunes a reference peer that converses.
type Peer struct {
	// WaitFirst makes the peer speak only after the client's first
	// message (a client that only listens first then deadlocks).
	WaitFirst bool `yaml:"wait_first"`
}

// StopWhen lists conditions that, all holding, end the program.
type StopWhen struct {
	Stdout   *Match `yaml:"stdout"`
	Messages *Match `yaml:"messages"`
}

// Step is one action of the grader playing the client; exactly one field is
// set.
type Step struct {
	// Connect opens a connection to the student's server: tcp or udp (the
	// family comes from run.family), or tls: TCP then a TLS handshake that
	// verifies the server's certificate against the CA the grader made
	// (check "tls").
	Connect string   `yaml:"connect"`
	Send    *Payload `yaml:"send"`
	Expect  *Match   `yaml:"expect"`
	// Close closes the connection (the value is ignored: `close: {}`).
	Close *struct{} `yaml:"close"`
	// Browser opens a page in headless Chromium whose JavaScript talks
	// to the student's WebSocket server, as the lab sheet's browser client
	// does. Skipped where Chromium is not installed.
	Browser *Browser `yaml:"browser"`
}

// Browser is a real-browser WebSocket exchange: the page connects to the
// server, sends Text and waits for its echo.
type Browser struct {
	ID      string   `yaml:"id"`
	Text    string   `yaml:"text"`
	Timeout Duration `yaml:"timeout"`
	Hint    string   `yaml:"hint"`
}

// Payload is bytes to send, given as text (YAML escapes such as "\0"
// work) or hex ("62 6f 6e").
type Payload struct {
	Text *string `yaml:"text"`
	Hex  string  `yaml:"hex"`
	// Frame builds a lab-sheet frame (checksum, CRC-8, RC4, AES).
	Frame *Frame `yaml:"frame"`
	// WS builds a WebSocket frame.
	WS *WSFrame `yaml:"ws"`
	// Upgrade builds a WebSocket opening handshake request.
	Upgrade *Upgrade `yaml:"upgrade"`
	// HTTP builds an HTTP/1.x request.
	HTTP *HTTPRequest `yaml:"http"`
}

// WSFrame is a WebSocket frame (RFC 6455 section 5.2). A frame the grader
// sends is masked with a fresh random key unless Mask is false; a frame it
// expects must be unmasked, FIN set unless Fin is false, RSV bits clear,
// the length in its minimal encoding.
type WSFrame struct {
	// Opcode: text, binary, continuation, close, ping, pong, or a number.
	Opcode string `yaml:"opcode"`
	// Text is the payload as text; Size a generated ASCII payload of that
	// many bytes; Hex raw bytes. At most one.
	Text *string `yaml:"text"`
	Size *int    `yaml:"size"`
	Hex  string  `yaml:"hex"`
	// CloseCode prefixes a close frame's payload (1000 normal, 1002
	// protocol error, 1007 invalid data).
	CloseCode int   `yaml:"close_code"`
	Mask      *bool `yaml:"mask"`
	Fin       *bool `yaml:"fin"`
	Rsv       int   `yaml:"rsv"`
}

// Upgrade is a WebSocket opening handshake: as a payload, the request the
// grader sends; as a matcher, the 101 response it expects.
type Upgrade struct {
	// Key is Sec-WebSocket-Key (the lab sheet's jLSLU57WxRJACRQxlN47Tw==).
	Key  string `yaml:"key"`
	Path string `yaml:"path"`
	// Omit lists request headers to leave out (Upgrade, Connection...).
	Omit []string `yaml:"omit"`
}

// Frame is a frame of the lab sheets: a message with its checksum or
// CRC-8 byte, or encrypted with RC4, or in the AES framing (one length
// byte, zero-padded AES-128-ECB blocks).
type Frame struct {
	// Kind is checksum, crc8, rc4 or aes.
	Kind string `yaml:"kind"`
	// Message is the text, without the C string's NUL.
	Message string `yaml:"message"`
	// Key for rc4 and aes.
	Key string `yaml:"key"`
	// Poly and Init select the CRC-8 (default: the lab sheet's 0x1D, 0).
	Poly *int `yaml:"poly"`
	Init *int `yaml:"init"`
	// Dialect is c (the message ends with NUL), python (it does not) or,
	// for a matcher, any (the default: both are right).
	Dialect string `yaml:"dialect"`
	// Corrupt flips one bit of the last byte of a frame the grader sends.
	Corrupt bool `yaml:"corrupt"`
}

// Match is a typed matcher over bytes: the student's stdout or stderr,
// what its client sent, or a reply its server sent. All conditions given
// must hold. It becomes one check in the report.
type Match struct {
	// ID names the check (default: the field it sits under, or stepN).
	ID          string  `yaml:"id"`
	Equals      *string `yaml:"equals"`
	Hex         string  `yaml:"hex"`
	Contains    *string `yaml:"contains"`
	NotContains *string `yaml:"not_contains"`
	Matches     string  `yaml:"matches"`
	NotMatches  string  `yaml:"not_matches"`
	// Frame requires the bytes to be a correct frame; a wrong one is
	// explained (wrong polynomial, missing length byte...).
	Frame *Frame `yaml:"frame"`
	// Fernet requires an HTTP response whose body is a Fernet token that
	// decrypts, with Key, to Plaintext.
	Fernet *FernetMatch `yaml:"fernet"`
	// WS requires one WebSocket frame from the server.
	WS *WSFrame `yaml:"ws"`
	// Upgrade requires the 101 response to a WebSocket handshake.
	Upgrade *Upgrade `yaml:"upgrade"`
	// Closed requires the server to close the connection.
	Closed bool `yaml:"closed"`
	// HTTP requires one HTTP/1.x response (see HTTPResponse).
	HTTP *HTTPResponse `yaml:"http"`
	// IgnoreNUL drops NUL bytes before comparing: C programs send the
	// string terminator, Python ones do not, and both are right.
	IgnoreNUL bool `yaml:"ignore_nul"`
	// Trim ignores leading and trailing white space.
	Trim       bool     `yaml:"trim"`
	IgnoreCase bool     `yaml:"ignore_case"`
	Timeout    Duration `yaml:"timeout"`
	Message    string   `yaml:"message"`
	Hint       string   `yaml:"hint"`
}

// Expect lists the checks run after the scenario's program has finished
// (or been stopped). Each field set becomes one named check.
type Expect struct {
	Exit   *int   `yaml:"exit"`
	Stdout *Match `yaml:"stdout"`
	Stderr *Match `yaml:"stderr"`
	// Sent matches everything the student's client sent to the reference
	// servers, all connections concatenated in order.
	Sent *Match `yaml:"sent"`
	// File checks a file the program wrote in its working folder.
	File *FileExpect `yaml:"file"`
	// Requests checks the HTTP requests an http reference server received,
	// in order.
	Requests []RequestMatch `yaml:"requests"`
	// Messages matches what a conversational peer decrypted from the
	// client, one message per line.
	Messages *Match `yaml:"messages"`
	// Connections is how many connections (or UDP peers) the reference
	// servers saw.
	Connections *int `yaml:"connections"`
	// WSClient checks what a WebSocket client sent to the reference
	// server: its handshake and its frames.
	WSClient *WSClientExpect `yaml:"ws_client"`
	// ClosedByClient requires the student's client to close the
	// connection itself.
	ClosedByClient *bool `yaml:"closed_by_client"`
	// TLS checks the client's handshakes with a TLS reference server.
	TLS *TLSExpect `yaml:"tls"`
	// Hints per check id, shown under a failure.
	Hints map[string]string `yaml:"hints"`
}
