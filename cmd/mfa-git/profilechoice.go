package main

import (
	"cmp"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/mfa-git/mfa-git/doctor"
	"github.com/mfa-git/mfa-git/gitconfig"
	"github.com/mfa-git/mfa-git/internal/userdir"
	"github.com/mfa-git/mfa-git/profile"
)

// gitOperations are the commands git runs: git names the profile in the
// helper line it runs, so they never ask git which profile to use (and a
// cached get stays free of child processes).
var gitOperations = map[string]bool{"get": true, "store": true, "erase": true}

// chooseProfile is the profile a command uses, found the way git finds
// it: --profile; MFA_GIT_PROFILE (mfa-git exec sets it for the programs
// it runs); for a command a person runs, the profile of the mfa-git
// credential helper git runs for url (what setup wrote; a CodeCommit URL
// when url is ""); AWS_PROFILE; the profile setup configured last;
// default. When git's helper or setup's record chose it, it says so once,
// on stderr.
func (c *cli) chooseProfile(url string) string {
	if name := cmp.Or(c.f.profile, c.set.profile); name != "" || gitOperations[c.cmdName] {
		name = c.set.profileName(name)
		if c.trace.On() {
			why := "default"
			switch {
			case c.f.profile != "":
				why = "--profile"
			case c.set.profile != "":
				why = "MFA_GIT_PROFILE"
			case c.set.awsProfile != "":
				why = "AWS_PROFILE"
			}
			c.trace.Printf("profile %s: %s", name, why)
		}
		return name
	}
	if url == "" {
		url = doctor.DefaultURL
	}
	if h, ok := gitconfig.OurHelperFor(url); ok && h.Profile != "" {
		c.sayChosen(h.Profile, "git's credential helper for "+hostOf(url)+" names it")
		return h.Profile
	}
	if c.set.awsProfile != "" {
		c.trace.Printf("profile %s: AWS_PROFILE", c.set.awsProfile)
		return c.set.awsProfile
	}
	if name := lastSetupProfile(); name != "" {
		c.sayChosen(name, "mfa-git setup configured it last")
		return name
	}
	c.trace.Printf("profile default: no --profile, MFA_GIT_PROFILE, AWS_PROFILE, git helper or setup record names one")
	return "default"
}

// sayChosen tells, once, which profile was chosen and why.
func (c *cli) sayChosen(name, why string) {
	c.trace.Printf("profile %s: %s", name, why)
	c.chosenSaid.Do(func() {
		fmt.Fprintf(c.stderr, "mfa-git: using profile %s: %s (--profile chooses another)\n", profile.ShellQuote(name), why)
	})
}

// hostOf is url's host, for a message.
func hostOf(url string) string {
	_, rest, _ := strings.Cut(url, "://")
	host, _, _ := strings.Cut(rest, "/")
	return host
}

// lastProfileFile records the profile setup configured last.
func lastProfileFile() string {
	dir := setupStateDir()
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, "last-profile")
}

// lastSetupProfile is the profile setup configured last, or "".
func lastSetupProfile() string {
	path := lastProfileFile()
	if path == "" {
		return ""
	}
	b, err := userdir.ReadFile(path, 1024)
	if err != nil {
		return ""
	}
	name := strings.TrimSpace(string(b))
	if profile.CheckName(name) != nil {
		return ""
	}
	return name
}

// recordSetupProfile remembers name as the profile setup configured last.
func recordSetupProfile(name string) error {
	path := lastProfileFile()
	if path == "" {
		return nil
	}
	if err := userdir.Private(filepath.Dir(path)); err != nil {
		return err
	}
	return userdir.WriteFile(path, []byte(name+"\n"))
}
