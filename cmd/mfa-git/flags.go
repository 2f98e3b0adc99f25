package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/mfa-git/mfa-git/keystore"
	"github.com/mfa-git/mfa-git/prompt"
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
	fs.StringVarP(&f.profile, "profile", "p", "", "AWS profile: the IAM user's (keys and mfa_serial), or a role profile (role_arn and source_profile) (default: $MFA_GIT_PROFILE, $AWS_PROFILE, default)")
	fs.StringVar(&f.keyring, "keyring", "", "where sessions are kept: "+strings.Join(keystore.Backends(), ", ")+" (default: $MFA_GIT_KEYRING, else the OS store)")
	fs.StringVar(&f.tokenCommand, "token-command", "", "command that prints the current MFA code (overrides the profile's mfa_process)")
	fs.StringVar(&f.prompt, "prompt", "", "how to ask for the code: "+strings.Join(prompt.Drivers(), ", ")+" (default: $MFA_GIT_PROMPT, else askpass when set, the terminal, a desktop dialog)")
	fs.DurationVar(&f.margin, "refresh-margin", 0, "start a new session when the cached one has less than this left (default: $MFA_GIT_REFRESH_MARGIN, else 10m)")
	fs.BoolVar(&f.ignoreHostCheck, "ignore-host-check", false, "answer for any host and for plain http (private proxies, the sandbox); needs --region")
	fs.StringVar(&f.region, "region", "", "region to sign for when the host does not name one")
	fs.BoolVar(&f.force, "force", false, "start a new session even if a fresh one is cached")
	fs.BoolVar(&f.all, "all", false, "every profile")
	fs.StringVar(&f.shell, "shell", "sh", "syntax of the export lines: "+strings.Join(shellNames(), ", ")+" (default sh)")
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

// command is one subcommand. The help text, the man page and the shell
// completions are all generated from this table and newFlagSet.
type command struct {
	run   func(c *cli, ctx context.Context, args []string) error
	args  int      // positional arguments it takes at most (before any --)
	flags []string // accepted beyond commonFlags
	usage string   // synopsis and description
	short string   // one line for the command list and completions
	words []string // words that may follow the command, for completion
}

var commands map[string]command

// commandGroups is the order and grouping of the command list in
// "mfa-git --help" and the man page; every command is in one group.
var commandGroups = []struct {
	title string
	names []string
}{
	{"git credential helper (git runs these; mfa-git setup configures git)", []string{"get", "store", "erase"}},
	{"AWS CLI and SDKs", []string{"credential-process", "env", "exec"}},
	{"setup", []string{"setup", "clean", "add", "doctor"}},
	{"sessions", []string{"agent", "login", "status", "logout"}},
	{"shell", []string{"completion"}},
}

