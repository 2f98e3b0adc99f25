package doctor

import (
	"context"
	"errors"
	"net/url"
	"os/exec"
	"strings"
)

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
