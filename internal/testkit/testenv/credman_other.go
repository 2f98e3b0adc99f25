//go:build !windows

package testenv

// RemoveCredManNamespace does nothing: the Credential Manager is Windows'.
func RemoveCredManNamespace(service string) error { return nil }
