package i18n_test

import (
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/netlab-grader/grader/grader/check"
	"github.com/netlab-grader/grader/grader/i18n"
	"github.com/netlab-grader/grader/grader/result"
	"github.com/netlab-grader/grader/grader/spec"
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
