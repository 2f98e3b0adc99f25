package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/mfa-git/mfa-git/keystore"
	"github.com/mfa-git/mfa-git/session"
)

// flags are every option of every command; each command accepts the
// common ones plus its own (see commands).
type flags struct {
	help, version bool

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

var commonFlags = []string{"help", "version", "profile", "keyring", "token-command", "prompt", "refresh-margin"}

func newFlagSet(f *flags) *pflag.FlagSet {
	fs := pflag.NewFlagSet("mfa-git", pflag.ContinueOnError)
	fs.SetOutput(discard{})
	fs.BoolVarP(&f.help, "help", "h", false, "show help")
	fs.BoolVar(&f.version, "version", false, "print the version")
	fs.StringVarP(&f.profile, "profile", "p", "", "AWS profile with the IAM user's keys and mfa_serial (default: $MFA_GIT_PROFILE, $AWS_PROFILE, default)")
	fs.StringVar(&f.keyring, "keyring", "", "where sessions are kept: "+strings.Join(keystore.Backends, ", ")+" (default: $MFA_GIT_KEYRING, else the OS store)")
	fs.StringVar(&f.tokenCommand, "token-command", "", "command that prints the current MFA code (overrides the profile's mfa_process)")
	fs.StringVar(&f.prompt, "prompt", "", "how to ask for the code: "+strings.Join(session.Drivers, ", ")+" (default: $MFA_GIT_PROMPT, else askpass when set, the terminal, a desktop dialog)")
	fs.DurationVar(&f.margin, "refresh-margin", 0, "start a new session when the cached one has less than this left (default: $MFA_GIT_REFRESH_MARGIN, else 10m)")
	fs.BoolVar(&f.ignoreHostCheck, "ignore-host-check", false, "answer for any host and for plain http (private proxies, the sandbox); needs --region")
	fs.StringVar(&f.region, "region", "", "region to sign for when the host does not name one")
	fs.BoolVar(&f.force, "force", false, "start a new session even if a fresh one is cached")
	fs.BoolVar(&f.all, "all", false, "every profile")
	fs.StringVar(&f.shell, "shell", "sh", "syntax of the export lines: sh, fish or powershell")
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

// command is one subcommand.
type command struct {
	run   func(c *cli, ctx context.Context, args []string) error
	flags []string // accepted beyond commonFlags
	usage string   // synopsis and description
}

var commands map[string]command

func init() {
	git := []string{"ignore-host-check", "region"}
	commands = map[string]command{
		"get":                {(*cli).gitGet, git, "get\n\nAnswer a git credential request read from standard input (git runs this)."},
		"store":              {(*cli).gitStore, git, "store\n\nDo nothing: CodeCommit passwords are computed, never stored (git runs this)."},
		"erase":              {(*cli).gitErase, git, "erase\n\nCheck the cached session with sts:GetCallerIdentity and drop it if AWS rejects it (git runs this)."},
		"credential-process": {(*cli).credentialProcess, nil, "credential-process\n\nPrint the session as AWS credential_process JSON.\nIn ~/.aws/config: credential_process = mfa-git credential-process --profile BASE"},
		"login":              {(*cli).login, []string{"force"}, "login\n\nAsk for the MFA code now and cache the session."},
		"status":             {(*cli).status, nil, "status\n\nList profiles with an MFA device and how long their sessions have left. Prints no secret."},
		"logout":             {(*cli).logout, []string{"all"}, "logout [--profile P | --all]\n\nForget cached sessions."},
		"env":                {(*cli).env, []string{"shell"}, "env\n\nPrint export lines for the session, for eval \"$(mfa-git env)\"."},
		"exec":               {(*cli).exec, []string{"server"}, "exec [--server] [flags] -- COMMAND [ARG...]\n\nRun COMMAND with the session in its environment; its exit status is passed through.\nWith --server, COMMAND gets AWS_CONTAINER_CREDENTIALS_FULL_URI (127.0.0.1) and a\nrandom AWS_CONTAINER_AUTHORIZATION_TOKEN instead, and every AWS SDK in it fetches\neach new session from there: for Terraform, CDK, dev servers."},
		"setup":              {(*cli).setup, []string{"system", "local", "undo", "url", "region", "yes", "mfa-serial", "credential-process-profile", "move-keys"}, "setup [--profile P] [--system|--local] [--url URL --region R] [--yes | --mfa-serial ARN]\n      [--credential-process-profile NAME] [--move-keys] [--undo]\n\nConfigure git to use mfa-git, and only mfa-git, for every CodeCommit host:\nan empty helper (clearing osxkeychain, manager and other helpers that earlier\nconfig files add), then mfa-git for the profile, and useHttpPath. Running it\nagain changes nothing; --undo removes exactly what it added.\nWhen the profile has no mfa_serial, setup lists the user's MFA devices\n(iam:ListMFADevices), offers the device, and writes mfa_serial into the\nprofile, changing no other line of the file."},
		"clean":              {(*cli).clean, []string{"dry-run"}, "clean [--dry-run]\n\nRemove the CodeCommit passwords other credential helpers stored (they expire\nafter 15 minutes, and git never erases them on a 403): git-credential-store\nfiles, the macOS keychain's internet passwords, git's libsecret items, and\nWindows Credential Manager's git: entries. Entries for other hosts are\nnever touched; --dry-run only shows."},
		"add":                {(*cli).add, []string{"env"}, "add [--profile P] [--env]\n\nMove the profile's long-term access key out of the plaintext credentials file\ninto the keyring (or store one typed on the terminal, or from the environment\nwith --env), and give the profile credential_process = mfa-git, so the AWS\nCLI and SDKs keep working with it, through the MFA session. The keys are read\nback from the keyring before anything is removed from the file."},
		"doctor":             {(*cli).doctor, []string{"json"}, "doctor [URL] [--json]\n\nCheck everything a clone needs and say how to fix what is wrong: git and its\nhelper chain for URL (a CodeCommit example if none), useHttpPath, stale\npasswords in other helpers, the keyring (a real write, read and delete), the\nagent, the profile, the clock against STS, and with a cached session the\nidentity and a real git ls-remote of URL. It never asks for a code. Exit\nstatus 1 when a check fails."},
		"agent":              {(*cli).agent, []string{"foreground"}, "agent [start|stop|status|install|uninstall] [--foreground]\n\nThe session agent: holds sessions in memory for every command, so many git\nprocesses cause one prompt. Commands start it when it is not running\n(unless MFA_GIT_AGENT=off). install writes and enables a systemd user unit\n(Linux) or launchd agent (macOS) that starts it at login. Socket: $MFA_GIT_AGENT_SOCK, MFA_GIT_PROMPT, GIT_ASKPASS, else\n$XDG_RUNTIME_DIR/mfa-git/agent.sock, else the user cache folder."},
	}
}

func (c *cli) checkFlags(name string, cmd command) error {
	ok := map[string]bool{}
	for _, f := range append(commonFlags, cmd.flags...) {
		ok[f] = true
	}
	var bad []string
	c.fs.Visit(func(f *pflag.Flag) {
		if !ok[f.Name] {
			bad = append(bad, "--"+f.Name)
		}
	})
	if len(bad) > 0 {
		return usageError{msg: fmt.Sprintf("%s does not take %s", name, strings.Join(bad, ", ")), hint: "run: mfa-git " + name + " --help"}
	}
	return nil
}

func (c *cli) commandUsage(name string, cmd command) string {
	var b strings.Builder
	fmt.Fprintf(&b, "usage: mfa-git %s\n\nflags:\n", cmd.usage)
	names := append(append([]string{}, cmd.flags...), commonFlags...)
	sort.Strings(names)
	sub := pflag.NewFlagSet(name, pflag.ContinueOnError)
	for _, n := range names {
		sub.AddFlag(c.fs.Lookup(n))
	}
	b.WriteString(sub.FlagUsages())
	return b.String()
}

const mainUsage = `usage: mfa-git COMMAND [flags]

One MFA prompt, one sts:GetSessionToken, and the session cached in the OS
keychain until it expires, for git (CodeCommit over HTTPS), the AWS CLI and
every SDK.

git credential helper (git runs these; configure with
  git config --global credential.https://git-codecommit.*.amazonaws.com.helper 'mfa-git --profile BASE'
  git config --global credential.https://git-codecommit.*.amazonaws.com.useHttpPath true):
  get, store, erase

AWS CLI and SDKs:
  credential-process   print the session as credential_process JSON
  env                  print export lines for the session
  exec -- CMD...       run CMD with the session in its environment

setup:
  setup                configure git for CodeCommit (--undo to remove)
  clean                remove stale CodeCommit passwords other helpers stored
  add                  move a profile's long-term keys into the keyring
  doctor [URL]         check the whole setup and explain every problem

sessions:
  agent                start, stop or show the session agent
  login                ask for the MFA code now and cache the session
  status               list profiles and time left (no secrets)
  logout               forget cached sessions (--profile P or --all)

Run "mfa-git COMMAND --help" for a command's flags. Environment:
MFA_GIT_PROFILE, MFA_GIT_KEYRING, MFA_GIT_KEYRING_SERVICE, MFA_GIT_AGENT,
MFA_GIT_AGENT_SOCK, MFA_GIT_PROMPT, GIT_ASKPASS,
MFA_GIT_FILE_PASSPHRASE, MFA_GIT_REFRESH_MARGIN, AWS_CONFIG_FILE,
AWS_SHARED_CREDENTIALS_FILE, AWS_ENDPOINT_URL_STS, GIT_TERMINAL_PROMPT.
`
