package i18n_test

import (
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	grader "github.com/netlab-grader/grader"
	"github.com/netlab-grader/grader/grader/check"
	"github.com/netlab-grader/grader/grader/i18n"
	"github.com/netlab-grader/grader/grader/result"
	"github.com/netlab-grader/grader/grader/spec"
	"github.com/netlab-grader/grader/reference/tlsref"
)

func str(s string) *string { return &s }

// matched is the check a matcher gives on data: the messages below are the
// check package's own, not copies.
func matched(m spec.Match, data string, who check.Subject) result.Check {
	return check.Match("id", &m, []byte(data), who)
}

func msg(m spec.Match, data string, who check.Subject) string {
	return matched(m, data, who).Message
}

// fr localizes s as the message of a check in a hand-built report, and
// checks that Message says the same.
func fr(s string) string {
	GinkgoHelper()
	rep := &result.Report{Scenarios: []result.Scenario{{ID: "s", Name: "s", Status: result.Failed,
		Checks: []result.Check{{Name: "c", Message: s}}}}}
	i18n.Localize(rep, nil, i18n.French)
	out := rep.Scenarios[0].Checks[0].Message
	Expect(i18n.Message(i18n.French, s)).To(Equal(out))
	return out
}

// frReason localizes s as the reason a scenario did not run.
func frReason(s string) string {
	rep := &result.Report{Scenarios: []result.Scenario{{ID: "s", Name: "s", Status: result.Skipped, Reason: s}}}
	i18n.Localize(rep, nil, i18n.French)
	return rep.Scenarios[0].Reason
}

const (
	crcEx     = `"bonjour" followed by its CRC-8 (poly 0x1D, init 0x00): 62 6f 6e 6a 6f 75 72 00 e0 (C, with the NUL) or 62 6f 6e 6a 6f 75 72 64 (Python, without)`
	crcFr     = `"bonjour" suivi de son CRC-8 (polynôme 0x1D, init 0x00) : 62 6f 6e 6a 6f 75 72 00 e0 (C, avec le NUL) ou 62 6f 6e 6a 6f 75 72 64 (Python, sans)`
	sumFr     = `"bonjour" suivi de sa somme de contrôle (somme modulo 256) : 62 6f 6e 6a 6f 75 72 00 ff (C, avec le NUL) ou 62 6f 6e 6a 6f 75 72 ff (Python, sans)`
	rc4Fr     = `"bonjour" chiffré avec RC4, clé "monsecret" : d6 9d 55 1e 59 5b 6b 5b (C, avec le NUL) ou d6 9d 55 1e 59 5b 6b (Python, sans)`
	aesFr     = `un octet de longueur puis "bonjour" en blocs AES-128-ECB complétés par des zéros, clé "0123456789ABCDEF" : 08 16 e1 e8 26 e9 f5 48 4d bd 51 ac 14 76 65 00 e0 (C, avec le NUL) ou 07 16 e1 e8 26 e9 f5 48 4d bd 51 ac 14 76 65 00 e0 (Python, sans)`
	fernetKey = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4="
	wsKey     = "jLSLU57WxRJACRQxlN47Tw=="
)

// firstLines keeps the message up to its hex diff.
func firstLine(s string) string { return strings.SplitN(s, "\n", 2)[0] }

