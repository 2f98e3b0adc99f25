// Package stale is the one owner of "which stored git credentials are
// stale SigV4 passwords": it tells a stale CodeCommit password from any
// other credential, and finds and removes such passwords in every store
// other git helpers keep them in (git-credential-store files, the macOS
// keychain, the Secret Service, Windows Credential Manager). It decides
// only from a credential's user and password, never removes anything else,
// and never shows a token or password.
package stale

import (
	"os"
	"runtime"

	"github.com/mfa-git/mfa-git/internal/userdir"
)

// Stores says where the stores of other git helpers are. The Secret
// Service and Windows Credential Manager need no location: they are
// looked at when this system has them.
type Stores struct {
	// Home and XDGConfig locate git-credential-store's files.
	Home, XDGConfig string
	// Security is the macOS security tool; "" skips the keychain.
	Security string
}

// DefaultStores are the user's stores on this system.
func DefaultStores(home string) Stores {
	s := Stores{Home: home, XDGConfig: userdir.AbsEnv("XDG_CONFIG_HOME")}
	if runtime.GOOS == "darwin" {
		s.Security = "/usr/bin/security" // not from PATH
	}
	return s
}

// Clean finds the stale passwords (StalePassword) in the stores of s and
// this system, and removes them unless dryRun; everything else is kept.
// It returns each entry as
// "STORE: URL for USER" (ShowEntry, never a token or password) and one
// error per store or entry it could not check. `mfa-git clean` and
// doctor's stale check both call it; nothing on the credential helper's
// path does.
func Clean(s Stores, dryRun bool) (entries []string, errs []error) {
	add := func(r []string, err error) {
		entries = append(entries, r...)
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			errs = append(errs, j.Unwrap()...) // one line per entry
		} else if err != nil {
			errs = append(errs, err)
		}
	}
	for _, f := range StoreFiles(s.Home, s.XDGConfig) {
		add(CleanStoreFile(f, dryRun))
	}
	c := cleaner{DryRun: dryRun}
	if s.Security != "" {
		if _, err := os.Stat(s.Security); err == nil {
			add(c.MacKeychain(s.Security))
		}
	}
	add(c.Libsecret())
	add(c.WinCred())
	return entries, errs
}
