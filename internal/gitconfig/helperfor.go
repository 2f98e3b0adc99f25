package gitconfig

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"strings"

	"github.com/mfa-git/mfa-git/gitcred"
	"github.com/mfa-git/mfa-git/internal/child"
)

// OurHelperFor returns what the first mfa-git credential helper git runs
// for rawURL asks for (its --profile and --region), as the user's system
// and global git settings configure it, and whether git runs one at all.
// A repository's own settings are never read: git runs mfa-git from
// repositories, whose configuration is not the user's. Git runs with a
// deadline, from the home folder, with none of the variables that point
// it at a repository, and sees no secret.
func OurHelperFor(rawURL string) (gitcred.OurHelper, bool) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return gitcred.OurHelper{}, false
	}
	home, err := homeDir()
	if err != nil {
		return gitcred.OurHelper{}, false
	}
	env := child.UserGitEnv(os.Environ(), home)
	ctx, cancel := context.WithTimeout(context.Background(), gitTimeout)
	defer cancel()
	// System first, then global: the order git reads them in, so that
	// ResolveHelpers applies an empty helper the way git does.
	var all strings.Builder
	for _, scope := range []string{"--system", "--global"} {
		cmd := exec.CommandContext(ctx, "git", "config", scope, "-z", "--show-origin", "--get-regexp", `^credential\.`)
		cmd.Dir, cmd.Env = home, env
		if out, err := cmd.Output(); err == nil {
			all.Write(out)
		}
	}
	for _, h := range gitcred.ResolveHelpers(all.String(), u) {
		if ours, ok := gitcred.ParseOurHelper(h.Value); ok {
			return ours, true
		}
	}
	return gitcred.OurHelper{}, false
}
