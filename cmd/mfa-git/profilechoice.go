package main

import (
	"fmt"

	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/setup"
)

// gitOperations are the commands git runs (see setup.Asked.ForGit).
var gitOperations = map[string]bool{"get": true, "store": true, "erase": true}

// chooseProfile is the profile a command uses (setup.ChooseProfile; url
// is the repository the command is about, "" for any). When git's helper
// or setup's record chose it, it says so once, on stderr.
func (c *cli) chooseProfile(url string) string {
	ch := setup.ChooseProfile(setup.Asked{Flag: c.f.profile, Env: c.set.profile, AWSProfile: c.set.awsProfile,
		URL: url, ForGit: gitOperations[c.cmdName]})
	if c.trace.On() {
		c.trace.Printf("profile %s: %s", ch.Name, ch.Why)
	}
	if ch.Tell {
		c.chosenSaid.Do(func() {
			fmt.Fprintf(c.stderr, "mfa-git: using profile %s: %s (--profile chooses another)\n", profile.ShellQuote(ch.Name), ch.Why)
		})
	}
	return ch.Name
}
