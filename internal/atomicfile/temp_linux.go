package atomicfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"
)

// tempFile is the new content on its way to the target: an unnamed file
// (O_TMPFILE) given a name only when it is complete, or, where the file
// system has no O_TMPFILE, a named one.
type tempFile struct {
	f     *os.File
	named *named // the fallback; nil for an unnamed file
	dir   string
}

// createTemp opens an unnamed file in dir (O_TMPFILE): until commit links
// it, the folder has no entry for it, and the kernel frees it if the
// process dies. Where the file system does not support O_TMPFILE (the
// kernel answers EOPNOTSUPP, or EISDIR on kernels older than 3.11), it
// falls back to a named temporary file.
func createTemp(dir string, mode fs.FileMode) (*tempFile, error) {
	fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_WRONLY|unix.O_CLOEXEC, uint32(mode.Perm()))
	if errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.EISDIR) {
		n, err := createNamed(dir, mode)
		if err != nil {
			return nil, err
		}
		return &tempFile{f: n.f, named: n, dir: dir}, nil
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: dir, Err: err}
	}
	f := os.NewFile(uintptr(fd), filepath.Join(dir, "(unnamed)"))
	// O_TMPFILE's mode is masked by the umask; the target's mode is meant.
	if err := f.Chmod(mode.Perm()); err != nil {
		f.Close()
		return nil, err
	}
	return &tempFile{f: f, dir: dir}, nil
}

// commit gives the complete file the target's name. A new target is
// linked directly: it never exists half-written. An existing one is
// replaced by linking the file under a temporary name and renaming that
// over the target, two system calls with nothing between them; rename
// cannot take an unnamed file, and link cannot replace a name.
func (t *tempFile) commit(target string) error {
	if t.named != nil {
		return t.named.commit(target)
	}
	defer t.f.Close()
	if err := t.link(target); err == nil {
		return nil
	} else if !errors.Is(err, fs.ErrExist) {
		return err
	}
	var r [8]byte
	if _, err := rand.Read(r[:]); err != nil {
		return err
	}
	tmp := filepath.Join(t.dir, ".mfa-git-"+hex.EncodeToString(r[:]))
	if err := t.link(tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, target); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// link names the open unnamed file path: through /proc/self/fd, which
// needs no privilege, else with AT_EMPTY_PATH (which needs
// CAP_DAC_READ_SEARCH) where /proc is not mounted.
func (t *tempFile) link(path string) error {
	proc := "/proc/self/fd/" + strconv.Itoa(int(t.f.Fd()))
	err := unix.Linkat(unix.AT_FDCWD, proc, unix.AT_FDCWD, path, unix.AT_SYMLINK_FOLLOW)
	if errors.Is(err, unix.ENOENT) {
		if _, serr := os.Stat("/proc/self/fd"); serr != nil {
			err = unix.Linkat(int(t.f.Fd()), "", unix.AT_FDCWD, path, unix.AT_EMPTY_PATH)
		}
	}
	if err != nil {
		return &os.LinkError{Op: "link", Old: fmt.Sprintf("(unnamed file in %s)", t.dir), New: path, Err: err}
	}
	return nil
}

// abort closes the file; an unnamed one is freed by the kernel, a named
// one removed unless commit renamed it.
func (t *tempFile) abort() {
	if t.named != nil {
		t.named.abort()
		return
	}
	t.f.Close()
}
