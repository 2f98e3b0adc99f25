//go:build !darwin

package keystore

// keychainBackend is zalando/go-keyring: Windows Credential Manager, or
// the Secret Service.
func keychainBackend() keychainAPI { return zalando{} }
