package gitcred

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrNotCodeCommit means the request is for a host this helper does not
// serve; a helper then prints nothing so git asks the next one.
var ErrNotCodeCommit = errors.New("not a CodeCommit host")

// MissingPathError means git did not send the repository path, because
// credential.useHttpPath is not set for the host. Without it the password
// cannot be signed.
type MissingPathError struct{ Host string }

// Error says what git left out and the setting that makes it send it.
func (e *MissingPathError) Error() string {
	return fmt.Sprintf("git sent no repository path for %s; run: git config --global credential.https://%s.useHttpPath true", e.Host, stripPort(e.Host))
}

// Options change which requests a helper accepts.
type Options struct {
	// IgnoreHostCheck accepts any host (and plain http), for private
	// proxies and the local sandbox. Region must then be set.
	IgnoreHostCheck bool
	// Region is used when the host does not name one.
	Region string
}

// TargetFor decides whether req is a CodeCommit request this helper should
// answer. It returns ErrNotCodeCommit for other hosts or protocols, a
// *MissingPathError when git sent no path, and another error for a path
// that is not a repository path.
func TargetFor(req *Request, opt Options) (Target, error) {
	proto, _ := req.Get("protocol")
	host, _ := req.Get("host")
	if host == "" {
		return Target{}, ErrNotCodeCommit
	}
	region, ok := Region(host)
	switch {
	case proto != "https" && !(opt.IgnoreHostCheck && proto == "http"), !ok && !opt.IgnoreHostCheck:
		return Target{}, ErrNotCodeCommit
	case !ok:
		region = opt.Region
	}
	if region == "" {
		return Target{}, errors.New("--ignore-host-check needs --region")
	}
	path, ok := req.Get("path")
	if !ok || path == "" {
		return Target{}, &MissingPathError{Host: host}
	}
	path = strings.Trim(path, "/")
	if err := checkPath(path, !opt.IgnoreHostCheck); err != nil {
		return Target{}, err
	}
	return Target{Host: stripPort(host), Region: region, Path: "/" + path}, nil
}

// checkPath rejects dot segments and empty segments; for real CodeCommit
// hosts it also requires the v1/repos/NAME form.
func checkPath(path string, codecommit bool) error {
	segs := strings.Split(path, "/")
	for _, s := range segs {
		if s == "" || s == "." || s == ".." {
			return fmt.Errorf("repository path %q is not valid", path)
		}
	}
	if codecommit && (len(segs) != 3 || segs[0] != "v1" || segs[1] != "repos" || !ValidRepo(segs[2])) {
		return fmt.Errorf("repository path %q is not a CodeCommit path (v1/repos/NAME)", path)
	}
	return nil
}

// Credentials are the AWS credentials a password is signed with.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	// Expires is when the credentials stop working; zero if never.
	Expires time.Time
}

// NewAnswer signs a password for t. The answer's expiry is the password's
// lifetime or the credentials' expiry, whichever comes first, so git and
// storage helpers drop it instead of replaying a stale password.
func NewAnswer(c Credentials, t Target, now time.Time) Answer {
	exp := now.Add(PasswordLifetime)
	if !c.Expires.IsZero() && c.Expires.Before(exp) {
		exp = c.Expires
	}
	return Answer{
		Username:   Username(c.AccessKeyID, c.SessionToken),
		Password:   Password(c.SecretAccessKey, t, now),
		ExpiryUnix: exp.Unix(),
	}
}

// ValidRepo reports whether s can be a CodeCommit repository name:
// [\w.-]{1,100} (CodeCommit's RepositoryName), and not "." or "..", which
// would change the path.
func ValidRepo(s string) bool {
	if s == "" || len(s) > 100 || s == "." || s == ".." {
		return false
	}
	return strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == ""
}
