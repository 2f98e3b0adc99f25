package doctor

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
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
	detail := fmt.Sprintf("git %s.%s: wildcard credential URLs %s, password_expiry_utc %s", m[1], m[2], yesNo(v >= 2027), yesNo(v >= 2040))
	switch {
	case v < 2027:
		return Check{"git", Fail, detail, "upgrade git to 2.27 or later: older versions ignore credential.https://git-codecommit.*... settings"}
	case v < 2040:
		return Check{"git", Warn, detail, "upgrade git to 2.40 or later, so passwords other helpers stored expire instead of causing 403s"}
	}
	return Check{"git", OK, detail, ""}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
