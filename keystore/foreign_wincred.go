package keystore

import (
	"net/url"
	"strings"
)

// gitTargetHost returns the host of a Windows Credential Manager target
// that git (Git Credential Manager or wincred) wrote, "git:https://HOST",
// or "" for any other target.
func gitTargetHost(target string) string {
	rest, ok := strings.CutPrefix(target, "git:")
	if !ok {
		return ""
	}
	u, err := url.Parse(rest)
	if err != nil || u.Scheme != "https" {
		return ""
	}
	return u.Host
}
