//go:build !windows

// The macOS keychain backend over a fake security tool, which is a shell
// script: it runs on Linux and macOS; Windows has neither the tool nor sh.

package keystore

import (
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	zk "github.com/zalando/go-keyring"
)

// fakeSecurityTool is a shell script that behaves like macOS's
// /usr/bin/security for the commands we use: items are files in its
// folder, messages and exit codes are macOS's, and a "mode" file makes it
// fail as a locked keychain, a cancelled or refused dialog, or hang. It
// records every argv (one per line) and what it read on stdin.
const fakeSecurityTool = `#!/bin/sh
dir=$(dirname "$0")
printf '%s\n' "$*" >> "$dir/argv.log"
mode=$(cat "$dir/mode" 2>/dev/null)
case $mode in
hang) exec sleep 60 ;;
locked) echo "security: SecKeychainSearchCopyNext: User interaction is not allowed." >&2; exit 36 ;;
cancel) echo "security: SecKeychainItemCopyContent: User canceled the operation." >&2; exit 128 ;;
denied) echo "security: SecKeychainSearchCopyNext: The user name or passphrase you entered is not correct." >&2; exit 51 ;;
nochain) echo "security: SecKeychainCopyDefault: A default keychain could not be found." >&2; exit 37 ;;
odd) echo "security: something new went wrong" >&2; exit 3 ;;
esac
item() { printf '%s' "$1/$2" | od -An -tx1 | tr -d ' \n'; }
cmd=$1; shift
case $cmd in
-i)
	IFS= read -r line
	printf '%s\n' "$line" >> "$dir/stdin.log"
	eval "set -- $line"
	[ "$1" = add-generic-password ] || { echo "unknown command" >&2; exit 1; }
	shift
	while [ $# -gt 0 ]; do
		case $1 in -s) s=$2; shift 2 ;; -a) a=$2; shift 2 ;; -w) w=$2; shift 2 ;; *) shift ;; esac
	done
	printf '%s' "$w" > "$dir/$(item "$s" "$a")" ;;
find-generic-password|delete-generic-password)
	while [ $# -gt 0 ]; do
		case $1 in -s) s=$2; shift 2 ;; -a) a=$2; shift 2 ;; *) shift ;; esac
	done
	f="$dir/$(item "$s" "$a")"
	if [ ! -f "$f" ]; then
		echo "security: SecKeychainSearchCopyNext: The specified item could not be found in the keychain." >&2
		exit 44
	fi
	if [ "$cmd" = find-generic-password ]; then cat "$f"; echo; else rm "$f"; fi ;;
*) echo "unknown command $cmd" >&2; exit 1 ;;
esac
`

func newFakeSecurityTool(t *testing.T) (securityCLI, string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "security")
	if err := os.WriteFile(path, []byte(fakeSecurityTool), 0o700); err != nil {
		t.Fatal(err)
	}
	return securityCLI{path: path, timeout: 5 * time.Second}, dir
}

func TestSecurityRoundTrip(t *testing.T) {
	s, dir := newFakeSecurityTool(t)
	secrets := []string{"ASIAEXAMPLE secret/with+chars", "multi\nline\x00binary 'quoted' \"x\" $HOME `id`", strings.Repeat("t", 2500)}
	for i, secret := range secrets {
		user := []string{"session/dev/ab12", "it's a key", ".index"}[i]
		if _, err := s.Get("mfa-git", user); !errors.Is(err, zk.ErrNotFound) {
			t.Fatalf("Get before Set: %v, want ErrNotFound", err)
		}
		if err := s.Set("mfa-git", user, secret); err != nil {
			t.Fatalf("Set: %v", err)
		}
		got, err := s.Get("mfa-git", user)
		if err != nil || got != secret {
			t.Fatalf("Get = %q, %v; want %q", got, err, secret)
		}
		if err := s.Delete("mfa-git", user); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if err := s.Delete("mfa-git", user); !errors.Is(err, zk.ErrNotFound) {
			t.Fatalf("Delete twice: %v, want ErrNotFound", err)
		}
	}
	argv, _ := os.ReadFile(filepath.Join(dir, "argv.log"))
	stdin, _ := os.ReadFile(filepath.Join(dir, "stdin.log"))
	for _, secret := range secrets {
		for _, form := range []string{secret, base64.StdEncoding.EncodeToString([]byte(secret))} {
			if strings.Contains(string(argv), form) {
				t.Errorf("a secret reached security's argv:\n%s", argv)
			}
		}
		if !strings.Contains(string(stdin), base64.StdEncoding.EncodeToString([]byte(secret))) {
			t.Errorf("the secret did not go through stdin:\n%s", stdin)
		}
	}
	if err := s.Set("mfa-git", "big", strings.Repeat("x", 4000)); !errors.Is(err, zk.ErrSetDataTooBig) {
		t.Errorf("Set of 4000 bytes: %v, want ErrSetDataTooBig", err)
	}
}

