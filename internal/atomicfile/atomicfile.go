// Package atomicfile replaces the user's files (~/.aws/config,
// ~/.gitconfig, ~/.git-credentials) the way a careful editor does: the new
// content is written to a temporary file beside the real one and renamed
// over it, so a reader sees the old file or the new one, never half of
// either. On Linux the temporary file has no name until it is complete
// (O_TMPFILE), so a process killed while writing leaves nothing behind. A symlinked file is edited through its link: the link stays a
// link, and its target keeps its mode. A file with other names (hard
// links) is refused: the rename would cut them off with the old bytes.
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
// folder created 0700 if it is missing. A file with more than one hard
// link is refused (*LinkedError) and left as it is: checked first, and
// again just before the rename.
func Write(path string, data []byte, newMode fs.FileMode) error {
	target, err := Resolve(path)
	if err != nil {
		return err
	}
	if err := checkTargetLinks(target); err != nil {
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
	tmp, err := createTemp(dir, mode)
	if err != nil {
		return err
	}
	defer tmp.abort()
	_, err = tmp.f.Write(data)
	if err == nil {
		err = tmp.f.Sync()
	}
	if err != nil {
		return err
	}
	// A link made while the data was written would be cut all the same.
	if err := checkTargetLinks(target); err != nil {
		return err
	}
	return tmp.commit(target)
}

// named is the fallback temporary file: made with a name beside the
// target (".mfa-git-*") and renamed over it. A kill between its creation
// and the rename leaves it behind; createTemp avoids it where the system
// can.
type named struct{ f *os.File }

func createNamed(dir string, mode fs.FileMode) (*named, error) {
	f, err := os.CreateTemp(dir, ".mfa-git-*")
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(mode); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &named{f}, nil
}

func (n *named) commit(target string) error {
	if err := n.f.Close(); err != nil {
		return err
	}
	return os.Rename(n.f.Name(), target)
}

// abort removes the file unless commit renamed it.
func (n *named) abort() {
	n.f.Close()
	os.Remove(n.f.Name())
}
