package userdir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/mfa-git/mfa-git/internal/syserr"
	"github.com/mfa-git/mfa-git/internal/trust"
)

// UnsafeError says why a folder or file is not private to the user. It
// matches fs.ErrPermission.
type UnsafeError struct {
	Path   string
	Reason string // e.g. "belongs to uid 1001, not to you (uid 1000)"
}

// Error names the path and what makes it unsafe.
func (e *UnsafeError) Error() string { return fmt.Sprintf("%s %s", e.Path, e.Reason) }

// Is makes errors.Is(err, fs.ErrPermission) true.
func (e *UnsafeError) Is(target error) bool { return target == fs.ErrPermission }

// Hint says what the user can do about it.
func (e *UnsafeError) Hint() string {
	return "mfa-git uses only folders and files that are yours and that no one else can write: move " + e.Path + " away or fix it yourself, or choose another place (MFA_GIT_AGENT_SOCK, XDG_RUNTIME_DIR, XDG_CACHE_HOME, XDG_CONFIG_HOME)"
}

// Private makes dir, and any missing parent, with mode 0700 if it is
// missing. If dir exists, it must be a real folder (not a symlink) that
// belongs to the current user and that neither group nor others can
// write; otherwise Private returns an *UnsafeError and changes nothing.
// The mode of a folder Private did not create is never changed.
func Private(dir string) error {
	if err := checkParents(dir); err != nil {
		return err
	}
	err := checkDir(dir, 0o022)
	if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return syserr.Explain(err)
	}
	// The umask may have taken bits away from 0700 (never added any); the
	// folder is new and ours, so set exactly 0700, then check what is
	// there now: another process may have made it first.
	if fi, err := os.Lstat(dir); err == nil && fi.IsDir() && fi.Mode().Perm() != 0o700 && owned(fi) {
		os.Chmod(dir, 0o700)
	}
	return checkDir(dir, 0o022)
}

// Check reports whether dir is a private folder as Private requires,
// without creating it: an error matching fs.ErrNotExist if it is
// missing, an *UnsafeError if it is not private.
func Check(dir string) error {
	if err := checkParents(dir); err != nil {
		return err
	}
	return checkDir(dir, 0o022)
}

// checkParents checks the folders on the way to dir by internal/trust's
// rule: each belongs to the user or root, and no other user can write it
// unless it is sticky (as /tmp), and so for the links on the way. A
// folder another user can write lets them rename dir away and put one of
// their own in its place, whatever dir's own mode. Folders that do not
// exist yet are not checked (Private makes them, 0700); the nearest one
// that exists is, with every folder above it. A relative dir is left to
// checkDir.
func checkParents(dir string) error {
	if !filepath.IsAbs(dir) {
		return nil
	}
	for p := filepath.Dir(filepath.Clean(dir)); ; {
		err := trust.Check(p)
		var te *trust.Error
		switch {
		case err == nil:
			return nil
		case errors.As(err, &te):
			return &UnsafeError{Path: te.Path, Reason: te.Reason + " (a folder on the way to " + dir + ")"}
		case !errors.Is(err, fs.ErrNotExist):
			return syserr.Explain(err)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return nil
		}
		p = parent
	}
}

// checkDir checks that dir is a real folder of ours with none of the
// forbidden permission bits.
func checkDir(dir string, forbidden fs.FileMode) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return syserr.Explain(err)
	}
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		return &UnsafeError{dir, "is a symlink, not a folder"}
	case !fi.IsDir():
		return &UnsafeError{dir, "is not a folder"}
	}
	return checkOwner(dir, fi, forbidden)
}
