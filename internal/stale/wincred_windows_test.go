//go:build windows

package stale

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/danieljoos/wincred"
)

// clean against the real Credential Manager: entries written through
// CredWrite in every target form git's wincred helper and Git Credential
// Manager write; the stale ones go, the others stay.
func TestCleanRealWinCred(t *testing.T) {
	if os.Getenv("MFA_GIT_TEST_CREDMAN") != "1" {
		t.Skip("the Credential Manager may be the developer's own: run ./test.sh --windows, which uses a Wine prefix of its own")
	}
	creds, stale := winCredCases()
	for _, c := range creds {
		g := wincred.NewGenericCredential(c.Target)
		g.UserName, g.CredentialBlob, g.Persist = c.User, c.Blob, wincred.PersistLocalMachine
		if err := g.Write(); err != nil {
			t.Fatalf("CredWrite %q: %v", c.Target, err)
		}
		t.Cleanup(func() { _ = wincred.NewGenericCredential(c.Target).Delete() })
	}
	present := func() []string {
		all, err := wincred.List()
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range all {
			out = append(out, strings.TrimPrefix(c.TargetName, "LegacyGeneric:target="))
		}
		return out
	}
	dry, err := testCleaner(true).WinCred()
	if err != nil || len(dry) != len(stale) {
		t.Fatalf("dry run: %q, %v; want %d entries", dry, err, len(stale))
	}
	if got := present(); len(got) < len(creds) {
		t.Fatalf("the dry run removed entries: %q", got)
	}
	removed, err := testCleaner(false).WinCred()
	if err != nil || !slices.Equal(removed, dry) {
		t.Fatalf("clean: %q, %v; want what the dry run showed, %q", removed, err, dry)
	}
	noSecret(t, "the list", strings.Join(removed, "\n"))
	got := present()
	for _, c := range creds {
		if slices.Contains(got, c.Target) == slices.Contains(stale, c.Target) {
			t.Errorf("%s: present %v afterwards, stale %v", c.Target, slices.Contains(got, c.Target), slices.Contains(stale, c.Target))
		}
	}
}
