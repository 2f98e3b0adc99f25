//go:build windows

package prompt

import "golang.org/x/sys/windows"

// echoOff turns the console's echo off before a prompt is shown, as on
// Unix: term.ReadPassword turns it off only once it starts reading, so a
// code typed the moment the prompt appears would be shown; restore puts
// the console mode back.
func echoOff(fd int) (restore func(), err error) {
	h := windows.Handle(fd)
	var mode uint32
	if err := windows.GetConsoleMode(h, &mode); err != nil {
		return func() {}, err
	}
	if err := windows.SetConsoleMode(h, mode&^windows.ENABLE_ECHO_INPUT); err != nil {
		return func() {}, err
	}
	return func() { windows.SetConsoleMode(h, mode) }, nil
}
