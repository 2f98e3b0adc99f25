//go:build !windows

package agent

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"

	"github.com/mfa-git/mfa-git/internal/syserr"
	"github.com/mfa-git/mfa-git/internal/userdir"
)

// Supported reports whether the agent runs on this system: it needs Unix
// sockets with peer credentials. Whether commands use it is the caller's
// choice (MFA_GIT_AGENT, read by cmd).
const Supported = true

// listenSocket creates the socket at path, owner-only (umask 0177), after
// clearStale made way for it, and returns its listener and the socket
// file it made.
func listenSocket(path string) (net.Listener, fs.FileInfo, error) {
	if err := clearStale(path); err != nil {
		return nil, nil, err
	}
	addr, release, err := sockAddr(path)
	if err != nil {
		return nil, nil, syserr.Explain(fmt.Errorf("listen on %s: %w", path, err))
	}
	old := syscall.Umask(0o177)
	ln, err := net.Listen("unix", addr)
	syscall.Umask(old)
	release()
	if err != nil {
		// The error names the address bound, which may be the short one.
		return nil, nil, syserr.Explain(fmt.Errorf("listen on %s: %w", path, &fs.PathError{Op: "bind", Path: filepath.Dir(path), Err: errnoOf(err)}))
	}
	// Close removes the socket itself, and only while it is this one: the
	// listener's own unlink would remove whatever is at path by then.
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	fi, err := os.Lstat(path)
	if err != nil {
		ln.Close()
		return nil, nil, fmt.Errorf("listen on %s: %w", path, err)
	}
	return ln, fi, nil
}

// clearStale makes way for a new socket at path: nothing there is fine; a
// socket of ours that no agent answers on is removed (an agent that died);
// a live agent, or anything that is not our socket, is an error.
func clearStale(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("socket %s: %w", path, err)
	}
	if fi.Mode().Type() != fs.ModeSocket {
		return &userdir.UnsafeError{Path: path, Reason: "is not a socket; mfa-git leaves it alone"}
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); !ok || int(st.Uid) != os.Getuid() {
		return &userdir.UnsafeError{Path: path, Reason: "is another user's socket; mfa-git leaves it alone"}
	}
	addr, release, err := sockAddr(path)
	if err != nil {
		return fmt.Errorf("socket %s: %w", path, err)
	}
	c, err := net.DialTimeout("unix", addr, DialTimeout)
	release()
	if err == nil {
		c.Close()
		return fmt.Errorf("%w on %s", ErrRunning, path)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("socket %s: %w", path, err)
	}
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("remove the stale socket %s: %w", path, err)
	}
	return nil
}

// Spawn starts "exe agent --foreground" detached from the caller's
// terminal and process group, with its log appended to logPath (0600, a
// regular file of the user's own: a symlink there is not followed).
func Spawn(exe, logPath string) (int, error) {
	logf, err := userdir.OpenFile(logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY)
	if err != nil {
		return 0, err
	}
	defer logf.Close()
	cmd := exec.Command(exe, "agent", "--foreground")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, nil, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	cmd.Dir = "/"
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	pid := cmd.Process.Pid
	cmd.Process.Release()
	return pid, nil
}

// errnoOf is the system error under a failed bind, or err itself.
func errnoOf(err error) error {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno
	}
	return err
}