func init() {
	git := []string{"ignore-host-check", "region"}
	const anyArgs = 1 << 30 // git's operations ignore what else it passes
	commands = map[string]command{
		"get": {run: forCodeCommit((*cli).gitGet), args: anyArgs, flags: git,
			short: "answer a git credential request from standard input",
			usage: "get\n\nAnswer a git credential request read from standard input (git runs this)."},
		"store": {run: (*cli).gitStore, args: anyArgs, flags: git,
			short: "do nothing: CodeCommit passwords are computed, never stored",
			usage: "store\n\nDo nothing: CodeCommit passwords are computed, never stored (git runs this)."},
		"erase": {run: forCodeCommit((*cli).gitErase), args: anyArgs, flags: git,
			short: "drop the cached session if AWS rejects it",
			usage: "erase\n\nCheck the cached session with sts:GetCallerIdentity and drop it if AWS rejects it (git runs this)."},
		"credential-process": {run: (*cli).credentialProcess,
			short: "print the session as credential_process JSON",
			usage: "credential-process\n\nPrint the session as AWS credential_process JSON, for a profile in ~/.aws/config:\n  credential_process = mfa-git credential-process --profile BASE"},
		"login": {run: (*cli).login, flags: []string{"force"},
			short: "ask for the MFA code now and cache the session",
			usage: "login [--force]\n\nAsk for the MFA code now and cache the session. With a fresh session cached\nit says so and does nothing, unless --force."},
		"status": {run: (*cli).status,
			short: "list profiles and the time their sessions have left (no secrets)",
			usage: "status\n\nList profiles with an MFA device and how long their sessions have left. Prints no secret."},
		"logout": {run: (*cli).logout, flags: []string{"all"},
			short: "forget cached sessions (--profile P or --all)",
			usage: "logout [--profile P | --all]\n\nForget cached sessions."},
		"env": {run: (*cli).env, flags: []string{"shell"},
			short: "print export lines for the session",
			usage: "env [--shell " + strings.Join(shellNames(), "|") + "]\n\nPrint the session as lines that set environment variables, for\n  eval \"$(mfa-git env --profile BASE)\"                        (sh, bash, zsh)\n  mfa-git env --shell fish --profile BASE | source            (fish)\n  mfa-git env --shell powershell --profile BASE | Invoke-Expression"},
		"exec": {run: (*cli).exec, flags: []string{"server"},
			short: "run a command with the session in its environment",
			usage: "exec [--server] [flags] -- COMMAND [ARG...]\n\nRun COMMAND with the session in its environment; its exit status is passed through.\nWith --server, COMMAND gets AWS_CONTAINER_CREDENTIALS_FULL_URI (127.0.0.1) and a\nrandom AWS_CONTAINER_AUTHORIZATION_TOKEN instead, and every AWS SDK in it fetches\neach new session from there: for Terraform, CDK, dev servers."},
		"setup": {run: (*cli).setup, flags: []string{"system", "local", "undo", "url", "region", "yes", "mfa-serial", "credential-process-profile", "move-keys"},
			short: "configure git for CodeCommit (--undo removes it)",
			usage: "setup [--profile P] [--system|--local] [--url URL --region R] [--yes | --mfa-serial ARN]\n      [--credential-process-profile NAME] [--move-keys] [--undo]\n\nConfigure git to use mfa-git, and only mfa-git, for every CodeCommit host:\nan empty helper (clearing osxkeychain, manager and other helpers that earlier\nconfig files add), then mfa-git for the profile, and useHttpPath. Running it\nagain changes nothing; --undo removes exactly what it added.\nWhen the profile has no mfa_serial, setup lists the user's MFA devices\n(iam:ListMFADevices), offers the device, and writes mfa_serial into the\nprofile, changing no other line of the file."},
		"clean": {run: (*cli).clean, flags: []string{"dry-run"},
			short: "remove stale CodeCommit passwords other helpers stored",
			usage: "clean [--dry-run]\n\nRemove the CodeCommit passwords other credential helpers stored (they expire\nafter 15 minutes, and git never erases them on a 403): git-credential-store\nfiles, the macOS keychain's internet passwords, git's libsecret items, and\nWindows Credential Manager's git: entries. Entries for other hosts are\nnever touched; --dry-run only shows."},
		"add": {run: (*cli).add, args: 1, flags: []string{"env"},
			short: "move a profile's long-term keys into the keyring",
			usage: "add [--profile P] [--env]\n\nMove the profile's long-term access key out of the plaintext credentials file\ninto the keyring (or store one typed on the terminal, or from the environment\nwith --env), and give the profile credential_process = mfa-git, so the AWS\nCLI and SDKs keep working with it, through the MFA session. The keys are read\nback from the keyring before anything is removed from the file."},
		"doctor": {run: (*cli).doctor, args: 1, flags: []string{"json"},
			short: "check the whole setup and explain every problem",
			usage: "doctor [URL] [--json]\n\nCheck everything a clone needs and say how to fix what is wrong: git and its\nhelper chain for URL (a CodeCommit example if none), useHttpPath, stale\npasswords in other helpers, the keyring (a real write, read and delete), the\nagent, the profile, the clock against STS, and with a cached session the\nidentity and a real git ls-remote of URL. It never asks for a code. Exit\nstatus 1 when a check fails."},
		"agent": {run: (*cli).agent, args: 1, flags: []string{"foreground"},
			words: []string{"start", "stop", "status", "install", "uninstall"},
			short: "start, stop or show the session agent",
			usage: "agent [start|stop|status|install|uninstall] [--foreground]\n\nThe session agent: holds sessions in memory for every command, so many git\nprocesses cause one prompt. Commands start it when it is not running\n(unless MFA_GIT_AGENT=off). install writes and enables a systemd user unit\n(Linux) or launchd agent (macOS) that starts it at login.\nIts socket is $MFA_GIT_AGENT_SOCK, else $XDG_RUNTIME_DIR/mfa-git/agent.sock,\nelse agent.sock in the user cache folder."},
		"completion": {run: (*cli).completion, args: 1,
			words: completionShells,
			short: "print a completion script for " + strings.Join(completionShells, ", "),
			usage: "completion " + strings.Join(completionShells, "|") + "\n\nPrint a script that completes mfa-git's commands, flags and profile names.\n  bash:       source <(mfa-git completion bash)     (e.g. in ~/.bashrc)\n  zsh:        mfa-git completion zsh > \"${fpath[1]}/_mfa-git\"\n  fish:       mfa-git completion fish > ~/.config/fish/completions/mfa-git.fish\n  powershell: mfa-git completion powershell | Out-String | Invoke-Expression"},
	}
}

