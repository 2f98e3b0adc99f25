package doctor

// The checks that reach AWS: the cached session, git ls-remote with it,
// and the clock against STS's.

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/mfa-git/mfa-git/gitcred"
	"github.com/mfa-git/mfa-git/internal/awsapi"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/session"
	"github.com/mfa-git/mfa-git/internal/source"
)

// checkSession checks the cached session with AWS (it never asks for a
// code): role's session when role is set (p is then its source).
func checkSession(ctx context.Context, env Env, p *profile.Profile, role *profile.Role) (*session.Session, Check) {
	if p == nil || (p.Kind == profile.KindUser && p.MFASerial == "") || env.Manager == nil {
		return nil, Check{"session", Skip, "needs a usable profile", ""}
	}
	s := env.Manager.Cached(source.For(p, role))
	if role != nil {
		p = role.Settings
	}
	if s == nil || s.Remaining(time.Now()) <= 0 {
		return nil, Check{"session", Skip, "no session cached (doctor never asks for a code)", "run: mfa-git login --profile " + profile.ShellQuote(p.Name) + ", then doctor again to check it with AWS"}
	}
	arn, err := env.Manager.STS.CallerIdentity(ctx, p, source.Credentials(s))
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

// checkClock compares the local clock with STS's Date header: AWS refuses
// signatures more than 15 minutes off, and CodeCommit passwords live 15.
func checkClock(ctx context.Context, p *profile.Profile) Check {
	if p == nil {
		// Any other endpoint would not be the one the profile uses.
		return Check{"clock", Skip, "needs a usable profile (the clock is compared with the profile's own STS endpoint)", ""}
	}
	endpoint := awsapi.STSURL(p)
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"/", nil)
	before := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return Check{"clock", Warn, "cannot reach " + endpoint + " to compare clocks: " + err.Error(), "check your network, or AWS_ENDPOINT_URL_STS"}
	}
	resp.Body.Close()
	server, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return Check{"clock", Warn, endpoint + " sent no Date header", ""}
	}
	skew := before.Add(time.Since(before) / 2).Sub(server).Round(time.Second)
	detail := fmt.Sprintf("local clock is %s %s %s", skew.Abs(), map[bool]string{true: "ahead of", false: "behind"}[skew >= 0], endpoint)
	switch {
	case skew.Abs() > 5*time.Minute:
		return Check{"clock", Fail, detail + "; AWS refuses requests signed more than 15 minutes off, and CodeCommit passwords last 15 minutes", "set the clock right: timedatectl set-ntp true (Linux), or enable automatic time in the system settings"}
	case skew.Abs() > time.Minute:
		return Check{"clock", Warn, detail, "set the clock right: timedatectl set-ntp true"}
	}
	return Check{"clock", OK, detail, ""}
}
