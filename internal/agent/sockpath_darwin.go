package agent

import (
	"fmt"

	"github.com/mfa-git/mfa-git/internal/userdir"
)

// sunPathMax is the longest socket path macOS takes (104 bytes with the
// NUL).
const sunPathMax = 103

// sockAddr returns the name to bind or connect to for the socket at path,
// and what to call once that is done. A path that fits is used as it is.
// macOS has no /proc/self/fd, and changing the current folder would
// change it for every thread: a longer path is reached through a symlink
// to the socket folder in the user's own temporary folder ($TMPDIR,
// /var/folders/../T, which only the user can write), named after the
// folder it points to (see linkAddr).
func sockAddr(path string) (string, func(), error) {
	if len(path) <= sunPathMax {
		return path, noRelease, nil
	}
	tmp, err := userdir.Temp()
	if err != nil {
		return "", nil, fmt.Errorf("the socket path %s is too long for this system, and there is no temporary folder of yours for a shorter link to it: %w", path, err)
	}
	return linkAddr(path, tmp, sunPathMax)
}
