package doctor

import (
	"context"
	"fmt"
	"time"

	"github.com/mfa-git/mfa-git/awsapi"
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
	s := env.Manager.Cached(session.Target{Profile: p, Role: role})
	if role != nil {
		p = role.Settings
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
