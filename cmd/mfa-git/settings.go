package main

import (
	"cmp"

	"github.com/mfa-git/mfa-git/internal/prompt"
)

// settings is what mfa-git takes from its environment (the table in
// environment.go), read once when a command starts and passed down: packages
// below take options, not os.Getenv, for mfa-git's own settings. The AWS
// SDKs' shared settings (AWS_REGION, AWS_CONFIG_FILE...) are read by the
// profile package, the AWS shared config reader.
type settings struct {
	profile, awsProfile             string // MFA_GIT_PROFILE, AWS_PROFILE
	keyring, keyringService         string // MFA_GIT_KEYRING, MFA_GIT_KEYRING_SERVICE
	filePassphrase, prompt          string // MFA_GIT_FILE_PASSPHRASE, MFA_GIT_PROMPT
	refreshMargin, agentRefreshLead string // MFA_GIT_REFRESH_MARGIN, MFA_GIT_AGENT_REFRESH_LEAD
	agent, agentSock                string // MFA_GIT_AGENT, MFA_GIT_AGENT_SOCK
	codeCommitURL                   string // CODE_COMMIT_ENDPOINT
	accessKeyID, secretAccessKey    string // AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (add --env)
	noTerminal                      bool   // GIT_TERMINAL_PROMPT=0
	trace                           bool   // MFA_GIT_TRACE=1
}

// readSettings reads the settings through getenv (os.Getenv).
func readSettings(getenv func(string) string) settings {
	return settings{
		getenv("MFA_GIT_PROFILE"), getenv("AWS_PROFILE"),
		getenv("MFA_GIT_KEYRING"), getenv("MFA_GIT_KEYRING_SERVICE"),
		getenv("MFA_GIT_FILE_PASSPHRASE"), getenv("MFA_GIT_PROMPT"),
		getenv("MFA_GIT_REFRESH_MARGIN"), getenv("MFA_GIT_AGENT_REFRESH_LEAD"),
		getenv("MFA_GIT_AGENT"), getenv("MFA_GIT_AGENT_SOCK"), getenv("CODE_COMMIT_ENDPOINT"),
		getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY"),
		getenv("GIT_TERMINAL_PROMPT") == "0",
		getenv("MFA_GIT_TRACE") == "1",
	}
}

// profileName is the profile to use: flag, then MFA_GIT_PROFILE (set by
// mfa-git exec for the programs it runs), then AWS_PROFILE, then "default".
func (s settings) profileName(flag string) string {
	return cmp.Or(flag, s.profile, s.awsProfile, "default")
}

// terminal is the terminal prompt, off under GIT_TERMINAL_PROMPT=0.
func (s settings) terminal() prompt.Terminal { return prompt.Terminal{Off: s.noTerminal} }
