package sandbox

import (
	"crypto/hmac"
	"fmt"
	"net"
	"net/http"
	"net/http/cgi"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

var repoPath = regexp.MustCompile(`^/v1/repos/([A-Za-z0-9._-]+)(/.*)?$`)

// codeCommitHost matches CodeCommit's own host names; the region is the
// one the password is signed for. The sandbox's loopback host signs for
// Region.
var codeCommitHost = regexp.MustCompile(`^git-codecommit(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com$`)

// gitHandler serves /v1/repos/NAME with `git http-backend`, after checking
// the CodeCommit password the way CodeCommit does, and denying anything not
// backed by an MFA session (a user's, or a role session with MFA context),
// as a deny-unless-MultiFactorAuthPresent policy does, and role sessions
// for repositories outside their role's Repos.
func (sb *Sandbox) gitHandler() http.Handler {
	git, _ := exec.LookPath("git")
	backend := &cgi.Handler{
		Path: git,
		Args: []string{"http-backend"},
		Root: "/v1/repos",
		Env: []string{"GIT_PROJECT_ROOT=" + sb.ReposDir, "GIT_HTTP_EXPORT_ALL=1", "GIT_CONFIG_NOSYSTEM=1",
			"HOME=" + sb.ReposDir, "REMOTE_USER=" + UserARN()},
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if git == "" {
			http.Error(w, "the sandbox's git server needs git on PATH", http.StatusServiceUnavailable)
			return
		}
		m := repoPath.FindStringSubmatch(r.URL.Path)
		if m == nil || m[1] == "." || m[1] == ".." {
			http.NotFound(w, r)
			return
		}
		user, pass, ok := r.BasicAuth()
		if !ok {
			// git asks its credential helpers only after a 401.
			w.Header().Set("WWW-Authenticate", `Basic realm="mfa-git sandbox CodeCommit"`)
			http.Error(w, "authentication required", http.StatusUnauthorized)
			return
		}
		host, _, err := net.SplitHostPort(r.Host)
		if err != nil {
			host = r.Host
		}
		if reason := sb.checkGitPassword(user, pass, host, "/v1/repos/"+m[1]); reason != "" {
			sb.mu.Lock()
			sb.stats.GitDenied++
			sb.mu.Unlock()
			http.Error(w, reason, http.StatusForbidden)
			return
		}
		sb.mu.Lock()
		sb.stats.GitAccepted++
		sb.mu.Unlock()
		switch f, _ := sb.gitFault.Load().(string); f {
		case "drop":
			if hj, ok := w.(http.Hijacker); ok {
				if c, _, err := hj.Hijack(); err == nil {
					c.Close()
					return
				}
			}
		case "5xx":
			http.Error(w, "service unavailable", http.StatusServiceUnavailable)
			return
		}
		r.Header.Del("Authorization") // never hand credentials to the CGI
		backend.ServeHTTP(w, r)
	})
}

// CheckGitPassword reports why user/pass would be refused for the
// repository at host and path ("" when accepted), and whose session it
// is: the user's name, or for a role session its assumed-role ARN
// (AssumedRoleARN). Load tests use it to judge every answer a helper
// gives.
func (sb *Sandbox) CheckGitPassword(user, pass, host, path string) (reason, owner string) {
	reason = sb.checkGitPassword(user, pass, host, path)
	akid, token, _ := strings.Cut(user, "%")
	sb.mu.Lock()
	defer sb.mu.Unlock()
	if s := sb.sessions[token]; s != nil && s.accessKeyID == akid {
		if s.role != nil {
			owner = s.arn()
		} else {
			owner = s.user.Name
		}
	}
	return reason, owner
}

// checkGitPassword returns "" when user/pass is a valid CodeCommit password
// for an MFA session, else the reason for the 403.
func (sb *Sandbox) checkGitPassword(user, pass, host, path string) string {
	akid, token, hasToken := strings.Cut(user, "%")
	sb.mu.Lock()
	var (
		secret string
		sess   *stsSession
	)
	if hasToken {
		sess = sb.sessions[token]
		if sess != nil && sess.accessKeyID == akid {
			secret = sess.secret
		}
	}
	sb.mu.Unlock()
	if !hasToken {
		sb.mu.Lock()
		u := sb.users[akid]
		sb.mu.Unlock()
		if u != nil {
			return fmt.Sprintf("User: %s is not authorized to perform: codecommit:GitPull with an explicit deny (aws:MultiFactorAuthPresent is false)", u.ARN())
		}
		return "unknown access key"
	}
	if secret == "" {
		return "the security token included in the request is invalid"
	}
	now := sb.Now()
	if now.After(sess.expires) {
		return "the security token included in the request is expired"
	}
	if !sess.mfa {
		return fmt.Sprintf("User: %s is not authorized to perform: codecommit:GitPull with an explicit deny (aws:MultiFactorAuthPresent is false)", sess.arn())
	}
	if repo := strings.TrimPrefix(path, "/v1/repos/"); sess.role != nil && !sess.role.mayUseRepo(repo) {
		return fmt.Sprintf("User: %s is not authorized to perform: codecommit:GitPull on resource: arn:aws:codecommit:%s:%s:%s", sess.arn(), Region, Account, repo)
	}
	if len(pass) != 80 || pass[15] != 'Z' {
		return "malformed password"
	}
	t, err := time.Parse("20060102T150405", pass[:15])
	if err != nil {
		return "malformed password timestamp"
	}
	if d := now.Sub(t); d > 15*time.Minute || d < -5*time.Minute {
		return "the password has expired"
	}
	region := Region
	if m := codeCommitHost.FindStringSubmatch(host); m != nil {
		region = m[1] // CodeCommit signs for the region its host names
	}
	want := codecommitPassword(secret, host, region, path, t)
	if !hmac.Equal([]byte(want), []byte(pass)) {
		return "the password signature does not match"
	}
	return ""
}

// makeDemoRepo creates the bare repository "demo" with one commit.
func makeDemoRepo(reposDir, scratch string) error {
	bare := filepath.Join(reposDir, "demo")
	work := filepath.Join(scratch, "seed")
	env := append(os.Environ(),
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "HOME="+scratch,
		"GIT_AUTHOR_NAME=Sandbox", "GIT_AUTHOR_EMAIL=sandbox@example.invalid",
		"GIT_COMMITTER_NAME=Sandbox", "GIT_COMMITTER_EMAIL=sandbox@example.invalid")
	run := func(dir string, args ...string) error {
		cmd := exec.Command("git", args...)
		cmd.Dir, cmd.Env = dir, env
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, out)
		}
		return nil
	}
	for _, d := range []string{work, reposDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
	}
	if err := run(reposDir, "init", "-q", "--bare", "-b", "main", bare); err != nil {
		return err
	}
	if err := run(bare, "config", "http.receivepack", "true"); err != nil {
		return err
	}
	if err := run(work, "init", "-q", "-b", "main"); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(work, "README.md"), []byte("# demo\n\nServed by the mfa-git sandbox.\n"), 0o644); err != nil {
		return err
	}
	for _, args := range [][]string{{"add", "README.md"}, {"commit", "-q", "-m", "first commit"}, {"push", "-q", bare, "main"}} {
		if err := run(work, args...); err != nil {
			return err
		}
	}
	return os.RemoveAll(work)
}
