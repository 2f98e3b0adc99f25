//go:build !windows

package prompt

import (
	"context"
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