var _ = Describe("Localize and Message on generated messages", func() {
	DescribeTable("translates the matchers' messages",
		func(english, french string) {
			Expect(fr(english)).To(Equal(french))
		},
		Entry("equals, cut short",
			msg(spec.Match{Equals: str("bonjour OK"), IgnoreNUL: true}, "bonjour\x00", "your server sent"),
			"votre serveur a envoyé `bonjour\\0` (8 octets), attendu `bonjour OK` : il s'arrête après 7 octets, il manque ` OK`"),
		Entry("equals, extra bytes",
			msg(spec.Match{Equals: str("bonjour OK")}, "bonjour OK\n", "your server sent"),
			"votre serveur a envoyé `bonjour OK\\n` (11 octets), attendu `bonjour OK` : 1 octet en trop après le texte attendu : `\\n`"),
		Entry("equals, case",
			msg(spec.Match{Equals: str("bonjour OK")}, "BONJOUR OK", "your server sent"),
			"votre serveur a envoyé `BONJOUR OK` (10 octets), attendu `bonjour OK` : seules les majuscules et minuscules diffèrent"),
		Entry("equals, white space",
			msg(spec.Match{Equals: str("bonjour OK")}, " bonjour OK ", "your program printed"),
			"votre programme a affiché ` bonjour OK ` (12 octets), attendu `bonjour OK` : seuls des blancs (espaces, fins de ligne) au début ou à la fin diffèrent"),
		Entry("equals, NUL bytes",
			msg(spec.Match{Equals: str("bon\x00jour")}, "bonjour\x00", "your server sent"),
			"votre serveur a envoyé `bonjour\\0` (8 octets), attendu `bon\\0jour` : seuls des octets NUL (\\0) diffèrent"),
		Entry("equals, first bytes match",
			msg(spec.Match{Equals: str("bonjour OK")}, "bonsoir OK", "your program printed"),
			"votre programme a affiché `bonsoir OK` (10 octets), attendu `bonjour OK` : les 3 premiers octets correspondent, puis `soir OK` au lieu de `jour OK`"),
		Entry("equals, first byte matches",
			msg(spec.Match{Equals: str("bonjour")}, "bye", "your program printed"),
			"votre programme a affiché `bye` (3 octets), attendu `bonjour` : le premier octet correspond, puis `ye` au lieu de `onjour`"),
		Entry("equals, nothing",
			msg(spec.Match{Equals: str("bonjour OK")}, "", "your server sent"),
			"votre serveur a envoyé rien, attendu `bonjour OK`"),
		Entry("equals on stderr, one byte",
			msg(spec.Match{Equals: str("x")}, "y", "your program wrote to stderr"),
			"votre programme a écrit sur stderr `y` (1 octet), attendu `x`"),
		Entry("equals in hex, with the hex diff",
			msg(spec.Match{Hex: "01 02 03"}, "\x01\x05\x03", "your server sent"),
			"votre serveur a envoyé `\\x01\\x05\\x03` (3 octets), attendu `\\x01\\x02\\x03`\n"+
				"première différence à la position 1 (0x1) : attendu 0x02, reçu 0x05\n"+
				"  attendu  0000  01 02 03\n"+
				"  reçu     0000  01 05 03\n"+
				"                    ^^"),
		Entry("contains",
			msg(spec.Match{Contains: str("merci pour tout")}, "bonjour", "your program printed"),
			"votre programme a affiché `bonjour` (7 octets), qui ne contient pas `merci pour tout`"),
		Entry("contains, other case",
			msg(spec.Match{Contains: str("OK")}, "ok", "your program printed"),
			"votre programme a affiché `ok` (2 octets), qui ne contient pas `OK` : le texte y est, mais avec d'autres majuscules et minuscules"),
		Entry("not_contains",
			msg(spec.Match{NotContains: str("OK")}, "bonjour OK", "your program printed"),
			"votre programme a affiché `bonjour OK` (10 octets), qui contient `OK`"),
		Entry("matches",
			msg(spec.Match{Matches: "(?i)ok"}, "nope", "your program printed"),
			"votre programme a affiché `nope` (4 octets), qui ne correspond pas à /(?i)ok/"),
		Entry("not_matches",
			msg(spec.Match{NotMatches: `(?i)\bok\b`}, "ok", "your program printed"),
			"votre programme a affiché `ok` (2 octets), où `ok` ne devrait pas apparaître"),
		Entry("the peer's decrypted messages",
			msg(spec.Match{Contains: str("salut")}, "", "the reference peer decrypted from your program"),
			"le pair de référence a déchiffré de votre programme rien, qui ne contient pas `salut`"),
		Entry("two conditions",
			msg(spec.Match{Contains: str("a"), NotContains: str("b")}, "b", "your program printed"),
			"votre programme a affiché `b` (1 octet), qui ne contient pas `a` ; votre programme a affiché `b` (1 octet), qui contient `b`"),
		Entry("an invalid regular expression",
			msg(spec.Match{Matches: "("}, "x", "your program printed"),
			"l'expression régulière de l'exercice est invalide : error parsing regexp: missing closing ): `(`"),
	)

	DescribeTable("translates the frames' messages and diagnoses",
		func(english, french string) {
			Expect(firstLine(fr(english))).To(Equal(french))
		},
		Entry("a wrong check byte",
			msg(spec.Match{Frame: &spec.Frame{Kind: "crc8", Message: "bonjour"}}, "bonjour\x00\x12", "your client sent"),
			"votre client a envoyé `bonjour\\0\\x12` (9 octets), qui n'est pas "+crcFr+" : l'octet de contrôle vaut 0x12, attendu 0xe0"),
		Entry("another CRC-8",
			msg(spec.Match{Frame: &spec.Frame{Kind: "crc8", Message: "bonjour"}}, "bonjour\x00\x7a", "your client sent"),
			"votre client a envoyé `bonjour\\0z` (9 octets), qui n'est pas "+crcFr+" : c'est CRC-8/MAXIM-DOW (Dallas) avec le polynôme 0x31, pas 0x1D"),
		Entry("a checksum for a CRC",
			msg(spec.Match{Frame: &spec.Frame{Kind: "crc8", Message: "bonjour"}}, "bonjour\x00\xff", "your client sent"),
			"votre client a envoyé `bonjour\\0\\xff` (9 octets), qui n'est pas "+crcFr+" : c'est une somme de contrôle (somme modulo 256), pas un CRC-8"),
		Entry("the NUL missing",
			msg(spec.Match{Frame: &spec.Frame{Kind: "crc8", Message: "bonjour", Dialect: "c"}}, "bonjour\x64", "your client sent"),
			"votre client a envoyé `bonjourd` (8 octets), qui n'est pas \"bonjour\" suivi de son CRC-8 (polynôme 0x1D, init 0x00) : 62 6f 6e 6a 6f 75 72 00 e0 (C, avec le NUL) : il manque le NUL final"),
		Entry("no check byte",
			msg(spec.Match{Frame: &spec.Frame{Kind: "checksum", Message: "bonjour"}}, "bonjour", "your client sent"),
			"votre client a envoyé `bonjour` (7 octets), qui n'est pas "+sumFr+" : il manque l'octet de contrôle"),
		Entry("a complemented checksum (a phrase with a semicolon)",
			msg(spec.Match{Frame: &spec.Frame{Kind: "checksum", Message: "bonjour"}}, "bonjour\x00\x00", "your client sent"),
			"votre client a envoyé `bonjour\\0\\0` (9 octets), qui n'est pas "+sumFr+" : la somme de contrôle est complémentée (~somme) ; envoyez la somme simple modulo 256"),
		Entry("the check byte first",
			msg(spec.Match{Frame: &spec.Frame{Kind: "checksum", Message: "bonjour"}}, "\xffbonjour", "your client sent"),
			"votre client a envoyé `\\xffbonjour` (8 octets), qui n'est pas "+sumFr+" : l'octet de contrôle est envoyé avant les données ; il doit venir après"),
		Entry("other data",
			msg(spec.Match{Frame: &spec.Frame{Kind: "checksum", Message: "bonjour"}}, "hello\x00\x00", "your client sent"),
			"votre client a envoyé `hello\\0\\0` (7 octets), qui n'est pas "+sumFr+" : les données sont \"hello\\x00\", pas \"bonjour\", et l'octet de contrôle ne correspond à aucun des deux"),
		Entry("hex text",
			msg(spec.Match{Frame: &spec.Frame{Kind: "checksum", Message: "bonjour"}}, "62 6f 6e 6a 6f 75 72 ff", "your client sent"),
			"votre client a envoyé `62 6f 6e 6a 6f 75 72 ff` (23 octets), qui n'est pas "+sumFr+" : la trame a été envoyée sous forme de texte hexadécimal, pas en octets bruts"),
		Entry("RC4 in clear",
			msg(spec.Match{Frame: &spec.Frame{Kind: "rc4", Message: "bonjour", Key: "monsecret"}}, "bonjour", "your client sent"),
			"votre client a envoyé `bonjour` (7 octets), qui n'est pas "+rc4Fr+" : le texte a été envoyé en clair, sans chiffrement"),
		Entry("RC4 with a wrong key",
			msg(spec.Match{Frame: &spec.Frame{Kind: "rc4", Message: "bonjour", Key: "monsecret"}}, "\x00\x01\x02\x03\x04\x05\x06", "your client sent"),
			"votre client a envoyé `\\0\\x01\\x02\\x03\\x04\\x05\\x06` (7 octets), qui n'est pas "+rc4Fr+" : mauvaise clé : le premier octet du flux de clé diffère"),
		Entry("AES, only the length byte",
			msg(spec.Match{Frame: &spec.Frame{Kind: "aes", Message: "bonjour", Key: "0123456789ABCDEF"}}, "\x07", "your client sent"),
			"votre client a envoyé `\\x07` (1 octet), qui n'est pas "+aesFr+" : seul l'octet de longueur a été envoyé, sans aucun bloc"),
	)

	It("translates a frame's hex diff line by line, keeping the columns", func() {
		out := fr(msg(spec.Match{Frame: &spec.Frame{Kind: "checksum", Message: "bonjour"}}, "bonjour", "your client sent"))
		Expect(strings.Split(out, "\n")[1:]).To(Equal([]string{
			"première différence à la position 7 (0x7) : 2 octets manquent à partir de là",
			"  attendu  0000  62 6f 6e 6a 6f 75 72 00 ff",
			"  reçu     0000  62 6f 6e 6a 6f 75 72",
			"                                      ^^",
		}))
	})

	DescribeTable("translates the frame diagnoses that are built around the frame",
		func(english, french string) {
			Expect(fr(english)).To(Equal(french))
		},
		Entry(nil, "this is CRC-8/SAE-J1850 (SAE): init 0xFF, xorout 0xFF, not init 0x00, xorout 0x00", "c'est CRC-8/SAE-J1850 (SAE) : init 0xFF, xorout 0xFF, et non init 0x00, xorout 0x00"),
		Entry(nil, "this is CRC-8/DARC: reflected input, reflected output, not unreflected input, unreflected output", "c'est CRC-8/DARC : entrée réfléchie, sortie réfléchie, et non entrée non réfléchie, sortie non réfléchie"),
		Entry(nil, `the frame carries "hello", not "bonjour" (its check byte is right for that text)`, `la trame transporte "hello", pas "bonjour" (son octet de contrôle est juste pour ce texte)`),
		Entry(nil, `the message is "hello", not "bonjour"`, `le message est "hello", pas "bonjour"`),
		Entry(nil, "the message is cut short: 5 of 7 bytes", "le message est tronqué : 5 octets sur 7"),
		Entry(nil, "1 extra byte after the message: 0a", "1 octet en trop après le message : 0a"),
		Entry(nil, "2 extra bytes after the message and its NUL: 0d 0a", "2 octets en trop après le message et son NUL : 0d 0a"),
		Entry(nil, "3 extra bytes after the blocks: 00 00 00", "3 octets en trop après les blocs : 00 00 00"),
		Entry(nil, "the length byte is 9, but the message is 7 bytes", "l'octet de longueur vaut 9, mais le message fait 7 octets"),
		Entry(nil, "1 extra block after the message", "1 bloc en trop après le message"),
		Entry(nil, "the length is sent in 4 bytes; the frame has a single length byte", "la longueur est envoyée sur 4 octets ; la trame n'a qu'un seul octet de longueur"),
		Entry(nil, "the blocks do not decrypt to the message, and the length byte 200 does not fit 1 block", "les blocs déchiffrés ne donnent pas le message, et l'octet de longueur 200 ne correspond pas à 1 bloc"),
		Entry(nil, "the frame is not 1 length byte plus whole 16-byte blocks (got 20 bytes)", "la trame n'est pas un octet de longueur suivi de blocs entiers de 16 octets (reçu 20 octets)"),
		Entry(nil, "the length byte is missing; PKCS#7 padding where zeros were expected", "il manque l'octet de longueur ; bourrage PKCS#7 là où des zéros étaient attendus"),
		Entry(nil, "ECB expected, got CBC (an IV is prepended)", "ECB attendu, CBC reçu (un IV est placé en tête)"),
		Entry(nil, "wrong key: the blocks decrypt to garbage", "mauvaise clé : les blocs déchiffrés n'ont aucun sens"),
		Entry(nil, "wrong key: the first keystream byte differs; the key was used with its trailing NUL", "mauvaise clé : le premier octet du flux de clé diffère ; la clé a été utilisée avec son NUL final"),
	)

	DescribeTable("translates the WebSocket and Fernet messages",
		func(english, french string) {
			Expect(fr(english)).To(Equal(french))
		},
		Entry("a masked frame with the wrong payload",
			msg(spec.Match{WS: &spec.WSFrame{Opcode: "text", Text: str("123")}}, "\x81\x83abcd123", "your server sent"),
			"votre serveur a envoyé une trame de type texte (0x1), FIN=true, 3 octets de charge utile : la trame est masquée (bit MASK à 1) : un serveur ne doit jamais masquer ses trames ; la charge utile est `PPP` (3 octets), attendu `123` (3 octets)"),
		Entry("another opcode",
			msg(spec.Match{WS: &spec.WSFrame{Opcode: "text", Text: str("123")}}, "\x82\x03124", "your server sent"),
			"votre serveur a envoyé une trame de type binaire (0x2), FIN=true, 3 octets de charge utile : la trame est de type binaire (0x2), attendu texte (0x1)"),
		Entry("RSV and FIN",
			msg(spec.Match{WS: &spec.WSFrame{Opcode: "text", Text: str("a")}}, "\x71\x01a", "your server sent"),
			"votre serveur a envoyé une trame de type texte (0x1), FIN=false, 1 octet de charge utile : des bits RSV sont à 1 (0x7) sans extension négociée ; FIN vaut false, attendu true"),
		Entry("a length not in its minimal encoding",
			msg(spec.Match{WS: &spec.WSFrame{Opcode: "text", Text: str("a")}}, "\x81\x7e\x00\x01a", "your server sent"),
			"votre serveur a envoyé une trame de type texte (0x1), FIN=true, 1 octet de charge utile : une charge utile de 1 octet a sa longueur dans 16 bits (126 + 2 octets) ; l'encodage minimal est le champ de 7 bits (RFC 6455 5.2)"),
		Entry("a close status",
			msg(spec.Match{WS: &spec.WSFrame{Opcode: "close", CloseCode: 1000}}, "\x88\x02\x03\xea", "your server sent"),
			"votre serveur a envoyé une trame de type fermeture (0x8), FIN=true, 2 octets de charge utile : le code d'état de fermeture est 1002, attendu 1000"),
		Entry("no close status",
			msg(spec.Match{WS: &spec.WSFrame{Opcode: "close", CloseCode: 1002}}, "\x88\x00", "your server sent"),
			"votre serveur a envoyé une trame de type fermeture (0x8), FIN=true, 0 octet de charge utile : la trame de fermeture n'a pas de code d'état, attendu 1002"),
		Entry("an incomplete frame",
			msg(spec.Match{WS: &spec.WSFrame{Opcode: "text", Text: str("a")}}, "\x81\x05a", "your server sent"),
			"votre serveur a envoyé `\\x81\\x05a` (3 octets), pas une trame WebSocket complète (son en-tête annonce 5 octets de charge utile)"),
		Entry("no frame",
			msg(spec.Match{WS: &spec.WSFrame{Opcode: "text", Text: str("a")}}, "", "your server sent"),
			"votre serveur n'a envoyé aucune trame"),
		Entry("a wrong handshake answer",
			msg(spec.Match{Upgrade: &spec.Upgrade{Key: wsKey}}, "HTTP/1.1 200 OK\r\nUpgrade: h2\r\nSec-WebSocket-Accept: abc\r\n\r\n", "your server sent"),
			"la ligne de statut est `HTTP/1.1 200 OK`, attendu `HTTP/1.1 101 Switching Protocols` ; Upgrade vaut `h2`, attendu websocket ; l'en-tête Connection manque (attendu Connection: Upgrade) ; Sec-WebSocket-Accept vaut `abc`, attendu `KKJRhZfJMWCKezabzQbTk9sUEeY=` = base64(SHA-1(clé + \"258EAFA5-E914-47DA-95CA-C5AB0DC85B11\"))"),
		Entry("the accept key in hex",
			"Sec-WebSocket-Accept is `2885fa`, expected `KKJRhZfJMWCKezabzQbTk9sUEeY=` = base64(SHA-1(key + \"258EAFA5-E914-47DA-95CA-C5AB0DC85B11\")): that is the hex digest; encode the raw 20 bytes in base64",
			"Sec-WebSocket-Accept vaut `2885fa`, attendu `KKJRhZfJMWCKezabzQbTk9sUEeY=` = base64(SHA-1(clé + \"258EAFA5-E914-47DA-95CA-C5AB0DC85B11\")) : c'est le condensat en hexadécimal ; encodez les 20 octets bruts en base64"),
		Entry("the accept key without the GUID",
			"Sec-WebSocket-Accept is `x`, expected `y` = base64(SHA-1(key + \"g\")): the GUID was not appended to the key before hashing",
			"Sec-WebSocket-Accept vaut `x`, attendu `y` = base64(SHA-1(clé + \"g\")) : le GUID n'a pas été ajouté à la clé avant le hachage"),
		Entry("an incomplete handshake answer",
			msg(spec.Match{Upgrade: &spec.Upgrade{Key: wsKey}}, "HTTP/1.1 101", "your server sent"),
			"votre serveur a envoyé `HTTP/1.1 101` (12 octets), pas un en-tête de réponse HTTP complet (il se termine par une ligne vide, \\r\\n\\r\\n)"),
		Entry("no handshake answer",
			msg(spec.Match{Upgrade: &spec.Upgrade{Key: wsKey}}, "", "your server sent"),
			"votre serveur n'a rien envoyé en réponse à la poignée de main"),
		Entry("Fernet: a status",
			msg(spec.Match{Fernet: &spec.FernetMatch{Key: fernetKey, Plaintext: "fluffy tail"}}, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", "your server sent"),
			"votre serveur a répondu 404 Not Found, attendu 200 OK avec le jeton"),
		Entry("Fernet: the secret in clear",
			msg(spec.Match{Fernet: &spec.FernetMatch{Key: fernetKey, Plaintext: "fluffy tail"}}, "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nfluffy tail", "your server sent"),
			"la page contient le secret en clair, `fluffy tail` : chiffrez-le avec Fernet(SECRET_KEY) avant de l'envoyer"),
		Entry("Fernet: not HTTP",
			msg(spec.Match{Fernet: &spec.FernetMatch{Key: fernetKey, Plaintext: "fluffy tail"}}, "garbage", "your server sent"),
			"votre serveur a envoyé `garbage` (7 octets), qui n'est pas une réponse HTTP complète : malformed HTTP response \"garbage\""),
		Entry("Fernet: nothing",
			msg(spec.Match{Fernet: &spec.FernetMatch{Key: fernetKey, Plaintext: "fluffy tail"}}, "", "your server sent"),
			"votre serveur n'a rien envoyé"),
		Entry("Fernet: another secret",
			"the token decrypts to `fluffy`, expected `fluffy tail`",
			"le jeton se déchiffre en `fluffy`, attendu `fluffy tail`"),
	)

	It("translates what a WebSocket client is told", func() {
		conn := []byte("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: nope\r\n\r\n\x81\x01a\x81\x81\x00\x00\x00\x00a")
		cs := check.WSClient(&spec.WSClientExpect{Handshake: true, Masked: true, FreshMasks: true, Close: true, NoData: true}, [][]byte{conn})
		var got []string
		for _, c := range cs {
			got = append(got, fr(c.Message), fr(c.Expected), fr(c.Actual), fr(c.Hint))
		}
		Expect(got).To(Equal([]string{
			`Upgrade vaut "nope", attendu websocket ; Connection vaut "", attendu Upgrade ; Sec-WebSocket-Version vaut "", attendu 13 ; Sec-WebSocket-Key vaut "" : ce doit être 16 octets aléatoires encodés en base64 (24 caractères)`,
			"GET avec Host, Upgrade: websocket, Connection: Upgrade, Sec-WebSocket-Version: 13 et une Sec-WebSocket-Key de 16 octets aléatoires en base64",
			"GET /",
			"Envoyez la poignée de main d'ouverture de la RFC 6455 (section 4.1) : une requête GET avec ces en-têtes, puis lisez la réponse 101.",

			"la trame 1 (une trame de type texte (0x1), FIN=true, 1 octet de charge utile) n'est pas masquée : un client doit masquer chaque trame qu'il envoie (RFC 6455 5.3)",
			"chaque trame du client est masquée, sa longueur dans l'encodage minimal",
			"2 trames",
			"Mettez le bit MASK à 1, placez 4 octets aléatoires après la longueur, et combinez par XOR l'octet i de la charge utile avec mask[i % 4].",

			"une trame utilise la clé de masquage 00 00 00 00, qui ne masque rien",
			"une nouvelle clé de masquage aléatoire pour chaque trame",
			"1 trame masquée",
			"",

			"votre client a terminé la connexion sans trame de fermeture",
			"une trame de fermeture avant la fin de la connexion",
			"aucune trame de fermeture",
			"Envoyez une trame de fermeture (opcode 0x8, code 1000 sur deux octets, masquée) et attendez la fermeture du serveur avant de fermer la socket.",

			"le serveur a répondu avec un Sec-WebSocket-Accept faux, et pourtant votre client a envoyé une trame de type texte (0x1) transportant `a` (1 octet)",
			"une poignée de main, puis aucune trame texte ou binaire puisque le Sec-WebSocket-Accept du serveur est faux",
			"une trame de données",
			"Calculez vous-même base64(SHA-1(clé + GUID)) et comparez-le au Sec-WebSocket-Accept du serveur ; s'ils diffèrent, fermez la connexion sans rien envoyer (comme le font les navigateurs).",
		}))

		none := check.WSClient(&spec.WSClientExpect{Handshake: true, FreshMasks: true, NoData: true}, nil)
		Expect(fr(none[0].Message)).To(Equal("votre client ne s'est jamais connecté"))
		Expect(fr(none[1].Message)).To(Equal("votre client a envoyé 0 trame masquée ; il faut au moins deux trames masquées pour comparer leurs clés"))
		Expect(fr(none[2].Message)).To(Equal("votre client n'a jamais envoyé de poignée de main d'ouverture au serveur"))
		Expect(fr(none[2].Hint)).To(Equal("Connectez-vous à HOST:PORT et envoyez la poignée de main d'ouverture ; vérifiez ensuite le Sec-WebSocket-Accept du serveur."))
	})

	DescribeTable("translates the engine's and the steps' messages",
		func(english, french string) {
			Expect(fr(english)).To(Equal(french))
		},
		// steps: the grader as the client of a student's server
		Entry(nil, "your server sent `bonjour\\0` (8 bytes), expected `bonjour OK`: it stops after 7 bytes, ` OK` is missing (within 2s)",
			"votre serveur a envoyé `bonjour\\0` (8 octets), attendu `bonjour OK` : il s'arrête après 7 octets, il manque ` OK` (en 2s)"),
		Entry(nil, "your server sent nothing, expected `bonjour OK` (then closed the connection)",
			"votre serveur a envoyé rien, attendu `bonjour OK` (puis a fermé la connexion)"),
		Entry(nil, "your server sent nothing, expected `bonjour OK` (then the connection failed: connection reset by peer)",
			"votre serveur a envoyé rien, attendu `bonjour OK` (puis la connexion a échoué : connexion réinitialisée par le pair)"),
		Entry(nil, "your server sent `aaaa` (4 bytes), expected `b` ((stopped reading after 1 MiB))",
			"votre serveur a envoyé `aaaa` (4 octets), attendu `b` ((lecture arrêtée après 1 Mio))"),
		Entry(nil, "your server sent `\\x01` (1 byte), expected `\\x02`\nfirst difference at offset 0 (0x0): expected 0x02, got 0x01\n  expected 0000  02\n  actual   0000  01\n                 ^^ (within 1.5s)",
			"votre serveur a envoyé `\\x01` (1 octet), attendu `\\x02`\npremière différence à la position 0 (0x0) : attendu 0x02, reçu 0x01\n  attendu  0000  02\n  reçu     0000  01\n                 ^^ (en 1.5s)"),
		Entry(nil, "could not connect to 127.0.0.1:41234: connection refused; your server listens on [::1]:41234 (an IPv6 socket)",
			"impossible de se connecter à 127.0.0.1:41234 : connexion refusée ; votre serveur écoute sur [::1]:41234 (une socket IPv6)"),
		Entry(nil, "could not connect to [::1]:1234: connection refused",
			"impossible de se connecter à [::1]:1234 : connexion refusée"),
		Entry(nil, "could not send `merci pour tout\\0` (16 bytes): broken pipe (your server closed the connection?)",
			"impossible d'envoyer `merci pour tout\\0` (16 octets) : tube cassé (broken pipe) (votre serveur a-t-il fermé la connexion ?)"),
		Entry(nil, "could not send byte 14 of `bonjour` (7 bytes): connection reset by peer",
			"impossible d'envoyer l'octet 14 de `bonjour` (7 octets) : connexion réinitialisée par le pair"),
		Entry(nil, "no open connection to read the reply from", "aucune connexion ouverte sur laquelle lire la réponse"),
		Entry(nil, "no open connection to send on", "aucune connexion ouverte sur laquelle envoyer"),
		Entry(nil, "your server kept the connection open for 2s", "votre serveur a gardé la connexion ouverte pendant 2s"),
		Entry(nil, "your server kept the connection open for 2.1s and sent `x` (1 byte)", "votre serveur a gardé la connexion ouverte pendant 2.1s et a envoyé `x` (1 octet)"),
		Entry(nil, "the browser's page got no answer from ws://127.0.0.1:9527/ within 15s", "la page du navigateur n'a reçu aucune réponse de ws://127.0.0.1:9527/ en 15s"),
		Entry(nil, "the browser received `12`, expected `123`", "le navigateur a reçu `12`, attendu `123`"),
		Entry(nil, "the connection closed with code 1006 before any message came back", "la connexion s'est fermée avec le code 1006 avant le retour du moindre message"),
		Entry(nil, "chromium is not installed", "chromium n'est pas installé"),
		// engine: the run
		Entry(nil, "your client opened 2 connections to the reference server, expected 1 connection",
			"votre client a ouvert 2 connexions vers le serveur de référence, attendu 1 connexion"),
		Entry(nil, "your client opened 0 connections to the reference server, expected 1 connection: it never reached it",
			"votre client a ouvert 0 connexion vers le serveur de référence, attendu 1 connexion : il ne l'a jamais atteint"),
		Entry(nil, "connection 1 was still open when your program was stopped", "la connexion 1 était encore ouverte quand votre programme a été arrêté"),
		Entry(nil, "your program printed `bonjour` (7 bytes), which does not contain `OK` (output capped: 1200 more bytes were not kept)",
			"votre programme a affiché `bonjour` (7 octets), qui ne contient pas `OK` (sortie tronquée : 1200 octets de plus n'ont pas été conservés)"),
		Entry(nil, "your program was still running after 5s and was killed", "votre programme tournait encore après 5s et a été tué"),
		Entry(nil, "your program was still running after 5s and was killed with everything it started", "votre programme tournait encore après 5s et a été tué, avec tout ce qu'il avait lancé"),
		Entry(nil, "your program was still running after the exchange was over and was stopped", "votre programme tournait encore une fois l'échange terminé et a été arrêté"),
		Entry(nil, "your program ended with exit code 1, expected exit code 0; stderr: `Traceback (most recent call last):\\n  ConnectionRefusedError: [Errno 111] Connection refused`",
			"votre programme s'est terminé avec code de sortie 1, attendu le code de sortie 0 ; stderr : `Traceback (most recent call last):\\n  ConnectionRefusedError: [Errno 111] Connection refused`"),
		Entry(nil, "your program ended with signal segmentation fault, expected exit code 0",
			"votre programme s'est terminé avec signal : erreur de segmentation (SIGSEGV), attendu le code de sortie 0"),
		Entry(nil, "your program was killed by segmentation fault", "votre programme a été tué par un signal : erreur de segmentation (SIGSEGV)"),
		Entry(nil, "your program exited (exit code 1) before it listened on a TCP port", "votre programme s'est terminé (code de sortie 1) avant d'écouter sur un port TCP"),
		Entry(nil, "your program did not open a UDP socket on any port within 3s", "votre programme n'a ouvert de socket UDP sur aucun port en 3s"),
		Entry(nil, "the build did not finish within 1m0s", "la compilation ne s'est pas terminée en 1m0s"),
		Entry(nil, "the messages `` (0 bytes)", "the messages `` (0 bytes)"),
		Entry(nil, "your program closed the connection before sending its public key", "votre programme a fermé la connexion avant d'envoyer sa clé publique"),
		Entry(nil, "the peer could not read your public key: unexpected EOF", "le pair n'a pas pu lire votre clé publique : fin de flux inattendue"),
		Entry(nil, "the reference peer decrypted from your program nothing, which does not contain `salut`; the peer could not read your message: EOF",
			"le pair de référence a déchiffré de votre programme rien, qui ne contient pas `salut` ; le pair n'a pas pu lire votre message : fin de flux"),
	)

	It("translates the compiler's failure but not the compiler's words", func() {
		Expect(fr("the build failed:\nget.c:3:1: error: expected ';' before '}' token; did you mean it")).To(Equal(
			"la compilation a échoué :\nget.c:3:1: error: expected ';' before '}' token; did you mean it"))
	})

	It("says in French how a compiler that printed nothing ended", func() {
		Expect(fr("the build failed:\n(the compiler printed nothing; it exited with status 1)")).To(Equal(
			"la compilation a échoué :\n(le compilateur n'a rien affiché ; il s'est terminé avec le code 1)"))
		Expect(fr("the build failed:\n(the compiler printed nothing; a signal killed it (killed))")).To(Equal(
			"la compilation a échoué :\n(le compilateur n'a rien affiché ; un signal l'a tué : tué (SIGKILL))"))
		// Output of blank lines only counts as nothing too.
		Expect(fr("the build failed:\n\n(the compiler printed nothing; it exited with status 2)")).To(Equal(
			"la compilation a échoué :\n\n(le compilateur n'a rien affiché ; il s'est terminé avec le code 2)"))
	})

	DescribeTable("translates why a scenario did not run",
		func(english, french string) {
			Expect(frReason(english)).To(Equal(french))
		},
		Entry(nil, "depends on replies-ok, which did not pass", "dépend de replies-ok, qui n'a pas réussi"),
		Entry(nil, "the build failed", "la compilation a échoué"),
		Entry(nil, "grading was interrupted", "la correction a été interrompue"),
		Entry(nil, "needs Chromium, which is not installed here (Debian package chromium)", "nécessite Chromium, qui n'est pas installé ici (paquet Debian chromium)"),
		Entry(nil, "could not find a free port: no free port below the ephemeral range after 200 tries", "impossible de trouver un port libre : no free port below the ephemeral range after 200 tries"),
		Entry(nil, `could not start reference server "echo": listen tcp 127.0.0.1:1234: bind: address already in use`, `impossible de démarrer le serveur de référence "echo" : listen tcp 127.0.0.1:1234: bind: address already in use`),
		Entry(nil, "port 1234 was busy on this machine, so the reference server listened on 127.0.0.1:40123: a program that ignores PORT could not reach it",
			"le port 1234 était occupé sur cette machine, le serveur de référence a donc écouté sur 127.0.0.1:40123 : un programme qui ignore PORT ne pouvait pas l'atteindre"),
		Entry(nil, "(the transcript keeps the first 1048576 bytes; 20 more were not recorded)", "(la transcription garde les 1048576 premiers octets ; 20 de plus n'ont pas été enregistrés)"),
		Entry(nil, "port 1234 was busy on this machine, so the reference server listened on 127.0.0.1:40123: a program that ignores PORT could not reach it (the transcript keeps the first 1048576 bytes; 20 more were not recorded)",
			"le port 1234 était occupé sur cette machine, le serveur de référence a donc écouté sur 127.0.0.1:40123 : un programme qui ignore PORT ne pouvait pas l'atteindre (la transcription garde les 1048576 premiers octets ; 20 de plus n'ont pas été enregistrés)"),
	)

	DescribeTable("translates what a check expected and what it saw",
		func(english, french string) {
			Expect(fr(english)).To(Equal(french))
		},
		Entry(nil, "the build succeeds", "la compilation réussit"),
		Entry(nil, "1 connection", "1 connexion"),
		Entry(nil, "3 connections", "3 connexions"),
		Entry(nil, "exit code 0", "code de sortie 0"),
		Entry(nil, "killed at the timeout", "tué à l'expiration du délai"),
		Entry(nil, "stopped by the grader", "arrêté par le correcteur"),
		Entry(nil, "the program ends within 5s", "le programme se termine en moins de 5s"),
		Entry(nil, "still running", "toujours en cours d'exécution"),
		Entry(nil, "a normal exit", "une fin normale"),
		Entry(nil, "a TCP socket listening on port 41234", "une socket TCP en écoute sur le port 41234"),
		Entry(nil, "listening on 0.0.0.0:1234 (an IPv4 socket) (PORT was 41234; the grader connects where you listen)",
			"en écoute sur 0.0.0.0:1234 (une socket IPv4) (PORT valait 41234 ; le correcteur se connecte là où vous écoutez)"),
		Entry(nil, "not observable on this system; the first connection is retried instead", "impossible à observer sur ce système ; la première connexion est retentée à la place"),
		Entry(nil, "stderr: `Address already in use`", "stderr : `Address already in use`"),
		Entry(nil, "the server closes the connection", "le serveur ferme la connexion"),
		Entry(nil, "closed after `bye` (3 bytes)", "fermée après `bye` (3 octets)"),
		Entry(nil, "still open", "toujours ouverte"),
		Entry(nil, "every connection was closed by the client", "chaque connexion a été fermée par le client"),
		Entry(nil, "contains `OK`; does not match /(?i)error/", "contient `OK` ; ne correspond pas à /(?i)error/"),
		Entry(nil, crcEx, crcFr),
		Entry(nil, "an unmasked text (0x1) frame carrying the 300 bytes sent", "une trame non masquée de type texte (0x1) transportant les 300 octets envoyés"),
		Entry(nil, "an unmasked pong (0xa) frame carrying `ping!` (5 bytes)", "une trame non masquée de type pong (0xa) transportant `ping!` (5 octets)"),
		Entry(nil, `a browser's WebSocket gets "123" echoed`, `le WebSocket d'un navigateur reçoit "123" en écho`),
		Entry(nil, "echoed `123`", "`123` renvoyé en écho"),
		Entry(nil, "a tcp server at 127.0.0.1:1234", "un serveur tcp à l'adresse 127.0.0.1:1234"),
		Entry(nil, "nothing", "rien"),
		Entry(nil, "`bonjour\\0` (8 bytes)", "`bonjour\\0` (8 octets)"),
	)

	It("translates the built-in hints", func() {
		Expect(fr("Fix the first error the compiler reports; every scenario needs a program that builds.")).To(Equal(
			"Corrigez la première erreur signalée par le compilateur ; chaque scénario a besoin d'un programme qui compile."))
		Expect(fr("Connect to the host and port given in HOST and PORT.")).To(Equal("Connectez-vous à l'hôte et au port donnés dans HOST et PORT."))
		Expect(fr("Your socket is bound to ::1 only: bind to \"\" (all addresses) or 127.0.0.1 so IPv4 clients can reach it.")).To(Equal(
			"Votre socket n'est liée qu'à ::1 : liez-la à \"\" (toutes les adresses) ou à 127.0.0.1 pour que les clients IPv4 puissent la joindre."))
	})

	Describe("quoted text", func() {
		It("is never translated, even when it is English the patterns know", func() {
			sneaky := "your server sent nothing, expected `x`; the build failed"
			en := msg(spec.Match{Equals: str("bonjour OK")}, sneaky, "your server sent")
			out := fr(en)
			Expect(out).To(HavePrefix("votre serveur a envoyé `your server sent nothing, expected \\`x\\`; the build failed` (56 octets), attendu `bonjour OK`"))
			Expect(out).To(ContainSubstring("`your server sent nothing, expected \\`x\\`; the build failed`"))

			en = msg(spec.Match{Contains: str("merci pour tout")}, "expected OK (8 bytes); which does not contain \"x", "your program printed")
			Expect(fr(en)).To(Equal("votre programme a affiché `expected OK (8 bytes); which does not contain \"x` (48 octets), qui ne contient pas `merci pour tout`"))
		})

		It("keeps %q strings of the frames and of the exercise as they are", func() {
			Expect(fr(`the message is "the check byte is missing", not "bonjour"`)).To(Equal(`le message est "the check byte is missing", pas "bonjour"`))
		})

		It("leaves a message alone when it already holds the placeholders' characters", func() {
			s := "your server sent nothing, expected `\uE000`"
			Expect(fr(s)).To(Equal(s))
		})
	})

	Describe("unknown messages", func() {
		It("stay in English, whole", func() {
			for _, s := range []string{
				"something the grader never said",
				"your server sent `x` (1 byte), which is rather odd",
				"skipped: replies-ok failed",
				"",
			} {
				Expect(fr(s)).To(Equal(s))
			}
		})

		It("keep their unknown parts in English and translate the known ones", func() {
			Expect(fr("your server sent no frame; a brand new problem")).To(Equal("votre serveur n'a envoyé aucune trame; a brand new problem"))
		})
	})

	It("gives English back unchanged", func() {
		s := msg(spec.Match{Equals: str("bonjour OK")}, "bonjour", "your server sent")
		Expect(i18n.Message(i18n.English, s)).To(Equal(s))
		Expect(i18n.Message("", s)).To(Equal(s))
		Expect(i18n.Message("de", s)).To(Equal(s))
	})
})

// httpRead is the check an http matcher gives on what the grader read;
// httpMsg its message on what a closed connection delivered.
func httpRead(h spec.HTTPResponse, r check.HTTPRead) result.Check {
	c, _, _ := check.HTTPCheck("http", &spec.Match{HTTP: &h}, r)
	return c
}

func httpMsg(h spec.HTTPResponse, data string) string {
	return httpRead(h, check.HTTPRead{Data: []byte(data), Closed: true}).Message
}

// resp is a response with the fields given and a Content-Length.
func resp(status, body string, fields ...string) string {
	head := "HTTP/1.1 " + status + "\r\n"
	for _, f := range fields {
		head += f + "\r\n"
	}
	return head + fmt.Sprintf("Content-Length: %d\r\n\r\n", len(body)) + body
}

const (
	hello   = "Bonjour le monde\n"
	chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
)

var _ = Describe("Localize and Message on HTTP messages", func() {
	get := func(status int) spec.HTTPResponse { return spec.HTTPResponse{Status: status} }
	www := func(from, to int64) *spec.HTTPBody {
		return &spec.HTTPBody{Www: "hello.txt", From: &from, To: &to}
	}

	DescribeTable("translates what the HTTP response matcher says, up to the quoted head",
		func(english, french string) {
			Expect(firstLine(fr(english))).To(Equal(french))
		},
		// nothing, or not HTTP
		Entry("a close", httpRead(get(200), check.HTTPRead{Closed: true}).Message,
			"votre serveur a fermé la connexion sans répondre"),
		Entry("silence", httpRead(get(200), check.HTTPRead{Waited: 2 * time.Second}).Message,
			"votre serveur n'a rien envoyé en 2s"),
		Entry("half a head", httpRead(get(200), check.HTTPRead{Data: []byte("HTTP/1.1 200 OK\r\n"), Waited: 2 * time.Second}).Message,
			"votre serveur a envoyé `HTTP/1.1 200 OK\\r\\n` (17 octets), pas un en-tête de réponse complet (il se termine par une ligne vide, \\r\\n\\r\\n) en 2s"),
		Entry("no status line before the close", httpMsg(get(200), "<h1> Page HTML</h1>"),
			"votre serveur a envoyé `<h1> Page HTML</h1>` (19 octets), qui n'est pas une réponse HTTP/1.x valide : aucune ligne de statut complète avant la fermeture de la connexion"),
		Entry("no blank line before the close", httpMsg(get(200), "HTTP/1.1 200 OK\r\nServer: x"),
			"votre serveur a envoyé `HTTP/1.1 200 OK\\r\\nServer: x` (26 octets), qui n'est pas une réponse HTTP/1.x valide : la connexion s'est fermée avant la ligne vide de l'en-tête (\\r\\n\\r\\n)"),
		Entry("a page without a status line", httpMsg(get(200), "<h1>x</h1>\r\n\r\n"),
			"votre serveur a envoyé `<h1>x</h1>\\r\\n\\r\\n` (14 octets), qui n'est pas une réponse HTTP/1.x valide : la réponse ne commence pas par une ligne de statut comme `HTTP/1.1 200 OK` : elle commence par `<h1>x</h1>`"),
		Entry("a short status line", httpMsg(get(200), "HTTP/1.1 20\r\n\r\n"),
			"votre serveur a envoyé `HTTP/1.1 20\\r\\n\\r\\n` (15 octets), qui n'est pas une réponse HTTP/1.x valide : la ligne de statut `HTTP/1.1 20` n'a pas la forme `HTTP/1.x <3-digit code> <reason>`"),
		Entry("HTTP/2", httpMsg(get(200), "HTTP/2.0 200 OK\r\n\r\n"),
			"votre serveur a envoyé `HTTP/2.0 200 OK\\r\\n\\r\\n` (19 octets), qui n'est pas une réponse HTTP/1.x valide : la ligne de statut `HTTP/2.0 200 OK` n'est pas du HTTP/1.x"),
		Entry("a code that is not 3 digits", httpMsg(get(200), "HTTP/1.1 2x0 OK\r\n\r\n"),
			"votre serveur a envoyé `HTTP/1.1 2x0 OK\\r\\n\\r\\n` (19 octets), qui n'est pas une réponse HTTP/1.x valide : le code de statut de `HTTP/1.1 2x0 OK` n'est pas fait de 3 chiffres"),
		Entry("a code out of range", httpMsg(get(200), "HTTP/1.1 700 OK\r\n\r\n"),
			"votre serveur a envoyé `HTTP/1.1 700 OK\\r\\n\\r\\n` (19 octets), qui n'est pas une réponse HTTP/1.x valide : le code de statut 700 de `HTTP/1.1 700 OK` n'est pas compris entre 100 et 599"),
		Entry("no space after the code", httpMsg(get(200), "HTTP/1.1 200OK\r\n\r\n"),
			"votre serveur a envoyé `HTTP/1.1 200OK\\r\\n\\r\\n` (18 octets), qui n'est pas une réponse HTTP/1.x valide : le code de statut de `HTTP/1.1 200OK` n'est pas suivi d'une espace"),
		Entry("a control byte in the reason", httpMsg(get(200), "HTTP/1.1 200 O\x01K\r\n\r\n"),
			"votre serveur a envoyé `HTTP/1.1 200 O\\x01K\\r\\n\\r\\n` (20 octets), qui n'est pas une réponse HTTP/1.x valide : un octet de contrôle dans le texte du statut de `HTTP/1.1 200 O\\x01K`"),
		Entry("a bare CR", httpMsg(get(200), "HTTP/1.1 200 OK\r\nA: b\rc\r\n\r\n"),
			"votre serveur a envoyé `HTTP/1.1 200 OK\\r\\nA: b\\rc\\r\\n\\r\\n` (27 octets), qui n'est pas une réponse HTTP/1.x valide : un \\r seul à l'intérieur de la ligne 2 de l'en-tête : `A: b\\rc`"),
		Entry("an empty line first", httpMsg(get(200), "\r\nHTTP/1.1 200 OK\r\n\r\n"),
			"votre serveur a envoyé `\\r\\nHTTP/1.1 200 OK\\r\\n\\r\\n` (21 octets), qui n'est pas une réponse HTTP/1.x valide : une ligne vide à la place de la ligne de statut (des octets restés de la réponse précédente ?)"),
		Entry("line folding", httpMsg(get(200), "HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n"),
			"votre serveur a envoyé `HTTP/1.1 200 OK\\r\\nA: b\\r\\n c\\r\\n\\r\\n` (29 octets), qui n'est pas une réponse HTTP/1.x valide : la ligne 3 de l'en-tête commence par un blanc (repli de ligne obsolète, RFC 9112 section 5.2) : ` c`"),
		Entry("no colon", httpMsg(get(200), "HTTP/1.1 200 OK\r\nHello\r\n\r\n"),
			"votre serveur a envoyé `HTTP/1.1 200 OK\\r\\nHello\\r\\n\\r\\n` (26 octets), qui n'est pas une réponse HTTP/1.x valide : la ligne 2 de l'en-tête n'est pas un champ `Name: value` : `Hello`"),
		Entry("a space before the colon", httpMsg(get(200), "HTTP/1.1 200 OK\r\nA : b\r\n\r\n"),
			"votre serveur a envoyé `HTTP/1.1 200 OK\\r\\nA : b\\r\\n\\r\\n` (26 octets), qui n'est pas une réponse HTTP/1.x valide : un blanc entre le nom du champ et le deux-points à la ligne 2 : `A : b` (RFC 9112 section 5.1)"),
		Entry("a bad field name", httpMsg(get(200), "HTTP/1.1 200 OK\r\nA(b): c\r\n\r\n"),
			"votre serveur a envoyé `HTTP/1.1 200 OK\\r\\nA(b): c\\r\\n\\r\\n` (28 octets), qui n'est pas une réponse HTTP/1.x valide : la ligne 2 de l'en-tête n'a pas de nom de champ valide : `A(b): c`"),
		Entry("a control byte in a value", httpMsg(get(200), "HTTP/1.1 200 OK\r\nX-A: b\x7f\r\n\r\n"),
			"votre serveur a envoyé `HTTP/1.1 200 OK\\r\\nX-A: b\\x7f\\r\\n\\r\\n` (28 octets), qui n'est pas une réponse HTTP/1.x valide : un octet de contrôle dans la valeur de X-A à la ligne 2 : `X-A: b\\x7f`"),
		Entry("a Content-Length that is not a number", httpMsg(get(200), "HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n"),
			"votre serveur a envoyé `HTTP/1.1 200 OK\\r\\nContent-Length: ten\\r\\n\\r\\n` (40 octets), qui n'est pas une réponse HTTP/1.x valide : Content-Length `ten` n'est pas un nombre d'octets"),
		Entry("two Content-Length", httpMsg(get(200), "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"),
			"votre serveur a envoyé `HTTP/1.1 200 OK\\r\\nContent-Length: 1\\r\\nContent-Length: 2\\r\\n\\r\\n` (57 octets), qui n'est pas une réponse HTTP/1.x valide : deux valeurs différentes de Content-Length (1 et 2)"),
		Entry("a huge Content-Length", httpMsg(get(200), "HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n"),
			"votre serveur a envoyé `HTTP/1.1 200 OK\\r\\nContent-Length: 99999999999\\r\\n\\r\\n` (48 octets), qui n'est pas une réponse HTTP/1.x valide : Content-Length 99999999999 dépasse ce que lit le correcteur (32 Mio)"),

		Entry("a body too long", "your server sent `x` (1 byte), which is not a valid HTTP/1.x response: the body is longer than 32 MiB",
			"votre serveur a envoyé `x` (1 octet), qui n'est pas une réponse HTTP/1.x valide : le corps dépasse 32 Mio"),
		Entry("a response that cannot be read", "your server's response cannot be read: unexpected EOF",
			"la réponse de votre serveur est illisible : fin de flux inattendue"),

		// the body cut short or badly framed
		Entry("a short body at the close", httpMsg(spec.HTTPResponse{Status: 200, ContentLength: true}, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n<h1> Page HTML</h1>"),
			"Content-Length annonce 100 mais le corps fait 19 octets (puis la connexion s'est fermée) : calculez Content-Length à partir des octets que vous envoyez, pas un nombre fixe"),
		Entry("a short body at the deadline", httpRead(spec.HTTPResponse{Status: 200, ContentLength: true}, check.HTTPRead{Data: []byte("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc"), Waited: 2 * time.Second}).Message,
			"Content-Length annonce 100, mais seuls 3 octets de corps sont arrivés en 2s"),
		Entry("one byte at the deadline", httpRead(spec.HTTPResponse{Status: 200, ContentLength: true}, check.HTTPRead{Data: []byte("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\na"), Waited: 2 * time.Second}).Message,
			"Content-Length annonce 100, mais seul 1 octet de corps est arrivé en 2s"),
		Entry("chunks that do not end", httpRead(spec.HTTPResponse{Status: 200, Body: &spec.HTTPBody{Text: str("abc")}}, check.HTTPRead{Data: []byte(chunked + "3\r\nabc\r\n"), Waited: 2 * time.Second}).Message,
			"le corps découpé en morceaux ne s'est pas terminé (par le dernier morceau, 0\\r\\n\\r\\n) en 2s"),
		Entry("chunks with Content-Length wanted", httpMsg(spec.HTTPResponse{Status: 200, ContentLength: true}, chunked+"3\r\nabc\r\n0\r\n\r\n"),
			"le corps est découpé en morceaux (chunked) ; envoyez-le plutôt avec un Content-Length"),
		Entry("no framing on an open connection", httpRead(spec.HTTPResponse{Status: 200, Body: &spec.HTTPBody{Www: "hello.txt"}}, check.HTTPRead{Data: []byte("HTTP/1.1 200 OK\r\n\r\n" + hello), Waited: 3 * time.Second}).Message,
			"la réponse n'a ni Content-Length ni Transfer-Encoding: chunked, son corps ne se termine donc qu'à la fermeture de la connexion, et votre serveur l'a gardée ouverte (3s) : envoyez Content-Length, ou fermez la connexion après le corps"),
		Entry("a chunk cut by the close", httpMsg(spec.HTTPResponse{Status: 200, UntilClose: true}, chunked+"3\r\nab"),
			"la connexion s'est fermée au milieu du corps découpé en morceaux (un morceau de 3 octets)"),
		Entry("a chunk size cut by the close", httpMsg(spec.HTTPResponse{Status: 200, UntilClose: true}, chunked+"3"),
			"la connexion s'est fermée au milieu du corps découpé en morceaux (une ligne de taille de morceau)"),
		Entry("no blank line after the chunks", httpMsg(spec.HTTPResponse{Status: 200, UntilClose: true}, chunked+"0\r\n"),
			"la connexion s'est fermée au milieu du corps découpé en morceaux (la ligne vide après le dernier morceau)"),
		Entry("a chunk-size line without end", httpMsg(spec.HTTPResponse{Status: 200, UntilClose: true}, chunked+"1;"+strings.Repeat("x", 1100)),
			"une ligne de taille de morceau de plus de 1024 octets"),
		Entry("a trailer without end", httpMsg(spec.HTTPResponse{Status: 200, UntilClose: true}, chunked+"0\r\nX: "+strings.Repeat("y", 64<<10)+"\r\n"),
			"la section finale (trailer) dépasse 64 Kio"),
		Entry("chunks too long", "the chunked body is longer than 32 MiB", "le corps découpé en morceaux dépasse 32 Mio"),
		Entry("a chunk size in decimal letters", httpMsg(spec.HTTPResponse{Status: 200, UntilClose: true}, chunked+"zz\r\n"),
			"la taille de morceau `zz` n'est pas un nombre hexadécimal"),
		Entry("a chunk size line with a bare LF", httpMsg(spec.HTTPResponse{Status: 200, UntilClose: true}, chunked+"3\nabc"),
			"la ligne de taille de morceau `3` ne se termine pas par \\r\\n"),
		Entry("a chunk longer than its size", httpMsg(spec.HTTPResponse{Status: 200, UntilClose: true}, chunked+"3\r\nabcd\r\n0\r\n\r\n"),
			"un morceau de 3 octets n'est pas suivi de \\r\\n (la taille est-elle en hexadécimal ?)"),
		Entry("a bad trailer", httpMsg(spec.HTTPResponse{Status: 200, UntilClose: true}, chunked+"0\r\nX: y\n\r\n"),
			"une ligne après le dernier morceau ne se termine pas par \\r\\n"),
		Entry("a flaw: Content-Length with chunks", httpMsg(spec.HTTPResponse{Status: 200, Present: []string{"Date"}}, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"),
			"Content-Length et Transfer-Encoding ensemble : un serveur ne doit pas envoyer les deux (RFC 9112 section 6.2) ; le champ Date manque"),

		// the status
		Entry("another status", httpMsg(get(200), resp("505 HTTP Version Not Supported", "")),
			"le statut est `505 HTTP Version Not Supported`, attendu 200 OK"),
		Entry("a range ignored", httpMsg(spec.HTTPResponse{Status: 206}, resp("200 OK", "")),
			"le statut est `200 OK`, attendu 206 Partial Content : le champ Range a été ignoré et la représentation entière envoyée"),
		Entry("a condition ignored", httpMsg(spec.HTTPResponse{Status: 304}, resp("200 OK", "")),
			"le statut est `200 OK`, attendu 304 Not Modified : la condition a été ignorée et la représentation entière renvoyée"),
		Entry("an unsatisfiable range", httpMsg(spec.HTTPResponse{Status: 416}, resp("206 Partial Content", "")),
			"le statut est `206 Partial Content`, attendu 416 Range Not Satisfiable : aucun octet de la plage n'existe, la plage ne peut donc pas être satisfaite"),
		Entry("a missing file found", httpMsg(spec.HTTPResponse{Status: 404}, resp("200 OK", "")),
			"le statut est `200 OK`, attendu 404 Not Found : un fichier qui n'existe pas a reçu une réponse comme s'il existait"),

		// the fields
		Entry("fields", httpMsg(spec.HTTPResponse{Status: 200, Header: map[string]string{"ETag": `"x"`, "Content-Type": "text/html"}, HeaderMatches: map[string]string{"Content-Type": "^image/"}, Present: []string{"Date"}, Absent: []string{"X-Powered-By"}},
			resp("200 OK", "", "Content-Type: text/plain; charset=utf-8", "X-Powered-By: PHP/5")),
			"Content-Type vaut `text/plain; charset=utf-8`, attendu `text/html` ; le champ ETag manque (attendu `ETag: \"x\"`) ; Content-Type vaut `text/plain; charset=utf-8`, qui ne correspond pas à /^image// ; le champ Date manque ; la réponse contient `X-Powered-By: PHP/5`, qu'elle ne doit pas avoir ici"),
		Entry("a field the pattern is about is missing", httpMsg(spec.HTTPResponse{Status: 200, HeaderMatches: map[string]string{"Content-Type": "^text/"}}, resp("200 OK", "")),
			"le champ Content-Type manque"),
		Entry("an invalid pattern", httpMsg(spec.HTTPResponse{Status: 200, HeaderMatches: map[string]string{"Content-Type": "("}}, resp("200 OK", "")),
			"l'expression régulière de l'exercice pour Content-Type est invalide : error parsing regexp: missing closing ): `(`"),
		Entry("no Set-Cookie", httpMsg(spec.HTTPResponse{Status: 200, SetCookie: str("session=netlab")}, resp("200 OK", "")),
			"il n'y a pas de champ Set-Cookie (attendu `Set-Cookie: session=netlab`)"),
		Entry("another cookie", httpMsg(spec.HTTPResponse{Status: 200, SetCookie: str("session=netlab")}, resp("200 OK", "", "Set-Cookie: session=1234")),
			"Set-Cookie vaut `session=1234`, alors qu'il devait définir le cookie `session=netlab` (la valeur tapée sur l'entrée standard)"),
		Entry("the cookie with other attributes around", httpMsg(spec.HTTPResponse{Status: 200, SetCookie: str("session=netlab")}, resp("200 OK", "", "Set-Cookie: x; session=netlab")),
			"Set-Cookie vaut `x; session=netlab`, alors qu'il devait définir le cookie `session=netlab`"),
		Entry("no Content-Length", httpMsg(spec.HTTPResponse{Status: 200, ContentLength: true}, "HTTP/1.1 200 OK\r\n\r\nabc"),
			"il n'y a pas de champ Content-Length : indiquez combien d'octets fait le corps, pour que le client sache où il se termine"),

		// the body
		Entry("a body where none is expected", httpMsg(spec.HTTPResponse{Status: 200, Body: &spec.HTTPBody{Empty: true}}, resp("200 OK", "abc")),
			"le corps fait 3 octets, attendu aucun"),
		Entry("another text", httpMsg(spec.HTTPResponse{Status: 200, Body: &spec.HTTPBody{Text: str("ok")}}, resp("200 OK", "ko!")),
			"le corps est `ko!` (3 octets), attendu `ok` (2 octets)"),
		Entry("a page the exercise lacks", httpMsg(spec.HTTPResponse{Status: 200, Body: &spec.HTTPBody{Www: "nope.txt"}}, resp("200 OK", "")),
			"l'exercice désigne un fichier qui n'existe pas : nope.txt"),
		Entry("no Content-Range", httpMsg(spec.HTTPResponse{Status: 206, Body: www(0, 6)}, resp("206 Partial Content", "Bonjour")),
			"le champ Content-Range manque (attendu `Content-Range: bytes 0-6/17`)"),
		Entry("a range one byte too long", httpMsg(spec.HTTPResponse{Status: 206, Body: www(0, 6)}, resp("206 Partial Content", "Bonjour", "Content-Range: bytes 0-7/17")),
			"Content-Range vaut `bytes 0-7/17`, attendu `bytes 0-6/17` : la dernière position est comprise dans la plage, elle vaut donc un de moins"),
		Entry("the length of the range after the slash", httpMsg(spec.HTTPResponse{Status: 206, Body: www(0, 6)}, resp("206 Partial Content", "Bonjour", "Content-Range: bytes 0-6/7")),
			"Content-Range vaut `bytes 0-6/7`, attendu `bytes 0-6/17` : le nombre après / est la longueur du fichier entier, pas celle de la plage"),
		Entry("bytes=", httpMsg(spec.HTTPResponse{Status: 206, Body: www(0, 6)}, resp("206 Partial Content", "Bonjour", "Content-Range: bytes=0-6/17")),
			"Content-Range vaut `bytes=0-6/17`, attendu `bytes 0-6/17` : Content-Range s'écrit avec `bytes` et une espace, pas `bytes=`"),
		Entry("another Content-Range", httpMsg(spec.HTTPResponse{Status: 206, Body: www(0, 6)}, resp("206 Partial Content", "Bonjour", "Content-Range: bytes 1-7/17")),
			"Content-Range vaut `bytes 1-7/17`, attendu `bytes 0-6/17`"),
		Entry("the whole file for a range", httpMsg(spec.HTTPResponse{Status: 206, Body: www(0, 6)}, resp("206 Partial Content", hello, "Content-Range: bytes 0-6/17")),
			"le corps est le fichier entier (17 octets), attendu les octets 0 à 6 de /hello.txt (7 octets)"),
		Entry("a body cut short", httpMsg(spec.HTTPResponse{Status: 200, Body: &spec.HTTPBody{Www: "hello.txt"}}, resp("200 OK", hello[:7])),
			"le corps fait 7 octets, attendu les 17 octets de /hello.txt : il s'arrête trop tôt"),
		Entry("a body cut at its characters", httpMsg(spec.HTTPResponse{Status: 200, Body: &spec.HTTPBody{Www: "index.html"}}, indexByChars()),
			"le corps fait 25929 octets, attendu les 26415 octets de /index.html : il s'arrête trop tôt, parce que Content-Length annonce 25929, le nombre de caractères du texte, alors qu'il doit en compter les 26415 octets (é prend 2 octets en UTF-8)"),
		Entry("bytes too many", httpMsg(spec.HTTPResponse{Status: 200, Body: &spec.HTTPBody{Www: "hello.txt"}}, resp("200 OK", hello+"\r\n")),
			"le corps fait 19 octets, attendu les 17 octets de /hello.txt : 2 octets en trop à la fin"),
		Entry("another body, with the hex diff next", httpMsg(spec.HTTPResponse{Status: 200, Body: &spec.HTTPBody{Www: "hello.txt"}}, resp("200 OK", "Bonsoir")),
			"le corps (7 octets) ne contient pas les 17 octets de /hello.txt"),
		Entry("another range, found in the file", httpMsg(spec.HTTPResponse{Status: 206, Body: www(0, 6)}, resp("206 Partial Content", "le mond", "Content-Range: bytes 0-6/17")),
			"le corps (7 octets) ne contient pas les octets 0 à 6 de /hello.txt (7 octets) : il commence à la position 8 du fichier"),

		// multipart/byteranges
		Entry("not multipart", httpMsg(multi(), resp("206 Partial Content", "Bonj", "Content-Type: text/plain; charset=utf-8")),
			"Content-Type vaut `text/plain; charset=utf-8`, attendu multipart/byteranges avec un paramètre boundary (plusieurs plages voyagent comme les parties d'un seul corps, RFC 9110 section 14.6)"),
		Entry("no delimiter", httpMsg(multi(), resp("206 Partial Content", "Bonj", "Content-Type: multipart/byteranges; boundary=XY")),
			"le corps multipart/byteranges est illisible : aucune ligne de délimitation `--XY` dans le corps"),
		Entry("a long boundary", httpMsg(multi(), resp("206 Partial Content", "Bonj", "Content-Type: multipart/byteranges; boundary="+strings.Repeat("b", 71))),
			"le corps multipart/byteranges est illisible : la frontière (boundary) \""+strings.Repeat("b", 71)+"\" ne fait pas de 1 à 70 caractères"),
		Entry("a delimiter with more on its line", httpMsg(multi(), resp("206 Partial Content", "--XY x\r\n", "Content-Type: multipart/byteranges; boundary=XY")),
			"le corps multipart/byteranges est illisible : le délimiteur `--XY` de la partie 1 n'est pas suivi de \\r\\n"),
		Entry("fields without their blank line", httpMsg(multi(), resp("206 Partial Content", "--XY\r\nContent-Range: bytes 0-3/17\r\n", "Content-Type: multipart/byteranges; boundary=XY")),
			"le corps multipart/byteranges est illisible : les champs de la partie 1 ne se terminent pas par une ligne vide"),
		Entry("a line that is not a field", httpMsg(multi(), resp("206 Partial Content", "--XY\r\nBonj\r\n\r\n", "Content-Type: multipart/byteranges; boundary=XY")),
			"le corps multipart/byteranges est illisible : la partie 1 a une ligne qui n'est pas un champ : `Bonj`"),
		Entry("a part without its delimiter after it", httpMsg(multi(), resp("206 Partial Content", "--XY\r\n\r\nBonj", "Content-Type: multipart/byteranges; boundary=XY")),
			"le corps multipart/byteranges est illisible : la partie 1 n'est pas suivie d'une ligne de délimitation `\\r\\n--XY`"),
		Entry("too many parts", httpMsg(multi(), resp("206 Partial Content", strings.Repeat("--XY\r\n\r\nx\r\n", 65)+"--XY--", "Content-Type: multipart/byteranges; boundary=XY")),
			"le corps multipart/byteranges est illisible : plus de 64 parties"),
		Entry("too many fields in a part", httpMsg(multi(), resp("206 Partial Content", "--XY\r\n"+strings.Repeat("X: y\r\n", 101)+"\r\nx\r\n--XY--", "Content-Type: multipart/byteranges; boundary=XY")),
			"le corps multipart/byteranges est illisible : la partie 1 a plus de 100 champs"),
		Entry("one part for two ranges", httpMsg(multi(), resp("206 Partial Content", "--XY\r\n\r\nBonj\r\n--XY--", "Content-Type: multipart/byteranges; boundary=XY")),
			"le corps a 1 partie, attendu 2 (une par plage)"),
		Entry("parts with the wrong ranges", httpMsg(multi(), resp("206 Partial Content", "--XY\r\n\r\nBonj\r\n--XY\r\nContent-Range: bytes 8-10/17\r\n\r\nlx\r\n--XY--", "Content-Type: multipart/byteranges; boundary=XY")),
			"la partie 1 n'a pas de champ Content-Range (attendu `Content-Range: bytes 0-3/17`) ; la partie 2 a Content-Range `bytes 8-10/17`, attendu `bytes 8-9/17` : la dernière position est comprise dans la plage, elle vaut donc un de moins ; la partie 2 contient `lx` (2 octets), attendu les octets 8 à 9 de /hello.txt (`le` (2 octets))"),
		Entry("a part with another Content-Range", httpMsg(multi(), resp("206 Partial Content", "--XY\r\nContent-Range: bytes 0-3/17\r\n\r\nBonj\r\n--XY\r\nContent-Range: bytes 7-8/17\r\n\r\nle\r\n--XY--", "Content-Type: multipart/byteranges; boundary=XY")),
			"la partie 2 a Content-Range `bytes 7-8/17`, attendu `bytes 8-9/17`"),

		// what followed the response
		Entry("a body after HEAD", httpMsg(spec.HTTPResponse{Status: 200, Head: true, Settle: spec.Duration(time.Second)}, "HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n"+hello),
			"une réponse à HEAD s'arrête à son en-tête (RFC 9110 section 9.3.2), mais 17 octets ont suivi : `Bonjour le monde\\n` (17 octets)"),
		Entry("a body after a 304", httpMsg(spec.HTTPResponse{Status: 304, Settle: spec.Duration(time.Second)}, "HTTP/1.1 304 Not Modified\r\n\r\nabc"),
			"une réponse 304 n'a pas de contenu, mais 3 octets ont suivi son en-tête : `abc` (3 octets)"),
		Entry("a byte after a 204", httpMsg(spec.HTTPResponse{Status: 204, Settle: spec.Duration(time.Second)}, "HTTP/1.1 204 No Content\r\n\r\n\n"),
			"une réponse 204 n'a pas de contenu, mais 1 octet a suivi son en-tête : `\\n` (1 octet)"),
		Entry("more than Content-Length", httpMsg(spec.HTTPResponse{Status: 200, ContentLength: true, Settle: spec.Duration(time.Second)}, "HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n<h1>bonjour</h1>\r\n"),
			"Content-Length annonce 16 mais le corps fait 18 octets : 2 de plus ont suivi (`\\r\\n`)"),
		Entry("characters counted for bytes (a phrase with a semicolon)", httpMsg(spec.HTTPResponse{Status: 200, ContentLength: true, Settle: spec.Duration(time.Second)}, "HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n<h1>générée</h1>"),
			"Content-Length annonce 16 mais le corps fait 19 octets : 3 de plus ont suivi (`h1>`) : 16 est le nombre de caractères, et Content-Length compte des octets ; un caractère comme é prend 2 octets en UTF-8 : prenez donc la longueur des octets encodés (len(body.encode()) en Python)"),
		Entry("bytes after the last chunk", httpMsg(spec.HTTPResponse{Status: 200, UntilClose: true}, chunked+"0\r\n\r\nxy"),
			"2 octets ont suivi le dernier morceau : `xy` (2 octets)"),
		Entry("a connection kept open", httpRead(spec.HTTPResponse{Status: 200, UntilClose: true}, check.HTTPRead{Data: []byte(resp("200 OK", hello)), Waited: 3 * time.Second}).Message,
			"votre serveur a gardé la connexion ouverte 3s après la réponse au lieu de la fermer"),
		Entry("a request that went without a field", httpRead(spec.HTTPResponse{Status: 304}, check.HTTPRead{Data: []byte(resp("200 OK", "")), Closed: true, Unsent: []string{"If-None-Match", "If-Modified-Since"}}).Message,
			"le statut est `200 OK`, attendu 304 Not Modified : la condition a été ignorée et la représentation entière renvoyée (la requête est partie sans If-None-Match, If-Modified-Since : la valeur nécessaire n'est jamais venue dans une réponse précédente)"),
	)

	It("translates the limits of the response parser", func() {
		for _, c := range [][2]string{
			{"HTTP/1.1 200 OK\r\nX: " + strings.Repeat("a", 64<<10), "l'en-tête dépasse 64 Kio sans sa ligne vide"},
			{"HTTP/1.1 200 OK\r\nX: " + strings.Repeat("a", 64<<10) + "\r\n\r\n", "l'en-tête dépasse 64 Kio"},
			{"HTTP/1.1 200 OK\r\n" + strings.Repeat("X: y\r\n", 101) + "\r\n", "plus de 100 champs d'en-tête"},
		} {
			out := fr(httpMsg(get(200), c[0]))
			Expect(out).To(HavePrefix("votre serveur a envoyé `HTTP/1.1 200 OK\\r\\nX: "))
			Expect(out).To(HaveSuffix(" octets), qui n'est pas une réponse HTTP/1.x valide : " + c[1]))
		}
	})

	It("translates a flawed head line by line, and quotes it as the server sent it", func() {
		en := httpMsg(spec.HTTPResponse{Status: 200, Present: []string{"Date"}}, "HTTP/1.1 200 OK\nSet-Cookie:a=b; the build failed\n\nok")
		Expect(fr(en)).To(Equal("la ligne de statut se termine par un \\n seul au lieu de \\r\\n (RFC 9112 section 2.2) ; " +
			"la ligne 2 de l'en-tête (`Set-Cookie:a=b; the build failed`) se termine par un \\n seul au lieu de \\r\\n (RFC 9112 section 2.2) ; " +
			"la ligne vide qui termine l'en-tête se termine par un \\n seul au lieu de \\r\\n (RFC 9112 section 2.2) ; " +
			"le champ Date manque\n" +
			"votre serveur a répondu :\n" +
			"  HTTP/1.1 200 OK\n" +
			"  Set-Cookie:a=b; the build failed\n" +
			"  (puis un corps de 2 octets)"))
	})

	It("keeps the server's head lines, even the ones a pattern knows, and says how many are left out", func() {
		fields := []string{"X-Note: still running", "X-Other: nothing"}
		for i := range 40 {
			fields = append(fields, fmt.Sprintf("X-%d: %d", i, i))
		}
		out := strings.Split(fr(httpMsg(get(404), resp("200 OK", "", fields...))), "\n")
		Expect(out[0]).To(Equal("le statut est `200 OK`, attendu 404 Not Found : un fichier qui n'existe pas a reçu une réponse comme s'il existait"))
		Expect(out[1:5]).To(Equal([]string{"votre serveur a répondu :", "  HTTP/1.1 200 OK", "  X-Note: still running", "  X-Other: nothing"}))
		Expect(out[31:]).To(Equal([]string{"  X-26: 26", "  …(14 lignes de plus)"}))
	})

	It("translates what the matcher expects, keeping the exercise's field values", func() {
		for _, c := range []struct {
			h      spec.HTTPResponse
			french string
		}{
			{spec.HTTPResponse{Status: 200, Header: map[string]string{"Content-Type": "text/html; charset=utf-8"}, HeaderMatches: map[string]string{"ETag": "^\"", "Server": "no body"}, Present: []string{"Date"}, Absent: []string{"X-Powered-By"}, SetCookie: str("session=a"), ContentLength: true, Body: &spec.HTTPBody{Www: "index.html"}, UntilClose: true},
				`HTTP/1.x 200 OK, Content-Type: text/html; charset=utf-8, ETag correspondant à /^"/, Server correspondant à /no body/, un champ Date, pas de champ X-Powered-By, Set-Cookie: session=a, un Content-Length qui compte les octets du corps, le contenu de /index.html, puis la fermeture de la connexion`},
			{spec.HTTPResponse{Status: 200, Head: true}, "HTTP/1.x 200 OK, pas de corps"},
			{spec.HTTPResponse{Status: 200, Body: &spec.HTTPBody{Text: str("ok")}}, "HTTP/1.x 200 OK, le corps `ok` (2 octets)"},
			{multi(), "HTTP/1.x 206 Partial Content, un corps multipart/byteranges avec les octets 0-3 et 8-9 de /hello.txt"},
			{spec.HTTPResponse{Status: 206, Body: &spec.HTTPBody{Www: "index.html", Suffix: 500}}, "HTTP/1.x 206 Partial Content, les 500 derniers octets de /index.html"},
			{spec.HTTPResponse{Status: 206, Body: www(0, 99)}, "HTTP/1.x 206 Partial Content, les octets 0 à 99 de /hello.txt"},
			{spec.HTTPResponse{Status: 206, Body: &spec.HTTPBody{Www: "index.html", From: i64(26000)}}, "HTTP/1.x 206 Partial Content, les octets de 26000 jusqu'à la fin de /index.html"},
			{spec.HTTPResponse{Status: 416, Header: map[string]string{"Content-Range": "bytes */26415"}}, "HTTP/1.x 416 Range Not Satisfiable, Content-Range: bytes */26415"},
		} {
			Expect(fr(httpRead(c.h, check.HTTPRead{Closed: true}).Expected)).To(Equal(c.french))
		}
	})

	It("translates what the server sent, as the check sums it up", func() {
		Expect(fr(httpRead(get(200), check.HTTPRead{Data: []byte(resp("200 OK", hello)), Closed: true}).Actual)).To(Equal("`HTTP/1.1 200 OK`, corps de 17 octets"))
		Expect(fr(httpRead(get(200), check.HTTPRead{Data: []byte(resp("200 OK", "a")), Closed: true}).Actual)).To(Equal("`HTTP/1.1 200 OK`, corps de 1 octet"))
		Expect(fr(httpRead(get(304), check.HTTPRead{Data: []byte("HTTP/1.1 304 Not Modified\r\n\r\n"), Closed: true}).Actual)).To(Equal("`HTTP/1.1 304 Not Modified`, pas de corps"))
		Expect(fr(httpRead(get(200), check.HTTPRead{Data: []byte("nope"), Closed: true}).Actual)).To(Equal("`nope` (4 octets)"))
	})

	It("translates a should-level problem, a warning on a passing check", func() {
		c := httpRead(spec.HTTPResponse{Status: 200, Present: []string{"Content-Type"}, Level: "should"}, check.HTTPRead{Data: []byte(resp("200 OK", hello)), Closed: true})
		rep := &result.Report{Scenarios: []result.Scenario{{ID: "s", Name: "s", Status: result.Passed, Checks: []result.Check{c}}}}
		i18n.Localize(rep, nil, i18n.French)
		Expect(rep.Scenarios[0].Checks[0].Actual).To(Equal("avertissement : le champ Content-Type manque\nvotre serveur a répondu :\n  HTTP/1.1 200 OK\n  Content-Length: 17\n  (puis un corps de 17 octets)"))
	})

	It("translates the HTTP matcher inside Match too", func() {
		m := spec.Match{HTTP: &spec.HTTPResponse{Status: 200, Body: &spec.HTTPBody{Text: str("ok")}}}
		Expect(fr(msg(m, resp("404 Not Found", "ok"), "your server sent"))).To(Equal("le statut est `404 Not Found`, attendu 200 OK\nvotre serveur a répondu :\n  HTTP/1.1 404 Not Found\n  Content-Length: 2\n  (puis un corps de 2 octets)"))
	})
})

func i64(n int64) *int64 { return &n }

// multi expects two ranges of hello.txt in a multipart/byteranges body.
func multi() spec.HTTPResponse {
	return spec.HTTPResponse{Status: 206, Body: &spec.HTTPBody{Www: "hello.txt", Parts: []spec.HTTPRange{{From: 0, To: 3}, {From: 8, To: 9}}}}
}

// indexByChars is index.html with a Content-Length that counts its
// characters instead of its bytes.
func indexByChars() string {
	b, err := grader.Files.ReadFile("fixtures/www/index.html")
	Expect(err).NotTo(HaveOccurred())
	n := len([]rune(string(b)))
	return fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n", n) + string(b[:n])
}

// refused is how the requests check words a request the reference HTTP
// server refused, with why.
func refused(why string) string {
	return "request 1, `GET / HTTP/1.1`, was refused by the server (400): " + why
}

var _ = Describe("Localize and Message on the requests a client sent", func() {
	DescribeTable("translates the requests check",
		func(english, french string) {
			Expect(fr(english)).To(Equal(french))
		},
		Entry(nil, "request 1 (`GET / HTTP/1.1`) ends its lines with \\n alone: HTTP requires \\r\\n",
			"la requête 1 (`GET / HTTP/1.1`) termine ses lignes par \\n seul : HTTP exige \\r\\n"),
		Entry(nil, "request 1, `GET / HTTP/1.1`, was refused by the server (400): an HTTP/1.1 request must have a Host header; your client sent `GET / HTTP/1.1` without a Host header",
			"la requête 1, `GET / HTTP/1.1`, a été refusée par le serveur (400) : une requête HTTP/1.1 doit avoir un en-tête Host ; votre client a envoyé `GET / HTTP/1.1` sans en-tête Host"),
		Entry(nil, "request 1 is `GET / HTTP/1.1`: expected the method HEAD", "la requête 1 est `GET / HTTP/1.1` : attendu la méthode HEAD"),
		Entry(nil, "request 1 is `OPTION / HTTP/1.1`: expected the method OPTIONS", "la requête 1 est `OPTION / HTTP/1.1` : attendu la méthode OPTIONS"),
		Entry(nil, "request 1 is `GET /index.htm HTTP/1.1`: expected the path /index.html", "la requête 1 est `GET /index.htm HTTP/1.1` : attendu le chemin /index.html"),
		Entry(nil, "request 1 is `GET / HTTP/1.0`: expected HTTP/1.1", "la requête 1 est `GET / HTTP/1.0` : attendu HTTP/1.1"),
		Entry(nil, "request 1 (`GET /free/diagrams/tcpswunack.png HTTP/1.1`) has no If-Modified-Since header: expected If-Modified-Since: Mon, 07 Jun 2005 00:26:52 GMT",
			"la requête 1 (`GET /free/diagrams/tcpswunack.png HTTP/1.1`) n'a pas d'en-tête If-Modified-Since : attendu If-Modified-Since: Mon, 07 Jun 2005 00:26:52 GMT"),
		Entry(nil, "request 1 (`GET /free/diagrams/tcpswunack.png HTTP/1.1`) sends If-Modified-Since: `Mon, 07 Jun 2005 00:26:52 GMT`, expected `Sat, 01 May 2004 00:00:00 GMT`",
			"la requête 1 (`GET /free/diagrams/tcpswunack.png HTTP/1.1`) envoie If-Modified-Since: `Mon, 07 Jun 2005 00:26:52 GMT`, attendu `Sat, 01 May 2004 00:00:00 GMT`"),
		Entry(nil, "request 1 (`GET / HTTP/1.1`) sends Range: `bytes 500-1000`, expected `bytes=500-1000`",
			"la requête 1 (`GET / HTTP/1.1`) envoie Range: `bytes 500-1000`, attendu `bytes=500-1000`"),
		Entry(nil, "request 1 (`GET / HTTP/1.1`) has no Accept-Encoding header: expected one that contains `gzip`",
			"la requête 1 (`GET / HTTP/1.1`) n'a pas d'en-tête Accept-Encoding : attendu un en-tête qui contient `gzip`"),
		Entry(nil, "request 1 (`GET / HTTP/1.1`) sends Accept-Encoding: `identity`, which does not contain `gzip`",
			"la requête 1 (`GET / HTTP/1.1`) envoie Accept-Encoding: `identity`, qui ne contient pas `gzip`"),
		Entry(nil, "request 2 (`GET /free/diagrams/tcpswunack.png HTTP/1.1`) was sent before the answer to the previous one had been read (pipelining): read the whole answer, Content-Length bytes after the headers, before the next request",
			"la requête 2 (`GET /free/diagrams/tcpswunack.png HTTP/1.1`) a été envoyée avant que la réponse à la précédente ait été lue (pipelining) : lisez toute la réponse, Content-Length octets après les en-têtes, avant la requête suivante"),
		Entry(nil, "request 1 (`GET /old HTTP/1.1`) was answered 404 Not Found, expected 301 Moved Permanently",
			"la requête 1 (`GET /old HTTP/1.1`) a reçu la réponse 404 Not Found, attendu 301 Moved Permanently"),
		Entry(nil, "request 2 (`GET / HTTP/1.1`) was answered 200 OK, expected 304 Not Modified: it carried neither If-None-Match nor If-Modified-Since (the answer to request 1 gave ETag: `\"2fa51b5b80930497\"` and Last-Modified: `Mon, 07 Jun 2004 00:26:52 GMT`), so the server could only send the whole page again",
			"la requête 2 (`GET / HTTP/1.1`) a reçu la réponse 200 OK, attendu 304 Not Modified : elle ne portait ni If-None-Match ni If-Modified-Since (la réponse à la requête 1 a donné ETag: `\"2fa51b5b80930497\"` et Last-Modified: `Mon, 07 Jun 2004 00:26:52 GMT`), le serveur ne pouvait donc que renvoyer toute la page"),
		Entry(nil, "request 2 (`GET / HTTP/1.1`) was answered 200 OK, expected 304 Not Modified: it carried neither If-None-Match nor If-Modified-Since, so the server could only send the whole page again",
			"la requête 2 (`GET / HTTP/1.1`) a reçu la réponse 200 OK, attendu 304 Not Modified : elle ne portait ni If-None-Match ni If-Modified-Since, le serveur ne pouvait donc que renvoyer toute la page"),
		Entry(nil, "request 2 (`GET / HTTP/1.1`) was answered 200 OK, expected 304 Not Modified: its If-None-Match: `2fa51b5b80930497` matches no ETag the server gave the page (the answer to request 1 gave ETag: `\"2fa51b5b80930497\"`): send back the ETag exactly, quotes included",
			"la requête 2 (`GET / HTTP/1.1`) a reçu la réponse 200 OK, attendu 304 Not Modified : son If-None-Match: `2fa51b5b80930497` ne correspond à aucun ETag que le serveur a donné pour la page (la réponse à la requête 1 a donné ETag: `\"2fa51b5b80930497\"`) : renvoyez l'ETag exactement, guillemets compris"),
		Entry(nil, "request 2 (`GET / HTTP/1.1`) was answered 200 OK, expected 304 Not Modified: its If-Modified-Since: `Sat, 01 May 2004 00:00:00 GMT` is earlier than the page's Last-Modified (the answer to request 1 gave Last-Modified: `Mon, 07 Jun 2004 00:26:52 GMT`): send back the Last-Modified date as it came",
			"la requête 2 (`GET / HTTP/1.1`) a reçu la réponse 200 OK, attendu 304 Not Modified : son If-Modified-Since: `Sat, 01 May 2004 00:00:00 GMT` est antérieur au Last-Modified de la page (la réponse à la requête 1 a donné Last-Modified: `Mon, 07 Jun 2004 00:26:52 GMT`) : renvoyez la date de Last-Modified telle qu'elle est venue"),
		Entry(nil, "your client sent 0 request(s), expected 1: `GET / HTTP/1.1` is missing",
			"votre client a envoyé 0 requête, attendu 1 : il manque `GET / HTTP/1.1`"),
		Entry(nil, "your client sent 2 request(s), expected 3: `GET /index.html HTTP/1.1` answered 200 is missing",
			"votre client a envoyé 2 requêtes, attendu 3 : il manque `GET /index.html HTTP/1.1` (réponse 200)"),
		Entry(nil, "your client sent 1 request(s), expected 2: `GET / HTTP/1.1` with If-Modified-Since: Mon, 07 Jun 2005 00:26:52 GMT with Accept-Encoding containing gzip answered 304 is missing",
			"votre client a envoyé 1 requête, attendu 2 : il manque `GET / HTTP/1.1` avec If-Modified-Since: Mon, 07 Jun 2005 00:26:52 GMT avec Accept-Encoding contenant gzip (réponse 304)"),
		Entry(nil, "your client sent 2 requests, expected 1; the extra one is `GET / HTTP/1.1`",
			"votre client a envoyé 2 requêtes, attendu 1 ; la requête en trop est `GET / HTTP/1.1`"),
		Entry(nil, "your client sent 2 requests, expected 1; the extra one is `GET / HTTP/1.1` with If-None-Match: `\"2fa51b5b80930497\"` with If-Modified-Since: `Mon, 07 Jun 2004 00:26:52 GMT`",
			"votre client a envoyé 2 requêtes, attendu 1 ; la requête en trop est `GET / HTTP/1.1` avec If-None-Match: `\"2fa51b5b80930497\"` et If-Modified-Since: `Mon, 07 Jun 2004 00:26:52 GMT`"),
		Entry(nil, "your client sent 3 requests, expected 2; the extra one is `GET / HTTP/1.1` with If-None-Match: `\"x\"`",
			"votre client a envoyé 3 requêtes, attendu 2 ; la requête en trop est `GET / HTTP/1.1` avec If-None-Match: `\"x\"`"),
		Entry(nil, "your client sent 3 requests, expected 2; the extra one is `GET / HTTP/1.1` with If-Modified-Since: `Mon, 07 Jun 2004 00:26:52 GMT`",
			"votre client a envoyé 3 requêtes, attendu 2 ; la requête en trop est `GET / HTTP/1.1` avec If-Modified-Since: `Mon, 07 Jun 2004 00:26:52 GMT`"),
		// what the check expected and saw
		Entry(nil, "`GET /free/diagrams/tcpswunack.png HTTP/1.1` with If-Modified-Since: Mon, 07 Jun 2005 00:26:52 GMT, then `GET / HTTP/1.1` with Accept-Encoding containing gzip answered 304, then `HEAD / HTTP/1.1`",
			"`GET /free/diagrams/tcpswunack.png HTTP/1.1` avec If-Modified-Since: Mon, 07 Jun 2005 00:26:52 GMT, puis `GET / HTTP/1.1` avec Accept-Encoding contenant gzip (réponse 304), puis `HEAD / HTTP/1.1`"),
		Entry(nil, "`GET / HTTP/1.1` with Range: bytes=500-1000; a=b", "`GET / HTTP/1.1` avec Range: bytes=500-1000; a=b"),
		Entry(nil, "`GET / HTTP/1.1`", "`GET / HTTP/1.1`"),
		Entry(nil, "`GET / HTTP/1.1`, `GET /temp HTTP/1.1`", "`GET / HTTP/1.1`, `GET /temp HTTP/1.1`"),
		Entry(nil, "no request", "aucune requête"),
		// hints
		Entry(nil, "On a persistent connection, send one request, read its whole answer (the headers, then Content-Length bytes), and only then send the next one.",
			"Sur une connexion persistante, envoyez une requête, lisez toute sa réponse (les en-têtes, puis Content-Length octets), et seulement ensuite envoyez la suivante."),
		Entry(nil, `An HTTP/1.1 request is the request line, headers (Host is required), each line ending with \r\n, then an empty line: "GET / HTTP/1.1\r\nHost: example.org\r\n\r\n".`,
			`Une requête HTTP/1.1 est faite de la ligne de requête, des en-têtes (Host est obligatoire), chaque ligne se terminant par \r\n, puis d'une ligne vide : "GET / HTTP/1.1\r\nHost: example.org\r\n\r\n".`),
		Entry(nil, "Keep the ETag and Last-Modified of the first answer with the page, and send them back unchanged as If-None-Match and If-Modified-Since: the server then answers 304 Not Modified, with no body.",
			"Gardez l'ETag et le Last-Modified de la première réponse avec la page, et renvoyez-les tels quels dans If-None-Match et If-Modified-Since : le serveur répond alors 304 Not Modified, sans corps."),
	)

	DescribeTable("translates why the reference HTTP server refused a request",
		func(why, french string) {
			Expect(fr(refused(why))).To(Equal("la requête 1, `GET / HTTP/1.1`, a été refusée par le serveur (400) : " + french))
		},
		Entry(nil, "the connection ended before the request was complete", "la connexion s'est terminée avant que la requête soit complète"),
		Entry(nil, "the request line and headers are longer than 16384 bytes", "la ligne de requête et les en-têtes dépassent 16384 octets"),
		Entry(nil, "no complete request after 5s: the head must end with an empty line (CRLF CRLF)", "aucune requête complète après 5s : l'en-tête doit se terminer par une ligne vide (CRLF CRLF)"),
		Entry(nil, `the request line contains a carriage return (CR) that is not followed by LF: "GET /\rx HTTP/1.1\r\n"`, `la ligne de requête contient un retour chariot (CR) qui n'est pas suivi de LF : "GET /\rx HTTP/1.1\r\n"`),
		Entry(nil, `a header line contains a carriage return (CR) that is not followed by LF: "Host: a\rb\r\n"`, `une ligne d'en-tête contient un retour chariot (CR) qui n'est pas suivi de LF : "Host: a\rb\r\n"`),
		Entry(nil, "an HTTP/1.1 request must have a Host header", "une requête HTTP/1.1 doit avoir un en-tête Host"),
		Entry("a reason with a semicolon", "the Host header was sent 2 times; send it once", "l'en-tête Host a été envoyé 2 fois ; envoyez-le une seule fois"),
		Entry(nil, "both Transfer-Encoding and Content-Length were sent", "Transfer-Encoding et Content-Length ont été envoyés tous les deux"),
		Entry(nil, "request bodies with Transfer-Encoding are not supported here", "les corps de requête avec Transfer-Encoding ne sont pas acceptés ici"),
		Entry(nil, "a request body of 2000000 bytes is larger than the 1048576 allowed", "un corps de requête de 2000000 octets dépasse les 1048576 autorisés"),
		Entry(nil, "Content-Length announced 10 bytes of body, only 3 came", "Content-Length annonçait 10 octets de corps, il n'en est arrivé que 3"),
		Entry(nil, `the request line "GET /" has no HTTP version: write METHOD TARGET HTTP/1.1`, `la ligne de requête "GET /" n'a pas de version HTTP : écrivez MÉTHODE CIBLE HTTP/1.1`),
		Entry(nil, `the request line "GET  / HTTP/1.1" is not METHOD TARGET HTTP/1.1 with single spaces`, `la ligne de requête "GET  / HTTP/1.1" n'est pas MÉTHODE CIBLE HTTP/1.1 avec des espaces simples`),
		Entry(nil, `the method "G(T" is not a token`, `la méthode "G(T" n'est pas un jeton valide (token)`),
		Entry(nil, `the request target "/a b" contains a character that must be percent-encoded`, `la cible de la requête "/a b" contient un caractère qui doit être encodé en pourcentage (%XX)`),
		Entry(nil, `the HTTP version "http/1.1" is not HTTP/1.1 (the name is upper case)`, `la version HTTP "http/1.1" n'est pas HTTP/1.1 (le nom s'écrit en majuscules)`),
		Entry(nil, "HTTP version HTTP/2.0 is not supported: use HTTP/1.1", "la version HTTP HTTP/2.0 n'est pas prise en charge : utilisez HTTP/1.1"),
		Entry(nil, `the header line " x" starts with whitespace (obsolete line folding)`, `la ligne d'en-tête " x" commence par un blanc (repli de ligne obsolète)`),
		Entry(nil, `the header line "Host" has no colon`, `la ligne d'en-tête "Host" n'a pas de deux-points`),
		Entry(nil, `the header line "Host : x" has whitespace before the colon`, `la ligne d'en-tête "Host : x" a un blanc avant le deux-points`),
		Entry(nil, `the header name "Ho(st" is not a token`, `le nom d'en-tête "Ho(st" n'est pas un jeton valide (token)`),
		Entry(nil, "the value of header User-Agent contains the control character 0x01", "la valeur de l'en-tête User-Agent contient le caractère de contrôle 0x01"),
		Entry(nil, `Content-Length "ten" is not a number of bytes`, `Content-Length "ten" n'est pas un nombre d'octets`),
		Entry(nil, `Content-Length "99999999999999999999" is too large`, `Content-Length "99999999999999999999" est trop grand`),
		Entry(nil, "Content-Length was sent with different values", "Content-Length a été envoyé avec des valeurs différentes"),
		Entry(nil, `the request target "ftp://x/" is neither a path starting with / nor an http:// URL`, `la cible de la requête "ftp://x/" n'est ni un chemin commençant par / ni une URL http://`),
		Entry(nil, `the request target "/#top" contains a fragment (#...), which is never sent`, `la cible de la requête "/#top" contient un fragment (#...), qui n'est jamais envoyé`),
		Entry(nil, `the request target "/%zz" has a bad percent-encoding`, `la cible de la requête "/%zz" a un encodage en pourcentage incorrect`),
		Entry(nil, `the request target "/%00" contains a NUL byte`, `la cible de la requête "/%00" contient un octet NUL`),
	)
})

// leafFor is a certificate of the grader's test CA for names, valid in
// 2026 only (dates fixed, so the descriptions are).
func leafFor(ca *tlsref.CA, names ...string) string {
	l, err := ca.Issue(names, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC))
	Expect(err).NotTo(HaveOccurred())
	return tlsref.Describe(l.Cert)
}

var _ = Describe("Localize and Message on TLS messages", func() {
	var ca *tlsref.CA
	BeforeEach(func() {
		var err error
		ca, err = tlsref.NewCA("grader CA")
		Expect(err).NotTo(HaveOccurred())
	})

	It("translates what the grader as a TLS client says of a server's certificate, quoting its names as they are", func() {
		mine := leafFor(ca, "localhost", "127.0.0.1", "::1")
		Expect(mine).To(Equal(`a certificate for localhost, 127.0.0.1, ::1 issued by "grader CA", valid 2026-01-01 to 2026-12-31`))
		mineFr := `un certificat pour localhost, 127.0.0.1, ::1 émis par "grader CA", valide du 2026-01-01 au 2026-12-31`
		own, err := tlsref.NewCA("My Own CA")
		Expect(err).NotTo(HaveOccurred())
		theirs := leafFor(own, "my-site.com")
		theirsFr := `un certificat pour my-site.com émis par "My Own CA", valide du 2026-01-01 au 2026-12-31`
		self := tlsref.Describe(own.Cert)
		Expect(self).To(HaveSuffix(" (self-signed)"))
		selfFr := strings.NewReplacer("a certificate for", "un certificat pour", "issued by", "émis par", ", valid ", ", valide du ", " to 20", " au 20", "(self-signed)", "(auto-signé)").Replace(self)

		for _, c := range [][2]string{
			{"the server presented " + theirs + `: it is not signed by the grader's CA ("grader CA"), so no client that trusts that CA accepts it; and it is not valid for localhost, the name the client connected to`,
				"le serveur a présenté " + theirsFr + ` : il n'est pas signé par l'AC du correcteur ("grader CA"), donc aucun client qui fait confiance à cette AC ne l'accepte ; et il n'est pas valide pour localhost, le nom auquel le client s'est connecté`},
			{"the server presented " + mine + ": it has expired", "le serveur a présenté " + mineFr + " : il a expiré"},
			{"the server presented " + mine + ": it is not valid yet", "le serveur a présenté " + mineFr + " : il n'est pas encore valide"},
			{"the server presented " + self + ": x509: certificate specifies an incompatible key usage", "le serveur a présenté " + selfFr + " : x509: certificate specifies an incompatible key usage"},
			{"the server presented no certificate", "le serveur n'a présenté aucun certificat"},
			{"handshake failed: the server presented " + mine + ": it has expired", "échec de la poignée de main : le serveur a présenté " + mineFr + " : il a expiré"},
			{"handshake failed: remote error: tls: bad certificate", "échec de la poignée de main : remote error: tls: bad certificate"},
			{"handshake failed: EOF", "échec de la poignée de main : fin de flux"},
			{"TLS 1.3 (TLS_AES_128_GCM_SHA256); the server presented " + mine, "TLS 1.3 (TLS_AES_128_GCM_SHA256) ; le serveur a présenté " + mineFr},
		} {
			Expect(fr(c[0])).To(Equal(c[1]), c[0])
		}
	})

	DescribeTable("translates the grader's TLS client (connect: tls)",
		func(english, french string) {
			Expect(fr(english)).To(Equal(french))
		},
		Entry(nil, "a TLS 1.2 or 1.3 handshake, with a certificate for localhost signed by the grader's CA", "une poignée de main TLS 1.2 ou 1.3, avec un certificat pour localhost signé par l'AC du correcteur"),
		Entry(nil, "the grader made no certificate authority for this exercise", "le correcteur n'a créé aucune autorité de certification pour cet exercice"),
		Entry(nil, "the server answered `HTTP/1.1 400 Bad Request\\r\\n` in clear text to a TLS ClientHello: it speaks plain TCP (plain HTTP?) on this port, not TLS",
			"le serveur a répondu `HTTP/1.1 400 Bad Request\\r\\n` en clair à un ClientHello TLS : il parle TCP en clair (HTTP simple ?) sur ce port, pas TLS"),
		Entry(nil, "the server sent nothing in answer to the TLS ClientHello within 3s: is it speaking TLS on this port?",
			"le serveur n'a rien envoyé en réponse au ClientHello TLS en 3s : parle-t-il TLS sur ce port ?"),
		Entry(nil, "the server closed the connection during the TLS handshake", "le serveur a fermé la connexion pendant la poignée de main TLS"),
		Entry(nil, "the handshake failed: your server sent the alert `handshake failure`", "la poignée de main a échoué : votre serveur a envoyé l'alerte `handshake failure`"),
		Entry(nil, "the handshake failed: tls: server selected unsupported protocol version 301", "la poignée de main a échoué : tls: server selected unsupported protocol version 301"),
		Entry(nil, "Wrap the listening socket with TLS before accepting: ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(certfile, keyfile); sock = ctx.wrap_socket(sock, server_side=True).",
			"Enveloppez la socket d'écoute dans TLS avant d'accepter : ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(certfile, keyfile); sock = ctx.wrap_socket(sock, server_side=True)."),
		Entry(nil, "A TLS server answers the ClientHello at once with its ServerHello and certificate: wrap the accepted socket (or the listening one) with ssl.SSLContext.wrap_socket(..., server_side=True).",
			"Un serveur TLS répond aussitôt au ClientHello par son ServerHello et son certificat : enveloppez la socket acceptée (ou celle d'écoute) avec ssl.SSLContext.wrap_socket(..., server_side=True)."),
		Entry(nil, "Check the server's own error: a wrong key file, or a certificate and key that do not match, make its handshake fail.",
			"Regardez l'erreur du serveur lui-même : un mauvais fichier de clé, ou un certificat et une clé qui ne vont pas ensemble, font échouer sa poignée de main."),
		Entry(nil, "The server must accept TLS 1.2 or 1.3 and present the certificate the grader gave.",
			"Le serveur doit accepter TLS 1.2 ou 1.3 et présenter le certificat que le correcteur a fourni."),
		Entry(nil, "Load server-public-key.pem and server-private-key.pem (TLS_CERT, TLS_KEY) (load_cert_chain(certfile, keyfile)) instead of a certificate of your own: only those are signed by the CA the grader trusts, for localhost.",
			"Chargez server-public-key.pem et server-private-key.pem (TLS_CERT, TLS_KEY) (load_cert_chain(certfile, keyfile)) au lieu d'un certificat à vous : seuls ceux-là sont signés par l'AC à laquelle le correcteur fait confiance, pour localhost."),
		Entry(nil, "Load the certificate and key the grader gave (load_cert_chain(certfile, keyfile)) instead of a certificate of your own: only those are signed by the CA the grader trusts, for localhost.",
			"Chargez le certificat et la clé que le correcteur a fournis (load_cert_chain(certfile, keyfile)) au lieu d'un certificat à vous : seuls ceux-là sont signés par l'AC à laquelle le correcteur fait confiance, pour localhost."),
	)

	It("translates the hint that names the certificate files as a check's hint", func() {
		rep := &result.Report{Scenarios: []result.Scenario{{ID: "s", Name: "s", Status: result.Failed, Checks: []result.Check{{Name: "tls",
			Hint: "Load server-public-key.pem and server-private-key.pem (TLS_CERT, TLS_KEY) (load_cert_chain(certfile, keyfile)) instead of a certificate of your own: only those are signed by the CA the grader trusts, for localhost."}}}}}
		i18n.Localize(rep, nil, i18n.French)
		Expect(rep.Scenarios[0].Checks[0].Hint).To(HavePrefix("Chargez server-public-key.pem et server-private-key.pem (TLS_CERT, TLS_KEY)"))
	})

	DescribeTable("translates the checks of a client's handshakes with the TLS reference servers",
		func(english, french string) {
			Expect(fr(english)).To(Equal(french))
		},
		// what the check expects
		Entry(nil, `your client starts a TLS handshake and refuses the certificate, signed by "untrusted CA 12e4318", a CA it was never given`,
			`votre client commence une poignée de main TLS et refuse le certificat, signé par "untrusted CA 12e4318", une AC qu'on ne lui a jamais donnée`),
		Entry(nil, "your client starts a TLS handshake and refuses the certificate, made out to wrong-name.example, not localhost",
			"votre client commence une poignée de main TLS et refuse le certificat, établi pour wrong-name.example et non pour localhost"),
		Entry(nil, "your client starts a TLS handshake and refuses the certificate, expired on 2026-11-22",
			"votre client commence une poignée de main TLS et refuse le certificat, expiré le 2026-11-22"),
		Entry(nil, "your client starts a TLS handshake and refuses the certificate", "votre client commence une poignée de main TLS et refuse le certificat"),
		Entry(nil, "a completed TLS handshake: your client trusts the grader's CA (ca.pem)",
			"une poignée de main TLS menée à son terme : votre client fait confiance à l'AC du correcteur (ca.pem)"),
		Entry(nil, "a completed TLS handshake: your client trusts the grader's CA (ca.pem) and names localhost in the server_name extension (SNI)",
			"une poignée de main TLS menée à son terme : votre client fait confiance à l'AC du correcteur (ca.pem) et donne le nom localhost dans l'extension server_name (SNI)"),
		// what each connection showed
		Entry(nil, "connection 1: SNI localhost, offered TLS 1.3, TLS 1.2, TLS 1.1, TLS 1.0: aborted by the client with the alert `unknown certificate authority`; connection 2: no SNI, offered TLS 1.2, ALPN h2 http/1.1: TLS 1.2 negotiated; connection 3: SNI localhost, offered TLS 1.3: failed (EOF); connection 4: plain text `GET / HTTP/1.1\\r\\n`, no ClientHello; connection 5: no ClientHello (unexpected EOF); and 2 more",
			"connexion 1 : SNI localhost, propose TLS 1.3, TLS 1.2, TLS 1.1, TLS 1.0 : interrompue par le client avec l'alerte `unknown certificate authority` ; connexion 2 : pas de SNI, propose TLS 1.2, ALPN h2 http/1.1 : TLS 1.2 négocié ; connexion 3 : SNI localhost, propose TLS 1.3 : échec (fin de flux) ; connexion 4 : texte en clair `GET / HTTP/1.1\\r\\n`, pas de ClientHello ; connexion 5 : pas de ClientHello (fin de flux inattendue) ; et 2 de plus"),
		Entry(nil, "no connection", "aucune connexion"),
		// what went wrong
		Entry(nil, "the scenario has no TLS reference server", "le scénario n'a pas de serveur TLS de référence"),
		Entry(nil, "your client never connected to the TLS server", "votre client ne s'est jamais connecté au serveur TLS"),
		Entry(nil, "your client sent `GET / HTTP/1.1\\r\\n` in clear text to the TLS port: it never started a TLS handshake",
			"votre client a envoyé `GET / HTTP/1.1\\r\\n` en clair sur le port TLS : il n'a jamais commencé de poignée de main TLS"),
		Entry(nil, "your client connected but never sent a TLS ClientHello", "votre client s'est connecté mais n'a jamais envoyé de ClientHello TLS"),
		Entry(nil, `your client accepted a certificate signed by an unknown CA ("untrusted CA 4c39981", not the CA in ca.pem): it does not verify the chain and sent `+"`GET / HTTP/1.1`"+` through it (connection 1: SNI localhost, offered TLS 1.3, TLS 1.2, TLS 1.1, TLS 1.0: TLS 1.3 negotiated)`,
			`votre client a accepté un certificat signé par une AC inconnue ("untrusted CA 4c39981", pas l'AC de ca.pem) : il ne vérifie pas la chaîne de certificats, et a envoyé `+"`GET / HTTP/1.1`"+` par cette connexion (connexion 1 : SNI localhost, propose TLS 1.3, TLS 1.2, TLS 1.1, TLS 1.0 : TLS 1.3 négocié)`),
		Entry(nil, "your client accepted a certificate for wrong-name.example although it connected to localhost: it does not check the host name (connection 1: SNI localhost, offered TLS 1.3: TLS 1.3 negotiated)",
			"votre client a accepté un certificat pour wrong-name.example alors qu'il s'est connecté à localhost : il ne vérifie pas le nom d'hôte (connexion 1 : SNI localhost, propose TLS 1.3 : TLS 1.3 négocié)"),
		Entry(nil, "your client accepted a certificate that expired on 2026-11-22: it does not check the dates and sent `GET /api/certificate.v1/pdf/HDC2GWUR3YT4 HTTP/1.1` through it (connection 1: SNI localhost, offered TLS 1.3, TLS 1.2: TLS 1.3 negotiated)",
			"votre client a accepté un certificat qui a expiré le 2026-11-22 : il ne vérifie pas les dates, et a envoyé `GET /api/certificate.v1/pdf/HDC2GWUR3YT4 HTTP/1.1` par cette connexion (connexion 1 : SNI localhost, propose TLS 1.3, TLS 1.2 : TLS 1.3 négocié)"),
		Entry(nil, "your client accepted the certificate (connection 1: SNI localhost, offered TLS 1.3: TLS 1.3 negotiated)",
			"votre client a accepté le certificat (connexion 1 : SNI localhost, propose TLS 1.3 : TLS 1.3 négocié)"),
		Entry(nil, "the handshake failed: your client asked for 127.0.0.1 (its SNI) and refused the certificate, made out to localhost, with the alert `bad certificate` (connection 1: SNI 127.0.0.1, offered TLS 1.3, TLS 1.2: aborted by the client with the alert `bad certificate`)",
			"la poignée de main a échoué : votre client a demandé 127.0.0.1 (son SNI) et a refusé le certificat, établi pour localhost, avec l'alerte `bad certificate` (connexion 1 : SNI 127.0.0.1, propose TLS 1.3, TLS 1.2 : interrompue par le client avec l'alerte `bad certificate`)"),
		Entry(nil, "the handshake failed: your client aborted it with the alert `unknown certificate authority`, so it does not trust the certificate, which the grader's CA signed for localhost (connection 1: SNI localhost, offered TLS 1.3, TLS 1.2: aborted by the client with the alert `unknown certificate authority`)",
			"la poignée de main a échoué : votre client l'a interrompue avec l'alerte `unknown certificate authority`, il ne fait donc pas confiance au certificat, que l'AC du correcteur a signé pour localhost (connexion 1 : SNI localhost, propose TLS 1.3, TLS 1.2 : interrompue par le client avec l'alerte `unknown certificate authority`)"),
		Entry(nil, "the handshake failed: your client offered only TLS 1.1, TLS 1.0, the server speaks TLS 1.2 and 1.3",
			"la poignée de main a échoué : votre client n'a proposé que TLS 1.1, TLS 1.0, le serveur parle TLS 1.2 et 1.3"),
		Entry(nil, "the handshake failed (connection 1: SNI localhost, offered TLS 1.3, TLS 1.2: failed (tls: no cipher suite supported by both client and server))",
			"la poignée de main a échoué (connexion 1 : SNI localhost, propose TLS 1.3, TLS 1.2 : échec (tls: no cipher suite supported by both client and server))"),
		Entry(nil, "your client sent no SNI (server_name): a server that hosts several sites cannot tell it wants localhost, and answers with another site's certificate (connection 1: no SNI, offered TLS 1.3, TLS 1.2, TLS 1.1, TLS 1.0: TLS 1.3 negotiated)",
			"votre client n'a pas envoyé de SNI (server_name) : un serveur qui héberge plusieurs sites ne peut pas savoir qu'il veut localhost, et répond avec le certificat d'un autre site (connexion 1 : pas de SNI, propose TLS 1.3, TLS 1.2, TLS 1.1, TLS 1.0 : TLS 1.3 négocié)"),
		Entry(nil, "your client sent the SNI `127.0.0.1`, expected localhost (the host in HOST) (connection 1: SNI 127.0.0.1, offered TLS 1.3: TLS 1.3 negotiated)",
			"votre client a envoyé le SNI `127.0.0.1`, attendu localhost (l'hôte donné dans HOST) (connexion 1 : SNI 127.0.0.1, propose TLS 1.3 : TLS 1.3 négocié)"),
		// a client that must refuse must say so
		Entry(nil, "the program reports the failure: a non-zero exit code or an error message", "le programme signale l'échec : un code de sortie non nul ou un message d'erreur"),
		Entry(nil, "stdout: `ssl.SSLCertVerificationError: certificate verify failed`", "stdout : `ssl.SSLCertVerificationError: certificate verify failed`"),
		Entry(nil, "your program did not end: after a refused handshake it should stop and say why",
			"votre programme ne s'est pas terminé : après une poignée de main refusée, il doit s'arrêter et dire pourquoi"),
		Entry(nil, "your program exited with code 0 and printed no error: a failed verification must not look like a success",
			"votre programme s'est terminé avec le code 0 sans afficher d'erreur : une vérification qui échoue ne doit pas ressembler à une réussite"),
		// hints
		Entry(nil, "Wrap the socket with TLS before sending anything: ssl.create_default_context().wrap_socket(sock, server_hostname=HOST), then send the request through the wrapped socket.",
			"Enveloppez la socket dans TLS avant d'envoyer quoi que ce soit : ssl.create_default_context().wrap_socket(sock, server_hostname=HOST), puis envoyez la requête par la socket enveloppée."),
		Entry(nil, "Wrap the socket with TLS (ssl.create_default_context().wrap_socket(sock, server_hostname=HOST)) right after connect().",
			"Enveloppez la socket dans TLS (ssl.create_default_context().wrap_socket(sock, server_hostname=HOST)) juste après connect()."),
		Entry(nil, "Keep the default verification: ssl.create_default_context() checks the chain, the dates and the host name. Never set check_hostname = False or verify_mode = ssl.CERT_NONE (in C: SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL) and SSL_set1_host).",
			"Gardez la vérification par défaut : ssl.create_default_context() vérifie la chaîne, les dates et le nom d'hôte. Ne mettez jamais check_hostname = False ni verify_mode = ssl.CERT_NONE (en C : SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL) et SSL_set1_host)."),
		Entry(nil, "Connect to the host in HOST and pass that same name as server_hostname: the certificate is made out to it.",
			"Connectez-vous à l'hôte donné dans HOST et passez ce même nom en server_hostname : le certificat est établi à ce nom."),
		Entry(nil, "Trust the CA in ca.pem: ssl.create_default_context() reads it from SSL_CERT_FILE, which the grader sets; or pass cafile= (in C: SSL_CTX_set_default_verify_paths or SSL_CTX_load_verify_locations). Connect to the host in HOST, which is the certificate's name.",
			"Faites confiance à l'AC de ca.pem : ssl.create_default_context() la lit dans SSL_CERT_FILE, que le correcteur définit ; ou passez cafile= (en C : SSL_CTX_set_default_verify_paths ou SSL_CTX_load_verify_locations). Connectez-vous à l'hôte donné dans HOST, qui est le nom du certificat."),
		Entry(nil, "Let the TLS library choose the version (ssl.create_default_context(), TLS_client_method()).",
			"Laissez la bibliothèque TLS choisir la version (ssl.create_default_context(), TLS_client_method())."),
		Entry(nil, "Give the server's name when you wrap the socket: wrap_socket(sock, server_hostname=HOST); in C, SSL_set_tlsext_host_name(ssl, host) before SSL_connect.",
			"Donnez le nom du serveur quand vous enveloppez la socket : wrap_socket(sock, server_hostname=HOST) ; en C, SSL_set_tlsext_host_name(ssl, host) avant SSL_connect."),
		Entry(nil, "Use the name your program connects to, from HOST, as server_hostname.", "Utilisez comme server_hostname le nom auquel votre programme se connecte, tiré de HOST."),
		Entry(nil, "Let the exception end the program (exit code 1), or catch it, print why, and exit with a non-zero code (sys.exit(1)).",
			"Laissez l'exception terminer le programme (code de sortie 1), ou attrapez-la, affichez pourquoi, et terminez avec un code non nul (sys.exit(1))."),
	)

	DescribeTable("translates the checks of a file a client saved",
		func(english, french string) {
			Expect(firstLine(fr(english))).To(Equal(french))
		},
		Entry(nil, "tcpswunack.png, 8455 bytes, equal to /free/diagrams/tcpswunack.png", "tcpswunack.png, 8455 octets, identique à /free/diagrams/tcpswunack.png"),
		Entry(nil, "8456 bytes", "8456 octets"),
		Entry(nil, "1 bytes", "1 octet"),
		Entry(nil, "no file", "aucun fichier"),
		Entry(nil, "no file fichier3.pdf", "aucun fichier fichier3.pdf"),
		Entry(nil, "fichier3.pdf, 670 bytes", "fichier3.pdf, 670 octets"),
		Entry(nil, "the exercise names a page that does not exist: nope.png", "l'exercice désigne une page qui n'existe pas : nope.png"),
		Entry(nil, "your program did not write index.html in its working folder", "votre programme n'a pas écrit index.html dans son dossier de travail"),
		Entry(nil, "your program wrote fichier3.pdf (670 bytes) although the exchange should have failed", "votre programme a écrit fichier3.pdf (670 octets) alors que l'échange aurait dû échouer"),
		Entry(nil, "index.html holds 9143 bytes, expected the 26415 bytes of /index.html\nfirst difference at offset 0 (0x0): expected 0x3c, got 0x1f",
			"index.html contient 9143 octets, attendu les 26415 octets de /index.html"),
		Entry(nil, "tcpswunack.png holds 8456 bytes, expected the 8455 bytes of /free/diagrams/tcpswunack.png: the page starts at offset 1, after `\\n` (1 byte)",
			"tcpswunack.png contient 8456 octets, attendu les 8455 octets de /free/diagrams/tcpswunack.png : la page commence à la position 1, après `\\n` (1 octet)"),
		Entry(nil, "tcpswunack.png holds 8694 bytes, expected the 8455 bytes of /free/diagrams/tcpswunack.png: the file starts with `HTTP/1.1 200 OK\\r\\n`, the response's headers (239 bytes): strip everything up to and including the blank line (\\r\\n\\r\\n)",
			"tcpswunack.png contient 8694 octets, attendu les 8455 octets de /free/diagrams/tcpswunack.png : le fichier commence par `HTTP/1.1 200 OK\\r\\n`, les en-têtes de la réponse (239 octets) : retirez tout jusqu'à la ligne vide (\\r\\n\\r\\n) comprise"),
		Entry(nil, "tcpswunack.png holds 300 bytes, expected the 8455 bytes of /free/diagrams/tcpswunack.png: the file starts with `HTTP/1.1 200 OK\\r\\n`: strip the response's headers, up to and including the blank line (\\r\\n\\r\\n)",
			"tcpswunack.png contient 300 octets, attendu les 8455 octets de /free/diagrams/tcpswunack.png : le fichier commence par `HTTP/1.1 200 OK\\r\\n` : retirez les en-têtes de la réponse, jusqu'à la ligne vide (\\r\\n\\r\\n) comprise"),
		Entry(nil, "tcpswunack.png holds 8454 bytes, expected the 8455 bytes of /free/diagrams/tcpswunack.png: the file misses the first 1 byte(s) of the page (an off-by-one after \\r\\n\\r\\n?)",
			"tcpswunack.png contient 8454 octets, attendu les 8455 octets de /free/diagrams/tcpswunack.png : il manque au fichier 1 octet du début de la page (une erreur d'une position après \\r\\n\\r\\n ?)"),
	)
})
