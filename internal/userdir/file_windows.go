package userdir

import (
	"os"
)

// OpenFile opens path with flag, creating it with mode 0600; what it opens
// must be a regular file (Windows has no O_NOFOLLOW: a symlink is refused
// by looking first).
func OpenFile(path string, flag int) (*os.File, error) {
	if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() {
		return nil, &UnsafeError{path, "is not a regular file"}
	}
	return os.OpenFile(path, flag, 0o600)
}
