package keystore

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"

	zk "github.com/zalando/go-keyring"
)

// Value prefixes zalando/go-keyring writes; securityCLI reads and writes
// the same format, so entries stay readable whichever wrote them.
const (
	securityBase64Prefix = "go-keyring-base64:"
	securityHexPrefix    = "go-keyring-encoded:"
)

// securityLineMax is the longest command security -i accepts.
const securityLineMax = 4096

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
	line := fmt.Sprintf("add-generic-password -U -s %s -a %s -w %s\n", securityQuote(service), securityQuote(user), securityQuote(encoded))
	if strings.ContainsAny(service+user, "\x00\r\n") {
		return fmt.Errorf("keychain item %q: names cannot hold line breaks", user)
	}
	if len(line) > securityLineMax {
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

// run runs security with args and stdin, within s.timeout, and returns
// its stdout. secret, when set, is kept out of any error text.
func (s securityCLI) run(stdin []byte, secret string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, s.path, args...)
	cmd.WaitDelay = time.Second
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil && ctx.Err() != nil {
		return nil, &securityError{op: args[0], timedOut: true, timeout: s.timeout}
	}
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		return nil, &securityError{op: args[0], err: err}
	}
	msg := firstLine(stderr.String())
	if secret != "" && strings.Contains(msg, secret) {
		msg = ""
	}
	kind := securityKind(code, msg)
	// security -i exits 0 after a failed command; it says so on stderr.
	if code == 0 && kind == securityOther && !strings.Contains(stderr.String(), ": returned ") {
		return stdout.Bytes(), nil
	}
	if kind == securityNotFound {
		return nil, fmt.Errorf("keychain item %q: %w", argValue(args, "-a"), zk.ErrNotFound)
	}
	return nil, &securityError{op: args[0], code: code, msg: msg, kind: kind}
}

// Outcomes of a security run. Its exit status is the Security framework's
// OSStatus, truncated to its low byte.
const (
	securityOther    = iota
	securityNotFound // errSecItemNotFound -25300, exit 44
	securityLocked   // errSecInteractionNotAllowed -25308, exit 36; errSecInteractionRequired -25315, exit 29
	securityCanceled // errSecUserCanceled -128, exit 128
	securityDenied   // errSecAuthFailed -25293, exit 51
	securityNoChain  // errSecNoDefaultKeychain -25307, exit 37; errSecNoSuchKeychain -25294, exit 50
)

func securityKind(code int, msg string) int {
	switch code {
	case 44:
		return securityNotFound
	case 36, 29:
		return securityLocked
	case 128:
		return securityCanceled
	case 51:
		return securityDenied
	case 37, 50:
		return securityNoChain
	}
	m := strings.ToLower(msg) // security -i may exit 0 after a failure
	switch {
	case strings.Contains(m, "interaction is not allowed") || strings.Contains(m, "interaction is required"):
		return securityLocked
	case strings.Contains(m, "user canceled"):
		return securityCanceled
	case strings.Contains(m, "passphrase you entered is not correct"):
		return securityDenied
	case strings.Contains(m, "keychain could not be found") || strings.Contains(m, "no such keychain"):
		return securityNoChain
	case strings.Contains(m, "could not be found"):
		return securityNotFound
	}
	return securityOther
}

// securityError is a failed run of security, in words, with what to do.
type securityError struct {
	op       string
	code     int
	msg      string
	kind     int
	timedOut bool
	timeout  time.Duration
	err      error
}

func (e *securityError) Error() string {
	switch {
	case e.timedOut:
		return fmt.Sprintf("the macOS keychain (security %s) did not answer within %s", e.op, e.timeout)
	case e.err != nil:
		return fmt.Sprintf("run security %s: %v", e.op, e.err)
	case e.kind == securityLocked:
		return "the macOS keychain is locked, and security cannot ask to unlock it here (over SSH, or in a service)"
	case e.kind == securityCanceled:
		return "the keychain dialog was cancelled, so mfa-git may not use its keychain item"
	case e.kind == securityDenied:
		return "the macOS keychain refused access: the password typed in its dialog was not correct"
	case e.kind == securityNoChain:
		return "there is no default macOS keychain to keep sessions in"
	}
	if e.msg != "" {
		return fmt.Sprintf("security %s failed (exit %d): %s", e.op, e.code, e.msg)
	}
	return fmt.Sprintf("security %s failed (exit %d)", e.op, e.code)
}

func (e *securityError) Unwrap() error { return e.err }

// Is makes a deadline hit an ErrUnavailable, as for the D-Bus stores.
func (e *securityError) Is(target error) bool { return e.timedOut && target == ErrUnavailable }

// Hint says what to do next.
func (e *securityError) Hint() string {
	switch {
	case e.timedOut:
		return "a keychain dialog may be waiting on the Mac's screen: answer it (unlock, or Allow), or unlock first with: security unlock-keychain"
	case e.kind == securityLocked:
		return "unlock it first with: security unlock-keychain ~/Library/Keychains/login.keychain-db, or choose another store with MFA_GIT_KEYRING"
	case e.kind == securityCanceled:
		return "run the command again and choose Allow (or Always Allow) in the keychain dialog"
	case e.kind == securityDenied:
		return "run the command again and type your login password in the dialog, or unlock first with: security unlock-keychain"
	case e.kind == securityNoChain:
		return "set a default keychain in Keychain Access (or: security default-keychain -s login.keychain-db), or choose another store with MFA_GIT_KEYRING"
	case e.err != nil:
		return "choose another store with MFA_GIT_KEYRING"
	}
	return ""
}

// securityQuote quotes a word for security -i as zalando/go-keyring does
// (POSIX shell single quotes).
func securityQuote(s string) string {
	if s == "" {
		return "''"
	}
	if securityPlain(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}

// securityPlain reports whether s needs no quoting: letters, digits and
// @%+=:,./_- only. (No regular expression: package-level ones are
// compiled on every helper start.)
func securityPlain(s string) bool {
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("@%+=:,./_-", r):
		default:
			return false
		}
	}
	return true
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// argValue returns the word after flag in args.
func argValue(args []string, flag string) string {
	for i := 0; i+1 < len(args); i++ {
		if args[i] == flag {
			return args[i+1]
		}
	}
	return ""
}
