// Package atomicfile replaces the user's files (~/.aws/config,
// ~/.gitconfig, ~/.git-credentials) the way a careful editor does: the new
// content is written to a temporary file beside the real one and renamed
// over it, so a reader sees the old file or the new one, never half of
// either. A symlinked file is edited through its link: the link stays a
// link, and its target keeps its mode.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// maxLinks bounds how many symlinks Resolve follows, as the kernel does.
const maxLinks = 40

// Resolve returns the file that path names after following symlinks,
// including a last link whose target does not exist yet. A path that is
// not a link is returned as it is.
func Resolve(path string) (string, error) {
	for i := 0; i < maxLinks; i++ {
		fi, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return path, nil
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		target, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(target) {
			// The kernel resolves a relative target from the link's real
			// folder: under a symlinked folder (GNU stow's ~/.aws ->
			// dotfiles/aws), ".." is taken in the folder it points to.
			dir := filepath.Dir(path)
			if real, err := filepath.EvalSymlinks(dir); err == nil {
				dir = real
			}
			target = filepath.Join(dir, target)
		}
		path = target
	}
	return "", fmt.Errorf("%s: too many levels of symbolic links", path)
}

// Write replaces the file at path (through any symlinks) with data. An
// existing file keeps its permission bits; a new one gets newMode, in a
// folder created 0700 if it is missing.
func Write(path string, data []byte, newMode fs.FileMode) error {
	target, err := Resolve(path)
	if err != nil {
		return err
	}
	mode := newMode
	if fi, err := os.Stat(target); err == nil {
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file", target)
		}
		mode = fi.Mode().Perm()
	}
	dir := filepath.Dir(target)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".mfa-git-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	err = tmp.Chmod(mode)
	if err == nil {
		_, err = tmp.Write(data)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), target)
}
