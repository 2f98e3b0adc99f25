package doctor

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/mfa-git/mfa-git/gitcred"
	"github.com/mfa-git/mfa-git/session"
)

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
