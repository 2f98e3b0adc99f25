package doctor

// The checks of git itself: its version, the helper it finds on PATH,
// and the settings that make it run mfa-git for a URL.

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os/exec"
	"regexp"
	"strconv"
	"strings"

	"github.com/mfa-git/mfa-git/gitcred"
)

// checkGit checks that git is new enough for wildcard credential URLs and password_expiry_utc.
func checkGit(ctx context.Context, env Env) Check {
	out, err := env.git(ctx, "--version")
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) && !errors.Is(err, exec.ErrNotFound) {
		return Check{"git", Fail, err.Error(), "check that git runs: git --version"}
	}
	if err != nil {
		return Check{"git", Fail, "git is not installed or not on PATH", "install git"}
	}
	// Compiled here, not at package level: every helper start would pay.
	m := regexp.MustCompile(`git version (\d+)\.(\d+)`).FindStringSubmatch(string(out))
	if m == nil {
		return Check{"git", Warn, "cannot read the git version: " + strings.TrimSpace(string(out)), ""}
	}
	major, _ := strconv.Atoi(m[1])
	minor, _ := strconv.Atoi(m[2])
	v := major*1000 + minor
	yes := map[bool]string{true: "yes", false: "no"}
	detail := fmt.Sprintf("git %s.%s: wildcard credential URLs %s, password_expiry_utc %s", m[1], m[2], yes[v >= 2027], yes[v >= 2040])
	switch {
	case v < 2027:
		return Check{"git", Fail, detail, "upgrade git to 2.27 or later: older versions ignore credential.https://git-codecommit.*... settings"}
	case v < 2040:
		return Check{"git", Warn, detail, "upgrade git to 2.40 or later, so passwords other helpers stored expire instead of causing 403s"}
	}
	return Check{"git", OK, detail, ""}
}

// checkHelperOnPath checks that git can find git-credential-mfa-git on PATH.
func checkHelperOnPath() Check {
	p, err := exec.LookPath("git-credential-mfa-git")
	if err != nil {
		return Check{"helper on PATH", Fail, "git-credential-mfa-git is not on PATH, so git cannot run the helper", "run ./install.sh, and add its bin folder (default ~/.local/bin) to PATH"}
	}
	return Check{"helper on PATH", OK, p, ""}
}

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
	if ours >= 0 {
		// The checks below are of env.Profile: say so when git's own
		// helper line names another.
		if h, ok := gitcred.ParseOurHelper(hs[ours].Value); ok && cmp.Or(h.Profile, "default") != env.Profile {
			return Check{"helper chain", Warn, detail + fmt.Sprintf("; git's mfa-git helper uses profile %s, and the checks below are of profile %s", cmp.Or(h.Profile, "default"), env.Profile), "run doctor without --profile to check the profile git uses, or: " + env.SetupHint}
		}
	}
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

// checkUseHTTPPath checks that git sends u's repository path to helpers.
func checkUseHTTPPath(ctx context.Context, u *url.URL, env Env) Check {
	out, err := env.git(ctx, "config", "--type=bool", "--get-urlmatch", "credential.useHttpPath", u.String())
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		return Check{"useHttpPath", Warn, "cannot read git's configuration: " + err.Error(), ""}
	}
	if strings.TrimSpace(string(out)) == "true" {
		return Check{"useHttpPath", OK, "git sends the repository path to helpers for " + u.Host, ""}
	}
	return Check{"useHttpPath", Fail, "git does not send the repository path for " + u.Host + ", so no password can be signed (git then asks for a username)", "run: " + env.SetupHint}
}
