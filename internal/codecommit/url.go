// Package codecommit turns a codecommit:// URL, in every form that
// git-remote-codecommit accepts, into the https URL of the repository and
// the git invocation that fetches it with mfa-git as the only credential
// helper. No secret passes through it: git asks mfa-git for the password
// over the credential protocol.
package codecommit

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/mfa-git/mfa-git/gitcred"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/profile"
)

// Scheme is the URL scheme, and the remote helper's transport name.
const Scheme = "codecommit"

const formsHint = "use codecommit://REPO, codecommit://PROFILE@REPO, codecommit::REGION://REPO or codecommit::REGION://PROFILE@REPO"

func malformed(raw, why string) error {
	return hint.New(nil, fmt.Sprintf("the URL %q is not a codecommit URL: %s", raw, why), formsHint)
}

// ParseURL parses the URL git hands a remote helper for the codecommit
// transport: "codecommit://[PROFILE@]REPO", or "REGION://[PROFILE@]REPO"
// for a remote written codecommit::REGION://[PROFILE@]REPO (git passes what
// follows "codecommit::"). The full codecommit::REGION:// form is accepted
// too. As in git-remote-codecommit, the profile ends at the first "@".
// The Remote holds what the URL names: Profile and Region are "" where it
// names none, and URL is not set (see Resolve).
func ParseURL(raw string) (Remote, error) {
	s := strings.TrimPrefix(raw, Scheme+"::")
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		return Remote{}, malformed(raw, `it has no "://"`)
	}
	var a Remote
	switch {
	case scheme == Scheme:
	case scheme == "":
		return Remote{}, malformed(raw, "the region before :// is empty")
	case gitcred.ValidRegion(scheme):
		a.Region = scheme
	default:
		return Remote{}, hint.New(nil, fmt.Sprintf("the URL %q names %q where the region goes, which is not an AWS region name", raw, scheme), "write the region as AWS does, e.g. codecommit::us-east-1://REPO, or leave it out to use the profile's region (codecommit://REPO)")
	}
	if p, r, ok := strings.Cut(rest, "@"); ok {
		if p == "" {
			return Remote{}, malformed(raw, `the profile before "@" is empty`)
		}
		if err := profile.CheckName(p); err != nil {
			return Remote{}, hint.New(err, fmt.Sprintf("the URL %q: %v", raw, err), hint.Of(err))
		}
		a.Profile, rest = p, r
	}
	if rest == "" {
		return Remote{}, malformed(raw, "the repository name is empty")
	}
	if !gitcred.ValidRepo(rest) {
		return Remote{}, hint.New(nil, fmt.Sprintf("the URL %q: %q is not a CodeCommit repository name", raw, rest), "a repository name is 1 to 100 letters, digits, '.', '_' and '-' (the name in the CodeCommit console), with nothing after it")
	}
	a.Repo = rest
	return a, nil
}

// BaseURL returns the scheme and host (and any path prefix) the repository
// is served from: the CodeCommit git host for region, as
// git-remote-codecommit builds it (git-codecommit.REGION.amazonaws.com,
// and amazonaws.com.cn for the China regions, cn-*), over https, unless
// endpoint (the value of CODE_COMMIT_ENDPOINT) is set. An endpoint is either a host name with an
// optional port, used over https as git-remote-codecommit does, or a full
// URL: https, or http only to a loopback address (127.0.0.0/8, ::1,
// localhost), with no user, query or fragment.
func BaseURL(region, endpoint string) (string, error) {
	if endpoint == "" && strings.HasPrefix(region, "cn-") {
		return "https://git-codecommit." + region + ".amazonaws.com.cn", nil
	}
	if endpoint == "" {
		return "https://git-codecommit." + region + ".amazonaws.com", nil
	}
	// The value is shown only without user information: a refused
	// endpoint may hold a password.
	shown := fmt.Sprintf("=%q", gitcred.ShowURL(endpoint))
	if strings.Contains(shown, "@") {
		shown = ""
	}
	bad := func(why string) error {
		return hint.New(nil, fmt.Sprintf("CODE_COMMIT_ENDPOINT%s cannot be used: %s", shown, why), "set CODE_COMMIT_ENDPOINT to a host name (vpce-....git-codecommit.us-east-1.vpce.amazonaws.com) or an https URL, or unset it")
	}
	if strings.ContainsFunc(endpoint, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '\\' || r == '"' || r == '\'' }) {
		return "", bad("it holds a space, quote, backslash or control character")
	}
	if !strings.Contains(endpoint, "://") {
		if strings.ContainsAny(endpoint, "/@?#") {
			return "", bad("a host name has no '/', '@', '?' or '#'; give a full URL (https://...) instead")
		}
		endpoint = "https://" + endpoint
	}
	u, err := url.Parse(endpoint)
	switch {
	case err != nil:
		return "", bad(errors.Unwrap(err).Error()) // url.Error's own text repeats the URL
	case u.Host == "" || u.Hostname() == "":
		return "", bad("it names no host")
	case u.User != nil:
		return "", bad("it holds a user name or password")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return "", bad("it holds a query or fragment")
	case u.Scheme == "http" && !gitcred.IsLoopback(u.Hostname()):
		return "", bad("plain http is allowed only to a loopback address (127.0.0.1, ::1, localhost), so the password never crosses a network in the clear")
	case u.Scheme != "https" && u.Scheme != "http":
		return "", bad("the scheme must be https")
	case strings.Trim(u.Port(), "0123456789") != "":
		return "", bad("the port is not a number")
	}
	path := strings.TrimRight(u.EscapedPath(), "/")
	for _, seg := range strings.Split(strings.TrimPrefix(path, "/"), "/") {
		if seg == "." || seg == ".." {
			return "", bad("its path has a . or .. segment")
		}
	}
	return u.Scheme + "://" + u.Host + path, nil
}
