package main

import (
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/mfa-git/mfa-git/internal/keystore"
	"github.com/mfa-git/mfa-git/internal/prompt"
	"github.com/mfa-git/mfa-git/internal/shell"
)

// flags are every option of every command; each command accepts the
// common ones plus its own (see commands).
type flags struct {
	help, version, debug bool

	profile      string
	keyring      string
	tokenCommand string
	prompt       string
	margin       time.Duration

	ignoreHostCheck bool
	region          string

	force      bool
	all        bool
	shell      string
	foreground bool
	server     bool

	system, local, undo  bool
	dryRun, yes          bool
	mfaSerial, cpProfile string
	json                 bool
	fromEnv, moveKeys    bool
	url                  string
}

var commonFlags = []string{"help", "version", "debug", "profile", "keyring", "token-command", "prompt", "refresh-margin"}

func newFlagSet(f *flags) *pflag.FlagSet {
	fs := pflag.NewFlagSet("mfa-git", pflag.ContinueOnError)
	fs.SetOutput(discard{})
	fs.BoolVarP(&f.help, "help", "h", false, "show help")
	fs.BoolVar(&f.version, "version", false, "print the version")
	fs.BoolVar(&f.debug, "debug", false, "write one line per decision to stderr (profile, agent or keystore, cache, locks, AWS calls; never a secret), as MFA_GIT_TRACE=1")
	fs.StringVarP(&f.profile, "profile", "p", "", "AWS profile: the IAM user's (keys and mfa_serial), or a role profile (role_arn and source_profile) (default: $MFA_GIT_PROFILE, $AWS_PROFILE, default)")
	fs.StringVar(&f.keyring, "keyring", "", "where sessions are kept: "+strings.Join(keystore.Backends(), ", ")+" (default: $MFA_GIT_KEYRING, else the OS store)")
	fs.StringVar(&f.tokenCommand, "token-command", "", "command that prints the current MFA code (overrides the profile's mfa_process)")
	fs.StringVar(&f.prompt, "prompt", "", "how to ask for the code: "+strings.Join(prompt.Drivers(), ", ")+" (default: $MFA_GIT_PROMPT, else askpass when set, the terminal, a desktop dialog)")
	fs.DurationVar(&f.margin, "refresh-margin", 0, "start a new session when the cached one has less than this left (default: $MFA_GIT_REFRESH_MARGIN, else 10m)")
	fs.BoolVar(&f.ignoreHostCheck, "ignore-host-check", false, "answer for any host and for plain http (private proxies, the sandbox); needs --region")
	fs.StringVar(&f.region, "region", "", "region to sign for when the host does not name one")
	fs.BoolVar(&f.force, "force", false, "start a new session even if a fresh one is cached")
	fs.BoolVar(&f.all, "all", false, "every profile")
	fs.StringVar(&f.shell, "shell", "sh", "syntax of the export lines: "+strings.Join(shell.ExportShells(), ", ")+" (default sh)")
	fs.BoolVar(&f.foreground, "foreground", false, "run the agent in this process instead of detached")
	fs.BoolVar(&f.system, "system", false, "edit the system git config instead of the global one")
	fs.BoolVar(&f.local, "local", false, "edit this repository's git config instead of the global one")
	fs.BoolVar(&f.undo, "undo", false, "remove what setup added")
	fs.BoolVar(&f.yes, "yes", false, "accept the one MFA device found without asking")
	fs.StringVar(&f.mfaSerial, "mfa-serial", "", "write this MFA device ARN into the profile")
	fs.StringVar(&f.cpProfile, "credential-process-profile", "", "also add a profile of this name that gets its credentials from mfa-git (for the AWS CLI and SDKs)")
	fs.BoolVar(&f.json, "json", false, "print the checks as JSON")
	fs.BoolVar(&f.moveKeys, "move-keys", false, "also move the profile's long-term keys into the keyring (as mfa-git add does)")
	fs.BoolVar(&f.fromEnv, "env", false, "take the keys from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
	fs.BoolVar(&f.dryRun, "dry-run", false, "show what would be removed, remove nothing")
	fs.StringVar(&f.url, "url", "", "also configure this URL (a private proxy or alias of CodeCommit), signed for --region")
	fs.BoolVar(&f.server, "server", false, "serve the session on a local container-credentials endpoint, refreshed as needed, instead of fixed variables")
	return fs
}

type discard struct{}

func (discard) Write(b []byte) (int, error) { return len(b), nil }
