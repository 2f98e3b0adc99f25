//go:build !windows

// Windows has no Secret Service: stale cleans the Credential Manager there
// (wincred_windows_test.go).

package stale

import (
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"

	"github.com/godbus/dbus/v5"

	"github.com/mfa-git/mfa-git/internal/keystore"
	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// Items of git's libsecret helper and of Git Credential Manager in a real
// Secret Service: only the stale CodeCommit passwords are removed.
func TestCleanLibsecret(t *testing.T) {
	tool, tag := secretTool(t)
	store := func(secret string, attrs ...string) []string {
		t.Helper()
		attrs = append(attrs, "mfa-git-test", tag)
		cmd := exec.Command(tool, append([]string{"store", "--label=test"}, attrs...)...)
		cmd.Stdin = strings.NewReader(secret)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("secret-tool store: %v %s", err, out)
		}
		return attrs
	}
	present := func(attrs []string) bool {
		return exec.Command(tool, append([]string{"lookup"}, attrs...)...).Run() == nil
	}
	defer exec.Command(tool, "clear", "mfa-git-test", tag).Run()
	git := func(server, user string) []string {
		return []string{"xdg:schema", "org.git.Password", "protocol", "https", "server", server, "user", user}
	}
	gcm := func(service, account string) []string {
		return []string{"xdg:schema", "com.microsoft.GitCredentialManager", "service", service, "account", account}
	}
	raw := testAKID + "%" + testToken
	stale := [][]string{
		store(testSig, git(testCC, raw)...),
		store(testSig, git("git-codecommit.eu-west-3.amazonaws.com", "AKIAIOSFODNN7EXAMPLE")...),
		store(testSig, gcm("git:https://"+testCC, raw)...),
		store(testSig, gcm("git:https://git-codecommit.eu-west-3.amazonaws.com/v1/repos/app", testAKID)...),
		// git 2.43's libsecret keeps the expiry in the secret.
		store(testSig+"\npassword_expiry_utc=1700000000", git("git-codecommit.ap-south-1.amazonaws.com", testAKID)...),
	}
	kept := [][]string{
		store(testLong, git(testCC, testIAM)...),
		store(testLong, gcm("git:https://"+testCC, testIAM)...),
		store("hunter2", git(testCC, testAKID)...),
		store(testSig, git("github.com", testAKID)...),
		store(testSig, git(testCC+".evil.example", testAKID)...),
		store(testSig, gcm("git:https://github.com", testAKID)...),
		store(testSig, gcm("https://"+testCC, testAKID)...),
		store(testSig+"\nunknown=1", git(testCC, "AKIAIOSFODNN7EXAMPLE")...),
		store(strings.ToUpper(testSig), gcm("git:https://"+testCC, "AKIAIOSFODNN7EXAMPLE")...),
	}
	for _, dry := range []bool{true, false} {
		removed, err := testCleaner(dry).Libsecret()
		if err != nil {
			t.Fatal(err)
		}
		var ours []string
		for _, r := range removed {
			noSecret(t, "the list", r)
			ours = append(ours, r)
		}
		sort.Strings(ours)
		want := []string{
			"Secret Service (Git Credential Manager): https://git-codecommit.eu-west-3.amazonaws.com for " + testAKID,
			"Secret Service (Git Credential Manager): https://" + testCC + " for " + testAKID + " (session)",
			"Secret Service (git libsecret): https://git-codecommit.ap-south-1.amazonaws.com for " + testAKID,
			"Secret Service (git libsecret): https://git-codecommit.eu-west-3.amazonaws.com for AKIAIOSFODNN7EXAMPLE",
			"Secret Service (git libsecret): https://" + testCC + " for " + testAKID + " (session)",
		}
		if strings.Join(ours, "\n") != strings.Join(want, "\n") {
			t.Fatalf("dry run %v: removed\n%s\nwant\n%s", dry, strings.Join(ours, "\n"), strings.Join(want, "\n"))
		}
		for i, a := range stale {
			if present(a) != dry {
				t.Errorf("dry run %v: stale item %d present %v", dry, i, !dry)
			}
		}
		for i, a := range kept {
			if !present(a) {
				t.Errorf("dry run %v: kept item %d was removed", dry, i)
			}
		}
	}
}

