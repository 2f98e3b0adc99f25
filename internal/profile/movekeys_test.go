package profile

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/keystore"
	"github.com/mfa-git/mfa-git/internal/testkit/keystoretest"
)

// sameStore opens the one store every time, as a keyring that keeps its
// entries does.
func sameStore(st keystore.Store) Opener {
	return func() (keystore.Store, error) { return st, nil }
}

func TestMoveKeys(t *testing.T) {
	for _, inFiles := range []bool{true, false} {
		f := writeFiles(t, "[profile base]\nmfa_serial = arn:aws:iam::1:mfa/a\n", "[base]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s\n[other]\naws_access_key_id = AKIAOTHERKEY0EXAMPLE\n")
		st := keystoretest.NewMemory()
		var said []string
		err := MoveKeys(sameStore(st), f, "base", "AKIAAAAAAAAAAAAAAAAA", "s", inFiles, func(format string, args ...any) { said = append(said, format) })
		if err != nil {
			t.Fatal(err)
		}
		if id, secret, err := StoredKeys(st, "base"); id != "AKIAAAAAAAAAAAAAAAAA" || secret != "s" || err != nil {
			t.Errorf("stored %q, %v", id, err)
		}
		creds, _ := os.ReadFile(f.Credentials)
		cfg, _ := os.ReadFile(f.Config)
		if got := strings.Contains(string(creds), "aws_secret_access_key = s"); got == inFiles {
			t.Errorf("inFiles=%v: credentials file now %q", inFiles, creds)
		}
		if !strings.Contains(string(creds), "AKIAOTHERKEY0EXAMPLE") {
			t.Errorf("another profile's key was touched: %q", creds)
		}
		if cp, _ := CredentialProcess("base"); !strings.Contains(string(cfg), "credential_process = "+cp) {
			t.Errorf("config file: %q", cfg)
		}
		if want := map[bool]int{true: 3, false: 2}[inFiles]; len(said) != want {
			t.Errorf("inFiles=%v: said %q", inFiles, said)
		}
	}
}

// otherKey answers every Get with another profile's valid-looking key.
type otherKey struct{ keystore.Store }

func (o otherKey) Get(key string) ([]byte, error) {
	return []byte(`{"access_key_id":"AKIAOTHERKEY0EXAMPLE","secret_access_key":"x","profile":"base"}`), nil
}

// TestMoveKeysReadsBackFreshly: the key leaves the files only when a
// fresh open of the keyring (what the next command sees) returns exactly
// it; otherwise no file changes at all.
func TestMoveKeysReadsBackFreshly(t *testing.T) {
	written := keystoretest.NewMemory()
	tests := []struct {
		name string
		open func() Opener
		want string
	}{
		{"the next open sees nothing", func() Opener {
			first := true
			return func() (keystore.Store, error) {
				if first {
					first = false
					return written, nil
				}
				return keystoretest.NewMemory(), nil
			}
		}, "did not read back from the memory keyring opened again"},
		{"the next open fails", func() Opener {
			n := 0
			return func() (keystore.Store, error) {
				if n++; n > 1 {
					return nil, errors.New("wrong passphrase for /x/keys%2Fbase")
				}
				return written, nil
			}
		}, "open the keyring again to read the keys back: wrong passphrase"},
		{"the next open returns another key", func() Opener {
			n := 0
			return func() (keystore.Store, error) {
				if n++; n > 1 {
					return otherKey{keystoretest.NewMemory()}, nil
				}
				return written, nil
			}
		}, "returned another key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := "[profile base]\nmfa_serial = arn:aws:iam::1:mfa/a\n"
			creds := "[base]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s\n"
			f := writeFiles(t, cfg, creds)
			err := MoveKeys(tt.open(), f, "base", "AKIAAAAAAAAAAAAAAAAA", "s", true, func(string, ...any) {})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "the AWS files were not changed") {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if got, _ := os.ReadFile(f.Credentials); string(got) != creds {
				t.Errorf("credentials file changed: %q", got)
			}
			if got, _ := os.ReadFile(f.Config); string(got) != cfg {
				t.Errorf("config file changed: %q", got)
			}
		})
	}
}
