//go:build !windows

package prompt

// ttyIn and ttyOut are the controlling terminal: one device, read and
// written.
const ttyIn, ttyOut = "/dev/tty", "/dev/tty"
