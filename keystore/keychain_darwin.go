package keystore

// keychainBackend is macOS's security tool, run with a deadline.
func keychainBackend() keychainAPI {
	return securityCLI{path: "/usr/bin/security", timeout: securityTimeout}
}
