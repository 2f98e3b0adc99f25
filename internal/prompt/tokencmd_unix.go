//go:build !windows

package prompt

import (
	"context"
	"errors"
	"os/exec"
	"syscall"
)

// tokenCommand returns the process that runs a token command through
// /bin/sh, as git runs its helpers. A detached one (for the agent, which
// has no terminal) gets a process group of its own, and the whole group
// is killed when ctx ends, so no child of the command outlives it.
func tokenCommand(ctx context.Context, command string, detached bool) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", command)
	if detached {
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	}
	return cmd
}

// diedOfInterrupt reports whether err is a child's end by SIGINT, the
// signal Ctrl-C sends the terminal's foreground process group.
func diedOfInterrupt(err error) bool {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return false
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGINT
}
