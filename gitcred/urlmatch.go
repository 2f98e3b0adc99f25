package gitcred

import (
	"net/url"
	"strings"
)

// URLMatches reports whether a credential.<pattern> section applies to u,
// by git's urlmatch rules: same scheme, host compared label by label with
// "*" matching exactly one label, same port after defaulting, the
// pattern's path a prefix of u's at a slash, and the pattern's user, if
// any, equal.
func URLMatches(pattern string, u *url.URL) bool {
	p, err := url.Parse(pattern)
	if err != nil || p.Scheme == "" || !strings.EqualFold(p.Scheme, u.Scheme) {
		return false
	}
	if p.User != nil && (u.User == nil || p.User.Username() != u.User.Username()) {
		return false
	}
	pl := strings.Split(strings.ToLower(p.Hostname()), ".")
	ul := strings.Split(strings.ToLower(u.Hostname()), ".")
	if len(pl) != len(ul) {
		return false
	}
	for i := range pl {
		if pl[i] != "*" && pl[i] != ul[i] {
			return false
		}
	}
	if urlPort(p) != urlPort(u) {
		return false
	}
	pp := strings.TrimSuffix(p.Path, "/")
	return pp == "" || u.Path == pp || strings.HasPrefix(u.Path, pp+"/")
}

// urlPort is u's port, or its scheme's default.
func urlPort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}

// Helper is one credential.helper value and the file that set it.
type Helper struct{ Value, Origin string }

// ResolveHelpers applies git's rules to the credential.*helper entries of
// all config files (zOutput is what git config -z --show-origin
// --get-regexp '^credential\.' printed), in order: entries whose URL matches (or that have no
// URL) are collected, and an empty value clears what came before.
func ResolveHelpers(zOutput string, u *url.URL) []Helper {
	var out []Helper
	fields := strings.Split(zOutput, "\x00")
	for i := 0; i+1 < len(fields); i += 2 {
		origin, kv := fields[i], fields[i+1]
		key, value, _ := strings.Cut(kv, "\n")
		lower := strings.ToLower(key)
		if !strings.HasSuffix(lower, ".helper") || !strings.HasPrefix(lower, "credential.") {
			continue
		}
		if lower != "credential.helper" && !URLMatches(key[len("credential."):len(key)-len(".helper")], u) {
			continue
		}
		if value == "" {
			out = nil
			continue
		}
		out = append(out, Helper{value, strings.TrimPrefix(origin, "file:")})
	}
	return out
}
