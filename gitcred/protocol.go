// Package gitcred speaks git's credential-helper protocol for AWS CodeCommit:
// it parses what git sends, decides whether a host is CodeCommit, computes
// CodeCommit's SigV4-derived git password and writes the answer back.
//
// It knows nothing about where credentials come from; callers hand it an
// access key, secret and session token.
package gitcred

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Limits on what Parse accepts. git itself caps a line at 65535 bytes
// (including the newline); a request has a handful of lines.
const (
	MaxLineBytes = 65535
	MaxLines     = 1024
)

// ErrMalformed is wrapped by every error Parse returns for bad input.
var ErrMalformed = errors.New("malformed credential request")

// Request is one credential description as git sends it: key=value lines.
// A repeated key keeps its last value, as git does. Multi-valued keys
// (ending in "[]", such as capability[]) are accepted and dropped: no
// answer here depends on them.
type Request struct {
	attrs map[string]string
}

// Get returns the value of a single-valued attribute and whether it was set.
func (r *Request) Get(key string) (string, bool) {
	v, ok := r.attrs[key]
	return v, ok
}

// Parse reads one credential description: key=value lines until a blank
// line or EOF. CRLF line endings are accepted; a NUL byte, a bare CR, a line
// without "=", a line longer than MaxLineBytes or more than MaxLines lines
// are rejected with an error wrapping ErrMalformed. Nothing past the blank
// line is read.
func Parse(r io.Reader) (*Request, error) {
	req := &Request{attrs: map[string]string{}}
	br := bufio.NewReaderSize(r, 4096)
	for n := 1; ; n++ {
		line, err := readLine(br)
		if err == io.EOF && line == nil {
			return req, nil
		}
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if len(line) == 0 {
			return req, nil
		}
		if n > MaxLines {
			return nil, fmt.Errorf("%w: more than %d lines", ErrMalformed, MaxLines)
		}
		if bytes.IndexByte(line, 0) >= 0 {
			return nil, fmt.Errorf("%w: line %d contains a NUL byte", ErrMalformed, n)
		}
		if bytes.IndexByte(line, '\r') >= 0 {
			return nil, fmt.Errorf("%w: line %d contains a bare carriage return", ErrMalformed, n)
		}
		k, v, ok := bytes.Cut(line, []byte{'='})
		if !ok || len(k) == 0 {
			return nil, fmt.Errorf("%w: line %d is not key=value", ErrMalformed, n)
		}
		if !bytes.HasSuffix(k, []byte("[]")) {
			req.attrs[string(k)] = string(v)
		}
		if err == io.EOF {
			return req, nil
		}
	}
}

// readLine returns one line without its LF or CRLF ending. It returns
// (nil, io.EOF) at end of input and a partial last line with io.EOF.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > MaxLineBytes {
			return nil, fmt.Errorf("%w: line longer than %d bytes", ErrMalformed, MaxLineBytes)
		}
		switch err {
		case nil:
			line = line[:len(line)-1]
			line = bytes.TrimSuffix(line, []byte{'\r'})
			return line, nil
		case bufio.ErrBufferFull:
			continue
		case io.EOF:
			if len(line) == 0 {
				return nil, io.EOF
			}
			return line, io.EOF
		default:
			return nil, err
		}
	}
}

// Answer is what a helper tells git for a get request.
type Answer struct {
	Username string
	Password string
	// ExpiryUnix is written as password_expiry_utc when non-zero.
	ExpiryUnix int64
}

// WriteTo writes the answer in git's key=value format. It refuses values
// containing a newline or NUL, which git would reject or misread.
func (a Answer) WriteTo(w io.Writer) (int64, error) {
	for _, v := range []string{a.Username, a.Password} {
		if strings.ContainsAny(v, "\n\x00") {
			return 0, errors.New("credential value contains a newline or NUL")
		}
	}
	s := "username=" + a.Username + "\npassword=" + a.Password + "\n"
	if a.ExpiryUnix > 0 {
		s += fmt.Sprintf("password_expiry_utc=%d\n", a.ExpiryUnix)
	}
	n, err := io.WriteString(w, s)
	return int64(n), err
}
