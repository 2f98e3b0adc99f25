// Package session turns an AWS profile with long-term keys and an MFA
// device into a temporary MFA session: it reads the profile, asks for the
// one-time code (terminal or token command), calls sts:GetSessionToken, and
// keeps the result in a keystore until shortly before it expires. A
// cross-process lock makes many concurrent callers cause one prompt.
package session

import "errors"

// hinted is an error with one concrete next step for the user.
type hinted struct {
	msg  string
	hint string
	err  error
}

func (e *hinted) Error() string { return e.msg }
func (e *hinted) Unwrap() error { return e.err }

// Hint returns the suggested next step.
func (e *hinted) Hint() string { return e.hint }

// withHint returns an error whose message is msg and whose Hint is hint.
func withHint(err error, msg, hint string) error { return &hinted{msg: msg, hint: hint, err: err} }

// Hint returns the next step an error suggests, or "".
func Hint(err error) string {
	var h interface{ Hint() string }
	if errors.As(err, &h) {
		return h.Hint()
	}
	return ""
}

// ErrNoPrompt means a code is needed but there is no way to ask for one.
var ErrNoPrompt = errors.New("no way to ask for an MFA code")
