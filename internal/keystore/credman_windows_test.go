//go:build windows

package keystore

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/danieljoos/wincred"
)

// credManLimit is the largest credential blob Windows Credential Manager
// takes (CRED_MAX_CREDENTIAL_BLOB_SIZE). Wine 8.0 does not enforce it, so
// the tests below check every blob mfa-git wrote against it.
const credManLimit = 2560

// realCredMan opens the keychain backend over the real Credential Manager
// in a namespace of the test's own, or skips the test where the Credential
// Manager may be the developer's: test.sh --windows runs it in a Wine
// prefix of its own, and the CI workflow on a throwaway runner.
func realCredMan(t *testing.T) (Store, string) {
	t.Helper()
	if os.Getenv("MFA_GIT_TEST_CREDMAN") != "1" {
		t.Skip("the Credential Manager may be the developer's own: run ./test.sh --windows, which uses a Wine prefix of its own")
	}
	svc := testService(t)
	s, err := Open(Config{Backend: Keychain, Service: svc, StateDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		left := credManEntries(t, svc)
		if string(left[svc+":"+indexKey]) == "[]" {
			delete(left, svc+":"+indexKey) // an index that lists nothing
		}
		if len(left) > 0 {
			t.Errorf("left in the Credential Manager: %q", left)
		}
	})
	return s, svc
}

// credManEntries lists the generic credentials of service as the
// Credential Manager holds them, target name to blob.
func credManEntries(t *testing.T, service string) map[string][]byte {
	t.Helper()
	creds, err := wincred.List()
	if err != nil {
		t.Fatalf("CredEnumerate: %v", err)
	}
	out := map[string][]byte{}
	for _, c := range creds {
		if strings.HasPrefix(c.TargetName, service+":") {
			out[c.TargetName] = c.CredentialBlob
		}
	}
	return out
}

// blobsFit fails the test if any blob of service is over the limit.
func blobsFit(t *testing.T, service string) int {
	t.Helper()
	entries := credManEntries(t, service)
	for target, blob := range entries {
		if len(blob) > credManLimit {
			t.Errorf("%s holds a %d-byte blob; Windows takes at most %d", target, len(blob), credManLimit)
		}
	}
	return len(entries)
}

func TestCredentialManagerContract(t *testing.T) {
	s, _ := realCredMan(t)
	contract(t, s)
}

// Values around and far over one credential's limit are stored in parts
// that each fit, and read back whole.
func TestCredentialManagerSplitsBlobs(t *testing.T) {
	s, svc := realCredMan(t)
	for _, n := range []int{credManLimit - 1, credManLimit, credManLimit + 1, 5000, 40 * keychainChunk} {
		v := bytes.Repeat([]byte("0123456789abcdef"), n/16+1)[:n]
		if err := s.Set("big", v); err != nil {
			t.Fatalf("Set %d bytes: %v", n, err)
		}
		if got, err := s.Get("big"); err != nil || !bytes.Equal(got, v) {
			t.Fatalf("Get after Set of %d bytes: %d bytes, %v", n, len(got), err)
		}
		if entries := blobsFit(t, svc); n > credManLimit && entries < 3 {
			t.Errorf("%d bytes stored in %d entries: not split", n, entries)
		}
	}
	if err := s.Remove("big"); err != nil {
		t.Fatal(err)
	}
}

// Many entries with odd names: all listed, all read back, all removed; the
// index that lists them outgrows one credential and is split too.
func TestCredentialManagerManyOddNames(t *testing.T) {
	s, svc := realCredMan(t)
	// Names of 100 characters: Wine keeps credentials in registry keys,
	// whose names end at 255 characters (Windows takes 32767).
	odd := []string{"session/team dev/0123456789abcdef", "ünïcödé/名前/ключ", `back\slash`, "a:b=c%d+e&f", "tab\there", "quote\"'`", "semi;colon|pipe", "..", "#1", strings.Repeat("long", 25)}
	want := map[string][]byte{}
	for i := 0; i < 60; i++ {
		k := fmt.Sprintf("%s/%02d", odd[i%len(odd)], i)
		v := []byte(strings.Repeat(fmt.Sprintf("value %d ", i), 1+i*20))
		want[k] = v
		if err := s.Set(k, v); err != nil {
			t.Fatalf("Set(%q): %v", k, err)
		}
	}
	keys, err := s.List()
	if err != nil || len(keys) != len(want) {
		t.Fatalf("List: %d keys, %v; want %d", len(keys), err, len(want))
	}
	for _, k := range keys {
		if got, err := s.Get(k); err != nil || !bytes.Equal(got, want[k]) {
			t.Fatalf("Get(%q) = %d bytes, %v; want %d", k, len(got), err, len(want[k]))
		}
	}
	blobsFit(t, svc)
	for k := range want {
		if err := s.Remove(k); err != nil {
			t.Fatalf("Remove(%q): %v", k, err)
		}
	}
	if keys, _ := s.List(); len(keys) != 0 {
		t.Fatalf("List after removing all = %q", keys)
	}
}
