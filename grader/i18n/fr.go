package i18n

import (
	"strings"
	"sync"
)

// The French catalogue: the grader's generated messages, fragment types
// first, then whole segments. Patterns are the English the check, engine
// and steps packages write (keep them in step when a wording changes: the
// specs cover every shape); Q is a quoted piece of program output or of
// the exercise, never translated.

// frSegments translates one segment of a message (a message is cut at
// "; " and line breaks); frFragments are phrases that contain "; " and are
// translated before the cut; frExact are whole strings (the built-in
// hints); frNames are the scenario names the engine makes up.
var (
	frSegments  *table
	frFragments *table
	frExact     map[string]string
	frNames     = map[string]string{"compiles": "compile"}
)

// frErrors are the system errors worth translating; others stay as the
// system wrote them.
var frErrors = map[string]string{
	"connection refused":        "connexion refusée",
	"connection reset by peer":  "connexion réinitialisée par le pair",
	"broken pipe":               "tube cassé (broken pipe)",
	"i/o timeout":               "délai d'attente dépassé",
	"network is unreachable":    "réseau inaccessible",
	"no route to host":          "aucune route vers l'hôte",
	"connection timed out":      "délai de connexion dépassé",
	"unexpected EOF":            "fin de flux inattendue",
	"EOF":                       "fin de flux",
	"context deadline exceeded": "délai dépassé",
	"address already in use":    "adresse déjà utilisée",
	"the body is shorter than its Content-Length": "le corps est plus court que son Content-Length",
}

var frSignals = map[string]string{
	"segmentation fault":       "erreur de segmentation (SIGSEGV)",
	"aborted":                  "abandon (SIGABRT)",
	"killed":                   "tué (SIGKILL)",
	"terminated":               "terminé (SIGTERM)",
	"floating point exception": "exception arithmétique (SIGFPE)",
	"bus error":                "erreur de bus (SIGBUS)",
	"illegal instruction":      "instruction illégale (SIGILL)",
	"interrupt":                "interruption (SIGINT)",
}

func orSame(m map[string]string) func(string) (string, bool) {
	return func(s string) (string, bool) {
		if t, ok := m[s]; ok {
			return t, true
		}
		return s, true
	}
}

// frOnce builds the French catalogue the first time a report is
// translated: compiling its patterns takes tens of milliseconds, which
// every grader start (and every sandboxed program, started through the
// grader's binary) would otherwise pay.
var frOnce sync.Once

func loadFrench() { frOnce.Do(buildFrench) }