// checkUsage refuses flags and positional arguments the command does not
// take. The arguments are counted, never repeated: one may be a key or a
// URL with a password in it.
func (c *cli) checkUsage(name string, cmd command, args []string) error {
	if len(args) > cmd.args {
		takes := "no arguments here"
		if cmd.args == 1 {
			takes = "at most one argument"
		}
		synopsis, _, _ := strings.Cut(cmd.usage, "\n")
		return usage(fmt.Sprintf("%s takes %s, got %d", name, takes, len(args)), "usage: mfa-git "+synopsis)
	}
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
		return usage(fmt.Sprintf("%s does not take %s", name, strings.Join(bad, ", ")), "run: mfa-git "+name+" --help")
	}
	return nil
}

func (c *cli) commandUsage(name string, cmd command) string {
	var b strings.Builder
	fmt.Fprintf(&b, "usage: mfa-git %s\n\nflags:\n", cmd.usage)
	names := append(append([]string{}, cmd.flags...), commonFlags...)
	sort.Strings(names)
	// Our own layout: pflag's marks every boolean "--help[=true|false]".
	type row struct{ left, usage string }
	var rows []row
	width := 0
	for _, n := range names {
		f := c.fs.Lookup(n)
		left := "    --" + f.Name
		if f.Shorthand != "" {
			left = "-" + f.Shorthand + ", --" + f.Name
		}
		if varname, _ := pflag.UnquoteUsage(f); varname != "" && f.Value.Type() != "bool" {
			left += " " + varname
		}
		rows = append(rows, row{left, f.Usage})
		width = max(width, len(left))
	}
	for _, r := range rows {
		fmt.Fprintf(&b, "  %-*s   %s\n", width, r.left, r.usage)
	}
	return b.String()
}

