//go:build linux || darwin

package prompt

import "golang.org/x/sys/unix"

// echoOff turns the terminal's echo off before a prompt is shown, so that
// a code typed (or auto-typed by a password manager) the moment the
// prompt appears is never shown; restore puts the settings back.
func echoOff(fd int) (restore func(), err error) {
	t, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	if err != nil {
		return func() {}, err
	}
	old := *t
	t.Lflag &^= unix.ECHO
	if err := unix.IoctlSetTermios(fd, ioctlSetTermios, t); err != nil {
		return func() {}, err
	}
	return func() { unix.IoctlSetTermios(fd, ioctlSetTermios, &old) }, nil
}
