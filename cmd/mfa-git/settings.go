package main

import (
	"cmp"
	"fmt"
	"time"

	"github.com/mfa-git/mfa-git/prompt"
)

// settings is what mfa-git takes from its environment, read once when a
// command starts and passed down from here: the packages below take
// options, not os.Getenv, for mfa-git's own settings. (The AWS settings
// the SDKs share, such as AWS_REGION and AWS_CONFIG_FILE, are read by the
// profile package, the AWS shared config reader; the agent package reads
// MFA_GIT_AGENT and MFA_GIT_AGENT_SOCK.)
type settings struct {
	profile          string // MFA_GIT_PROFILE
	awsProfile       string // AWS_PROFILE
	keyring          string // MFA_GIT_KEYRING
	keyringService   string // MFA_GIT_KEYRING_SERVICE
	filePassphrase   string // MFA_GIT_FILE_PASSPHRASE
	prompt           string // MFA_GIT_PROMPT
	refreshMargin    string // MFA_GIT_REFRESH_MARGIN
	agent            string // MFA_GIT_AGENT
	agentRefreshLead string // MFA_GIT_AGENT_REFRESH_LEAD
	noTerminal       bool   // GIT_TERMINAL_PROMPT=0
	codeCommitURL    string // CODE_COMMIT_ENDPOINT
	// The long-term key add --env stores.
	accessKeyID, secretAccessKey string // AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
}

// readSettings reads the settings through getenv (os.Getenv).
func readSettings(getenv func(string) string) settings {
	return settings{
		profile:          getenv("MFA_GIT_PROFILE"),
		awsProfile:       getenv("AWS_PROFILE"),
		keyring:          getenv("MFA_GIT_KEYRING"),
		keyringService:   getenv("MFA_GIT_KEYRING_SERVICE"),
		filePassphrase:   getenv("MFA_GIT_FILE_PASSPHRASE"),
		prompt:           getenv("MFA_GIT_PROMPT"),
		refreshMargin:    getenv("MFA_GIT_REFRESH_MARGIN"),
		agent:            getenv("MFA_GIT_AGENT"),
		agentRefreshLead: getenv("MFA_GIT_AGENT_REFRESH_LEAD"),
		noTerminal:       getenv("GIT_TERMINAL_PROMPT") == "0",
		codeCommitURL:    getenv("CODE_COMMIT_ENDPOINT"),
		accessKeyID:      getenv("AWS_ACCESS_KEY_ID"),
		secretAccessKey:  getenv("AWS_SECRET_ACCESS_KEY"),
	}
}

// profileName is the profile to use: flag, then MFA_GIT_PROFILE (set by
// mfa-git exec for the programs it runs), then AWS_PROFILE, then
// "default".
func (s settings) profileName(flag string) string {
	return cmp.Or(flag, s.profile, s.awsProfile, "default")
}

// terminal is the terminal prompt, off under GIT_TERMINAL_PROMPT=0.
func (s settings) terminal() prompt.Terminal { return prompt.Terminal{Off: s.noTerminal} }

// duration parses the duration setting name=v; "" is 0.
func duration(name, v string) (time.Duration, error) {
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%s=%q is not a duration", name, v)
	}
	return d, nil
}
