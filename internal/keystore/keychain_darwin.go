package keystore

import "time"

// securityTimeout bounds each run of macOS's security tool. It is long
// because a run may wait for a person: the keychain's "allow access" or
// unlock dialog.
const securityTimeout = time.Minute

// keychainBackend is macOS's security tool, run with a deadline.
func keychainBackend() keychainAPI {
	return securityCLI{path: "/usr/bin/security", timeout: securityTimeout}
}
