package prompt

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
)

// tokenCommand returns the process that runs a token command through
// cmd.exe. The command line is set whole (SysProcAttr.CmdLine): Go's own
// quoting of an argument would escape the command's quotes with
// backslashes, which cmd.exe does not understand. (detached is for Unix
// process groups; there is no agent on Windows.)
func tokenCommand(ctx context.Context, command string, _ bool) *exec.Cmd {
	cmd := exec.CommandContext(ctx, cmdExe())
	cmd.SysProcAttr = &syscall.SysProcAttr{CmdLine: cmdExeLine(command)}
	return cmd
}

// cmdExe is the system's cmd.exe, never one found in the current folder.
func cmdExe() string {
	if c := os.Getenv("ComSpec"); filepath.IsAbs(c) {
		return c
	}
	root := os.Getenv("SystemRoot")
	if !filepath.IsAbs(root) {
		root = `C:\Windows`
	}
	return filepath.Join(root, "System32", "cmd.exe")
}

// diedOfInterrupt is false on Windows: Ctrl-C there is a console event,
// not a signal a child's exit status records.
func diedOfInterrupt(error) bool { return false }
