package check

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/netlab-grader/grader/grader/spec"
	"github.com/netlab-grader/grader/reference/frames"
)

// fernetCheck evaluates a fernet matcher: data is an HTTP response whose
// body must be a Fernet token that decrypts to the plaintext.
func fernetCheck(f *spec.FernetMatch, data []byte) (ok bool, expected, message string) {
	expected = fmt.Sprintf("an HTTP response whose body is a Fernet token of %q", f.Plaintext)
	body, status, err := httpBody(data)
	switch {
	case len(data) == 0:
		return false, expected, "your server sent nothing"
	case err != nil:
		return false, expected, fmt.Sprintf("your server sent %s, which is not a complete HTTP response: %v", Describe(data), err)
	case status != http.StatusOK:
		return false, expected, fmt.Sprintf("your server answered %s, expected 200 OK with the token", status2text(status))
	}
	if string(bytes.TrimSpace(body)) == f.Plaintext {
		return false, expected, fmt.Sprintf("the page is the secret in clear, %s: encrypt it with Fernet(SECRET_KEY) before sending it", Quote(body, 80))
	}
	plain, err := frames.FernetDecrypt(f.Key, bytes.TrimSpace(body), 0)
	if err != nil {
		return false, expected, fmt.Sprintf("the page %s does not decrypt with SECRET_KEY: %v", Describe(body), err)
	}
	if string(plain) != f.Plaintext {
		return false, expected, fmt.Sprintf("the token decrypts to %s, expected %s", Quote(plain, 80), Quote([]byte(f.Plaintext), 80))
	}
	return true, expected, ""
}

func status2text(code int) string {
	return fmt.Sprintf("%d %s", code, http.StatusText(code))
}

// httpBody parses an HTTP response and returns its body (Content-Length,
// chunked or until the connection closed).
func httpBody(data []byte) ([]byte, int, error) {
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(data)), nil)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, resp.StatusCode, err
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, resp.StatusCode, errors.New("the body is shorter than its Content-Length")
	}
	return body, resp.StatusCode, nil
}
