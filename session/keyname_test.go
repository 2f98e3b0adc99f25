package session

import (
	"context"
	"runtime"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/testenv"
	"github.com/mfa-git/mfa-git/keystore"
	"github.com/mfa-git/mfa-git/keystore/keystoretest"
)

// Profile names that differ by a separator, by case, or by a character
// a backend maps, never share a cache key or a key prefix: logout of one
// used to remove the other's sessions ("a" is a prefix of "a/b").
var confusableNames = []string{
	"a", "a/b", "a.b", "a_b", "a-b", "a b", "A", "a/", "a//b", "a/./b", "a/../b", "..", ".", "a;b", "a%2fb", "a%2Fb",
	"a_2fb", "_2f", "/", "a\\b", "a:b", "dev", "Dev", "DEV", "prod.eu", "prod/eu", "prod_eu",
}

func TestKeyNamesNeverCollide(t *testing.T) {
	seen := map[string]string{}
	for _, n := range confusableNames {
		k := keyName(n)
		if strings.Trim(k, "abcdefghijklmnopqrstuvwxyz0123456789_-") != "" {
			t.Errorf("keyName(%q) = %q: only a-z 0-9 _ - may appear", n, k)
		}
		if o, dup := seen[k]; dup {
			t.Errorf("%q and %q share the key name %q", n, o, k)
		}
		seen[k] = n
	}
	for _, a := range confusableNames {
		for _, b := range confusableNames {
			if a == b {
				continue
			}
			pa, pb := testProfile(), testProfile()
			pa.Name, pb.Name = a, b
			if strings.HasPrefix(cacheKey(pb), ProfilePrefix(a)) {
				t.Errorf("the session key of %q, %q, starts with the prefix of %q, %q", b, cacheKey(pb), a, ProfilePrefix(a))
			}
			if strings.EqualFold(keysKey(a), keysKey(b)) {
				t.Errorf("%q and %q share the long-term key entry %q", a, b, keysKey(a))
			}
		}
	}
	// Plain names keep the key they had.
	for _, n := range []string{"default", "base", "my-profile", "dev2"} {
		if keysKey(n) != "keys/"+n || ProfilePrefix(n) != "session/"+n+"/" {
			t.Errorf("%q: keys %q, sessions %q", n, keysKey(n), ProfilePrefix(n))
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
				if _, err := m.Session(context.Background(), p); err != nil {
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
					if got := m.Cached(p) != nil; got != (n != gone && !forgotten(names, gone, n)) {
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

// Long-term keys stored by an older mfa-git under "keys/NAME" are still
// found, and mfa-git add moves them to the encoded key; an old entry is
// never read for another name.
func TestLegacyKeysFound(t *testing.T) {
	st := keystoretest.NewMemory()
	old := func(name, akid string) {
		st.Set("keys/"+name, []byte(`{"access_key_id":"`+akid+`","secret_access_key":"s"}`))
	}
	old("team/dev", "AKIAOLDTEAMDEV000000")
	old("_2f", "AKIAOLDUNDERSCORE000") // "/" encodes as "_2f"
	old("base", "AKIAOLDBASE000000000")
	for _, tt := range []struct{ name, want string }{
		{"team/dev", "AKIAOLDTEAMDEV000000"}, {"_2f", "AKIAOLDUNDERSCORE000"}, {"base", "AKIAOLDBASE000000000"}, {"/", ""}, {"team", ""},
	} {
		id, _, err := StoredKeys(st, tt.name)
		if id != tt.want || (tt.want == "") != (err != nil) {
			t.Errorf("StoredKeys(%q) = %q, %v; want %q", tt.name, id, err, tt.want)
		}
	}
	if err := StoreKeys(st, "team/dev", "AKIANEWTEAMDEV000000", "s2"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Get("keys/team/dev"); err == nil {
		t.Error("the old entry of team/dev is still there after StoreKeys")
	}
	if err := StoreKeys(st, "/", "AKIANEWSLASH00000000", "s3"); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"team/dev": "AKIANEWTEAMDEV000000", "/": "AKIANEWSLASH00000000", "_2f": "AKIAOLDUNDERSCORE000"} {
		if id, _, err := StoredKeys(st, name); id != want {
			t.Errorf("after StoreKeys: StoredKeys(%q) = %q, %v; want %q", name, id, err, want)
		}
	}
}
