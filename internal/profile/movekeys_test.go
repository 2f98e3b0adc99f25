package profile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/keystore"
	"github.com/mfa-git/mfa-git/internal/testkit/keystoretest"
	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
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

// TestMoveKeysNeverLosesAKey: add removes from the files only the lines
// that hold the very key it stored, and refuses, before anything is
// stored or written, when any line a reader may take for the profile
// holds another key (it would be lost: the AWS tools ignore it, but it
// may be the only copy) or sets credential_process where it wins over
// the one add writes. The AWS SDK for Go's loader checks the result.
func TestMoveKeysNeverLosesAKey(t *testing.T) {
	testenv.ClearAWSEnv(t)
	const (
		bID, bSecret = "AKIABBBBBBBBBBBBBBBB", "bsecret"
		bKeys        = "aws_access_key_id = " + bID + "\naws_secret_access_key = " + bSecret + "\n"
		cKeys        = "aws_access_key_id = AKIACCCCCCCCCCCCCCCC\naws_secret_access_key = csecret\n"
	)
	tests := []struct {
		name, profile, cfg, creds string
		err                       []string // in the error; none: it succeeds
		said                      []string // files named in the output
		keptCreds                 string   // still in the credentials file
	}{
		{name: "another key in the config file", profile: "dev",
			cfg: "[profile dev]\n" + cKeys, creds: "[dev]\n" + bKeys,
			err: []string{"config:2", "aws_access_key_id"}},
		{name: "[default] beside [profile default]", profile: "default",
			cfg: "[default]\n" + cKeys + "[profile default]\nregion = eu-west-1\n", creds: "[default]\n" + bKeys,
			err: []string{"config:2"}},
		{name: "a section given twice", profile: "dev",
			cfg: "", creds: "[dev]\n" + cKeys + "[dev]\n" + bKeys,
			err: []string{"credentials:2"}},
		{name: "a session token beside the key", profile: "dev",
			cfg: "", creds: "[dev]\n" + bKeys + "aws_session_token = tok\n",
			err: []string{"credentials:4", "aws_session_token"}},
		{name: "credential_process in the credentials file wins", profile: "dev",
			cfg: "[profile dev]\nregion = eu-west-1\n", creds: "[dev]\n" + bKeys + "credential_process = /usr/local/bin/old-helper\n",
			err: []string{"credentials:4", "credential_process"}},
		{name: "the same key in both files", profile: "dev",
			cfg: "[profile dev]\n" + bKeys, creds: "[dev]\n" + bKeys,
			said: []string{"config", "credentials"}},
		{name: "[profile dev] in the credentials file is no reader's", profile: "dev",
			cfg: "", creds: "[profile dev]\n" + cKeys + "[dev]\n" + bKeys,
			said: []string{"credentials"}, keptCreds: "[profile dev]\n" + cKeys},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := writeFiles(t, tt.cfg, tt.creds)
			st := keystoretest.NewMemory()
			var said []string
			err := MoveKeys(sameStore(st), f, tt.profile, bID, bSecret, true, func(format string, args ...any) { said = append(said, fmt.Sprintf(format, args...)) })
			cfg, _ := os.ReadFile(f.Config)
			creds, _ := os.ReadFile(f.Credentials)
			if tt.err != nil {
				if err == nil {
					t.Fatalf("MoveKeys succeeded: config %q, credentials %q", cfg, creds)
				}
				for _, want := range tt.err {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("err = %v, want %q in it", err, want)
					}
				}
				if string(cfg) != tt.cfg || string(creds) != tt.creds {
					t.Errorf("files changed: config %q, credentials %q", cfg, creds)
				}
				if _, _, err := StoredKeys(st, tt.profile); err == nil {
					t.Error("the key was stored before the refusal")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(cfg)+string(creds), bSecret) {
				t.Errorf("the key is still in the files: config %q, credentials %q", cfg, creds)
			}
			if !strings.Contains(string(creds), tt.keptCreds) {
				t.Errorf("credentials file %q, want it to keep %q", creds, tt.keptCreds)
			}
			last := said[len(said)-1]
			for _, name := range tt.said {
				if !strings.Contains(last, filepath.Join(filepath.Dir(f.Config), name)) {
					t.Errorf("said %q, want it to name %s", last, name)
				}
			}
			sc, err := sdkLoad(f, tt.profile)
			cp, _ := CredentialProcess(tt.profile)
			if err != nil || sc.Credentials.HasKeys() || sc.CredentialProcess != cp {
				t.Errorf("the SDK reads keys %v, credential_process %q (err %v); want no keys and %q", sc.Credentials.HasKeys(), sc.CredentialProcess, err, cp)
			}
		})
	}
}