// Values zalando/go-keyring wrote (hex, or plain) are read as before.
func TestSecurityReadsZalandoFormats(t *testing.T) {
	s, dir := newFakeSecurityTool(t)
	for stored, want := range map[string]string{"go-keyring-encoded:6869": "hi", "go-keyring-base64:aGk=": "hi", "plain": "plain"} {
		os.WriteFile(filepath.Join(dir, "6d66612d6769742f6b"), []byte(stored), 0o600) // "mfa-git/k"
		if got, err := s.Get("mfa-git", "k"); err != nil || got != want {
			t.Errorf("stored %q: Get = %q, %v; want %q", stored, got, err, want)
		}
	}
}

func TestSecurityFailures(t *testing.T) {
	for _, tc := range []struct {
		mode, msg, hint string
		unavailable     bool
	}{
		{"locked", "keychain is locked", "security unlock-keychain", false},
		{"cancel", "dialog was cancelled", "choose Allow", false},
		{"denied", "refused access", "type your login password", false},
		{"nochain", "no default macOS keychain", "default-keychain", false},
		{"odd", "security find-generic-password failed (exit 3): security: something new went wrong", "", false},
		{"hang", "did not answer within 300ms", "dialog may be waiting", true},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			s, dir := newFakeSecurityTool(t)
			if tc.mode == "hang" {
				// Only the hanging tool meets the deadline; the others
				// keep newFakeSecurityTool's generous one, so that a
				// busy machine cannot turn their message into a timeout.
				s.timeout = 300 * time.Millisecond
			}
			os.WriteFile(filepath.Join(dir, "mode"), []byte(tc.mode), 0o600)
			for _, call := range []func() error{
				func() error { _, err := s.Get("mfa-git", "k"); return err },
				func() error { return s.Set("mfa-git", "k", "SECRETVALUE") },
				func() error { return s.Delete("mfa-git", "k") },
			} {
				start := time.Now()
				err := call()
				if took := time.Since(start); tc.mode == "hang" && took > 3*time.Second {
					t.Errorf("took %s with a 300ms deadline", took)
				}
				if err == nil || errors.Is(err, zk.ErrNotFound) {
					t.Fatalf("err = %v", err)
				}
				if tc.mode != "odd" && !strings.Contains(err.Error(), tc.msg) {
					t.Errorf("error %q lacks %q", err, tc.msg)
				}
				if got := Hint(err); !strings.Contains(got, tc.hint) || (tc.hint == "") != (got == "") {
					t.Errorf("hint %q, want one with %q", got, tc.hint)
				}
				if errors.Is(err, ErrUnavailable) != tc.unavailable {
					t.Errorf("errors.Is(%v, ErrUnavailable) = %v", err, !tc.unavailable)
				}
				if strings.Contains(err.Error(), "SECRETVALUE") || strings.Contains(err.Error(), base64.StdEncoding.EncodeToString([]byte("SECRETVALUE"))) {
					t.Errorf("error shows the secret: %v", err)
				}
			}
			if tc.mode == "odd" {
				_, err := s.Get("mfa-git", "k")
				if err == nil || err.Error() != tc.msg {
					t.Errorf("error %q, want %q", err, tc.msg)
				}
			}
		})
	}
}

// The keychain store over security: a missing item is ErrNotFound, and
// Set, Get, List and Remove work together.
func TestKeychainOverSecurity(t *testing.T) {
	s, _ := newFakeSecurityTool(t)
	k := &keychain{rawKeychain: rawKeychain{"mfa-git", s}}
	if _, err := k.Get("session/dev/1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get: %v, want ErrNotFound", err)
	}
	if err := k.Set("session/dev/1", []byte("v1")); err != nil {
		t.Fatal(err)
	}
	if v, err := k.Get("session/dev/1"); err != nil || string(v) != "v1" {
		t.Fatalf("Get = %q, %v", v, err)
	}
	if keys, err := k.List(); err != nil || len(keys) != 1 || keys[0] != "session/dev/1" {
		t.Fatalf("List = %q, %v", keys, err)
	}
	if err := k.Remove("session/dev/1"); err != nil {
		t.Fatal(err)
	}
	if err := k.Remove("session/dev/1"); err != nil {
		t.Fatalf("Remove twice: %v", err)
	}
}
