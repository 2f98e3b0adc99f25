package doctor

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/mfa-git/mfa-git/awsapi"
	"github.com/mfa-git/mfa-git/gitcred"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/profile"
	"github.com/mfa-git/mfa-git/session"
)

// checkSession checks the cached session with AWS (it never asks for a
// code): role's session when role is set (p is then its source).
func checkSession(ctx context.Context, env Env, p *profile.Profile, role *profile.Role) (*session.Session, Check) {
	if p == nil || p.MFASerial == "" || env.Manager == nil {
		return nil, Check{"session", Skip, "needs a usable profile", ""}
	}
	s := env.Manager.Cached(p)
	if role != nil {
		s, p = env.Manager.CachedRole(role), role.Settings
	}
	if s == nil || s.Remaining(time.Now()) <= 0 {
		return nil, Check{"session", Skip, "no session cached (doctor never asks for a code)", "run: mfa-git login --profile " + profile.ShellQuote(p.Name) + ", then doctor again to check it with AWS"}
	}
	arn, err := env.Manager.STS.CallerIdentity(ctx, p, s.Credentials())
	if err != nil {
		if awsapi.Rejected(err) {
			return nil, Check{"session", Fail, "AWS rejects the cached session: " + err.Error(), "run: mfa-git logout --profile " + profile.ShellQuote(p.Name) + " && mfa-git login --profile " + profile.ShellQuote(p.Name)}
		}
		return nil, Check{"session", Fail, "cannot check the session: " + err.Error(), hint.Of(err)}
	}
	return s, Check{"session", OK, fmt.Sprintf("%s, %s left", arn, s.Remaining(time.Now()).Round(time.Minute)), ""}
}

// checkLsRemote runs git ls-remote on the repository with the cached session.
func checkLsRemote(ctx context.Context, env Env, s *session.Session) Check {
	if s == nil {
		return Check{"git ls-remote", Skip, "needs a cached session", ""}
	}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", "ls-remote", "--heads", env.URL)
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0")
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(errb.String())
		fix := "see the checks above"
		if strings.Contains(msg, "403") {
			fix = "if every check above is OK, the IAM policy denies this repository even with MFA: check the repository name and region, and KMS permissions for a customer-managed key"
		}
		return Check{"git ls-remote", Fail, msg, fix}
	}
	return Check{"git ls-remote", OK, "git can read " + gitcred.ShowURL(env.URL), ""}
}
