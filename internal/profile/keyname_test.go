package profile

import (
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/keystore"
	"github.com/mfa-git/mfa-git/internal/testkit/keystoretest"
)

// confusableNames: see keystoretest.ConfusableNames.
var confusableNames = keystoretest.ConfusableNames()

func TestKeyNamesNeverCollide(t *testing.T) {
	seen := map[string]string{}
	for _, n := range confusableNames {
		k := keystore.KeyName(n)
		if strings.Trim(k, "abcdefghijklmnopqrstuvwxyz0123456789_-") != "" {
			t.Errorf("KeyName(%q) = %q: only a-z 0-9 _ - may appear", n, k)
		}
		if o, dup := seen[k]; dup {
			t.Errorf("%q and %q share the key name %q", n, o, k)
		}
		seen[k] = n
	}
	for _, a := range confusableNames {
		for _, b := range confusableNames {
			if a != b && strings.EqualFold(keysKey(a), keysKey(b)) {
				t.Errorf("%q and %q share the long-term key entry %q", a, b, keysKey(a))
			}
		}
	}
	// Plain names keep the key they had.
	for _, n := range []string{"default", "base", "my-profile", "dev2"} {
		if keysKey(n) != "keys/"+n {
			t.Errorf("%q: keys %q", n, keysKey(n))
		}
	}
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
