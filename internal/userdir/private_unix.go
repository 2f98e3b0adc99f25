//go:build !windows

package userdir

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

func owner(fi fs.FileInfo) int {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int(st.Uid)
	}
	return -1
}

func owned(fi fs.FileInfo) bool { return owner(fi) == os.Getuid() }

func checkOwner(path string, fi fs.FileInfo, forbidden fs.FileMode) error {
	if uid := owner(fi); uid != os.Getuid() {
		return &UnsafeError{path, fmt.Sprintf("belongs to uid %d, not to you (uid %d)", uid, os.Getuid())}
	}
	if bad := fi.Mode().Perm() & forbidden; bad != 0 {
		what := "writable by other users"
		if forbidden&0o044 != 0 {
			what = "open to other users"
		}
		return &UnsafeError{path, fmt.Sprintf("is %s (mode %04o)", what, fi.Mode().Perm())}
	}
	return nil
}
