//go:build !windows

package agent

import (
	"os"
	"os/exec"
	"syscall"

	"github.com/mfa-git/mfa-git/internal/userdir"
)

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
