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
