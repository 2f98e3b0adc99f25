//go:build !windows

package agent

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/mfa-git/mfa-git/internal/userdir"
)

// linkAddr returns a name for the socket at path no longer than max, for
// systems with no /proc/self/fd: tmp/mfa-git-sock-HASH/NAME, where
// tmp/mfa-git-sock-HASH is a symlink to the socket folder, HASH is a
// digest of the folder's path (so the agent and its clients find the
// same link), and tmp must be a folder private to the user
// (userdir.Check), so no one else can make or change the link. A link
// already there is used only if it is the user's and points at the
// socket folder.
func linkAddr(path, tmp string, max int) (string, func(), error) {
	if len(path) <= max {
		return path, noRelease, nil
	}
	dir, name := filepath.Split(path)
	dir = filepath.Clean(dir)
	sum := sha256.Sum256([]byte(dir))
	link := filepath.Join(tmp, "mfa-git-sock-"+hex.EncodeToString(sum[:8]))
	short := filepath.Join(link, name)
	if len(short) > max {
		return "", nil, &fs.PathError{Op: "socket", Path: path, Err: fmt.Errorf("even through %s the socket's path is too long: %w", short, syscall.ENAMETOOLONG)}
	}
	if err := userdir.Check(tmp); err != nil {
		return "", nil, fmt.Errorf("the socket path %s is too long for this system, and the temporary folder that would hold a shorter link to it is not private: %w", path, err)
	}
	for range 2 {
		target, err := os.Readlink(link)
		if err == nil {
			if target != dir {
				return "", nil, &userdir.UnsafeError{Path: link, Reason: fmt.Sprintf("points at %s, not at the socket folder %s", target, dir)}
			}
			return short, noRelease, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", nil, err
		}
		if err := os.Symlink(dir, link); err != nil && !errors.Is(err, fs.ErrExist) {
			return "", nil, err
		}
	}
	return "", nil, fmt.Errorf("make the link %s to %s: it changed meanwhile", link, dir)
}
