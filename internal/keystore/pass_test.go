//go:build !windows

package keystore

import (
	"errors"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fakePass puts a pass program on PATH that runs body.
func fakePass(t *testing.T, body string) {
	bin := t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "pass"), []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// A pass that hangs (gpg waiting on a pinentry no one sees) does not hang
// mfa-git: every call has the same deadline as a D-Bus keyring.
func TestPassHasADeadline(t *testing.T) {
	fakePass(t, "exec sleep 3")
	t.Setenv("PASSWORD_STORE_DIR", t.TempDir())
	s, err := Open(Config{Backend: Pass, CallTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	for _, call := range []struct {
		name string
		f    func() error
	}{
		{"Set", func() error { return s.Set("session/dev", []byte("v")) }},
		{"Remove", func() error { return s.Remove("session/dev") }},
	} {
		start := time.Now()
		err := call.f()
		if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "the pass password store") {
			t.Errorf("%s with a stuck pass: %v", call.name, err)
		}
		if d := time.Since(start); d > 1500*time.Millisecond {
			t.Errorf("%s waited %s", call.name, d)
		}
	}
}

// The password store is never found relative to the current folder: a
// relative PASSWORD_STORE_DIR or HOME means ~/.password-store in the
// user's real home folder.
func TestPassDirAbsolute(t *testing.T) {
	u, err := user.LookupId(strconv.Itoa(os.Getuid()))
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	mark := filepath.Join(t.TempDir(), "store-dir")
	fakePass(t, `echo "$PASSWORD_STORE_DIR" > `+mark+`; cat >/dev/null`)
	t.Chdir(t.TempDir())
	for _, tc := range []struct{ home, storeDir, want string }{
		{home, "relative-store", filepath.Join(home, ".password-store")},
		{home, "", filepath.Join(home, ".password-store")},
		{".", "", filepath.Join(u.HomeDir, ".password-store")},
		{"", ".store", filepath.Join(u.HomeDir, ".password-store")},
		{home, "/abs/store", "/abs/store"},
	} {
		t.Setenv("HOME", tc.home)
		if tc.storeDir == "" {
			t.Setenv("PASSWORD_STORE_DIR", "")
			os.Unsetenv("PASSWORD_STORE_DIR")
		} else {
			t.Setenv("PASSWORD_STORE_DIR", tc.storeDir)
		}
		os.Remove(mark)
		s, err := Open(Config{Backend: Pass})
		if err != nil {
			t.Fatalf("HOME=%q PASSWORD_STORE_DIR=%q: %v", tc.home, tc.storeDir, err)
		}
		s.Set("session/dev", []byte("v"))
		got, _ := os.ReadFile(mark)
		if strings.TrimSpace(string(got)) != tc.want {
			t.Errorf("HOME=%q PASSWORD_STORE_DIR=%q: pass ran with PASSWORD_STORE_DIR=%q, want %q", tc.home, tc.storeDir, strings.TrimSpace(string(got)), tc.want)
		}
	}
}

func TestPass(t *testing.T) {
	if _, err := exec.LookPath("pass"); err != nil {
		t.Skip("pass is not installed; the pass backend is covered by 99designs/keyring's own tests")
	}
	t.Skip("pass needs a GPG key set up for the test user; not provisioned in this suite")
}
