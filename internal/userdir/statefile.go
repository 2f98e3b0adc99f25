package userdir

import (
	"io"
	"os"
	"path/filepath"

	"github.com/mfa-git/mfa-git/internal/atomicfile"
	"github.com/mfa-git/mfa-git/internal/syserr"
)

// ReadFile reads one of mfa-git's own small files (at most limit bytes):
// a regular file of the user's in a folder no one else can write, never
// through a symlink and never blocking on a FIFO.
func ReadFile(path string, limit int64) ([]byte, error) {
	if err := Check(filepath.Dir(path)); err != nil {
		return nil, err
	}
	f, err := OpenFile(path, os.O_RDONLY)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit))
}

// WriteFile replaces one of mfa-git's own files with data, mode 0600, in
// a private folder (made 0700 if missing), never through a symlink.
func WriteFile(path string, data []byte) error {
	if err := Private(filepath.Dir(path)); err != nil {
		return err
	}
	if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() {
		return &UnsafeError{Path: path, Reason: "is not a regular file; mfa-git does not follow symlinks to its own files"}
	}
	return syserr.Explain(atomicfile.Write(path, data, 0o600))
}
