package keystore

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"syscall"
	"testing"
)

func TestHint(t *testing.T) {
	tests := []struct {
		err  error
		want string // a word the hint must contain; "" for no hint
	}{
		{nil, ""},
		{errors.New("something else"), ""},
		{&unavailableError{msg: "gone"}, "start or restart the keyring daemon"},
		{fmt.Errorf("write part: %w", syscall.ENOSPC), "free some disk space"},
		{&fs.PathError{Op: "mkdir", Path: "/x", Err: syscall.EACCES}, "writable"},
		{&fs.PathError{Op: "chmod", Path: "/x", Err: syscall.EPERM}, "writable"},
		// 99designs/keyring reports keyctl errors as text only.
		{errors.New("adding key to session failed: disk quota exceeded"), "/proc/sys/kernel/keys/maxbytes"},
		{errors.New("failed to unlock correct collection '/org/freedesktop/secrets/collection/login'"), "unlock it"},
	}
	for _, tt := range tests {
		got := Hint(tt.err)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("Hint(%v) = %q, want one saying %q", tt.err, got, tt.want)
		}
	}
}

// lockedAPI answers every call with err, as the Secret Service does for a
// locked keyring.
type lockedAPI struct{ err error }

func (l lockedAPI) Get(string, string) (string, error) { return "", l.err }
func (l lockedAPI) Set(string, string, string) error   { return l.err }
func (l lockedAPI) Delete(string, string) error        { return l.err }

// A locked keyring, and one whose unlock dialog was dismissed, are said
// to be locked in the error itself, with the fix for that: the words of
// zalando/go-keyring ("failed to unlock correct collection") and of the
// Secret Service (IsLocked) say it to no one.
func TestLockedKeyringSentences(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"unlock dialog dismissed", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"), "the keyring is locked, and its unlock dialog was dismissed or could not be shown"},
		{"locked item", errors.New("org.freedesktop.Secret.Error.IsLocked: Cannot get secret of a locked object"), "the keyring is locked, and mfa-git cannot read or write it until it is unlocked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := newKeychain("mfa-git", lockedAPI{tt.err}, "")
			for op, err := range map[string]error{
				"Get": func() error { _, err := k.Get("session/base"); return err }(),
				"Set": k.Set("session/base", []byte("x")),
			} {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("%s: %v; want %q", op, err, tt.want)
				}
				if h := Hint(err); !strings.Contains(h, "unlock the login keyring") {
					t.Errorf("%s: hint %q", op, h)
				}
			}
		})
	}
}
