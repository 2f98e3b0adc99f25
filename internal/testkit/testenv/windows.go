package testenv

import (
	"io/fs"
	"os"
	"runtime"
	"testing"
)

// Perm returns the permission bits os.Stat reports on this system for a
// file, or a folder when dir is set, whose mode was set to m. Unix keeps
// m. Windows keeps only the read-only attribute, taken from m's owner
// write bit, and Go reports 0666 or 0444 for files and 0777 for folders;
// there the privacy of mfa-git's files comes from the ACLs the user's
// profile folder hands down, which mfa-git does not change.
func Perm(m fs.FileMode, dir bool) fs.FileMode {
	if runtime.GOOS != "windows" {
		return m.Perm()
	}
	if dir {
		return 0o777
	}
	if m&0o200 == 0 {
		return 0o444
	}
	return 0o666
}

// Symlink makes newname a symbolic link to oldname, or skips the test
// where that makes no link: Wine's CreateSymbolicLinkW reports success
// and does nothing.
func Symlink(t testing.TB, oldname, newname string) {
	t.Helper()
	if err := os.Symlink(oldname, newname); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(newname); runtime.GOOS == "windows" && (err != nil || fi.Mode()&fs.ModeSymlink == 0) {
		t.Skip("Wine: no symbolic links (CreateSymbolicLinkW made none)")
	}
}
