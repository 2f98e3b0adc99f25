//go:build !windows

package keystore

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	zk "github.com/zalando/go-keyring"

	"github.com/mfa-git/mfa-git/internal/macsecurity"
)

// Value prefixes zalando/go-keyring writes; securityCLI reads and writes
// the same format, so entries stay readable whichever wrote them.
const (
	securityBase64Prefix = "go-keyring-base64:"
	securityHexPrefix    = "go-keyring-encoded:"
)

// securityCLI is the keychainAPI over macOS's security tool, as
// zalando/go-keyring uses it but with a deadline on every run and errors
// that say why: a password goes only to security's stdin (security -i),
// never into an argv, where other users' ps could read it.
type securityCLI struct {
	path    string        // /usr/bin/security
	timeout time.Duration // per run
}

// Get implements keychainAPI.
func (s securityCLI) Get(service, user string) (string, error) {
	out, err := s.run(nil, "", "find-generic-password", "-s", service, "-a", user, "-w")
	if err != nil {
		return "", err
	}
	v := strings.TrimSpace(string(out))
	switch {
	case strings.HasPrefix(v, securityBase64Prefix):
		b, err := base64.StdEncoding.DecodeString(v[len(securityBase64Prefix):])
		if err != nil {
			return "", fmt.Errorf("keychain item %q is not valid base64: %w", user, err)
		}
		return string(b), nil
	case strings.HasPrefix(v, securityHexPrefix):
		b, err := hex.DecodeString(v[len(securityHexPrefix):])
		if err != nil {
			return "", fmt.Errorf("keychain item %q is not valid hex: %w", user, err)
		}
		return string(b), nil
	}
	return v, nil
}

// Set implements keychainAPI.
func (s securityCLI) Set(service, user, password string) error {
	encoded := securityBase64Prefix + base64.StdEncoding.EncodeToString([]byte(password))
	line := fmt.Sprintf("add-generic-password -U -s %s -a %s -w %s\n", macsecurity.Quote(service), macsecurity.Quote(user), macsecurity.Quote(encoded))
	if strings.ContainsAny(service+user, "\x00\r\n") {
		return fmt.Errorf("keychain item %q: names cannot hold line breaks", user)
	}
	if len(line) > macsecurity.LineMax {
		return zk.ErrSetDataTooBig
	}
	_, err := s.run([]byte(line), encoded, "-i")
	return err
}

// Delete implements keychainAPI.
func (s securityCLI) Delete(service, user string) error {
	_, err := s.run(nil, "", "delete-generic-password", "-s", service, "-a", user)
	return err
}

// run runs security through macsecurity, and makes a deadline hit an
// ErrUnavailable, as for the D-Bus stores.
func (s securityCLI) run(stdin []byte, secret string, args ...string) ([]byte, error) {
	out, err := macsecurity.Tool{Path: s.path, Timeout: s.timeout}.Run(stdin, secret, args...)
	var e *macsecurity.Error
	if errors.As(err, &e) && e.TimedOut {
		return nil, &unavailableError{msg: err.Error(), err: err}
	}
	return out, err
}
