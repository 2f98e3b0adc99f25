package profile

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/hint"
)

// Hints are commands (see also the prompt package's test) to copy into a shell, so a profile name in them is
// one quoted word: a hostile name never becomes shell code there.
func TestHintsQuoteProfileNames(t *testing.T) {
	const name = "x; touch pwned"
	const quoted = "'x; touch pwned'"
	dir := t.TempDir()
	files := Files{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
	_, missing := Load(context.Background(), name, files, nil)
	tests := []struct {
		what string
		err  error
	}{
		{"profile not found", missing},
		{"no long-term key", (&Profile{Name: name}).check()},
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
