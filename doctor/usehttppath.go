package doctor

import (
	"net/url"
	"os/exec"
	"strings"
)

// checkUseHTTPPath checks that git sends u's repository path to helpers.
func checkUseHTTPPath(u *url.URL, env Env) Check {
	out, _ := exec.Command("git", "config", "--type=bool", "--get-urlmatch", "credential.useHttpPath", u.String()).Output()
	if strings.TrimSpace(string(out)) == "true" {
		return Check{"useHttpPath", OK, "git sends the repository path to helpers for " + u.Host, ""}
	}
	return Check{"useHttpPath", Fail, "git does not send the repository path for " + u.Host + ", so no password can be signed (git then asks for a username)", "run: " + env.SetupHint}
}
