package codecommit

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestParseURL(t *testing.T) {
	long := strings.Repeat("r", 100)
	tests := []struct {
		raw  string
		want Remote
		err  string // part of the error; "" when it parses
	}{
		// The four forms, as git passes them (codecommit:: stripped).
		{raw: "codecommit://demo", want: Remote{Repo: "demo"}},
		{raw: "codecommit://dev@demo", want: Remote{Profile: "dev", Repo: "demo"}},
		{raw: "us-east-1://demo", want: Remote{Region: "us-east-1", Repo: "demo"}},
		{raw: "eu-west-2://dev@demo", want: Remote{Profile: "dev", Region: "eu-west-2", Repo: "demo"}},
		// ... and as written in the remote's config.
		{raw: "codecommit::us-east-1://dev@demo", want: Remote{Profile: "dev", Region: "us-east-1", Repo: "demo"}},
		{raw: "codecommit::codecommit://demo", want: Remote{Repo: "demo"}},
		{raw: "us-gov-west-1://My_Repo.v2-x", want: Remote{Region: "us-gov-west-1", Repo: "My_Repo.v2-x"}},
		{raw: "cn-north-1://demo", want: Remote{Region: "cn-north-1", Repo: "demo"}},
		{raw: "codecommit://" + long, want: Remote{Repo: long}},
		{raw: "codecommit://team.dev_1@demo", want: Remote{Profile: "team.dev_1", Repo: "demo"}},
		// A profile name the shell would split is parsed, quoted later,
		// and refused later when no such profile exists.
		{raw: "codecommit://a&b@repo", want: Remote{Profile: "a&b", Repo: "repo"}},

		{raw: "codecommit://", err: "the repository name is empty"},
		{raw: "codecommit://p@", err: "the repository name is empty"},
		{raw: "codecommit://@repo", err: `the profile before "@" is empty`},
		{raw: "", err: `it has no "://"`},
		{raw: "demo", err: `it has no "://"`},
		{raw: "codecommit:demo", err: `it has no "://"`},
		{raw: "://x", err: "the region before :// is empty"},
		{raw: "codecommit::://x", err: "the region before :// is empty"},
		{raw: "moon-1://r", err: `names "moon-1" where the region goes`},
		{raw: "codecommit::moon-1://r", err: `names "moon-1" where the region goes`},
		{raw: "US-EAST-1://r", err: "not an AWS region name"},
		{raw: "useast-1://r", err: "not an AWS region name"},
		{raw: "us-east-x://r", err: "not an AWS region name"},
		{raw: "us--1://r", err: "not an AWS region name"},
		{raw: "https://host/v1/repos/r", err: "not an AWS region name"},
		{raw: "codecommit://a@b@c", err: `"b@c" is not a CodeCommit repository name`},
		{raw: "codecommit://demo/", err: "is not a CodeCommit repository name"},
		{raw: "codecommit://demo/../other", err: "is not a CodeCommit repository name"},
		{raw: "codecommit://..", err: "is not a CodeCommit repository name"},
		{raw: "codecommit://.", err: "is not a CodeCommit repository name"},
		{raw: "codecommit://demo?x=1", err: "is not a CodeCommit repository name"},
		{raw: "codecommit://demo#x", err: "is not a CodeCommit repository name"},
		{raw: "codecommit://de mo", err: "is not a CodeCommit repository name"},
		{raw: "codecommit://demo%2F..", err: "is not a CodeCommit repository name"},
		{raw: "codecommit://" + long + "r", err: "is not a CodeCommit repository name"},
		{raw: "codecommit://-p@demo", err: `starts with "-"`},
		{raw: "codecommit://a\nb@demo", err: "control character"},
		{raw: "codecommit://a]b@demo", err: "square bracket"},
		{raw: "codecommit://a;b@demo", err: "holds ; or #"},
		{raw: "codecommit:// a@demo", err: "spaces at either end"},
	}
	for _, tt := range tests {
		got, err := ParseURL(tt.raw)
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("ParseURL(%q): %v", tt.raw, err)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("ParseURL(%q) = %+v, %v; want an error with %q", tt.raw, got, err, tt.err)
		case tt.err != "" && hintOf(err) == "":
			t.Errorf("ParseURL(%q): error %q has no hint", tt.raw, err)
		case tt.err == "" && got != tt.want:
			t.Errorf("ParseURL(%q) = %+v, want %+v", tt.raw, got, tt.want)
		}
	}
}

