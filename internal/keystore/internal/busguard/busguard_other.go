//go:build !linux

package busguard

// Restore does nothing: the keyring library looks for D-Bus only on Linux.
func Restore() {}

// Hid reports false: nothing is hidden outside Linux.
func Hid() bool { return false }
