package gitcred

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// CheckURLPattern reports whether u can be configured with setup --url:
// an https URL (http only for a loopback host, such as the sandbox) with a
// host, and no user, query or fragment; and nothing that would need
// quoting in git's config or could end a line (control characters,
// spaces, quotes, backslashes).
func CheckURLPattern(u string) error {
	if strings.ContainsFunc(u, func(r rune) bool { return r < 0x21 || r == 0x7f || r == '"' || r == '\\' || r == '\'' }) {
		return fmt.Errorf("the URL %q holds a space, quote, backslash or control character (such as a line break)", ShowURL(u))
	}
	p, err := url.Parse(u)
	switch {
	case err != nil:
		return fmt.Errorf("%q is not a URL", ShowURL(u))
	case p.Host == "":
		return fmt.Errorf("the URL %q has no host", ShowURL(u))
	case p.User != nil || p.RawQuery != "" || p.Fragment != "" || p.Opaque != "":
		return fmt.Errorf("the URL %q has a user, query or fragment; give only https://HOST[:PORT][/PATH]", ShowURL(u))
	case p.Scheme == "https":
		return nil
	case p.Scheme == "http" && IsLoopback(p.Hostname()):
		return nil
	}
	return fmt.Errorf("the URL %q is not https (plain http is allowed only to this computer, 127.0.0.1 or localhost)", ShowURL(u))
}

// ShowURL is raw without its user information (a user name, a password
// or token someone put in the URL), for messages: even a URL that does
// not parse loses what would be its user information.
func ShowURL(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		if u.User == nil {
			return raw
		}
		u.User = nil
		return u.String()
	}
	// Unparsable: cut everything between "//" and the last "@" of the
	// authority, where user information would be.
	if i := strings.Index(raw, "//"); i >= 0 {
		rest := raw[i+2:]
		end := strings.IndexAny(rest, "/?#")
		if end < 0 {
			end = len(rest)
		}
		if at := strings.LastIndex(rest[:end], "@"); at >= 0 {
			return raw[:i+2] + rest[at+1:]
		}
	}
	return raw
}

// IsLoopback reports whether host (without a port) is this computer:
// localhost, in any case, or a loopback address (127.0.0.0/8, ::1).
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
