// Package hint is the one way mfa-git attaches a concrete next step to an
// error. cmd/mfa-git prints it as "mfa-git: hint: ..." under the error.
package hint

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

// New returns an error whose message is msg and whose hint is hint; it
// wraps err (which may be nil) for errors.Is and errors.As.
func New(err error, msg, hint string) error { return &hinted{msg: msg, hint: hint, err: err} }

// Wrap attaches hint to err, in place of any hint err carries; its
// message stays err's. Wrap(nil, ...) is nil.
func Wrap(err error, hint string) error {
	if err == nil {
		return nil
	}
	return &hinted{msg: err.Error(), hint: hint, err: err}
}

// Or attaches hint to err only if err carries none: the cause's own advice
// is the more precise. Or(nil, ...) is nil.
func Or(err error, hint string) error {
	if Of(err) != "" {
		return err
	}
	return Wrap(err, hint)
}

// Of returns the next step err suggests, or "": the hint of the first error
// in err's chain with a Hint() string method (this package's, and the typed
// errors of the keystore backends and userdir).
func Of(err error) string {
	var h interface{ Hint() string }
	if errors.As(err, &h) {
		return h.Hint()
	}
	return ""
}