// A stale item in a locked keyring is kept and reported, and clean asks
// for no unlock prompt.
func TestCleanLibsecretLocked(t *testing.T) {
	requireSecretService(t)
	pw := os.Getenv("MFA_GIT_TEST_KEYRING_PASSWORD")
	if pw == "" {
		t.Skip("MFA_GIT_TEST_KEYRING_PASSWORD (set by test.sh) is needed to unlock the keyring again")
	}
	tag := fmt.Sprintf("%d-%s", os.Getpid(), t.Name())
	attrs := []string{"xdg:schema", "org.git.Password", "protocol", "https", "server", testCC, "user", testAKID, "mfa-git-test", tag}
	store := exec.Command("secret-tool", append([]string{"store", "--label=test"}, attrs...)...)
	store.Stdin = strings.NewReader(testSig)
	if out, err := store.CombinedOutput(); err != nil {
		t.Fatalf("secret-tool store: %v %s", err, out)
	}
	// Runs after lockLogin's cleanup has unlocked the keyring again.
	t.Cleanup(func() { exec.Command("secret-tool", "clear", "mfa-git-test", tag).Run() })
	testenv.LockLoginKeyring(t, pw)
	removed, err := testCleaner(false).Libsecret()
	if len(removed) != 0 || err == nil || !strings.Contains(err.Error(), "1 CodeCommit item(s) in a locked keyring") {
		t.Fatalf("locked: removed %q, %v", removed, err)
	}
	// Attributes can be searched while the collection is locked.
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var unlocked, locked []dbus.ObjectPath
	if err := conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets").Call("org.freedesktop.Secret.Service.SearchItems", 0,
		map[string]string{"mfa-git-test": tag}).Store(&unlocked, &locked); err != nil {
		t.Fatal(err)
	}
	if len(unlocked)+len(locked) != 1 {
		t.Fatalf("the item in the locked keyring is gone: %v %v", unlocked, locked)
	}
}

// secretTool returns secret-tool's path and an attribute value that tags
// the test's items, after requireSecretService.
func secretTool(t *testing.T) (tool, tag string) {
	t.Helper()
	requireSecretService(t)
	tool, err := exec.LookPath("secret-tool")
	if err != nil {
		t.Skip("secret-tool is not installed")
	}
	return tool, fmt.Sprintf("%d-%s", os.Getpid(), t.Name())
}

// requireSecretService skips unless a Secret Service answers on a bus
// test.sh started for the tests, with its own gnome-keyring unlocked:
// these tests write to, lock and clean the login keyring, which must never
// be the developer's.
func requireSecretService(t *testing.T) {
	t.Helper()
	testenv.RequirePrivateBus(t)
	if !keystore.SecretServiceReachable() {
		if os.Getenv("MFA_GIT_REQUIRE_SECRET_SERVICE") != "" {
			t.Fatal("MFA_GIT_REQUIRE_SECRET_SERVICE is set but no Secret Service is on the session bus")
		}
		t.Skip("no Secret Service on the session bus (run under dbus-run-session with gnome-keyring, as .ci/run does)")
	}
}

// An item that another program gives a new password between classification
// and delete is read again right before the delete and kept; only what a
// search after the deletes no longer finds is reported.
func TestCleanLibsecretChangedBeforeDelete(t *testing.T) {
	tool, tag := secretTool(t)
	defer exec.Command(tool, "clear", "mfa-git-test", tag).Run()
	store := func(secret, server string) []string {
		t.Helper()
		attrs := []string{"xdg:schema", "org.git.Password", "protocol", "https", "server", server, "user", testAKID, "mfa-git-test", tag}
		cmd := exec.Command(tool, append([]string{"store", "--label=test"}, attrs...)...)
		cmd.Stdin = strings.NewReader(secret)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("secret-tool store: %v %s", err, out)
		}
		return attrs
	}
	const other = "git-codecommit.eu-west-3.amazonaws.com"
	changed := store(testSig, testCC)
	gone := store(testSig, other)
	changedName := "Secret Service (git libsecret): https://" + testCC + " for " + testAKID
	c := cleaner{beforeDelete: func(entry string) {
		if entry == changedName {
			store(testLong, testCC) // secret-tool replaces the item's secret
		}
	}}
	removed, err := c.Libsecret()
	want := "Secret Service (git libsecret): https://" + other + " for " + testAKID
	if len(removed) != 1 || removed[0] != want {
		t.Errorf("reported %q, want only %q", removed, want)
	}
	if err == nil || !strings.Contains(err.Error(), testCC) {
		t.Errorf("the changed item is not said to be kept: %v", err)
	}
	out, lerr := exec.Command(tool, append([]string{"lookup"}, changed...)...).Output()
	if lerr != nil || string(out) != testLong {
		t.Errorf("the new password was deleted or changed (lookup: %v)", lerr)
	}
	if exec.Command(tool, append([]string{"lookup"}, gone...)...).Run() == nil {
		t.Error("the stale item is still there")
	}
}
