// Package macsecurity runs macOS's security tool (/usr/bin/security) with
// a deadline on every run and errors that say why it failed and what to
// do next. The keychain backend of keystore and the stale-password
// cleaner both run security through it. A secret goes only to security's
// standard input (security -i), never into an argv, where other users' ps
// could read it.
package macsecurity

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"

	zk "github.com/zalando/go-keyring"
)

// LineMax is the longest command security -i accepts.
const LineMax = 4096

// Tool is the security tool at Path, each run bounded by Timeout.
type Tool struct {
	Path    string        // /usr/bin/security, never from PATH
	Timeout time.Duration // per run
}

// Run runs security with args and stdin, within t.Timeout, and returns its
// stdout. secret, when set, is kept out of any error text. A missing item
// is zalando/go-keyring's ErrNotFound, as that library reports it; any
// other failure is an *Error.
func (t Tool) Run(stdin []byte, secret string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), t.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, t.Path, args...)
	cmd.WaitDelay = time.Second
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil && ctx.Err() != nil {
		return nil, &Error{op: args[0], TimedOut: true, timeout: t.Timeout}
	}
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		return nil, &Error{op: args[0], err: err}
	}
	msg := firstLine(stderr.String())
	if secret != "" && strings.Contains(msg, secret) {
		msg = ""
	}
	k := kindOf(code, msg)
	// security -i exits 0 after a failed command; it says so on stderr.
	if code == 0 && k == other && !strings.Contains(stderr.String(), ": returned ") {
		return stdout.Bytes(), nil
	}
	if k == notFound {
		return nil, zk.ErrNotFound
	}
	return nil, &Error{op: args[0], code: code, msg: msg, kind: k}
}

// Outcomes of a security run. Its exit status is the Security framework's
// OSStatus, truncated to its low byte.
const (
	other    = iota
	notFound // errSecItemNotFound -25300, exit 44
	locked   // errSecInteractionNotAllowed -25308, exit 36; errSecInteractionRequired -25315, exit 29
	canceled // errSecUserCanceled -128, exit 128
	denied   // errSecAuthFailed -25293, exit 51
	noChain  // errSecNoDefaultKeychain -25307, exit 37; errSecNoSuchKeychain -25294, exit 50
)

// kindOf reads an outcome from the exit status, or from the message when
// security -i exited 0 after a failure.
func kindOf(code int, msg string) int {
	switch code {
	case 44:
		return notFound
	case 36, 29:
		return locked
	case 128:
		return canceled
	case 51:
		return denied
	case 37, 50:
		return noChain
	}
	m := strings.ToLower(msg)
	switch {
	case strings.Contains(m, "interaction is not allowed") || strings.Contains(m, "interaction is required"):
		return locked
	case strings.Contains(m, "user canceled"):
		return canceled
	case strings.Contains(m, "passphrase you entered is not correct"):
		return denied
	case strings.Contains(m, "keychain could not be found") || strings.Contains(m, "no such keychain"):
		return noChain
	case strings.Contains(m, "could not be found"):
		return notFound
	}
	return other
}

// kindWords are, per outcome, what happened and what to do next.
var kindWords = map[int]struct{ text, hint string }{
	locked: {"the macOS keychain is locked, and security cannot ask to unlock it here (over SSH, or in a service)",
		"unlock it first with: security unlock-keychain ~/Library/Keychains/login.keychain-db, or choose another store with MFA_GIT_KEYRING"},
	canceled: {"the keychain dialog was cancelled, so mfa-git may not use its keychain item",
		"run the command again and choose Allow (or Always Allow) in the keychain dialog"},
	denied: {"the macOS keychain refused access: the password typed in its dialog was not correct",
		"run the command again and type your login password in the dialog, or unlock first with: security unlock-keychain"},
	noChain: {"there is no default macOS keychain to keep sessions in",
		"set a default keychain in Keychain Access (or: security default-keychain -s login.keychain-db), or choose another store with MFA_GIT_KEYRING"},
}

// Error is a failed run of security, in words, with what to do.
type Error struct {
	// TimedOut is set when security did not answer within the deadline,
	// maybe because a keychain dialog is waiting for a person.
	TimedOut bool

	op      string
	code    int
	msg     string
	kind    int
	timeout time.Duration
	err     error
}

// Error says what security failed to do, and why.
func (e *Error) Error() string {
	switch {
	case e.TimedOut:
		return fmt.Sprintf("the macOS keychain (security %s) did not answer within %s", e.op, e.timeout)
	case e.err != nil:
		return fmt.Sprintf("run security %s: %v", e.op, e.err)
	case kindWords[e.kind].text != "":
		return kindWords[e.kind].text
	case e.msg != "":
		return fmt.Sprintf("security %s failed (exit %d): %s", e.op, e.code, e.msg)
	}
	return fmt.Sprintf("security %s failed (exit %d)", e.op, e.code)
}

// Unwrap returns the error that kept security from running, if any.
func (e *Error) Unwrap() error { return e.err }

// Hint says what to do next.
func (e *Error) Hint() string {
	switch {
	case e.TimedOut:
		return "a keychain dialog may be waiting on the Mac's screen: answer it (unlock, or Allow), or unlock first with: security unlock-keychain"
	case kindWords[e.kind].hint != "":
		return kindWords[e.kind].hint
	case e.err != nil:
		return "choose another store with MFA_GIT_KEYRING"
	}
	return ""
}

// Quote quotes a word for a line of security -i. Its parser (split_line
// in Apple's SecurityTool security.c) is not a shell's: ' or " opens a
// quoted word only at the start of a word, the matching quote ends the
// word, and a backslash takes the next character as it is, inside quotes
// or not; so a shell's '"'"' would split a word with a ' in it. Words of
// letters, digits and @%+=:,./_- need no quotes; others are put in double
// quotes with \ and " escaped.
func Quote(s string) string {
	// (No regular expression: package-level ones are compiled on every
	// helper start.)
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./_-") == "" {
		return s
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}
