package keystore

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	zk "github.com/zalando/go-keyring"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// testService returns a namespace no other test run shares; its kernel
// keyring, if the test made one, is removed when the test ends.
func testService(t *testing.T) string {
	t.Helper()
	return testenv.KeyringService(t)
}

// contract checks the behaviour every backend must have.
func contract(t *testing.T, s Store) {
	t.Helper()
	if _, err := s.Get("absent"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get(absent) = %v, want ErrNotFound", err)
	}
	if err := s.Remove("absent"); err != nil {
		t.Fatalf("Remove(absent) = %v, want nil", err)
	}
	if err := s.Set("alpha", []byte(`{"a":1}`)); err != nil {
		t.Fatalf("Set: %v", err)
	}
	if err := s.Set("alpha", []byte(`{"a":2}`)); err != nil {
		t.Fatalf("Set again: %v", err)
	}
	if v, err := s.Get("alpha"); err != nil || string(v) != `{"a":2}` {
		t.Fatalf("Get(alpha) = %q, %v", v, err)
	}
	// Over every backend's limit: stored in parts, read back whole.
	big := bytes.Repeat([]byte("0123456789abcdef"), 400)
	if err := s.Set("big", big); err != nil {
		t.Fatalf("Set(big): %v", err)
	}
	if v, err := s.Get("big"); err != nil || !bytes.Equal(v, big) {
		t.Fatalf("Get(big) returned %d bytes, %v", len(v), err)
	}
	keys, err := s.List()
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if strings.Join(keys, ",") != "alpha,big" {
		t.Fatalf("List = %q, want [alpha big] (parts hidden)", keys)
	}
	// Shrinking a split value leaves no orphan parts.
	if err := s.Set("big", []byte("small")); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Get("big"); string(v) != "small" {
		t.Fatalf("Get(big) after shrink = %q", v)
	}
	if err := s.Set("big", big); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"alpha", "big"} {
		if err := s.Remove(k); err != nil {
			t.Fatalf("Remove(%s): %v", k, err)
		}
		if _, err := s.Get(k); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Get(%s) after Remove = %v", k, err)
		}
	}
	if keys, _ := s.List(); len(keys) != 0 {
		t.Fatalf("List after Remove = %q", keys)
	}
}

func TestMemory(t *testing.T) { contract(t, newMemory()) }

func TestFile(t *testing.T) {
	testenv.PrivateHome(t)
	dir := t.TempDir() + "/keys"
	cfg := Config{Backend: File, Service: testService(t), FileDir: dir,
		Passphrase: func(string) (string, error) { return "correct horse", nil }}
	s, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	contract(t, s)
	if err := s.Set("k", []byte("super-secret-value")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(dir)
	if want := testenv.Perm(0o700, true); err != nil || fi.Mode().Perm() != want {
		t.Fatalf("dir mode = %v, %v; want %v", fi.Mode().Perm(), err, want)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		b, _ := os.ReadFile(dir + "/" + e.Name())
		if bytes.Contains(b, []byte("super-secret-value")) {
			t.Fatalf("%s holds the value in plain text", e.Name())
		}
		if info, _ := e.Info(); info.Mode().Perm() != testenv.Perm(0o600, false) {
			t.Fatalf("%s mode = %v, want 0600", e.Name(), info.Mode().Perm())
		}
	}
	// A wrong passphrase cannot read it.
	cfg.Passphrase = func(string) (string, error) { return "wrong", nil }
	s2, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := s2.Get("k"); err == nil {
		t.Fatalf("read %q with the wrong passphrase", v)
	}
}

// fakeOS emulates zalando/go-keyring's platform limits, so the macOS and
// Windows paths are exercised on Linux through the keychainAPI seam.
type fakeOS struct {
	m     map[string]string
	limit func(service, user, password string) bool
}

func (f *fakeOS) Get(s, u string) (string, error) {
	v, ok := f.m[s+"\x00"+u]
	if !ok {
		return "", zk.ErrNotFound
	}
	return v, nil
}
func (f *fakeOS) Set(s, u, p string) error {
	if f.limit(s, u, p) {
		return zk.ErrSetDataTooBig
	}
	f.m[s+"\x00"+u] = p
	return nil
}
func (f *fakeOS) Delete(s, u string) error {
	if _, ok := f.m[s+"\x00"+u]; !ok {
		return zk.ErrNotFound
	}
	delete(f.m, s+"\x00"+u)
	return nil
}

func TestKeychainPlatformLimits(t *testing.T) {
	limits := map[string]func(s, u, p string) bool{
		// zalando on macOS: the hex-encoded password plus the command must
		// fit in 4096 bytes.
		"darwin": func(s, u, p string) bool {
			return len("add-generic-password -U -s "+s+" -a "+u+" -w go-keyring-encoded:")+2*len(p) > 4096
		},
		// Windows Credential Manager: the blob is at most 2560 bytes.
		"windows": func(s, u, p string) bool { return len(p) > 2560 },
	}
	for goos, limit := range limits {
		t.Run(goos, func(t *testing.T) {
			api := &fakeOS{m: map[string]string{}, limit: limit}
			contract(t, &chunked{&keychain{rawKeychain: rawKeychain{"mfa-git", api}}, keychainChunk})
			// The fake itself must refuse what the real store refuses,
			// or this test proves nothing.
			if err := api.Set("mfa-git", "x", strings.Repeat("a", 5000)); !errors.Is(err, zk.ErrSetDataTooBig) {
				t.Fatal("fake accepted an oversized value")
			}
		})
	}
}
