package prompt

import "errors"

// ErrNoPrompt means a code is needed but there is no way to ask for one.
var ErrNoPrompt = errors.New("no way to ask for an MFA code")
