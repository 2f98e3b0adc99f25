//go:build !windows

package child

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// terminalSentInterrupt reports whether a SIGINT mfa-git received most
// likely came from its terminal's Ctrl-C: mfa-git is in the foreground
// process group of its controlling terminal, which the kernel signals as
// a whole, so its child (in the same group) got it too.
func terminalSentInterrupt() bool {
	tty, err := os.Open("/dev/tty")
	if err != nil {
		return false // no controlling terminal
	}
	defer tty.Close()
	fg, err := unix.IoctlGetInt(int(tty.Fd()), unix.TIOCGPGRP)
	return err == nil && fg == syscall.Getpgrp()
}
