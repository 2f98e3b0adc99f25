//go:build !linux

package testenv

// RemoveKeyctlNamespace does nothing: the kernel keyring is Linux only.
func RemoveKeyctlNamespace(service string) error { return nil }
