package agent

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// sunPathMax is the longest socket path Linux takes (108 bytes with the
// NUL).
const sunPathMax = 107

// sockAddr returns the name to bind or connect to for the socket at path,
// and what to call once that is done. A path that fits is used as it is.
// A longer one is reached through the socket folder opened as a file
// descriptor (O_PATH, never following a symlink at the folder itself):
// /proc/self/fd/N/NAME names exactly the folder that was opened, whatever
// its path, and the kernel resolves it when it binds or connects.
func sockAddr(path string) (string, func(), error) {
	return procAddr(path, sunPathMax)
}

// procAddr is sockAddr with the limit max, for tests.
func procAddr(path string, max int) (string, func(), error) {
	if len(path) <= max {
		return path, noRelease, nil
	}
	dir, name := filepath.Split(path)
	fd, err := unix.Open(dir, unix.O_PATH|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return "", nil, &fs.PathError{Op: "open the socket folder", Path: dir, Err: err}
	}
	short := "/proc/self/fd/" + strconv.Itoa(fd) + "/" + name
	if len(short) > max {
		unix.Close(fd)
		return "", nil, &fs.PathError{Op: "socket", Path: path, Err: fmt.Errorf("the socket's file name %q is too long: %w", name, syscall.ENAMETOOLONG)}
	}
	return short, func() { unix.Close(fd) }, nil
}