func hintOf(err error) string {
	var h interface{ Hint() string }
	if errors.As(err, &h) {
		return h.Hint()
	}
	return ""
}

func TestBaseURL(t *testing.T) {
	tests := []struct {
		region, endpoint string
		want, err        string
	}{
		{region: "us-east-1", want: "https://git-codecommit.us-east-1.amazonaws.com"},
		{region: "us-gov-west-1", want: "https://git-codecommit.us-gov-west-1.amazonaws.com"},
		{region: "cn-north-1", want: "https://git-codecommit.cn-north-1.amazonaws.com.cn"},
		{region: "cn-northwest-1", want: "https://git-codecommit.cn-northwest-1.amazonaws.com.cn"},
		// CODE_COMMIT_ENDPOINT as git-remote-codecommit reads it: a host.
		{region: "us-east-1", endpoint: "vpce-1a2b.git-codecommit.us-east-1.vpce.amazonaws.com", want: "https://vpce-1a2b.git-codecommit.us-east-1.vpce.amazonaws.com"},
		{region: "us-east-1", endpoint: "git-codecommit-fips.us-east-1.amazonaws.com", want: "https://git-codecommit-fips.us-east-1.amazonaws.com"},
		{region: "us-east-1", endpoint: "proxy.example.com:8443", want: "https://proxy.example.com:8443"},
		// ... or a full URL.
		{region: "us-east-1", endpoint: "https://proxy.example.com/cc/", want: "https://proxy.example.com/cc"},
		{region: "us-east-1", endpoint: "http://127.0.0.1:8080", want: "http://127.0.0.1:8080"},
		{region: "us-east-1", endpoint: "http://127.1.2.3:8080", want: "http://127.1.2.3:8080"},
		{region: "us-east-1", endpoint: "http://[::1]:8080/", want: "http://[::1]:8080"},
		{region: "us-east-1", endpoint: "http://localhost:8080", want: "http://localhost:8080"},

		{endpoint: "http://example.com", err: "plain http is allowed only to a loopback address"},
		{endpoint: "http://10.0.0.1:80", err: "plain http is allowed only to a loopback address"},
		{endpoint: "http://127.0.0.1.evil.com", err: "plain http is allowed only to a loopback address"},
		{endpoint: "http://localhost.evil.com", err: "plain http is allowed only to a loopback address"},
		{endpoint: "ftp://127.0.0.1", err: "the scheme must be https"},
		{endpoint: "file:///tmp/x", err: "names no host"},
		{endpoint: "https://u:p@host", err: "user name or password"},
		{endpoint: "https://host?x=1", err: "query or fragment"},
		{endpoint: "https://host#x", err: "query or fragment"},
		{endpoint: "https://host/a/../b", err: ". or .. segment"},
		{endpoint: "https://host:port", err: "port"},
		{endpoint: "host/path", err: "a host name has no '/'"},
		{endpoint: "user@host", err: "a host name has no '/'"},
		{endpoint: "host name", err: "space, quote"},
		{endpoint: "host\nx", err: "space, quote"},
		{endpoint: "https://", err: "names no host"},
	}
	for _, tt := range tests {
		got, err := BaseURL(tt.region, tt.endpoint)
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("BaseURL(%q, %q): %v", tt.region, tt.endpoint, err)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("BaseURL(%q, %q) = %q, %v; want an error with %q", tt.region, tt.endpoint, got, err, tt.err)
		case tt.err != "" && hintOf(err) == "":
			t.Errorf("BaseURL(%q, %q): error %q has no hint", tt.region, tt.endpoint, err)
		case tt.err == "" && got != tt.want:
			t.Errorf("BaseURL(%q, %q) = %q, want %q", tt.region, tt.endpoint, got, tt.want)
		}
	}
}

