package keystore

import (
	"fmt"
	"regexp"
	"sort"
	"time"
)

// These functions remove entries that other programs (git's credential
// helpers) stored, for hosts that match; mfa-git's own entries live
// elsewhere. Each returns the entries as "store: USER@HOST", never a
// secret, and changes nothing with dryRun.

// CleanMacKeychain removes internet passwords (what git's osxkeychain
// helper stores) for matching hosts from the login keychain, through the
// security tool: it lists the servers with dump-keychain (attributes only,
// no secrets), then for each matching host finds and deletes entries one
// at a time until none is left.
func CleanMacKeychain(security string, match func(host string) bool, dryRun bool) ([]string, error) {
	run := func(args ...string) ([]byte, error) {
		return securityCLI{path: security, timeout: 30 * time.Second}.run(nil, "", args...)
	}
	dump, err := run("dump-keychain")
	if err != nil {
		return nil, fmt.Errorf("security dump-keychain: %w", err)
	}
	hosts := map[string]bool{}
	// Compiled here, not at package level: every helper start would pay.
	srvrAttr := regexp.MustCompile(`"srvr"<blob>="([^"]+)"`)
	for _, m := range srvrAttr.FindAllSubmatch(dump, -1) {
		if h := string(m[1]); match(h) {
			hosts[h] = true
		}
	}
	var names []string
	for h := range hosts {
		names = append(names, h)
	}
	sort.Strings(names)
	var removed []string
	for _, h := range names {
		for i := 0; i < 100; i++ { // one entry per user name; stop at 100
			if _, err := run("find-internet-password", "-s", h); err != nil {
				break
			}
			removed = append(removed, "macOS keychain: "+h)
			if dryRun {
				break
			}
			if _, err := run("delete-internet-password", "-s", h); err != nil {
				return removed, fmt.Errorf("security delete-internet-password -s %s: %w", h, err)
			}
		}
	}
	return removed, nil
}
