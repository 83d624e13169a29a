// Package frames holds the reference implementations of the byte formats in
// the lab sheets' checksum, CRC-8, RC4, AES, Caesar, Fernet and RSA-chat
// exercises. The grader uses it in both directions: to build the exact
// frames it sends to a student's server, and to decode, accept or diagnose
// the frames a student's client sends.
//
// Every function is checked against the known-answer vectors printed in the
// lab sheets (see DESIGN.md, "Known-answer vectors").
//
// The lab sheets come in two dialects. Their C programs send a string with
// its trailing NUL ("bonjour\x00" followed by the check byte, or encrypted
// with the NUL); their Python programs send the bare text. Both are correct
// solutions: [Accept] takes either and reports which [Dialect] it saw, and
// [Diagnose] names the likely mistake in a frame that matches neither.
package frames
