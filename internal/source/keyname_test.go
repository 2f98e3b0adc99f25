package source

import (
	"context"
	"runtime"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/keystore"
	"github.com/mfa-git/mfa-git/internal/session"
	"github.com/mfa-git/mfa-git/internal/testkit/keystoretest"
	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// confusableNames: see keystoretest.ConfusableNames.
var confusableNames = keystoretest.ConfusableNames()

// The session keys built on KeyName never share a prefix (the profile
// package tests KeyName and the long-term key entries).
func TestSessionKeysNeverCollide(t *testing.T) {
	for _, a := range confusableNames {
		for _, b := range confusableNames {
			if a == b {
				continue
			}
			pa, pb := testProfile(), testProfile()
			pa.Name, pb.Name = a, b
			if strings.HasPrefix(CacheKey(pb), session.ProfilePrefix(a)) {
				t.Errorf("the session key of %q, %q, starts with the prefix of %q, %q", b, CacheKey(pb), a, session.ProfilePrefix(a))
			}
		}
	}
	// Plain names keep the key they had.
	for _, n := range []string{"default", "base", "my-profile", "dev2"} {
		if session.ProfilePrefix(n) != "session/"+n+"/" {
			t.Errorf("%q: sessions %q", n, session.ProfilePrefix(n))
		}
	}
}

// Against real backends: each name's session is found again, and
// forgetting one profile leaves every other one's.
func TestLogoutLeavesOtherProfiles(t *testing.T) {
	names := []string{"a", "a/b", "a.b", "a_b", "a-b", "a/../b", "A"}
	stores := map[string]func(t *testing.T) keystore.Store{
		"memory": func(*testing.T) keystore.Store { return keystoretest.NewMemory() },
		"file": func(t *testing.T) keystore.Store {
			s, err := keystore.Open(keystore.Config{Backend: keystore.File, FileDir: t.TempDir(), Service: "t",
				Passphrase: func(string) (string, error) { return "pw", nil }})
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
		"keyctl": func(t *testing.T) keystore.Store {
			if runtime.GOOS != "linux" {
				t.Skip("Linux only")
			}
			// Its kernel keyring, entries and all, goes when the test ends.
			testenv.PrivateHome(t)
			s, err := keystore.Open(keystore.Config{Backend: keystore.KeyCtl, Service: testenv.KeyringService(t)})
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
	}
	for backend, open := range stores {
		t.Run(backend, func(t *testing.T) {
			m, _, _, _ := newTestManager(t)
			m.Store = open(t)
			for _, n := range names {
				p := testProfile()
				p.Name = n
				if _, err := m.Session(context.Background(), MFAUser{Profile: p}); err != nil {
					t.Fatal(err)
				}
			}
			for _, gone := range names {
				if n, err := m.Forget(gone); err != nil || n != 1 {
					t.Fatalf("Forget(%q) removed %d entries (%v), want 1", gone, n, err)
				}
				for _, n := range names {
					p := testProfile()
					p.Name = n
					if got := m.Cached(MFAUser{Profile: p}) != nil; got != (n != gone && !forgotten(names, gone, n)) {
						t.Fatalf("after Forget(%q): session of %q cached = %v", gone, n, got)
					}
				}
			}
		})
	}
}

// forgotten reports whether n comes before gone in names (so was
// forgotten by an earlier step of the loop above).
func forgotten(names []string, gone, n string) bool {
	for _, x := range names {
		if x == gone {
			return false
		}
		if x == n {
			return true
		}
	}
	return false
}
