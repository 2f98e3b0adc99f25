package setup

import (
	"cmp"
	"strings"

	"github.com/mfa-git/mfa-git/internal/doctor"
	"github.com/mfa-git/mfa-git/internal/gitconfig"
)

// Asked is what a command was told about the profile to use.
type Asked struct {
	Flag       string // --profile
	Env        string // MFA_GIT_PROFILE (mfa-git exec sets it for the programs it runs)
	AWSProfile string // AWS_PROFILE
	// URL is the repository the command is about; "" for any CodeCommit
	// URL.
	URL string
	// ForGit is set for the commands git runs (get, store, erase): git
	// names the profile in the helper line it runs, so they never ask
	// git, and a cached get stays free of child processes.
	ForGit bool
	// StateDir holds setup's record of the profile it configured last;
	// "" is StateDir(), looked up only when the record is read.
	StateDir string
}

// Choice is the profile a command uses and why.
type Choice struct {
	Name string
	Why  string
	// Tell is set when the choice is not obvious (git's helper line or
	// setup's record made it): a person should be told, once.
	Tell bool
}

// ChooseProfile finds the profile a command uses the way git finds it:
// --profile; MFA_GIT_PROFILE; for a command a person runs, the profile
// of the mfa-git credential helper git runs for the URL (what setup
// wrote); AWS_PROFILE; the profile setup configured last; default.
func ChooseProfile(a Asked) Choice {
	if name := cmp.Or(a.Flag, a.Env); name != "" || a.ForGit {
		switch {
		case a.Flag != "":
			return Choice{Name: a.Flag, Why: "--profile"}
		case a.Env != "":
			return Choice{Name: a.Env, Why: "MFA_GIT_PROFILE"}
		case a.AWSProfile != "":
			return Choice{Name: a.AWSProfile, Why: "AWS_PROFILE"}
		}
		return Choice{Name: "default", Why: "default"}
	}
	url := cmp.Or(a.URL, doctor.DefaultURL)
	if h, ok := gitconfig.OurHelperFor(url); ok && h.Profile != "" {
		return Choice{Name: h.Profile, Why: "git's credential helper for " + hostOf(url) + " names it", Tell: true}
	}
	if a.AWSProfile != "" {
		return Choice{Name: a.AWSProfile, Why: "AWS_PROFILE"}
	}
	if name := LastProfile(cmp.Or(a.StateDir, StateDir())); name != "" {
		return Choice{Name: name, Why: "mfa-git setup configured it last", Tell: true}
	}
	return Choice{Name: "default", Why: "no --profile, MFA_GIT_PROFILE, AWS_PROFILE, git helper or setup record names one"}
}

// hostOf is url's host, for a message.
func hostOf(url string) string {
	_, rest, _ := strings.Cut(url, "://")
	host, _, _ := strings.Cut(rest, "/")
	return host
}
