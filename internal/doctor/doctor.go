// Package doctor checks a user's setup end to end and says, for every
// problem, what to do: git and its helper chain, the keyring, the agent,
// the profile, the clock, and with a cached session the identity and a
// real git ls-remote. It never prompts for a code.
package doctor

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"time"

	"github.com/mfa-git/mfa-git/gitcred"
	"github.com/mfa-git/mfa-git/internal/child"
	"github.com/mfa-git/mfa-git/internal/keystore"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/source"
)

// Statuses of a check.
const (
	OK   = "OK"
	Warn = "WARN"
	Fail = "FAIL"
	Skip = "SKIP"
)

// Check is one finding.
type Check struct {
	Name   string `json:"name"`
	Status string `json:"status"`
	Detail string `json:"detail"`
	Fix    string `json:"fix,omitempty"`
}

// Env is what the checks look at.
type Env struct {
	// URL is the repository to check; a CodeCommit example when empty.
	URL     string
	Profile string
	Files   profile.Files
	// Store opens the configured keystore.
	Store func() (keystore.Store, error)
	// Manager reads the cached session (never prompting).
	Manager *source.Manager
	// AgentSocket is where the agent would listen.
	AgentSocket string
	// Agent says whether commands use the agent (it runs here, and
	// MFA_GIT_AGENT is not off).
	Agent bool
	// SetupHint is the setup command that would configure git for URL.
	SetupHint string
	// GitTimeout bounds each git command that reads git's settings;
	// 10 seconds when zero.
	GitTimeout time.Duration
}

// git runs a git command that reads git's settings, with a deadline.
func (env Env) git(ctx context.Context, args ...string) ([]byte, error) {
	timeout := env.GitTimeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Env = child.WithoutSecrets(os.Environ()) // git config needs none
	cmd.WaitDelay = time.Second
	out, err := cmd.Output()
	if ctx.Err() == context.DeadlineExceeded {
		return out, fmt.Errorf("git %s did not finish within %s", args[0], timeout)
	}
	return out, err
}

// DefaultURL stands for "any CodeCommit repository".
const DefaultURL = "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/example"

// Run performs every check, in order.
func Run(ctx context.Context, env Env) []Check {
	var out []Check
	add := func(c Check) { out = append(out, c) }
	if env.URL == "" {
		env.URL = DefaultURL
	}
	u, err := url.Parse(env.URL)
	if err != nil || u.Host == "" {
		add(Check{"url", Fail, fmt.Sprintf("%q is not a repository URL", gitcred.ShowURL(env.URL)), "give the https URL shown by the CodeCommit console"})
		return out
	}
	add(checkGit(ctx, env))
	add(checkHelperOnPath())
	add(RemoteHelper())
	add(checkHelperChain(ctx, u, env))
	add(checkUseHTTPPath(ctx, u, env))
	add(checkStale())
	add(checkKeystore(env))
	add(checkAgent(ctx, env))
	p, role, pc := checkProfileOrRole(ctx, env)
	add(pc)
	add(checkSignIn(p))
	add(checkClock(ctx, p))
	s, sc := checkSession(ctx, env, p, role)
	add(sc)
	if env.URL != DefaultURL {
		add(checkLsRemote(ctx, env, s))
	}
	return out
}

// Failed reports whether any check failed.
func Failed(cs []Check) bool {
	return slices.ContainsFunc(cs, func(c Check) bool { return c.Status == Fail })
}