// environment is every variable mfa-git reads, for the help text and the
// man page. TestEnvironmentDocumented fails when the code reads one that
// is not here.
var environment = []struct{ name, desc string }{
	{"MFA_GIT_PROFILE", "the profile when --profile is not given (set by mfa-git exec for the programs it runs)"},
	{"AWS_PROFILE", "the profile when neither --profile nor MFA_GIT_PROFILE is given; else default"},
	{"MFA_GIT_KEYRING", "where sessions are kept, as --keyring"},
	{"MFA_GIT_KEYRING_SERVICE", "namespace of the keyring entries (default mfa-git)"},
	{"MFA_GIT_FILE_PASSPHRASE", "passphrase of the file keyring (else asked on the terminal)"},
	{"MFA_GIT_PROMPT", "how to ask for the code, as --prompt"},
	{"MFA_GIT_REFRESH_MARGIN", "as --refresh-margin (default 10m)"},
	{"MFA_GIT_AGENT", "off: never use or start the agent"},
	{"MFA_GIT_AGENT_SOCK", "the agent's socket (default $XDG_RUNTIME_DIR/mfa-git/agent.sock, else in the user cache folder)"},
	{"MFA_GIT_AGENT_REFRESH_LEAD", "how long before expiry the agent renews sessions of profiles with mfa_process (default 15m)"},
	{"GIT_ASKPASS", "a program that asks for the code (IDEs set it); then core.askPass from your global or system git settings (never the repository's), then SSH_ASKPASS; an absolute path or a name on PATH"},
	{"SSH_ASKPASS", "a program that asks for the code, when GIT_ASKPASS and core.askPass are not set"},
	{"GIT_TERMINAL_PROMPT", "0: never ask on the terminal"},
	{"DISPLAY", "with WAYLAND_DISPLAY, says a Linux desktop is there to show a zenity or kdialog prompt"},
	{"WAYLAND_DISPLAY", "see DISPLAY"},
	{"AWS_CONFIG_FILE", "the AWS config file, an absolute path (default ~/.aws/config)"},
	{"AWS_SHARED_CREDENTIALS_FILE", "the AWS credentials file, an absolute path (default ~/.aws/credentials)"},
	{"AWS_REGION", "the region; then AWS_DEFAULT_REGION, the profile's region, else us-east-1"},
	{"AWS_DEFAULT_REGION", "the region when AWS_REGION is not set"},
	{"AWS_ENDPOINT_URL_STS", "the STS endpoint; then the profile's services sts endpoint_url, AWS_ENDPOINT_URL, the profile's endpoint_url"},
	{"AWS_ENDPOINT_URL_IAM", "the IAM endpoint setup uses to list MFA devices, in the same order as for STS"},
	{"AWS_ENDPOINT_URL", "the endpoint for every service, after the service's own settings"},
	{"AWS_USE_FIPS_ENDPOINT", "true: FIPS endpoints for STS and IAM (else the profile's use_fips_endpoint)"},
	{"AWS_USE_DUALSTACK_ENDPOINT", "true: dual-stack (IPv6) endpoints (else the profile's use_dualstack_endpoint)"},
	{"AWS_STS_REGIONAL_ENDPOINTS", "legacy: the global STS endpoint for the regions that had it (else the profile's sts_regional_endpoints)"},
	{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true: ignore every configured endpoint URL"},
	{"AWS_CA_BUNDLE", "a PEM file of CA certificates to trust (else the profile's ca_bundle)"},
	{"HTTPS_PROXY", "the proxy for STS and IAM; NO_PROXY lists hosts reached directly"},
	{"NO_PROXY", "see HTTPS_PROXY"},
	{"AWS_ACCESS_KEY_ID", "read only by add --env, with AWS_SECRET_ACCESS_KEY: the long-term key to store"},
	{"AWS_SECRET_ACCESS_KEY", "see AWS_ACCESS_KEY_ID"},
	{"XDG_RUNTIME_DIR", "holds the agent's socket and locates the D-Bus session bus"},
	{"DBUS_SESSION_BUS_ADDRESS", "the D-Bus session bus, where the Secret Service and KWallet are found"},
	{"XDG_CONFIG_HOME", "where the file keyring, git's credential-store file and the systemd unit are (default ~/.config)"},
	{"PASSWORD_STORE_DIR", "the pass keyring's store when it is an absolute path (default ~/.password-store)"},
	{"XDG_CACHE_HOME", "the cache folder: locks and the agent log (default ~/.cache)"},
	{"CODE_COMMIT_ENDPOINT", "for codecommit:// URLs, as git-remote-codecommit reads it: a host (https) or a full URL (http only to loopback)"},
	{"HOME", "your home folder when it is an absolute path; else the user database's entry (never the current folder)"},
	{"USERPROFILE", "the home folder on Windows, as HOME elsewhere"},
	{"HOMEDRIVE", "with HOMEPATH, the home folder git for Windows uses when HOME is not set"},
	{"HOMEPATH", "see HOMEDRIVE"},
	{"GIT_CONFIG_GLOBAL", "the git config file setup edits, as git config --global does"},
	{"PATH", "where askpass interpreters (Windows) are found; copied, absolute entries only, into the agent's service"},
	{"ComSpec", "cmd.exe, which runs token commands on Windows (else %SystemRoot%\\System32\\cmd.exe)"},
	{"SystemRoot", "see ComSpec"},
}

// mainUsage is "mfa-git --help".
func mainUsage() string {
	var b strings.Builder
	b.WriteString(`usage: mfa-git COMMAND [flags]

One MFA prompt, one sts:GetSessionToken, and the session cached in the OS
keychain until it expires, for git (CodeCommit over HTTPS), the AWS CLI and
every SDK.
`)
	for _, g := range commandGroups {
		fmt.Fprintf(&b, "\n%s:\n", g.title)
		for _, n := range g.names {
			fmt.Fprintf(&b, "  %-20s %s\n", n, commands[n].short)
		}
	}
	b.WriteString("\nRun \"mfa-git COMMAND --help\" for a command's flags, \"man mfa-git\" for all of it.\n\nEnvironment:\n")
	for _, e := range environment {
		fmt.Fprintf(&b, "  %s\n      %s\n", e.name, e.desc)
	}
	return b.String()
}
