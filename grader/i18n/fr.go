package i18n

import (
	"regexp"
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
	// frHints are the built-in hints that carry a name or a file (whole
	// hints only: an exercise's hint is never run through patterns);
	// frAnswered are the lines of the response head an HTTP check quotes
	// that are the grader's (the others are the server's, kept).
	frHints    *table
	frAnswered *table
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

var (
	reqStartRE    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("^\uE000\\d+\uE001") })
	reqAnsweredRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(` answered (\d+)$`) })
	reqWithRE     = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(" with ([!#$%&'*+.^_|~0-9A-Za-z-]+)(: | containing )")
	})
)

// trRequest translates a request as the requests check describes it:
// the quoted request line, then " with Name: value" or " with Name
// containing value" per field (the values are the exercise's, kept), then
// " answered N".
func trRequest(s string) (string, bool) {
	start := reqStartRE().FindStringIndex(s)
	if start == nil {
		return "", false
	}
	rest, status := s[start[1]:], ""
	if m := reqAnsweredRE().FindStringSubmatchIndex(rest); m != nil {
		status = " (réponse " + rest[m[2]:m[3]] + ")"
		rest = rest[:m[0]]
	}
	withs := reqWithRE().FindAllStringSubmatchIndex(rest, -1)
	if rest != "" && (len(withs) == 0 || withs[0][0] != 0) {
		return "", false
	}
	var b strings.Builder
	b.WriteString(s[:start[1]])
	for i, w := range withs {
		end := len(rest)
		if i+1 < len(withs) {
			end = withs[i+1][0]
		}
		name, value := rest[w[2]:w[3]], rest[w[1]:end]
		if rest[w[4]:w[5]] == ": " {
			b.WriteString(" avec " + name + ": " + value)
		} else {
			b.WriteString(" avec " + name + " contenant " + value)
		}
	}
	b.WriteString(status)
	return b.String(), true
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

	// HTTP and TLS: names, paths and versions as the grader writes them
	// (unquoted exercise data or protocol names, kept as they are).
	leaf("PATH", `\S+`, nil)
	leaf("TOKEN", "[!#$%&'*+.^_|~0-9A-Za-z-]+", nil)
	leaf("FIELDS", `[A-Za-z0-9-]+(?:, [A-Za-z0-9-]+)*`, nil)
	leaf("REASON", `[A-Za-z0-9'/ -]*`, nil)
	leaf("RANGES", `\d+-\d+(?: and \d+-\d+)*`, func(s string) (string, bool) {
		return strings.ReplaceAll(s, " and ", " et "), true
	})
	leaf("DATE", `\d{4}-\d{2}-\d{2}`, nil)
	leaf("HOST", `[^\s,]+`, nil)
	leaf("NAMES", `(?:[^,]+(?:, [^,]+)*)?`, nil)
	const tlsVersion = `TLS 1\.[0-3]|SSLv3|0x[0-9A-F]{4}`
	leaf("TLSVER", tlsVersion, nil)
	leaf("VERSIONS", `(?:(?:`+tlsVersion+`)(?:, (?:`+tlsVersion+`))*)?`, nil)
	leaf("CIPHER", `TLS_[A-Z0-9_]+|0x[0-9A-F]{4}`, nil)
	leaf("ALPN", `[^\s:,]+(?: [^\s:,]+)*`, nil)
	// HTTPEXP is the list after the status of what an http matcher
	// expects: each item the grader words is translated, the header
	// fields (exercise data) stay.
	var httpExpItems *table
	leaf("HTTPEXP", `(?:, [^\n]*)?`, func(s string) (string, bool) {
		if s == "" {
			return "", true
		}
		items := strings.Split(strings.TrimPrefix(s, ", "), ", ")
		for i, it := range items {
			if t, ok := httpExpItems.apply(it); ok {
				items[i] = t
			}
		}
		return ", " + strings.Join(items, ", "), true
	})
	// REQ is a request a scenario expects, `GET / HTTP/1.1` then its
	// header fields (exercise data) and the status it should get; REQS
	// is several of them, joined with ", then ".
	leaf("REQ", "\uE000\\d+\uE001(?: with [^\\n]*?)?(?: answered \\d+)?", trRequest)
	leaf("REQS", "\uE000\\d+\uE001[^\\n]*", func(s string) (string, bool) {
		reqs := strings.Split(s, ", then ")
		for i, r := range reqs {
			t, ok := trRequest(r)
			if !ok {
				return "", false
			}
			reqs[i] = t
		}
		return strings.Join(reqs, ", puis "), true
	})

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

	// HTTP responses: what the matcher expects and the parser's words
	newTable("STATUSHINT",
		"the Range field was ignored and the whole representation sent", "le champ Range a été ignoré et la représentation entière envoyée",
		"the condition was ignored and the whole representation sent again", "la condition a été ignorée et la représentation entière renvoyée",
		"no byte of the range exists, so the range is unsatisfiable", "aucun octet de la plage n'existe, la plage ne peut donc pas être satisfaite",
		"a file that does not exist was answered as if it did", "un fichier qui n'existe pas a reçu une réponse comme s'il existait",
	)
	newTable("RANGEHINT",
		"the last position is included in a range, so it is one less", "la dernière position est comprise dans la plage, elle vaut donc un de moins",
		"the number after / is the length of the whole file, not of the range", "le nombre après / est la longueur du fichier entier, pas celle de la plage",
		"Content-Range writes {a:Q} and a space, not {b:Q}", "Content-Range s'écrit avec {a} et une espace, pas {b}",
	)
	newTable("BODYWHAT",
		"the {n:N} bytes of /{p:PATH}", "les {n} {n|octet|octets} de /{p}",
		"bytes {a:N}-{b:N} of /{p:PATH} ({n:N} bytes)", "les octets {a} à {b} de /{p} ({n} {n|octet|octets})",
	)
	newTable("HEADLINE",
		"the status line", "la ligne de statut",
		"the blank line that ends the head", "la ligne vide qui termine l'en-tête",
		"line {n:N} of the head ({q:Q})", "la ligne {n} de l'en-tête ({q})",
	)
	newTable("CHUNKWHAT",
		"a chunk-size line", "une ligne de taille de morceau",
		"a chunk of {n:N} bytes", "un morceau de {n} {n|octet|octets}",
		"the blank line after the last chunk", "la ligne vide après le dernier morceau",
	)
	newTable("HTTPERR",
		"the head is longer than {n:N} KiB without its blank line", "l'en-tête dépasse {n} Kio sans sa ligne vide",
		"the head is longer than {n:N} KiB", "l'en-tête dépasse {n} Kio",
		"no complete status line before the connection closed", "aucune ligne de statut complète avant la fermeture de la connexion",
		`the connection closed before the head's blank line (\r\n\r\n)`, `la connexion s'est fermée avant la ligne vide de l'en-tête (\r\n\r\n)`,
		`a bare \r inside line {n:N} of the head: {q:Q}`, `un \r seul à l'intérieur de la ligne {n} de l'en-tête : {q}`,
		"an empty line where the status line should be (bytes left over from the previous response?)", "une ligne vide à la place de la ligne de statut (des octets restés de la réponse précédente ?)",
		"more than {n:N} header fields", "plus de {n} champs d'en-tête",
		"the response does not start with a status line such as {e:Q}: it starts with {q:Q}", "la réponse ne commence pas par une ligne de statut comme {e} : elle commence par {q}",
		"the status line {q:Q} is not {f:Q}", "la ligne de statut {q} n'a pas la forme {f}",
		"the status line {q:Q} is not HTTP/1.x", "la ligne de statut {q} n'est pas du HTTP/1.x",
		"the status code in {q:Q} is not 3 digits", "le code de statut de {q} n'est pas fait de 3 chiffres",
		"the status code {n:N} in {q:Q} is not from 100 to 599", "le code de statut {n} de {q} n'est pas compris entre 100 et 599",
		"the status code in {q:Q} is not followed by a space", "le code de statut de {q} n'est pas suivi d'une espace",
		"a control byte in the reason phrase of {q:Q}", "un octet de contrôle dans le texte du statut de {q}",
		"line {n:N} of the head starts with white space (obsolete line folding, RFC 9112 section 5.2): {q:Q}", "la ligne {n} de l'en-tête commence par un blanc (repli de ligne obsolète, RFC 9112 section 5.2) : {q}",
		"line {n:N} of the head is not a {f:Q} field: {q:Q}", "la ligne {n} de l'en-tête n'est pas un champ {f} : {q}",
		"white space between the field name and the colon on line {n:N}: {q:Q} (RFC 9112 section 5.1)", "un blanc entre le nom du champ et le deux-points à la ligne {n} : {q} (RFC 9112 section 5.1)",
		"line {n:N} of the head has no valid field name: {q:Q}", "la ligne {n} de l'en-tête n'a pas de nom de champ valide : {q}",
		"a control byte in the value of {h:TOKEN} on line {n:N}: {q:Q}", "un octet de contrôle dans la valeur de {h} à la ligne {n} : {q}",
		"Content-Length {q:Q} is not a number of bytes", "Content-Length {q} n'est pas un nombre d'octets",
		"two different Content-Length values ({a:N} and {b:N})", "deux valeurs différentes de Content-Length ({a} et {b})",
		"Content-Length {n:N} is more than the grader reads ({m:N} MiB)", "Content-Length {n} dépasse ce que lit le correcteur ({m} Mio)",
		"Content-Length says {a:N} but the body has {b:N} bytes (then the connection closed)", "Content-Length annonce {a} mais le corps fait {b} {b|octet|octets} (puis la connexion s'est fermée)",
		"the body is longer than {n:N} MiB", "le corps dépasse {n} Mio",
		"the connection closed in the middle of the chunked body ({w:CHUNKWHAT})", "la connexion s'est fermée au milieu du corps découpé en morceaux ({w})",
		"a chunk-size line longer than {n:N} bytes", "une ligne de taille de morceau de plus de {n} octets",
		`the chunk-size line {q:Q} does not end with \r\n`, `la ligne de taille de morceau {q} ne se termine pas par \r\n`,
		"the chunk size {q:Q} is not a hexadecimal number", "la taille de morceau {q} n'est pas un nombre hexadécimal",
		"the chunked body is longer than {n:N} MiB", "le corps découpé en morceaux dépasse {n} Mio",
		`a chunk of {n:N} bytes is not followed by \r\n (is the size in hexadecimal?)`, `un morceau de {n} {n|octet|octets} n'est pas suivi de \r\n (la taille est-elle en hexadécimal ?)`,
		"the trailer is longer than {n:N} KiB", "la section finale (trailer) dépasse {n} Kio",
		`a line after the last chunk does not end with \r\n`, `une ligne après le dernier morceau ne se termine pas par \r\n`,
	)
	newTable("MPERR",
		"the boundary {q:Q} is not 1 to 70 characters", "la frontière (boundary) {q} ne fait pas de 1 à 70 caractères",
		"no delimiter line {q:Q} in the body", "aucune ligne de délimitation {q} dans le corps",
		`the delimiter {q:Q} of part {n:N} is not followed by \r\n`, `le délimiteur {q} de la partie {n} n'est pas suivi de \r\n`,
		"more than {n:N} parts", "plus de {n} parties",
		"the fields of part {n:N} do not end with a blank line", "les champs de la partie {n} ne se terminent pas par une ligne vide",
		"part {n:N} has a line that is not a field: {q:Q}", "la partie {n} a une ligne qui n'est pas un champ : {q}",
		"part {n:N} has more than {m:N} fields", "la partie {n} a plus de {m} champs",
		"part {n:N} is not followed by a delimiter line {q:Q}", "la partie {n} n'est pas suivie d'une ligne de délimitation {q}",
	)
	httpExpItems = newTable("HTTPEXPITEM",
		"{k:HEADER} matching /{re:RE}/", "{k} correspondant à /{re}/",
		"a {k:HEADER} field", "un champ {k}",
		"no {k:HEADER} field", "pas de champ {k}",
		"a Content-Length that counts the body's bytes", "un Content-Length qui compte les octets du corps",
		"no body", "pas de corps",
		"the body {d:DESC}", "le corps {d}",
		"a multipart/byteranges body with bytes {r:RANGES} of /{p:PATH}", "un corps multipart/byteranges avec les octets {r} de /{p}",
		"the last {n:N} bytes of /{p:PATH}", "les {n} derniers octets de /{p}",
		"bytes {a:N}-{b:N} of /{p:PATH}", "les octets {a} à {b} de /{p}",
		"bytes {a:N} to the end of /{p:PATH}", "les octets de {a} jusqu'à la fin de /{p}",
		"the content of /{p:PATH}", "le contenu de /{p}",
		"then the connection closed", "puis la fermeture de la connexion",
	)
	frAnswered = newTable("answered",
		"your server answered:", "votre serveur a répondu :",
		"  (then a body of {n:N} bytes)", "  (puis un corps de {n} {n|octet|octets})",
		"  …({n:N} more lines)", "  …({n} lignes de plus)",
	)

	// HTTP requests: why the reference server refused one, and what the
	// scenario expected of it
	newTable("REQERR",
		"the connection ended before the request was complete", "la connexion s'est terminée avant que la requête soit complète",
		"the request line and headers are longer than {n:N} bytes", "la ligne de requête et les en-têtes dépassent {n} octets",
		"no complete request after {d:DUR}: the head must end with an empty line (CRLF CRLF)", "aucune requête complète après {d} : l'en-tête doit se terminer par une ligne vide (CRLF CRLF)",
		"the request line contains a carriage return (CR) that is not followed by LF: {q:Q}", "la ligne de requête contient un retour chariot (CR) qui n'est pas suivi de LF : {q}",
		"a header line contains a carriage return (CR) that is not followed by LF: {q:Q}", "une ligne d'en-tête contient un retour chariot (CR) qui n'est pas suivi de LF : {q}",
		"an HTTP/1.1 request must have a Host header", "une requête HTTP/1.1 doit avoir un en-tête Host",
		"{t:T}", "{t}",
		"both Transfer-Encoding and Content-Length were sent", "Transfer-Encoding et Content-Length ont été envoyés tous les deux",
		"request bodies with Transfer-Encoding are not supported here", "les corps de requête avec Transfer-Encoding ne sont pas acceptés ici",
		"a request body of {n:N} bytes is larger than the {m:N} allowed", "un corps de requête de {n} octets dépasse les {m} autorisés",
		"Content-Length announced {n:N} bytes of body, only {m:N} came", "Content-Length annonçait {n} {n|octet|octets} de corps, il n'en est arrivé que {m}",
		"the request line {q:Q} has no HTTP version: write METHOD TARGET HTTP/1.1", "la ligne de requête {q} n'a pas de version HTTP : écrivez MÉTHODE CIBLE HTTP/1.1",
		"the request line {q:Q} is not METHOD TARGET HTTP/1.1 with single spaces", "la ligne de requête {q} n'est pas MÉTHODE CIBLE HTTP/1.1 avec des espaces simples",
		"the method {q:Q} is not a token", "la méthode {q} n'est pas un jeton valide (token)",
		"the request target {q:Q} contains a character that must be percent-encoded", "la cible de la requête {q} contient un caractère qui doit être encodé en pourcentage (%XX)",
		"the HTTP version {q:Q} is not HTTP/1.1 (the name is upper case)", "la version HTTP {q} n'est pas HTTP/1.1 (le nom s'écrit en majuscules)",
		"HTTP version {v:WORD} is not supported: use HTTP/1.1", "la version HTTP {v} n'est pas prise en charge : utilisez HTTP/1.1",
		"the header line {q:Q} starts with whitespace (obsolete line folding)", "la ligne d'en-tête {q} commence par un blanc (repli de ligne obsolète)",
		"the header line {q:Q} has no colon", "la ligne d'en-tête {q} n'a pas de deux-points",
		"the header line {q:Q} has whitespace before the colon", "la ligne d'en-tête {q} a un blanc avant le deux-points",
		"the header name {q:Q} is not a token", "le nom d'en-tête {q} n'est pas un jeton valide (token)",
		"the value of header {h:TOKEN} contains the control character {x:X}", "la valeur de l'en-tête {h} contient le caractère de contrôle {x}",
		"Content-Length {q:Q} is not a number of bytes", "Content-Length {q} n'est pas un nombre d'octets",
		"Content-Length {q:Q} is too large", "Content-Length {q} est trop grand",
		"Content-Length was sent with different values", "Content-Length a été envoyé avec des valeurs différentes",
		"the request target {q:Q} is neither a path starting with / nor an http:// URL", "la cible de la requête {q} n'est ni un chemin commençant par / ni une URL http://",
		"the request target {q:Q} contains a fragment (#...), which is never sent", "la cible de la requête {q} contient un fragment (#...), qui n'est jamais envoyé",
		"the request target {q:Q} has a bad percent-encoding", "la cible de la requête {q} a un encodage en pourcentage incorrect",
		"the request target {q:Q} contains a NUL byte", "la cible de la requête {q} contient un octet NUL",
	)
	newTable("EXTRAWITH",
		"", "",
		" with If-None-Match: {a:Q}", " avec If-None-Match: {a}",
		" with If-Modified-Since: {b:Q}", " avec If-Modified-Since: {b}",
		" with If-None-Match: {a:Q} with If-Modified-Since: {b:Q}", " avec If-None-Match: {a} et If-Modified-Since: {b}",
	)
	newTable("VALIDATORS",
		"ETag: {a:Q} and Last-Modified: {b:Q}", "ETag: {a} et Last-Modified: {b}",
		"ETag: {a:Q}", "ETag: {a}",
		"Last-Modified: {b:Q}", "Last-Modified: {b}",
	)
	newTable("GIVEN",
		"", "",
		" (the answer to request {n:N} gave {v:VALIDATORS})", " (la réponse à la requête {n} a donné {v})",
	)
	newTable("REVAL",
		"its If-None-Match: {q:Q} matches no ETag the server gave the page{g:GIVEN}: send back the ETag exactly, quotes included", "son If-None-Match: {q} ne correspond à aucun ETag que le serveur a donné pour la page{g} : renvoyez l'ETag exactement, guillemets compris",
		"its If-Modified-Since: {q:Q} is earlier than the page's Last-Modified{g:GIVEN}: send back the Last-Modified date as it came", "son If-Modified-Since: {q} est antérieur au Last-Modified de la page{g} : renvoyez la date de Last-Modified telle qu'elle est venue",
		"it carried neither If-None-Match nor If-Modified-Since{g:GIVEN}, so the server could only send the whole page again", "elle ne portait ni If-None-Match ni If-Modified-Since{g}, le serveur ne pouvait donc que renvoyer toute la page",
	)

	// TLS: certificates and handshakes
	newTable("CERT",
		"a certificate for {n:NAMES} issued by {i:Q}, valid {a:DATE} to {b:DATE}", "un certificat pour {n} émis par {i}, valide du {a} au {b}",
		"a certificate for {n:NAMES} issued by {i:Q}, valid {a:DATE} to {b:DATE} (self-signed)", "un certificat pour {n} émis par {i}, valide du {a} au {b} (auto-signé)",
	)
	newTable("CERTPROB",
		"it is not signed by the grader's CA ({q:Q}), so no client that trusts that CA accepts it", "il n'est pas signé par l'AC du correcteur ({q}), donc aucun client qui fait confiance à cette AC ne l'accepte",
		"it is not valid yet", "il n'est pas encore valide",
		"it has expired", "il a expiré",
		"it is not valid for {h:HOST}, the name the client connected to", "il n'est pas valide pour {h}, le nom auquel le client s'est connecté",
	)
	newTable("REFUSAL",
		"the certificate, signed by {q:Q}, a CA it was never given", "le certificat, signé par {q}, une AC qu'on ne lui a jamais donnée",
		"the certificate, made out to {n:NAMES}, not {h:HOST}", "le certificat, établi pour {n} et non pour {h}",
		"the certificate, expired on {d:DATE}", "le certificat, expiré le {d}",
		"the certificate", "le certificat",
	)
	newTable("ACCEPTED",
		"a certificate signed by an unknown CA ({q:Q}, not the CA in ca.pem): it does not verify the chain", "un certificat signé par une AC inconnue ({q}, pas l'AC de ca.pem) : il ne vérifie pas la chaîne de certificats",
		"a certificate for {n:NAMES} although it connected to {h:HOST}: it does not check the host name", "un certificat pour {n} alors qu'il s'est connecté à {h} : il ne vérifie pas le nom d'hôte",
		"a certificate that expired on {d:DATE}: it does not check the dates", "un certificat qui a expiré le {d} : il ne vérifie pas les dates",
		"the certificate", "le certificat",
	)
	newTable("HSSNI",
		"no SNI", "pas de SNI",
		"SNI {h:HOST}", "SNI {h}",
	)
	newTable("HSALPN",
		"", "",
		", ALPN {p:ALPN}", ", ALPN {p}",
	)
	newTable("HSOUT",
		"{v:TLSVER} negotiated", "{v} négocié",
		"aborted by the client with the alert {a:Q}", "interrompue par le client avec l'alerte {a}",
		"failed ({e:ERR})", "échec ({e})",
	)
	newTable("HS",
		"connection {n:N}: plain text {q:Q}, no ClientHello", "connexion {n} : texte en clair {q}, pas de ClientHello",
		"connection {n:N}: no ClientHello ({e:ERR})", "connexion {n} : pas de ClientHello ({e})",
		"connection {n:N}: {s:HSSNI}, offered {v:VERSIONS}{a:HSALPN}: {o:HSOUT}", "connexion {n} : {s}, propose {v}{a} : {o}",
	)
	newTable("TLSFILES",
		"{a:PATH} and {b:PATH} (TLS_CERT, TLS_KEY)", "{a} et {b} (TLS_CERT, TLS_KEY)",
		"the certificate and key the grader gave", "le certificat et la clé que le correcteur a fournis",
	)

	// files a client saved
	newTable("FILEWHY",
		`the file starts with {q:Q}, the response's headers ({n:N} bytes): strip everything up to and including the blank line (\r\n\r\n)`, `le fichier commence par {q}, les en-têtes de la réponse ({n} {n|octet|octets}) : retirez tout jusqu'à la ligne vide (\r\n\r\n) comprise`,
		`the file starts with {q:Q}: strip the response's headers, up to and including the blank line (\r\n\r\n)`, `le fichier commence par {q} : retirez les en-têtes de la réponse, jusqu'à la ligne vide (\r\n\r\n) comprise`,
		"the page starts at offset {n:N}, after {d:DESC}", "la page commence à la position {n}, après {d}",
		`the file misses the first {n:N} byte(s) of the page (an off-by-one after \r\n\r\n?)`, `il manque au fichier {n} {n|octet|octets} du début de la page (une erreur d'une position après \r\n\r\n ?)`,
	)

	frHints = newTable("hints",
		"Load {f:TLSFILES} (load_cert_chain(certfile, keyfile)) instead of a certificate of your own: only those are signed by the CA the grader trusts, for {h:HOST}.", "Chargez {f} (load_cert_chain(certfile, keyfile)) au lieu d'un certificat à vous : seuls ceux-là sont signés par l'AC à laquelle le correcteur fait confiance, pour {h}.",
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
		"the body is chunked; send it with a Content-Length instead", "le corps est découpé en morceaux (chunked) ; envoyez-le plutôt avec un Content-Length",
		"{n:N} is the number of characters, and Content-Length counts bytes; a character such as é takes 2 bytes in UTF-8, so take the length of the encoded bytes (len(body.encode()) in Python)", "{n} est le nombre de caractères, et Content-Length compte des octets ; un caractère comme é prend 2 octets en UTF-8 : prenez donc la longueur des octets encodés (len(body.encode()) en Python)",
		"the Host header was sent {n:N} times; send it once", "l'en-tête Host a été envoyé {n} fois ; envoyez-le une seule fois",
		// what an http matcher expects: its header values may hold "; "
		"HTTP/1.x {s:N} {r:REASON}{l:HTTPEXP}", "HTTP/1.x {s} {r}{l}",
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
		"{r:SEG} (the request went without {f:FIELDS}: the value it needs never came in an earlier response)", "{r} (la requête est partie sans {f} : la valeur nécessaire n'est jamais venue dans une réponse précédente)",
		"{r:SEG} ({h:HS})", "{r} ({h})",

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

		// check: HTTP responses
		"your server closed the connection without answering", "votre serveur a fermé la connexion sans répondre",
		"your server sent nothing within {d:DUR}", "votre serveur n'a rien envoyé en {d}",
		`your server sent {d:DESC}, not a whole response head (it ends with a blank line, \r\n\r\n) within {t:DUR}`, `votre serveur a envoyé {d}, pas un en-tête de réponse complet (il se termine par une ligne vide, \r\n\r\n) en {t}`,
		"your server sent {d:DESC}, which is not a valid HTTP/1.x response: {e:HTTPERR}", "votre serveur a envoyé {d}, qui n'est pas une réponse HTTP/1.x valide : {e}",
		"your server's response cannot be read: {e:ERR}", "la réponse de votre serveur est illisible : {e}",
		`{w:HEADLINE} ends with a bare \n instead of \r\n (RFC 9112 section 2.2)`, `{w} se termine par un \n seul au lieu de \r\n (RFC 9112 section 2.2)`,
		"Content-Length and Transfer-Encoding together: a server must not send both (RFC 9112 section 6.2)", "Content-Length et Transfer-Encoding ensemble : un serveur ne doit pas envoyer les deux (RFC 9112 section 6.2)",
		"{e:HTTPERR}", "{e}",
		"{e:HTTPERR}: compute Content-Length from the bytes you send, not a fixed number", "{e} : calculez Content-Length à partir des octets que vous envoyez, pas un nombre fixe",
		"your server kept the connection open {d:DUR} after the response instead of closing it", "votre serveur a gardé la connexion ouverte {d} après la réponse au lieu de la fermer",
		"the status is {s:Q}, expected {n:N} {r:REASON}", "le statut est {s}, attendu {n} {r}",
		"the status is {s:Q}, expected {n:N} {r:REASON}: {h:STATUSHINT}", "le statut est {s}, attendu {n} {r} : {h}",
		"the {k:HEADER} field is missing (want {q:Q})", "le champ {k} manque (attendu {q})",
		"the {k:HEADER} field is missing", "le champ {k} manque",
		// "{k:HEADER} is {a:Q}, expected {b:Q}" is the handshake's rule above
		"{k:HEADER} is {a:Q}, expected {b:Q}: {h:RANGEHINT}", "{k} vaut {a}, attendu {b} : {h}",
		"the exercise's regular expression for {k:HEADER} is invalid: {e:ANY}", "l'expression régulière de l'exercice pour {k} est invalide : {e}",
		"{k:HEADER} is {a:Q}, which does not match /{re:RE}/", "{k} vaut {a}, qui ne correspond pas à /{re}/",
		"the response has {q:Q}, which it must not have here", "la réponse contient {q}, qu'elle ne doit pas avoir ici",
		"there is no Content-Length field: say how many bytes the body has, so the client knows where it ends", "il n'y a pas de champ Content-Length : indiquez combien d'octets fait le corps, pour que le client sache où il se termine",
		"there is no Set-Cookie field (want {q:Q})", "il n'y a pas de champ Set-Cookie (attendu {q})",
		"Set-Cookie is {a:Q}, expected it to set the cookie {b:Q}", "Set-Cookie vaut {a}, alors qu'il devait définir le cookie {b}",
		"Set-Cookie is {a:Q}, expected it to set the cookie {b:Q} (the value typed on standard input)", "Set-Cookie vaut {a}, alors qu'il devait définir le cookie {b} (la valeur tapée sur l'entrée standard)",
		"the body has {n:N} bytes, expected none", "le corps fait {n} {n|octet|octets}, attendu aucun",
		"the body is {a:DESC}, expected {b:DESC}", "le corps est {a}, attendu {b}",
		"the exercise names a file that does not exist: {f:ANY}", "l'exercice désigne un fichier qui n'existe pas : {f}",
		"the body is the whole file ({n:N} bytes), expected {w:BODYWHAT}", "le corps est le fichier entier ({n} {n|octet|octets}), attendu {w}",
		"the body has {n:N} bytes, expected {w:BODYWHAT}: it stops short", "le corps fait {n} {n|octet|octets}, attendu {w} : il s'arrête trop tôt",
		"the body has {n:N} bytes, expected {w:BODYWHAT}: it stops short, because Content-Length says {a:N}, the number of characters of the text, where it must count its {b:N} bytes (é takes 2 bytes in UTF-8)", "le corps fait {n} {n|octet|octets}, attendu {w} : il s'arrête trop tôt, parce que Content-Length annonce {a}, le nombre de caractères du texte, alors qu'il doit en compter les {b} octets (é prend 2 octets en UTF-8)",
		"the body has {n:N} bytes, expected {w:BODYWHAT}: {m:N} bytes too many at the end", "le corps fait {n} {n|octet|octets}, attendu {w} : {m} {m|octet|octets} en trop à la fin",
		"the body ({n:N} bytes) is not {w:BODYWHAT}", "le corps ({n} {n|octet|octets}) ne contient pas {w}",
		"the body ({n:N} bytes) is not {w:BODYWHAT}: it starts at offset {i:N} of the file", "le corps ({n} {n|octet|octets}) ne contient pas {w} : il commence à la position {i} du fichier",
		"Content-Type is {q:Q}, expected multipart/byteranges with a boundary parameter (several ranges travel as parts of one body, RFC 9110 section 14.6)", "Content-Type vaut {q}, attendu multipart/byteranges avec un paramètre boundary (plusieurs plages voyagent comme les parties d'un seul corps, RFC 9110 section 14.6)",
		"the multipart/byteranges body cannot be read: {e:MPERR}", "le corps multipart/byteranges est illisible : {e}",
		"the body has {n:N} part(s), expected {m:N} (one per range)", "le corps a {n} {n|partie|parties}, attendu {m} (une par plage)",
		"part {i:N} has no Content-Range field (want {q:Q})", "la partie {i} n'a pas de champ Content-Range (attendu {q})",
		"part {i:N} has Content-Range {a:Q}, expected {b:Q}", "la partie {i} a Content-Range {a}, attendu {b}",
		"part {i:N} has Content-Range {a:Q}, expected {b:Q}: {h:RANGEHINT}", "la partie {i} a Content-Range {a}, attendu {b} : {h}",
		"part {i:N} holds {d:DESC}, expected bytes {a:N}-{b:N} of /{p:PATH} ({w:DESC})", "la partie {i} contient {d}, attendu les octets {a} à {b} de /{p} ({w})",
		"a response to HEAD ends with its head (RFC 9110 section 9.3.2), but {n:N} bytes followed it: {d:DESC}", "une réponse à HEAD s'arrête à son en-tête (RFC 9110 section 9.3.2), mais {n} {n|octet a suivi|octets ont suivi} : {d}",
		"a {s:N} response has no content, but {n:N} bytes followed its head: {d:DESC}", "une réponse {s} n'a pas de contenu, mais {n} {n|octet a suivi|octets ont suivi} son en-tête : {d}",
		"Content-Length says {a:N} but the body has {b:N} bytes: {m:N} more followed ({q:Q})", "Content-Length annonce {a} mais le corps fait {b} {b|octet|octets} : {m} de plus {m|a suivi|ont suivi} ({q})",
		"Content-Length says {a:N} but the body has {b:N} bytes: {m:N} more followed ({q:Q}): {t:T}", "Content-Length annonce {a} mais le corps fait {b} {b|octet|octets} : {m} de plus {m|a suivi|ont suivi} ({q}) : {t}",
		"{n:N} bytes followed the last chunk: {d:DESC}", "{n} {n|octet a suivi|octets ont suivi} le dernier morceau : {d}",
		"Content-Length says {a:N} but only {b:N} bytes of body came within {d:DUR}", "Content-Length annonce {a}, mais {b|seul|seuls} {b} {b|octet|octets} de corps {b|est arrivé|sont arrivés} en {d}",
		`the chunked body did not end (with the last chunk, 0\r\n\r\n) within {d:DUR}`, `le corps découpé en morceaux ne s'est pas terminé (par le dernier morceau, 0\r\n\r\n) en {d}`,
		"the response has neither Content-Length nor Transfer-Encoding: chunked, so its body ends only when the connection closes, and your server kept it open ({d:DUR}): send Content-Length, or close the connection after the body", "la réponse n'a ni Content-Length ni Transfer-Encoding: chunked, son corps ne se termine donc qu'à la fermeture de la connexion, et votre serveur l'a gardée ouverte ({d}) : envoyez Content-Length, ou fermez la connexion après le corps",

		// engine: the requests a client sent to the reference HTTP servers
		"your client sent {n:N} request(s), expected {m:N}: {r:REQ} is missing", "votre client a envoyé {n} {n|requête|requêtes}, attendu {m} : il manque {r}",
		"your client sent {n:N} requests, expected {m:N}", "votre client a envoyé {n} requêtes, attendu {m}",
		"the extra one is {q:Q}{w:EXTRAWITH}", "la requête en trop est {q}{w}",
		"request {n:N}, {l:Q}, was refused by the server ({s:N}): {e:REQERR}", "la requête {n}, {l}, a été refusée par le serveur ({s}) : {e}",
		"request {n:N} is {l:Q}: expected the method {m:WORD}", "la requête {n} est {l} : attendu la méthode {m}",
		"request {n:N} is {l:Q}: expected the path {p:WORD}", "la requête {n} est {l} : attendu le chemin {p}",
		"request {n:N} is {l:Q}: expected {p:WORD}", "la requête {n} est {l} : attendu {p}",
		"your client sent {l:Q} without a Host header", "votre client a envoyé {l} sans en-tête Host",
		"request {n:N} ({l:Q}) has no {k:HEADER} header: expected one that contains {v:Q}", "la requête {n} ({l}) n'a pas d'en-tête {k} : attendu un en-tête qui contient {v}",
		"request {n:N} ({l:Q}) has no {k:HEADER} header: expected {h:HEADER}: {v:ANY}", "la requête {n} ({l}) n'a pas d'en-tête {k} : attendu {h}: {v}",
		"request {n:N} ({l:Q}) sends {k:HEADER}: {a:Q}, expected {b:Q}", "la requête {n} ({l}) envoie {k}: {a}, attendu {b}",
		"request {n:N} ({l:Q}) sends {k:HEADER}: {a:Q}, which does not contain {b:Q}", "la requête {n} ({l}) envoie {k}: {a}, qui ne contient pas {b}",
		"request {n:N} ({l:Q}) was sent before the answer to the previous one had been read (pipelining): read the whole answer, Content-Length bytes after the headers, before the next request", "la requête {n} ({l}) a été envoyée avant que la réponse à la précédente ait été lue (pipelining) : lisez toute la réponse, Content-Length octets après les en-têtes, avant la requête suivante",
		`request {n:N} ({l:Q}) ends its lines with \n alone: HTTP requires \r\n`, `la requête {n} ({l}) termine ses lignes par \n seul : HTTP exige \r\n`,
		"request {n:N} ({l:Q}) was answered {a:N} {ra:REASON}, expected {b:N} {rb:REASON}", "la requête {n} ({l}) a reçu la réponse {a} {ra}, attendu {b} {rb}",
		"request {n:N} ({l:Q}) was answered {a:N} {ra:REASON}, expected {b:N} {rb:REASON}: {r:REVAL}", "la requête {n} ({l}) a reçu la réponse {a} {ra}, attendu {b} {rb} : {r}",

		// steps: the grader as a TLS client (`connect: tls`)
		"the grader made no certificate authority for this exercise", "le correcteur n'a créé aucune autorité de certification pour cet exercice",
		"the server presented no certificate", "le serveur n'a présenté aucun certificat",
		"the server presented {c:CERT}", "le serveur a présenté {c}",
		"the server presented {c:CERT}: {p:CERTPROB}", "le serveur a présenté {c} : {p}",
		"the server presented {c:CERT}: {e:ERR}", "le serveur a présenté {c} : {e}",
		"and {p:CERTPROB}", "et {p}",
		"the server answered {q:Q} in clear text to a TLS ClientHello: it speaks plain TCP (plain HTTP?) on this port, not TLS", "le serveur a répondu {q} en clair à un ClientHello TLS : il parle TCP en clair (HTTP simple ?) sur ce port, pas TLS",
		"the server sent nothing in answer to the TLS ClientHello within {d:DUR}: is it speaking TLS on this port?", "le serveur n'a rien envoyé en réponse au ClientHello TLS en {d} : parle-t-il TLS sur ce port ?",
		"the server closed the connection during the TLS handshake", "le serveur a fermé la connexion pendant la poignée de main TLS",
		"the handshake failed: your server sent the alert {a:Q}", "la poignée de main a échoué : votre serveur a envoyé l'alerte {a}",

		// engine: a client's handshakes with the TLS reference servers
		"the scenario has no TLS reference server", "le scénario n'a pas de serveur TLS de référence",
		"your client never connected to the TLS server", "votre client ne s'est jamais connecté au serveur TLS",
		"your client sent {q:Q} in clear text to the TLS port: it never started a TLS handshake", "votre client a envoyé {q} en clair sur le port TLS : il n'a jamais commencé de poignée de main TLS",
		"your client connected but never sent a TLS ClientHello", "votre client s'est connecté mais n'a jamais envoyé de ClientHello TLS",
		"your client accepted {a:ACCEPTED}", "votre client a accepté {a}",
		"your client accepted {a:ACCEPTED} and sent {q:Q} through it", "votre client a accepté {a}, et a envoyé {q} par cette connexion",
		"the handshake failed: your client asked for {s:HOST} (its SNI) and refused the certificate, made out to {h:HOST}, with the alert {a:Q}", "la poignée de main a échoué : votre client a demandé {s} (son SNI) et a refusé le certificat, établi pour {h}, avec l'alerte {a}",
		"the handshake failed: your client aborted it with the alert {a:Q}, so it does not trust the certificate, which the grader's CA signed for {h:HOST}", "la poignée de main a échoué : votre client l'a interrompue avec l'alerte {a}, il ne fait donc pas confiance au certificat, que l'AC du correcteur a signé pour {h}",
		"the handshake failed: your client offered only {v:VERSIONS}, the server speaks TLS 1.2 and 1.3", "la poignée de main a échoué : votre client n'a proposé que {v}, le serveur parle TLS 1.2 et 1.3",
		"the handshake failed", "la poignée de main a échoué",
		"the handshake failed: {e:ERR}", "la poignée de main a échoué : {e}",
		"your client sent no SNI (server_name): a server that hosts several sites cannot tell it wants {h:HOST}, and answers with another site's certificate", "votre client n'a pas envoyé de SNI (server_name) : un serveur qui héberge plusieurs sites ne peut pas savoir qu'il veut {h}, et répond avec le certificat d'un autre site",
		"your client sent the SNI {s:Q}, expected {h:HOST} (the host in HOST)", "votre client a envoyé le SNI {s}, attendu {h} (l'hôte donné dans HOST)",
		"your program did not end: after a refused handshake it should stop and say why", "votre programme ne s'est pas terminé : après une poignée de main refusée, il doit s'arrêter et dire pourquoi",
		"your program exited with code 0 and printed no error: a failed verification must not look like a success", "votre programme s'est terminé avec le code 0 sans afficher d'erreur : une vérification qui échoue ne doit pas ressembler à une réussite",

		// engine: files a client saved
		"the exercise names a page that does not exist: {p:ANY}", "l'exercice désigne une page qui n'existe pas : {p}",
		"your program did not write {p:PATH} in its working folder", "votre programme n'a pas écrit {p} dans son dossier de travail",
		"{p:PATH} holds {n:N} bytes, expected the {m:N} bytes of /{w:PATH}", "{p} contient {n} {n|octet|octets}, attendu les {m} octets de /{w}",
		"{p:PATH} holds {n:N} bytes, expected the {m:N} bytes of /{w:PATH}: {y:FILEWHY}", "{p} contient {n} {n|octet|octets}, attendu les {m} octets de /{w} : {y}",
		"your program wrote {p:PATH} ({n:N} bytes) although the exchange should have failed", "votre programme a écrit {p} ({n} {n|octet|octets}) alors que l'échange aurait dû échouer",

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
		// HTTP
		"{q:Q}, no body", "{q}, pas de corps",
		"{q:Q}, {n:N}-byte body", "{q}, corps de {n} {n|octet|octets}",
		"no request", "aucune requête",
		// TLS
		"a TLS 1.2 or 1.3 handshake, with a certificate for {h:HOST} signed by the grader's CA", "une poignée de main TLS 1.2 ou 1.3, avec un certificat pour {h} signé par l'AC du correcteur",
		"{v:TLSVER} ({c:CIPHER})", "{v} ({c})",
		"handshake failed: {e:SEG}", "échec de la poignée de main : {e}",
		"handshake failed: {e:ERR}", "échec de la poignée de main : {e}",
		"your client starts a TLS handshake and refuses {r:REFUSAL}", "votre client commence une poignée de main TLS et refuse {r}",
		"a completed TLS handshake: your client trusts the grader's CA (ca.pem)", "une poignée de main TLS menée à son terme : votre client fait confiance à l'AC du correcteur (ca.pem)",
		"a completed TLS handshake: your client trusts the grader's CA (ca.pem) and names {h:HOST} in the server_name extension (SNI)", "une poignée de main TLS menée à son terme : votre client fait confiance à l'AC du correcteur (ca.pem) et donne le nom {h} dans l'extension server_name (SNI)",
		"{h:HS}", "{h}",
		"and {n:N} more", "et {n} de plus",
		"no connection", "aucune connexion",
		"the program reports the failure: a non-zero exit code or an error message", "le programme signale l'échec : un code de sortie non nul ou un message d'erreur",
		"stdout: {q:Q}", "stdout : {q}",
		// files
		"{p:PATH}, {n:N} bytes, equal to /{w:PATH}", "{p}, {n} {n|octet|octets}, identique à /{w}",
		"{p:PATH}, {n:N} bytes", "{p}, {n} {n|octet|octets}",
		"{n:N} bytes", "{n} {n|octet|octets}",
		"no file {p:PATH}", "aucun fichier {p}",
		"no file", "aucun fichier",
		// the requests a scenario expects (last: it starts with any quote)
		"{r:REQS}", "{r}",
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
		// engine: HTTP requests
		"On a persistent connection, send one request, read its whole answer (the headers, then Content-Length bytes), and only then send the next one.":                                                  "Sur une connexion persistante, envoyez une requête, lisez toute sa réponse (les en-têtes, puis Content-Length octets), et seulement ensuite envoyez la suivante.",
		`An HTTP/1.1 request is the request line, headers (Host is required), each line ending with \r\n, then an empty line: "GET / HTTP/1.1\r\nHost: example.org\r\n\r\n".`:                             `Une requête HTTP/1.1 est faite de la ligne de requête, des en-têtes (Host est obligatoire), chaque ligne se terminant par \r\n, puis d'une ligne vide : "GET / HTTP/1.1\r\nHost: example.org\r\n\r\n".`,
		"Keep the ETag and Last-Modified of the first answer with the page, and send them back unchanged as If-None-Match and If-Modified-Since: the server then answers 304 Not Modified, with no body.": "Gardez l'ETag et le Last-Modified de la première réponse avec la page, et renvoyez-les tels quels dans If-None-Match et If-Modified-Since : le serveur répond alors 304 Not Modified, sans corps.",
		// engine: TLS clients
		"Wrap the socket with TLS before sending anything: ssl.create_default_context().wrap_socket(sock, server_hostname=HOST), then send the request through the wrapped socket.":                                                                                         "Enveloppez la socket dans TLS avant d'envoyer quoi que ce soit : ssl.create_default_context().wrap_socket(sock, server_hostname=HOST), puis envoyez la requête par la socket enveloppée.",
		"Wrap the socket with TLS (ssl.create_default_context().wrap_socket(sock, server_hostname=HOST)) right after connect().":                                                                                                                                            "Enveloppez la socket dans TLS (ssl.create_default_context().wrap_socket(sock, server_hostname=HOST)) juste après connect().",
		"Keep the default verification: ssl.create_default_context() checks the chain, the dates and the host name. Never set check_hostname = False or verify_mode = ssl.CERT_NONE (in C: SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL) and SSL_set1_host).":              "Gardez la vérification par défaut : ssl.create_default_context() vérifie la chaîne, les dates et le nom d'hôte. Ne mettez jamais check_hostname = False ni verify_mode = ssl.CERT_NONE (en C : SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL) et SSL_set1_host).",
		"Connect to the host in HOST and pass that same name as server_hostname: the certificate is made out to it.":                                                                                                                                                        "Connectez-vous à l'hôte donné dans HOST et passez ce même nom en server_hostname : le certificat est établi à ce nom.",
		"Trust the CA in ca.pem: ssl.create_default_context() reads it from SSL_CERT_FILE, which the grader sets; or pass cafile= (in C: SSL_CTX_set_default_verify_paths or SSL_CTX_load_verify_locations). Connect to the host in HOST, which is the certificate's name.": "Faites confiance à l'AC de ca.pem : ssl.create_default_context() la lit dans SSL_CERT_FILE, que le correcteur définit ; ou passez cafile= (en C : SSL_CTX_set_default_verify_paths ou SSL_CTX_load_verify_locations). Connectez-vous à l'hôte donné dans HOST, qui est le nom du certificat.",
		"Let the TLS library choose the version (ssl.create_default_context(), TLS_client_method()).":                                                                                                                                                                       "Laissez la bibliothèque TLS choisir la version (ssl.create_default_context(), TLS_client_method()).",
		"Give the server's name when you wrap the socket: wrap_socket(sock, server_hostname=HOST); in C, SSL_set_tlsext_host_name(ssl, host) before SSL_connect.":                                                                                                           "Donnez le nom du serveur quand vous enveloppez la socket : wrap_socket(sock, server_hostname=HOST) ; en C, SSL_set_tlsext_host_name(ssl, host) avant SSL_connect.",
		"Use the name your program connects to, from HOST, as server_hostname.":                                                                                                                                                                                             "Utilisez comme server_hostname le nom auquel votre programme se connecte, tiré de HOST.",
		"Let the exception end the program (exit code 1), or catch it, print why, and exit with a non-zero code (sys.exit(1)).":                                                                                                                                             "Laissez l'exception terminer le programme (code de sortie 1), ou attrapez-la, affichez pourquoi, et terminez avec un code non nul (sys.exit(1)).",
		// steps: TLS servers
		"Wrap the listening socket with TLS before accepting: ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(certfile, keyfile); sock = ctx.wrap_socket(sock, server_side=True).": "Enveloppez la socket d'écoute dans TLS avant d'accepter : ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(certfile, keyfile); sock = ctx.wrap_socket(sock, server_side=True).",
		"A TLS server answers the ClientHello at once with its ServerHello and certificate: wrap the accepted socket (or the listening one) with ssl.SSLContext.wrap_socket(..., server_side=True).":  "Un serveur TLS répond aussitôt au ClientHello par son ServerHello et son certificat : enveloppez la socket acceptée (ou celle d'écoute) avec ssl.SSLContext.wrap_socket(..., server_side=True).",
		"Check the server's own error: a wrong key file, or a certificate and key that do not match, make its handshake fail.":                                                                        "Regardez l'erreur du serveur lui-même : un mauvais fichier de clé, ou un certificat et une clé qui ne vont pas ensemble, font échouer sa poignée de main.",
		"The server must accept TLS 1.2 or 1.3 and present the certificate the grader gave.":                                                                                                          "Le serveur doit accepter TLS 1.2 ou 1.3 et présenter le certificat que le correcteur a fourni.",
	}
}
