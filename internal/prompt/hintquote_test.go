package prompt

import (
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/profile"
)

// Hints are commands (see also the profile package's test) to copy into a shell, so a profile name in them is
// one quoted word: a hostile name never becomes shell code there.
func TestHintsQuoteProfileNames(t *testing.T) {
	const name = "x; touch pwned"
	const quoted = "'x; touch pwned'"
	p := &profile.Profile{Name: name, MFASerial: "arn:aws:iam::123456789012:mfa/alice"}
	tests := []struct {
		what string
		err  error
	}{
		{"no prompt possible", NoPrompt(p, "there is no terminal to ask on")},
	}
	for _, tt := range tests {
		t.Run(tt.what, func(t *testing.T) {
			h := hint.Of(tt.err)
			if !strings.Contains(h, quoted) {
				t.Errorf("hint %q does not name the profile as %s", h, quoted)
			}
			if strings.Contains(strings.ReplaceAll(h, quoted, ""), name) {
				t.Errorf("hint %q names the profile unquoted", h)
			}
		})
	}
}