func buildFrench() {
	// leaves
	leaf("Q", "\uE000\\d+\uE001", nil)
	leaf("T", "\uE002\\d+\uE003", nil)
	leaf("N", `\d+`, nil)
	leaf("X", `0x[0-9a-fA-F]+`, nil)
	leaf("HEXB", `[0-9a-f]{2}(?: [0-9a-f]{2})*`, nil)
	leaf("HEXM", `[0-9a-f]{2}(?: [0-9a-f]{2})*(?: …\(\d+ more\))?`, func(s string) (string, bool) {
		return strings.Replace(s, " more)", " de plus)", 1), true
	})
	leaf("DUR", `\d[\d.]*(?:ns|µs|us|ms|s|m|h)(?:[\d.]+(?:ns|µs|us|ms|s|m|h))*`, nil)
	leaf("BOOL", `true|false`, nil)
	leaf("WORD", `\S+`, nil)
	leaf("ADDR", `\S+`, nil)
	leaf("HEADER", `[A-Za-z][A-Za-z0-9-]*`, nil)
	leaf("PROTO", `TCP|UDP|tcp|udp`, nil)
	leaf("RE", `.*`, nil)
	leaf("ANY", `.+`, nil)
	leaf("ERR", `.+`, orSame(frErrors))
	leaf("SIG", `.+`, orSame(frSignals))
	leaf("STATUS", `\d{3}[^,]*`, nil)
	leaf("SPACES", ` +`, nil)
	leaf("BYTES", `bytes?`, nil)
	leaf("BLOCKS", `blocks?`, nil)
	leaf("CRCNAME", `CRC-8.*?`, nil)
	leaf("PARAMS", `.+?`, func(s string) (string, bool) {
		return strings.NewReplacer(
			"unreflected input", "entrée non réfléchie",
			"unreflected output", "sortie non réfléchie",
			"reflected input", "entrée réfléchie",
			"reflected output", "sortie réfléchie",
		).Replace(s), true
	})
	leaf("LISTEN", `\S+ \(an IPv[46] socket\)`, func(s string) (string, bool) {
		s = strings.Replace(s, "(an IPv4 socket)", "(une socket IPv4)", 1)
		return strings.Replace(s, "(an IPv6 socket)", "(une socket IPv6)", 1), true
	})
	leaf("ROW", `[0-9a-f]{4}(?:  .*)?`, func(s string) (string, bool) {
		return strings.Replace(s, "(nothing)", "(rien)", 1), true
	})
	leaf("OPNAME", `continuation|text|binary|close|ping|pong`, words(map[string]string{
		"continuation": "continuation", "text": "texte", "binary": "binaire",
		"close": "fermeture", "ping": "ping", "pong": "pong",
	}))
	leaf("LF", `the 7-bit field|16 bits \(126 \+ 2 bytes\)|64 bits \(127 \+ 8 bytes\)`, words(map[string]string{
		"the 7-bit field":         "le champ de 7 bits",
		"16 bits (126 + 2 bytes)": "16 bits (126 + 2 octets)",
		"64 bits (127 + 8 bytes)": "64 bits (127 + 8 octets)",
	}))
	// SEG is a whole segment again: what follows a colon in a message is
	// often a message of its own (a frame diagnosis, a WebSocket problem).
	leaf("SEG", `.+`, func(s string) (string, bool) { return frSegments.apply(s) })

	// fragment tables
	newTable("WHO",
		"your server sent", "votre serveur a envoyé",
		"your client sent", "votre client a envoyé",
		"your program printed", "votre programme a affiché",
		"your program wrote to stderr", "votre programme a écrit sur stderr",
		"the reference peer decrypted from your program", "le pair de référence a déchiffré de votre programme",
	)
	newTable("DESC",
		"nothing", "rien",
		"{q:Q} ({n:N} {u:BYTES})", "{q} ({n} {n|octet|octets})",
	)
	newTable("EXIT",
		"killed at the timeout", "tué à l'expiration du délai",
		"stopped by the grader", "arrêté par le correcteur",
		"signal {s:SIG}", "signal : {s}",
		"exit code {n:N}", "code de sortie {n}",
	)
	newTable("CONNS",
		"{n:N} connections", "{n} {n|connexion|connexions}",
		"{n:N} connection", "{n} {n|connexion|connexions}",
	)
	newTable("FRAMES",
		"{n:N} frames", "{n} {n|trame|trames}",
		"{n:N} frame", "{n} {n|trame|trames}",
	)
	newTable("MFRAMES",
		"{n:N} masked frames", "{n} {n|trame masquée|trames masquées}",
		"{n:N} masked frame", "{n} {n|trame masquée|trames masquées}",
	)
	newTable("EXPL",
		"it stops after {n:N} bytes, {q:Q} is missing", "il s'arrête après {n} {n|octet|octets}, il manque {q}",
		"{n:N} extra bytes after the expected text: {q:Q}", "{n} {n|octet|octets} en trop après le texte attendu : {q}",
		"only the upper/lower case differs", "seules les majuscules et minuscules diffèrent",
		"only leading or trailing white space differs", "seuls des blancs (espaces, fins de ligne) au début ou à la fin diffèrent",
		`only NUL bytes (\0) differ`, `seuls des octets NUL (\0) diffèrent`,
		"the first 1 bytes match, then {a:Q} instead of {b:Q}", "le premier octet correspond, puis {a} au lieu de {b}",
		"the first {n:N} bytes match, then {a:Q} instead of {b:Q}", "les {n} premiers octets correspondent, puis {a} au lieu de {b}",
	)
	newTable("FWHAT",
		"{m:Q} followed by its checksum (sum mod 256)", "{m} suivi de sa somme de contrôle (somme modulo 256)",
		"{m:Q} followed by its CRC-8 (poly {p:X}, init {i:X})", "{m} suivi de son CRC-8 (polynôme {p}, init {i})",
		"{m:Q} encrypted with RC4, key {k:Q}", "{m} chiffré avec RC4, clé {k}",
		"a length byte and {m:Q} in AES-128-ECB zero-padded blocks, key {k:Q}", "un octet de longueur puis {m} en blocs AES-128-ECB complétés par des zéros, clé {k}",
		"{k:WORD} frame", "une trame {k}",
	)
	newTable("DIALECT",
		"C, with the NUL", "C, avec le NUL",
		"Python, without", "Python, sans",
	)
	newTable("FEX",
		"{h:HEXM} ({d:DIALECT})", "{h} ({d})",
	)
	newTable("FRAME",
		"{w:FWHAT}: {a:FEX} or {b:FEX}", "{w} : {a} ou {b}",
		"{w:FWHAT}: {a:FEX}", "{w} : {a}",
		"{w:FWHAT}", "{w}",
	)
	newTable("OP",
		"{n:OPNAME} ({x:X})", "{n} ({x})",
		"{x:X}", "{x}",
	)
	newTable("WSSUM",
		"a {o:OP} frame, FIN={f:BOOL}, {n:N} payload bytes", "une trame de type {o}, FIN={f}, {n} {n|octet|octets} de charge utile",
	)
	newTable("WSDESC",
		"an unmasked {o:OP} frame with status {n:N}", "une trame non masquée de type {o} avec le code d'état {n}",
		"an unmasked {o:OP} frame carrying the {n:N} bytes sent", "une trame non masquée de type {o} transportant les {n} octets envoyés",
		"an unmasked {o:OP} frame carrying {d:DESC}", "une trame non masquée de type {o} transportant {d}",
		"an unmasked {o:OP} frame", "une trame non masquée de type {o}",
	)
	newTable("INCOMPLETE",
		"shorter than a frame header", "plus court qu'un en-tête de trame",
		"its header announces {n:N} payload bytes", "son en-tête annonce {n} {n|octet|octets} de charge utile",
		"the header cannot be read", "l'en-tête est illisible",
	)

	// Phrases with "; " inside, translated before the message is cut.
	frFragments = newTable("fragments",
		"(the transcript keeps the first {n:N} bytes; {m:N} more were not recorded)", "(la transcription garde les {n} premiers octets ; {m} de plus n'ont pas été enregistrés)",
		"(PORT was {n:N}; the grader connects where you listen)", "(PORT valait {n} ; le correcteur se connecte là où vous écoutez)",
		"not observable on this system; the first connection is retried instead", "impossible à observer sur ce système ; la première connexion est retentée à la place",
		": that is the hex digest; encode the raw 20 bytes in base64", " : c'est le condensat en hexadécimal ; encodez les 20 octets bruts en base64",
		": that is base64 of the hex digest; encode the raw 20 bytes", " : c'est le base64 du condensat en hexadécimal ; encodez les 20 octets bruts",
		": the key was base64-decoded first; hash the key text as received", " : la clé a d'abord été décodée du base64 ; hachez le texte de la clé tel qu'il a été reçu",
		"a {n:N}-byte payload has its length in {a:LF}; the minimal encoding is {b:LF} (RFC 6455 5.2)", "une charge utile de {n} {n|octet|octets} a sa longueur dans {a} ; l'encodage minimal est {b} (RFC 6455 5.2)",
		"frame {i:N} carries {n:N} bytes with its length in {a:LF}; the minimal encoding is {b:LF} (RFC 6455 5.2)", "la trame {i} transporte {n} {n|octet|octets} avec sa longueur dans {a} ; l'encodage minimal est {b} (RFC 6455 5.2)",
		"your client sent {n:MFRAMES}; at least two masked frames are needed to compare their keys", "votre client a envoyé {n} ; il faut au moins deux trames masquées pour comparer leurs clés",
		"the length is sent in {n:N} bytes; the frame has a single length byte", "la longueur est envoyée sur {n} octets ; la trame n'a qu'un seul octet de longueur",
		"the checksum is complemented (~sum); send the plain sum mod 256", "la somme de contrôle est complémentée (~somme) ; envoyez la somme simple modulo 256",
		"the checksum is negated (256 - sum); send the plain sum mod 256", "la somme de contrôle est prise en opposé (256 - somme) ; envoyez la somme simple modulo 256",
		"the check byte is sent before the data; it goes after it", "l'octet de contrôle est envoyé avant les données ; il doit venir après",
		"(the compiler printed nothing; it exited with status {n:N})", "(le compilateur n'a rien affiché ; il s'est terminé avec le code {n})",
		"(the compiler printed nothing; a signal killed it ({s:SIG}))", "(le compilateur n'a rien affiché ; un signal l'a tué : {s})",
	)

	frSegments = newTable("segments",
		// a phrase translated before the cut, alone or after a segment
		"{t:T}", "{t}",
		"{r:SEG} {t:T}", "{r} {t}",
		// what steps and the engine append to a message
		"{r:SEG} (within {d:DUR})", "{r} (en {d})",
		"{r:SEG} (then closed the connection)", "{r} (puis a fermé la connexion)",
		"{r:SEG} (then the connection failed: {e:ERR})", "{r} (puis la connexion a échoué : {e})",
		"{r:SEG} ((stopped reading after 1 MiB))", "{r} ((lecture arrêtée après 1 Mio))",
		"{r:SEG} (output capped: {n:N} more bytes were not kept)", "{r} (sortie tronquée : {n} octets de plus n'ont pas été conservés)",

		// check: matchers
		"{w:WHO} {d:DESC}, expected {q:Q}", "{w} {d}, attendu {q}",
		"{w:WHO} {d:DESC}, expected {q:Q}: {t:EXPL}", "{w} {d}, attendu {q} : {t}",
		"{w:WHO} {d:DESC}, which does not contain {q:Q}", "{w} {d}, qui ne contient pas {q}",
		"{w:WHO} {d:DESC}, which does not contain {q:Q}: it is there with a different upper/lower case", "{w} {d}, qui ne contient pas {q} : le texte y est, mais avec d'autres majuscules et minuscules",
		"{w:WHO} {d:DESC}, which contains {q:Q}", "{w} {d}, qui contient {q}",
		"{w:WHO} {d:DESC}, where {q:Q} should not appear", "{w} {d}, où {q} ne devrait pas apparaître",
		"{w:WHO} {d:DESC}, which does not match /{re:RE}/", "{w} {d}, qui ne correspond pas à /{re}/",
		"the exercise's regular expression is invalid: {e:ANY}", "l'expression régulière de l'exercice est invalide : {e}",

		// check: frames of the lab sheets, and their diagnosis
		"{w:WHO} {d:DESC}, which is not {f:FRAME}", "{w} {d}, qui n'est pas {f}",
		"{w:WHO} {d:DESC}, which is not {f:FRAME}: {h:SEG}", "{w} {d}, qui n'est pas {f} : {h}",
		"nothing was sent", "rien n'a été envoyé",
		"the trailing NUL is missing", "il manque le NUL final",
		"the trailing NUL is extra", "le NUL final est en trop",
		"the frame was sent as hex text, not as raw bytes", "la trame a été envoyée sous forme de texte hexadécimal, pas en octets bruts",
		"plaintext sent unencrypted", "le texte a été envoyé en clair, sans chiffrement",
		"the check byte is missing", "il manque l'octet de contrôle",
		"CRC computed without the trailing NUL", "CRC calculé sans le NUL final",
		"CRC computed over the NUL that was not sent", "CRC calculé en comptant le NUL, qui n'a pas été envoyé",
		"this is a checksum (sum mod 256), not a CRC-8", "c'est une somme de contrôle (somme modulo 256), pas un CRC-8",
		"this is a CRC-8, not a checksum (sum mod 256)", "c'est un CRC-8, pas une somme de contrôle (somme modulo 256)",
		"byte order reversed", "ordre des octets inversé",
		"wrong key: the first keystream byte differs", "mauvaise clé : le premier octet du flux de clé diffère",
		"the key was used with its trailing NUL", "la clé a été utilisée avec son NUL final",
		"the length byte is missing", "il manque l'octet de longueur",
		"PKCS#7 padding where zeros were expected", "bourrage PKCS#7 là où des zéros étaient attendus",
		"the length byte counts the padded size", "l'octet de longueur compte la taille avec le bourrage",
		"wrong key: the blocks decrypt to garbage", "mauvaise clé : les blocs déchiffrés n'ont aucun sens",
		"ECB expected, got CBC (an IV is prepended)", "ECB attendu, CBC reçu (un IV est placé en tête)",
		"ECB expected, got CBC", "ECB attendu, CBC reçu",
		"the frame is not 1 length byte plus whole 16-byte blocks (got {n:N} bytes)", "la trame n'est pas un octet de longueur suivi de blocs entiers de 16 octets (reçu {n} {n|octet|octets})",
		"the frame is not 1 length byte plus whole 16-byte blocks", "la trame n'est pas un octet de longueur suivi de blocs entiers de 16 octets",
		"only the length byte was sent, no blocks", "seul l'octet de longueur a été envoyé, sans aucun bloc",
		"this is {c:CRCNAME} with polynomial {a:X}, not {b:X}", "c'est {c} avec le polynôme {a}, pas {b}",
		"this is {c:CRCNAME}: {a:PARAMS}, not {b:PARAMS}", "c'est {c} : {a}, et non {b}",
		"the check byte is {a:X}, expected {b:X}", "l'octet de contrôle vaut {a}, attendu {b}",
		"the frame carries {a:Q}, not {b:Q} (its check byte is right for that text)", "la trame transporte {a}, pas {b} (son octet de contrôle est juste pour ce texte)",
		"the data is {a:Q}, not {b:Q}, and the check byte fits neither", "les données sont {a}, pas {b}, et l'octet de contrôle ne correspond à aucun des deux",
		"the message is {a:Q}, not {b:Q}", "le message est {a}, pas {b}",
		"the message is cut short: {a:N} of {b:N} bytes", "le message est tronqué : {a} {a|octet|octets} sur {b}",
		"{n:N} extra {u:BYTES} after the message and its NUL: {h:HEXB}", "{n} {n|octet|octets} en trop après le message et son NUL : {h}",
		"{n:N} extra {u:BYTES} after the message: {h:HEXB}", "{n} {n|octet|octets} en trop après le message : {h}",
		"{n:N} extra {u:BYTES} after the blocks: {h:HEXB}", "{n} {n|octet|octets} en trop après les blocs : {h}",
		"the length byte is {a:N}, but the message is {b:N} bytes", "l'octet de longueur vaut {a}, mais le message fait {b} {b|octet|octets}",
		"{n:N} extra {u:BLOCKS} after the message", "{n} {n|bloc|blocs} en trop après le message",
		"the blocks do not decrypt to the message, and the length byte {a:N} does not fit {b:N} {u:BLOCKS}", "les blocs déchiffrés ne donnent pas le message, et l'octet de longueur {a} ne correspond pas à {b} {b|bloc|blocs}",

		// check: hex diffs
		"first difference at offset {n:N} ({x:X})", "première différence à la position {n} ({x})",
		"first difference at offset {n:N} ({x:X}): {m:N} byte(s) missing from there on", "première différence à la position {n} ({x}) : {m} {m|octet manque|octets manquent} à partir de là",
		"first difference at offset {n:N} ({x:X}): {m:N} extra byte(s) from there on", "première différence à la position {n} ({x}) : {m} {m|octet|octets} en trop à partir de là",
		"first difference at offset {n:N} ({x:X}): expected {a:X}, got {b:X}", "première différence à la position {n} ({x}) : attendu {a}, reçu {b}",
		"  expected {r:ROW}", "  attendu  {r}",
		"  actual   {r:ROW}", "  reçu     {r}",
		"{s:SPACES}^^", "{s}^^",

		// check: Fernet
		"your server sent nothing", "votre serveur n'a rien envoyé",
		"your server sent {d:DESC}, which is not a complete HTTP response: {e:ERR}", "votre serveur a envoyé {d}, qui n'est pas une réponse HTTP complète : {e}",
		"your server answered {s:STATUS}, expected 200 OK with the token", "votre serveur a répondu {s}, attendu 200 OK avec le jeton",
		"the page is the secret in clear, {q:Q}: encrypt it with Fernet(SECRET_KEY) before sending it", "la page contient le secret en clair, {q} : chiffrez-le avec Fernet(SECRET_KEY) avant de l'envoyer",
		"the page {d:DESC} does not decrypt with SECRET_KEY: {e:ERR}", "la page {d} ne se déchiffre pas avec SECRET_KEY : {e}",
		"the token decrypts to {a:Q}, expected {b:Q}", "le jeton se déchiffre en {a}, attendu {b}",

		// check: WebSocket opening handshake
		"your server sent nothing in answer to the handshake", "votre serveur n'a rien envoyé en réponse à la poignée de main",
		`your server sent {d:DESC}, not a complete HTTP response head (it ends with an empty line, \r\n\r\n)`, `votre serveur a envoyé {d}, pas un en-tête de réponse HTTP complet (il se termine par une ligne vide, \r\n\r\n)`,
		"the status line is {a:Q}, expected {b:Q}", "la ligne de statut est {a}, attendu {b}",
		"the Host header is missing (HTTP/1.1 requires it)", "l'en-tête Host manque (HTTP/1.1 l'exige)",
		"the {h:HEADER} header is missing (want {g:HEADER}: {v:WORD})", "l'en-tête {h} manque (attendu {g}: {v})",
		"the {h:HEADER} header is missing", "l'en-tête {h} manque",
		"Sec-WebSocket-Accept is {a:Q}, expected {b:Q} = base64(SHA-1(key + {g:Q}))", "Sec-WebSocket-Accept vaut {a}, attendu {b} = base64(SHA-1(clé + {g}))",
		"Sec-WebSocket-Accept is {a:Q}, expected {b:Q} = base64(SHA-1(key + {g:Q})): the GUID was not appended to the key before hashing", "Sec-WebSocket-Accept vaut {a}, attendu {b} = base64(SHA-1(clé + {g})) : le GUID n'a pas été ajouté à la clé avant le hachage",
		"Sec-WebSocket-Accept is {a:Q}, expected {b:Q} = base64(SHA-1(key + {g:Q})){t:T}", "Sec-WebSocket-Accept vaut {a}, attendu {b} = base64(SHA-1(clé + {g})){t}",
		"Sec-WebSocket-Key is {k:Q}: it must be 16 random bytes encoded in base64 (24 characters)", "Sec-WebSocket-Key vaut {k} : ce doit être 16 octets aléatoires encodés en base64 (24 caractères)",
		"{h:HEADER} is {a:Q}, expected {v:WORD}", "{h} vaut {a}, attendu {v}",
		"the method is {m:WORD}, expected GET", "la méthode est {m}, attendu GET",

		// check: WebSocket frames from a server
		"your server sent no frame", "votre serveur n'a envoyé aucune trame",
		"your server sent {d:DESC}, not a complete WebSocket frame ({y:INCOMPLETE})", "votre serveur a envoyé {d}, pas une trame WebSocket complète ({y})",
		"your server sent {s:WSSUM}: {p:SEG}", "votre serveur a envoyé {s} : {p}",
		"the frame is {a:OP}, expected {b:OP}", "la trame est de type {a}, attendu {b}",
		"the frame is masked (MASK bit set): a server must never mask its frames", "la trame est masquée (bit MASK à 1) : un serveur ne doit jamais masquer ses trames",
		"RSV bits are set ({x:X}) without a negotiated extension", "des bits RSV sont à 1 ({x}) sans extension négociée",
		"FIN is {a:BOOL}, expected {b:BOOL}", "FIN vaut {a}, attendu {b}",
		"the close frame has no status code, expected {n:N}", "la trame de fermeture n'a pas de code d'état, attendu {n}",
		"the close status is {a:N}, expected {b:N}", "le code d'état de fermeture est {a}, attendu {b}",
		"the payload is {a:DESC}, expected {b:DESC}", "la charge utile est {a}, attendu {b}",

		// check: WebSocket clients
		"frame {i:N} ({s:WSSUM}) is not masked: a client must mask every frame it sends (RFC 6455 5.3)", "la trame {i} ({s}) n'est pas masquée : un client doit masquer chaque trame qu'il envoie (RFC 6455 5.3)",
		"frames {a:N} and {b:N} use the same masking key {k:HEXB}: each frame needs a fresh random key", "les trames {a} et {b} utilisent la même clé de masquage {k} : chaque trame demande une nouvelle clé aléatoire",
		"a frame uses the masking key 00 00 00 00, which masks nothing", "une trame utilise la clé de masquage 00 00 00 00, qui ne masque rien",
		"your client ended the connection without a close frame", "votre client a terminé la connexion sans trame de fermeture",
		"your client never sent an opening handshake to the server", "votre client n'a jamais envoyé de poignée de main d'ouverture au serveur",
		"the server answered with a wrong Sec-WebSocket-Accept, yet your client sent a {o:OP} frame carrying {d:DESC}", "le serveur a répondu avec un Sec-WebSocket-Accept faux, et pourtant votre client a envoyé une trame de type {o} transportant {d}",
		"your client never connected", "votre client ne s'est jamais connecté",
		"your client sent {d:DESC}, which is not an HTTP request: {e:ERR}", "votre client a envoyé {d}, qui n'est pas une requête HTTP : {e}",

		// engine: the run and its exit
		"the build did not finish within {d:DUR}", "la compilation ne s'est pas terminée en {d}",
		"your client opened {a:CONNS} to the reference server, expected {b:CONNS}", "votre client a ouvert {a} vers le serveur de référence, attendu {b}",
		"your client opened {a:CONNS} to the reference server, expected {b:CONNS}: it never reached it", "votre client a ouvert {a} vers le serveur de référence, attendu {b} : il ne l'a jamais atteint",
		"connection {n:N} was still open when your program was stopped", "la connexion {n} était encore ouverte quand votre programme a été arrêté",
		"your program was still running after {d:DUR} and was killed", "votre programme tournait encore après {d} et a été tué",
		"your program was still running after {d:DUR} and was killed with everything it started", "votre programme tournait encore après {d} et a été tué, avec tout ce qu'il avait lancé",
		"your program was still running after the exchange was over and was stopped", "votre programme tournait encore une fois l'échange terminé et a été arrêté",
		"your program ended with {x:EXIT}, expected exit code {n:N}", "votre programme s'est terminé avec {x}, attendu le code de sortie {n}",
		"stderr: {q:Q}", "stderr : {q}",
		"your program was killed by {s:SIG}", "votre programme a été tué par un signal : {s}",
		"your program exited ({x:EXIT}) before it listened on a {p:PROTO} port", "votre programme s'est terminé ({x}) avant d'écouter sur un port {p}",
		"your program did not open a {p:PROTO} socket on any port within {d:DUR}", "votre programme n'a ouvert de socket {p} sur aucun port en {d}",
		"your program closed the connection before sending its public key", "votre programme a fermé la connexion avant d'envoyer sa clé publique",
		"the peer could not read your public key: {e:ERR}", "le pair n'a pas pu lire votre clé publique : {e}",
		"the peer could not encrypt its message with your public key: {e:ERR}", "le pair n'a pas pu chiffrer son message avec votre clé publique : {e}",
		"the peer could not read your message: {e:ERR}", "le pair n'a pas pu lire votre message : {e}",

		// engine: why a scenario did not run
		"depends on {s:WORD}, which did not pass", "dépend de {s}, qui n'a pas réussi",
		"the build failed", "la compilation a échoué",
		"grading was interrupted", "la correction a été interrompue",
		"needs Chromium, which is not installed here (Debian package chromium)", "nécessite Chromium, qui n'est pas installé ici (paquet Debian chromium)",
		"could not create the scenario folder: {e:ERR}", "impossible de créer le dossier du scénario : {e}",
		"could not find a free port: {e:ERR}", "impossible de trouver un port libre : {e}",
		"could not start reference server {n:Q}: {e:ERR}", "impossible de démarrer le serveur de référence {n} : {e}",
		"port {n:N} was busy on this machine, so the reference server listened on {a:ADDR}: a program that ignores PORT could not reach it", "le port {n} était occupé sur cette machine, le serveur de référence a donc écouté sur {a} : un programme qui ignore PORT ne pouvait pas l'atteindre",

		// steps: the grader as a client
		"could not connect to {a:ADDR}: {e:ERR}", "impossible de se connecter à {a} : {e}",
		"your server listens on {l:LISTEN}", "votre serveur écoute sur {l}",
		"could not send {d:DESC}: {e:ERR} (your server closed the connection?)", "impossible d'envoyer {d} : {e} (votre serveur a-t-il fermé la connexion ?)",
		"could not send byte {i:N} of {d:DESC}: {e:ERR}", "impossible d'envoyer l'octet {i} de {d} : {e}",
		"no open connection to send on", "aucune connexion ouverte sur laquelle envoyer",
		"no open connection to read the reply from", "aucune connexion ouverte sur laquelle lire la réponse",
		"your server kept the connection open for {d:DUR}", "votre serveur a gardé la connexion ouverte pendant {d}",
		"your server kept the connection open for {d:DUR} and sent {x:DESC}", "votre serveur a gardé la connexion ouverte pendant {d} et a envoyé {x}",
		"chromium is not installed", "chromium n'est pas installé",
		"could not serve the test page: {e:ERR}", "impossible de servir la page de test : {e}",
		"could not start chromium: {e:ERR}", "impossible de démarrer chromium : {e}",
		"the browser's page got no answer from {u:ADDR} within {d:DUR}", "la page du navigateur n'a reçu aucune réponse de {u} en {d}",
		"the browser received {a:Q}, expected {b:Q}", "le navigateur a reçu {a}, attendu {b}",
		"the browser could not use the WebSocket (handshake refused, bad frame or connection failed)", "le navigateur n'a pas pu utiliser le WebSocket (poignée de main refusée, trame incorrecte ou échec de la connexion)",
		"the connection closed with code {n:N} before any message came back", "la connexion s'est fermée avec le code {n} avant le retour du moindre message",

		// what a check expected and what it saw
		"the build succeeds", "la compilation réussit",
		"{c:CONNS}", "{c}",
		"{x:EXIT}", "{x}",
		"the program ends within {d:DUR}", "le programme se termine en moins de {d}",
		"still running", "toujours en cours d'exécution",
		"a normal exit", "une fin normale",
		"a {p:PROTO} socket listening on port {n:N}", "une socket {p} en écoute sur le port {n}",
		"listening on {l:LISTEN}", "en écoute sur {l}",
		"the server closes the connection", "le serveur ferme la connexion",
		"closed", "fermée",
		"closed after {d:DESC}", "fermée après {d}",
		"still open", "toujours ouverte",
		"the client closes its connection", "le client ferme sa connexion",
		"every connection was closed by the client", "chaque connexion a été fermée par le client",
		"contains {q:Q}", "contient {q}",
		"does not contain {q:Q}", "ne contient pas {q}",
		"matches /{re:RE}/", "correspond à /{re}/",
		"does not match /{re:RE}/", "ne correspond pas à /{re}/",
		"{f:FRAME}", "{f}",
		"{w:WSDESC}", "{w}",
		"101 Switching Protocols with Upgrade: websocket, Connection: Upgrade and Sec-WebSocket-Accept: {a:WORD}", "101 Switching Protocols avec Upgrade: websocket, Connection: Upgrade et Sec-WebSocket-Accept: {a}",
		"an HTTP response whose body is a Fernet token of {q:Q}", "une réponse HTTP dont le corps est un jeton Fernet de {q}",
		"every frame from the client is masked, its length in the minimal encoding", "chaque trame du client est masquée, sa longueur dans l'encodage minimal",
		"a new random masking key for every frame", "une nouvelle clé de masquage aléatoire pour chaque trame",
		"a close frame before the connection ends", "une trame de fermeture avant la fin de la connexion",
		"a handshake, then no text or binary frame once the server's Sec-WebSocket-Accept is wrong", "une poignée de main, puis aucune trame texte ou binaire puisque le Sec-WebSocket-Accept du serveur est faux",
		"GET with Host, Upgrade: websocket, Connection: Upgrade, Sec-WebSocket-Version: 13 and a Sec-WebSocket-Key of 16 random bytes in base64", "GET avec Host, Upgrade: websocket, Connection: Upgrade, Sec-WebSocket-Version: 13 et une Sec-WebSocket-Key de 16 octets aléatoires en base64",
		"{n:MFRAMES}", "{n}",
		"{n:FRAMES}", "{n}",
		"a close frame", "une trame de fermeture",
		"no close frame", "aucune trame de fermeture",
		"no data frame", "aucune trame de données",
		"a data frame", "une trame de données",
		"a browser's WebSocket gets {q:Q} echoed", "le WebSocket d'un navigateur reçoit {q} en écho",
		"echoed {q:Q}", "{q} renvoyé en écho",
		"a {p:PROTO} server at {a:ADDR}", "un serveur {p} à l'adresse {a}",
		"{d:DESC}", "{d}",
	)

	frExact = map[string]string{
		// engine
		"Fix the first error the compiler reports; every scenario needs a program that builds.":                                                            "Corrigez la première erreur signalée par le compilateur ; chaque scénario a besoin d'un programme qui compile.",
		"Connect to the host and port given in HOST and PORT.":                                                                                             "Connectez-vous à l'hôte et au port donnés dans HOST et PORT.",
		"Use one connection for the whole exchange: connect once, then send and receive on the same socket.":                                               "Utilisez une seule connexion pour tout l'échange : connectez-vous une fois, puis envoyez et recevez sur la même socket.",
		"Close the socket when the exchange is over.":                                                                                                      "Fermez la socket quand l'échange est terminé.",
		"Bind the port given in PORT (or the exercise's port) and, for TCP, call listen() before anything else that can block.":                            "Liez la socket au port donné dans PORT (ou au port de l'exercice) avec bind() et, en TCP, appelez listen() avant tout ce qui peut bloquer.",
		"Does it wait for something that never comes (a reply it already read, a second connection)? Close the socket and exit when the exchange is done.": "Votre programme attend-il quelque chose qui n'arrive jamais (une réponse déjà lue, une seconde connexion) ? Fermez la socket et terminez le programme quand l'échange est fini.",
		"A segmentation fault usually means a buffer overflow or a NULL pointer: check sizes passed to recv() and strcpy().":                               "Une erreur de segmentation vient en général d'un dépassement de tampon ou d'un pointeur NULL : vérifiez les tailles passées à recv() et à strcpy().",
		// steps
		"Your socket is an IPv4 one (AF_INET), which cannot be reached at ::1: create it with AF_INET6 and bind it to \"\" or ::1.": "Votre socket est une socket IPv4 (AF_INET), injoignable à l'adresse ::1 : créez-la avec AF_INET6 et liez-la à \"\" ou à ::1.",
		"Your socket is bound to ::1 only: bind to \"\" (all addresses) or 127.0.0.1 so IPv4 clients can reach it.":                 "Votre socket n'est liée qu'à ::1 : liez-la à \"\" (toutes les adresses) ou à 127.0.0.1 pour que les clients IPv4 puissent la joindre.",
		"Listen on the address and port the exercise gives (PORT), and keep the server running until the client has finished.":      "Écoutez sur l'adresse et le port que donne l'exercice (PORT), et laissez le serveur tourner jusqu'à ce que le client ait fini.",
		"Keep the connection open until the client has sent everything.":                                                            "Gardez la connexion ouverte jusqu'à ce que le client ait tout envoyé.",
		// check: WebSocket clients
		"Set the MASK bit, put 4 random bytes after the length, and XOR payload byte i with mask[i % 4].":                                                                                "Mettez le bit MASK à 1, placez 4 octets aléatoires après la longueur, et combinez par XOR l'octet i de la charge utile avec mask[i % 4].",
		"Lengths up to 125 go in the 7-bit field, up to 65535 in 126 + 2 bytes, longer ones in 127 + 8 bytes.":                                                                           "Une longueur jusqu'à 125 tient dans le champ de 7 bits, jusqu'à 65535 dans 126 + 2 octets, au-delà dans 127 + 8 octets.",
		"Draw the 4 mask bytes from a random source (os.urandom, crypto.randomBytes) for every frame, not once per connection.":                                                          "Tirez les 4 octets du masque d'une source aléatoire (os.urandom, crypto.randomBytes) pour chaque trame, pas une seule fois par connexion.",
		"Send a close frame (opcode 0x8, status 1000 in two bytes, masked) and wait for the server's close before closing the socket.":                                                   "Envoyez une trame de fermeture (opcode 0x8, code 1000 sur deux octets, masquée) et attendez la fermeture du serveur avant de fermer la socket.",
		"Connect to HOST:PORT and send the opening handshake; then check the server's Sec-WebSocket-Accept.":                                                                             "Connectez-vous à HOST:PORT et envoyez la poignée de main d'ouverture ; vérifiez ensuite le Sec-WebSocket-Accept du serveur.",
		"Compute base64(SHA-1(key + GUID)) yourself and compare it with the server's Sec-WebSocket-Accept; if they differ, close the connection without sending anything (browsers do).": "Calculez vous-même base64(SHA-1(clé + GUID)) et comparez-le au Sec-WebSocket-Accept du serveur ; s'ils diffèrent, fermez la connexion sans rien envoyer (comme le font les navigateurs).",
		"Send the opening handshake of RFC 6455 4.1: a GET request with these headers, then read the 101 answer.":                                                                        "Envoyez la poignée de main d'ouverture de la RFC 6455 (section 4.1) : une requête GET avec ces en-têtes, puis lisez la réponse 101.",
	}
}
