package codecommit

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/mfa-git/mfa-git/gitcred"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/profile"
)

// Options are the settings around a URL.
type Options struct {
	// DefaultProfile is used when the URL names none (session.ProfileName).
	DefaultProfile string
	// Endpoint is the value of CODE_COMMIT_ENDPOINT, or "".
	Endpoint string
	// Region returns a profile's region from the AWS config files, ""
	// when it has none, and an error (with a hint) when the profile does
	// not exist.
	Region func(profile string) (string, error)
}

// Remote is what a codecommit URL names (see ParseURL) and, resolved,
// where the repository is and whose session signs for it (see Resolve).
type Remote struct {
	Profile string
	Region  string
	// Repo is the repository name.
	Repo string
	// URL is the repository's http(s) URL; it never holds a user or
	// password.
	URL string
}

// Resolve parses raw (see ParseURL) and completes it: the profile from
// opt.DefaultProfile when the URL names none, the region from the profile
// when the URL names none, and the host from the region or
// CODE_COMMIT_ENDPOINT (see BaseURL).
func Resolve(raw string, opt Options) (*Remote, error) {
	r, err := ParseURL(raw)
	if err != nil {
		return nil, err
	}
	if r.Profile == "" {
		r.Profile = opt.DefaultProfile
		if err := profile.CheckName(r.Profile); err != nil {
			return nil, err
		}
	}
	region, err := opt.Region(r.Profile)
	if err != nil {
		return nil, err
	}
	if r.Region == "" {
		if region == "" {
			return nil, hint.New(nil, fmt.Sprintf("the URL %q names no region, and profile %q has none", raw, r.Profile), fmt.Sprintf("name it in the URL (codecommit::us-east-1://%s), or run: aws configure set region us-east-1 --profile %s", r.Repo, profile.ShellQuote(r.Profile)))
		}
		if !gitcred.ValidRegion(region) {
			return nil, hint.New(nil, fmt.Sprintf("the region %q of profile %q is not an AWS region name", region, r.Profile), fmt.Sprintf("fix region under the profile in ~/.aws/config (or AWS_REGION), or name it in the URL (codecommit::us-east-1://%s)", r.Repo))
		}
		r.Region = region
	}
	base, err := BaseURL(r.Region, opt.Endpoint)
	if err != nil {
		return nil, err
	}
	r.URL = base + "/v1/repos/" + r.Repo
	return &r, nil
}

// Config returns the git settings that make git use the mfa-git binary
// exe, and only it, for this remote's URL: an empty helper (which clears
// every helper configured before, such as osxkeychain or store), the
// helper line for this remote's profile (exe quoted for the shell git runs
// it with), and useHttpPath so git sends the repository path to sign. A
// host that is not a CodeCommit git host (a CODE_COMMIT_ENDPOINT proxy,
// the sandbox) adds --ignore-host-check and --region to the helper line,
// since the region cannot be read from it.
func (r *Remote) Config(exe string) [][2]string {
	helper := "!" + profile.ShellQuote(exe) + " --profile " + profile.ShellQuote(r.Profile)
	if u, err := url.Parse(r.URL); err != nil || u.Scheme != "https" || !gitcred.IsCodeCommitHost(u.Host) {
		helper += " --ignore-host-check --region " + r.Region
	}
	sect := "credential." + r.URL
	return [][2]string{
		{sect + ".helper", ""},
		{sect + ".helper", helper},
		{sect + ".useHttpPath", "true"},
	}
}

// Command returns the git command line that serves the remote named
// remote: git remote-https REMOTE URL (remote-http for a loopback http
// endpoint), as git-remote-codecommit runs it, but with no user or
// password in the URL.
func (r *Remote) Command(remote string) []string {
	helper := "remote-https"
	if strings.HasPrefix(r.URL, "http://") {
		helper = "remote-http"
	}
	return []string{"git", helper, remote, r.URL}
}

// AppendConfig returns environ with kv added as git configuration through
// GIT_CONFIG_COUNT, GIT_CONFIG_KEY_n and GIT_CONFIG_VALUE_n (git 2.31 and
// later), after any such settings environ already has. Settings given
// this way come after every config file, so an empty helper here clears
// the helpers the files list.
func AppendConfig(environ []string, kv [][2]string) ([]string, error) {
	n := 0
	out := make([]string, 0, len(environ)+2*len(kv)+1)
	for _, e := range environ {
		k, v, _ := strings.Cut(e, "=")
		if k == "GIT_CONFIG_COUNT" {
			if v != "" {
				c, err := strconv.Atoi(v)
				if err != nil || c < 0 {
					return nil, hint.New(nil, fmt.Sprintf("GIT_CONFIG_COUNT=%q is not a count", v), "unset GIT_CONFIG_COUNT, or set it to the number of GIT_CONFIG_KEY_n settings")
				}
				n = c
			}
			continue
		}
		out = append(out, e)
	}
	for i, p := range kv {
		out = append(out, fmt.Sprintf("GIT_CONFIG_KEY_%d=%s", n+i, p[0]), fmt.Sprintf("GIT_CONFIG_VALUE_%d=%s", n+i, p[1]))
	}
	return append(out, fmt.Sprintf("GIT_CONFIG_COUNT=%d", n+len(kv))), nil
}
