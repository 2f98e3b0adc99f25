// Package session turns an AWS profile with long-term keys and an MFA
// device into a temporary MFA session: it reads the profile, asks for the
// one-time code (terminal or token command), calls sts:GetSessionToken, and
// keeps the result in a keystore until shortly before it expires. A
// cross-process lock makes many concurrent callers cause one prompt.
package session

import "errors"

// ErrNoPrompt means a code is needed but there is no way to ask for one.
var ErrNoPrompt = errors.New("no way to ask for an MFA code")
