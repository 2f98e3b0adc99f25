package profile

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/keystore"
	"github.com/mfa-git/mfa-git/internal/testkit/keystoretest"
)

// failingGet is a keyring whose reads fail with err.
type failingGet struct {
	keystore.Store
	err error
}

func (f failingGet) Get(string) ([]byte, error) { return nil, f.err }

// When the keyring that holds a profile's keys cannot be read, the
// keyring's own advice reaches the user (a wrong file passphrase, a
// locked keychain, a missing daemon), not a generic one; without any,
// the generic one says what to do.
func TestKeyringReadKeepsItsHint(t *testing.T) {
	dir := t.TempDir()
	files := Files{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
	os.WriteFile(files.Config, []byte("[profile dev]\nmfa_serial = arn:aws:iam::123456789012:mfa/dev\n"), 0o600)
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"wrong passphrase", hint.New(errors.New("aes.KeyUnwrap(): integrity check failed"), "wrong passphrase for /home/u/.config/mfa-git/keyring", "type the passphrase again, or set MFA_GIT_FILE_PASSPHRASE"), "type the passphrase again"},
		{"daemon gone", keystore.ErrUnavailable, "start or restart the keyring daemon"},
		{"no advice", errors.New("i/o error"), "unlock the keyring, or store the keys again: mfa-git add --profile dev"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadKeys(context.Background(), "dev", files, failingGet{keystoretest.NewMemory(), tc.err})
			if err == nil || !strings.Contains(hint.Of(err), tc.want) {
				t.Errorf("error %v, hint %q; want a hint with %q", err, hint.Of(err), tc.want)
			}
		})
	}
}
