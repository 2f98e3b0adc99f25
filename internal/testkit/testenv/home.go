package testenv

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// PrivateHome gives the test a home folder and XDG base folders of its
// own under t.TempDir(), so whatever the code under test finds by its
// default paths (the file keyring, gnome-keyring's keyrings, caches,
// runtime sockets) is the test's, never the developer's. It sets HOME,
// XDG_CONFIG_HOME, XDG_CACHE_HOME, XDG_DATA_HOME, XDG_STATE_HOME,
// XDG_RUNTIME_DIR and Windows' USERPROFILE, APPDATA and LOCALAPPDATA
// (with t.Setenv, so the test cannot be parallel) and returns the home
// folder. The session bus is not changed: see RequirePrivateBus.
func PrivateHome(t testing.TB) string {
	t.Helper()
	root := t.TempDir()
	dirs := []struct{ env, dir string }{
		{"HOME", "home"},
		{"USERPROFILE", "home"},
		{"XDG_CONFIG_HOME", "config"},
		{"APPDATA", "config"},
		{"XDG_CACHE_HOME", "cache"},
		{"LOCALAPPDATA", "cache"},
		{"XDG_DATA_HOME", "data"},
		{"XDG_STATE_HOME", "state"},
		{"XDG_RUNTIME_DIR", "runtime"},
	}
	for _, d := range dirs {
		dir := filepath.Join(root, d.dir)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		t.Setenv(d.env, dir)
	}
	return filepath.Join(root, "home")
}

// privateBusEnv is set to 1 by test.sh when the tests run in a D-Bus
// session it started for them.
const privateBusEnv = "MFA_GIT_TEST_PRIVATE_BUS"

// RequirePrivateBus skips the test unless the session bus is one test.sh
// started for this run (with a gnome-keyring of its own), so a test that
// writes to, locks or cleans a Secret Service never reaches the
// developer's login keyring. The test also holds the run's Secret Service
// to itself until it ends: go test runs packages in parallel, and one
// package's test that locks the login collection must not make another
// package's writes fail. Where MFA_GIT_REQUIRE_SECRET_SERVICE is set,
// as CI sets it, a missing private bus is a failure instead.
func RequirePrivateBus(t testing.TB) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no Secret Service: mfa-git uses the Credential Manager there")
	}
	if os.Getenv(privateBusEnv) == "1" && os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		holdSecretService(t)
		return
	}
	if os.Getenv("MFA_GIT_REQUIRE_SECRET_SERVICE") != "" {
		t.Fatal("MFA_GIT_REQUIRE_SECRET_SERVICE is set but the session bus is not one test.sh started for the tests")
	}
	t.Skip("the session bus may be the developer's own: run ./test.sh (e.g. ./test.sh -run TestName ./pkg), which starts a private one")
}
