package keystore

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckFilePassphrase: a passphrase is accepted for the file keyring
// only if a fresh open with it reads every entry already there.
func TestCheckFilePassphrase(t *testing.T) {
	pass := func(p string) func(string) (string, error) {
		return func(string) (string, error) { return p, nil }
	}
	for _, tc := range []struct {
		name    string
		written map[string]string // key -> passphrase it was written with
		check   string
		wantErr bool
	}{
		{"new keyring, any passphrase", nil, "anything", false},
		{"right passphrase", map[string]string{"keys/a": "right"}, "right", false},
		{"wrong passphrase", map[string]string{"keys/a": "right"}, "wrong", true},
		{"one entry of another passphrase", map[string]string{"keys/a": "right", "keys/b": "other"}, "right", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "keyring")
			service := testService(t)
			for k, p := range tc.written {
				s, err := Open(Config{Backend: File, Service: service, FileDir: dir, Passphrase: pass(p)})
				if err != nil {
					t.Fatal(err)
				}
				if err := s.Set(k, []byte("v")); err != nil {
					t.Fatal(err)
				}
			}
			cfg := Config{Service: service, FileDir: dir, Passphrase: pass(tc.check)}
			gotDir, keys, err := FileEntries(cfg)
			if err != nil || gotDir != dir || len(keys) != len(tc.written) {
				t.Fatalf("FileEntries = %q, %q, %v", gotDir, keys, err)
			}
			err = CheckFilePassphrase(cfg)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error: %v", err, tc.wantErr)
			}
			if err != nil && (!errors.Is(err, ErrWrongPassphrase) || !strings.Contains(err.Error(), "does not open the existing file keyring at "+dir)) {
				t.Errorf("err = %v", err)
			}
		})
	}
}