// A refused CODE_COMMIT_ENDPOINT is never repeated with its password.
func TestBaseURLHidesPassword(t *testing.T) {
	for _, endpoint := range []string{"https://u:s3cret@host", "u:s3cret@host", "https://u:s3cret@host/%zz", "http://u:s3cret@example.com", "https://u:s3cret@host name"} {
		_, err := BaseURL("us-east-1", endpoint)
		if err == nil || strings.Contains(err.Error(), "s3cret") || strings.Contains(hintOf(err), "s3cret") {
			t.Errorf("BaseURL(%q): %v", endpoint, err)
		}
	}
}

// fakeProfiles maps profile names to regions; a missing name does not
// exist.
type fakeProfiles map[string]string

func (f fakeProfiles) Region(p string) (string, error) {
	r, ok := f[p]
	if !ok {
		return "", fmt.Errorf("profile %q not found", p)
	}
	return r, nil
}

func TestResolve(t *testing.T) {
	profiles := fakeProfiles{"default": "us-west-2", "dev": "eu-west-1", "none": "", "odd": "moon", "cn": "cn-north-1"}
	tests := []struct {
		raw, def, endpoint string
		want               Remote
		err                string
	}{
		{raw: "codecommit://demo", def: "default", want: Remote{"default", "us-west-2", "demo", "https://git-codecommit.us-west-2.amazonaws.com/v1/repos/demo"}},
		{raw: "codecommit://dev@demo", def: "default", want: Remote{"dev", "eu-west-1", "demo", "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/demo"}},
		{raw: "codecommit://cn@demo", want: Remote{"cn", "cn-north-1", "demo", "https://git-codecommit.cn-north-1.amazonaws.com.cn/v1/repos/demo"}},
		{raw: "ap-south-1://dev@demo", want: Remote{"dev", "ap-south-1", "demo", "https://git-codecommit.ap-south-1.amazonaws.com/v1/repos/demo"}},
		{raw: "us-east-1://none@demo", want: Remote{"none", "us-east-1", "demo", "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo"}},
		{raw: "codecommit://demo", def: "dev", endpoint: "http://127.0.0.1:9/", want: Remote{"dev", "eu-west-1", "demo", "http://127.0.0.1:9/v1/repos/demo"}},
		{raw: "codecommit://dev@demo", endpoint: "vpce-1.git-codecommit.eu-west-1.vpce.amazonaws.com", want: Remote{"dev", "eu-west-1", "demo", "https://vpce-1.git-codecommit.eu-west-1.vpce.amazonaws.com/v1/repos/demo"}},

		{raw: "codecommit://nosuch@demo", err: `profile "nosuch" not found`},
		{raw: "us-east-1://nosuch@demo", err: `profile "nosuch" not found`},
		{raw: "codecommit://demo", def: "nosuch", err: `profile "nosuch" not found`},
		{raw: "codecommit://none@demo", err: `names no region, and profile "none" has none`},
		{raw: "codecommit://odd@demo", err: `the region "moon" of profile "odd" is not an AWS region name`},
		{raw: "codecommit://dev@demo", endpoint: "http://192.168.1.1", err: "loopback"},
		{raw: "codecommit://demo", def: "-x", err: `starts with "-"`},
	}
	for _, tt := range tests {
		got, err := Resolve(tt.raw, Options{DefaultProfile: tt.def, Endpoint: tt.endpoint, Region: profiles.Region})
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("Resolve(%q): %v", tt.raw, err)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("Resolve(%q) = %+v, %v; want an error with %q", tt.raw, got, err, tt.err)
		case tt.err == "" && *got != tt.want:
			t.Errorf("Resolve(%q) = %+v, want %+v", tt.raw, *got, tt.want)
		}
	}
}
