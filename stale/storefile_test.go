package stale

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/testenv"
)

// storeLine is what git-credential-store writes: user and password
// percent-encoded in the URL.
func storeLine(user, password, host string) string {
	return "https://" + url.UserPassword(user, password).String() + "@" + host
}

func TestCleanStoreFile(t *testing.T) {
	const cc = "git-codecommit.us-east-1.amazonaws.com"
	sig := "20240102T030405Z" + testHex
	session := storeLine(testAKID+"%"+testToken, sig, cc)
	if !strings.Contains(session, "%25") {
		t.Fatalf("the test line is not encoded as git writes it: %s", session)
	}
	stale := []string{
		session,
		storeLine("AKIAIOSFODNN7EXAMPLE", sig, "git-codecommit-fips.us-gov-west-1.amazonaws.com"),
		storeLine(testAKID, sig, "vpce-0ab-12.git-codecommit.eu-west-1.vpce.amazonaws.com:443"),
	}
	keep := []string{
		storeLine("alice-at-123456789012", "Xk4bD8mW0p/Qr7+Tz2nE5vLc9yHj1aFg3sK6uI0oP8=", cc),
		storeLine("alice", "ghp_secret", "github.com"),
		storeLine(testAKID, sig, cc+".evil.example"),
		storeLine(testAKID, sig, "git-codecommit.amazonaws.com"),
		storeLine(testAKID, "20240102T030405Z"+strings.ToUpper(testHex), cc),
		storeLine(testAKID, "20240231T030405Z"+testHex, cc),
		"http://" + strings.TrimPrefix(storeLine(testAKID, sig, cc), "https://"),
		"https://" + testAKID + "%" + testToken + ":" + sig + "@" + cc, // raw %: unparseable
		"not a url",
		"",
	}
	var in, want strings.Builder
	for i, l := range append(append([]string{}, keep...), stale...) {
		end := "\n"
		if i%3 == 1 {
			end = "\r\n"
		}
		in.WriteString(l + end)
		if i < len(keep) {
			want.WriteString(l + end)
		}
	}
	in.WriteString(stale[0]) // the last line without a newline

	dir := t.TempDir()
	real := filepath.Join(dir, "dotfiles", "git-credentials")
	os.Mkdir(filepath.Dir(real), 0o700)
	if err := os.WriteFile(real, []byte(in.String()), 0o640); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, ".git-credentials")
	testenv.Symlink(t, real, link)

	dry, err := CleanStoreFile(link, true)
	if err != nil || len(dry) != 4 {
		t.Fatalf("dry run: %q, %v; want 4 entries", dry, err)
	}
	if got, _ := os.ReadFile(real); string(got) != in.String() {
		t.Fatal("the dry run changed the file")
	}
	removed, err := CleanStoreFile(link, false)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(removed, "\n") != strings.Join(dry, "\n") {
		t.Fatalf("removed %q, the dry run listed %q", removed, dry)
	}
	wantShown := link + ": https://" + cc + " for " + testAKID + " (session)"
	if removed[0] != wantShown {
		t.Errorf("shown as %q, want %q", removed[0], wantShown)
	}
	for _, r := range removed {
		if strings.Contains(r, testToken) || strings.Contains(r, "%") || strings.Contains(r, testHex) {
			t.Errorf("a secret is shown: %q", r)
		}
	}
	if got, _ := os.ReadFile(real); string(got) != want.String() {
		t.Fatalf("kept\n%q\nwant\n%q", got, want.String())
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the symlink was replaced by a file: %v %v", fi.Mode(), err)
	}
	if fi, _ := os.Stat(real); fi.Mode().Perm() != testenv.Perm(0o640, false) {
		t.Fatalf("mode changed to %v", fi.Mode().Perm())
	}
	if r, err := CleanStoreFile(link, false); len(r) != 0 || err != nil {
		t.Fatalf("second run: %q %v", r, err)
	}
	if r, err := CleanStoreFile(filepath.Join(dir, "missing"), false); r != nil || err != nil {
		t.Fatalf("missing file: %q %v", r, err)
	}
}
