package stale

import (
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
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

// An entry may change between the read that classifies it and the
// rewrite: git stores a new password there. Only what is still stale under
// git's lock is removed, and only what is gone is reported.
func TestCleanStoreFileChangedBeforeDelete(t *testing.T) {
	const other = "git-codecommit.eu-west-1.amazonaws.com"
	changed := storeLine(testAKID, testSig, testCC)
	gone := storeLine("AKIAIOSFODNN7EXAMPLE", testSig, other)
	path := filepath.Join(t.TempDir(), ".git-credentials")
	if err := os.WriteFile(path, []byte(changed+"\n"+gone+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// What another process writes at the boundary: the first entry now
	// holds a password that is not a SigV4 one, and a line for another
	// host comes in.
	fresh := storeLine(testAKID, testLong, testCC) + "\n" + gone + "\n" + storeLine("alice", "ghp_secret", "github.com") + "\n"
	c := cleaner{beforeDelete: func(entry string) {
		if entry != path {
			t.Errorf("boundary for %q, want %q", entry, path)
		}
		if err := os.WriteFile(path, []byte(fresh), 0o600); err != nil {
			t.Fatal(err)
		}
	}}
	removed, err := c.storeFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{path + ": https://" + other + " for AKIAIOSFODNN7EXAMPLE"}; strings.Join(removed, "\n") != strings.Join(want, "\n") {
		t.Errorf("reported %q, want %q", removed, want)
	}
	wantLeft := storeLine(testAKID, testLong, testCC) + "\n" + storeLine("alice", "ghp_secret", "github.com") + "\n"
	if got, _ := os.ReadFile(path); string(got) != wantLeft {
		t.Errorf("left\n%s\nwant\n%s", got, wantLeft)
	}
}

// clean takes the lock git credential-store takes: while git holds it,
// nothing is written, and the error says what to do. Real git is the
// oracle for the lock's name: it will not store while clean holds it.
func TestCleanStoreFileGitLock(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, ".git-credentials")
	line := storeLine(testAKID, testSig, testCC) + "\n"
	if err := os.WriteFile(path, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+".lock", nil, 0o600); err != nil {
		t.Fatal(err)
	}
	c := cleaner{Timeout: 50 * time.Millisecond}
	removed, err := c.storeFile(path)
	if len(removed) != 0 || err == nil || !strings.Contains(err.Error(), path+".lock has been held") {
		t.Fatalf("with git's lock held: %q, %v", removed, err)
	}
	if got, _ := os.ReadFile(path); string(got) != line {
		t.Fatal("the file was written while git held its lock")
	}
	if err := os.Remove(path + ".lock"); err != nil {
		t.Fatal(err)
	}

	git := testenv.Require(t, "git")
	lock, err := lockGitFile(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	gitStore := func() ([]byte, error) {
		store := exec.Command(git, "-c", "credentialStore.lockTimeoutMS=0", "credential-store", "--file", path, "store")
		store.Stdin = strings.NewReader("protocol=https\nhost=github.com\nusername=alice\npassword=ghp_secret\n\n")
		return store.CombinedOutput()
	}
	if out, err := gitStore(); err == nil || !strings.Contains(string(out), "lock") {
		t.Errorf("git stored while clean held the lock: %v %s", err, out)
	}
	lock.release()
	if _, err := os.Lstat(path + ".lock"); !os.IsNotExist(err) {
		t.Errorf("the lock is still there after release: %v", err)
	}
	if out, err := gitStore(); err != nil {
		t.Errorf("git cannot store after the lock was released: %v %s", err, out)
	}
}
