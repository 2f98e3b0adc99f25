package doctor

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os/exec"
	"strings"

	"github.com/mfa-git/mfa-git/gitcred"
)

// checkHelperChain checks that mfa-git is the first and only helper git runs for u.
func checkHelperChain(ctx context.Context, u *url.URL, env Env) Check {
	out, err := env.git(ctx, "config", "-z", "--show-origin", "--get-regexp", `^credential\.`)
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) {
		return Check{"helper chain", Warn, "cannot read git's configuration: " + err.Error(), ""}
	}
	hs := gitcred.ResolveHelpers(string(out), u)
	var names []string
	ours := -1
	for i, h := range hs {
		names = append(names, fmt.Sprintf("%q (%s)", h.Value, h.Origin))
		if h.Value == "mfa-git" || strings.HasPrefix(h.Value, "mfa-git ") {
			ours = i
		}
	}
	detail := fmt.Sprintf("git runs for %s: %s", u.Host, strings.Join(names, ", "))
	if len(hs) == 0 {
		detail = fmt.Sprintf("git runs no credential helper for %s", u.Host)
	}
	fix := "run: " + env.SetupHint
	switch {
	case ours < 0:
		return Check{"helper chain", Fail, detail, fix}
	case ours > 0:
		return Check{"helper chain", Fail, detail + "; the helpers before mfa-git answer first and may replay an expired CodeCommit password (a lasting 403)", fix}
	case len(hs) > 1:
		return Check{"helper chain", Warn, detail + "; the helpers after mfa-git will be asked to store its short-lived passwords", fix}
	}
	return Check{"helper chain", OK, detail, ""}
}
