package doctor

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/keystore"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/testkit/keystoretest"
)

// A short or empty aws_access_key_id is described, never sliced past its
// end (it panicked before), and never shown whole.
func TestKeyPrefix(t *testing.T) {
	for _, tc := range []struct{ id, want string }{
		{"", "of 0 characters (not an AWS access key id)"},
		{"AK", "of 2 characters (not an AWS access key id)"},
		{"AKIA", "of 4 characters (not an AWS access key id)"},
		{"AKIAEXAMPLE", "of 11 characters (not an AWS access key id)"},
		{"AKIAIOSFODNN7EXAMPLE", "AKIA..."},
	} {
		if got := keyPrefix(tc.id); got != tc.want {
			t.Errorf("keyPrefix(%q) = %q, want %q", tc.id, got, tc.want)
		}
	}
}

// checkProfileOrRole on a profile whose aws_access_key_id is short: a check
// line, no panic.
func TestCheckProfileShortKey(t *testing.T) {
	for _, id := range []string{"AK", "A", "AKIA", "AKIAIOSFODNN7EXAMPLE"} {
		dir := t.TempDir()
		files := profile.Files{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
		os.WriteFile(files.Config, []byte("[profile dev]\nmfa_serial = arn:aws:iam::123456789012:mfa/dev\n"), 0o600)
		os.WriteFile(files.Credentials, []byte("[dev]\naws_access_key_id = "+id+"\naws_secret_access_key = secret\n"), 0o600)
		env := Env{Profile: "dev", Files: files, Store: func() (keystore.Store, error) { return keystoretest.NewMemory(), nil }}
		_, _, c := checkProfileOrRole(context.Background(), env)
		if c.Status != OK || strings.Contains(c.Detail, "secret") {
			t.Errorf("key %q: %+v", id, c)
		}
		if len(id) < 16 && strings.Contains(c.Detail, id+"...") {
			t.Errorf("key %q shown: %s", id, c.Detail)
		}
	}
}
