package main

import (
	"cmp"
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/pflag"

	"github.com/mfa-git/mfa-git/internal/shell"
)

// command is one subcommand. The help text, the man page and the shell
// completions are all generated from this table and newFlagSet.
type command struct {
	run   func(c *cli, ctx context.Context, args []string) error
	args  int      // positional arguments it takes at most (before any --)
	takes string   // what those arguments are, in the command's own words
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
	{"shell and help", []string{"completion", "help"}},
}

func init() {
	git := []string{"ignore-host-check", "region"}
	const anyArgs = 1 << 30 // git's operations ignore what else it passes
	commands = map[string]command{
		"get": {run: forCodeCommit("get", (*cli).gitGet), args: anyArgs, flags: git,
			short: "answer a git credential request from standard input",
			usage: `get

Answer a git credential request read from standard input (git runs this).`},
		"store": {run: (*cli).gitStore, args: anyArgs, flags: git,
			short: "do nothing: CodeCommit passwords are computed, never stored",
			usage: `store

Do nothing: CodeCommit passwords are computed, never stored (git runs this).`},
		"erase": {run: forCodeCommit("erase", (*cli).gitErase), args: anyArgs, flags: git,
			short: "drop the cached session if AWS rejects it",
			usage: `erase

Check the cached session with sts:GetCallerIdentity and drop it if AWS rejects it (git runs this).`},
		"credential-process": {run: (*cli).credentialProcess,
			short: "print the session as credential_process JSON",
			usage: `credential-process

Print the session as AWS credential_process JSON, for a profile in ~/.aws/config:
  credential_process = mfa-git credential-process --profile BASE`},
		"login": {run: (*cli).login, flags: []string{"force"},
			short: "ask for the MFA code now and cache the session",
			usage: `login [--force]

Ask for the MFA code now and cache the session. With a fresh session cached
it says so and does nothing, unless --force.`},
		"status": {run: (*cli).status,
			short: "list profiles and the time their sessions have left (no secrets)",
			usage: `status

List profiles with an MFA device and how long their sessions have left. Prints no secret.`},
		"logout": {run: (*cli).logout, flags: []string{"all"},
			short: "forget cached sessions (--profile P or --all)",
			usage: `logout [--profile P | --all]

Forget cached sessions.`},
		"env": {run: (*cli).env, flags: []string{"shell"},
			short: "print export lines for the session",
			usage: "env [--shell " + strings.Join(shell.ExportShells(), "|") + `]

Print the session as lines that set environment variables, for
  eval "$(mfa-git env --profile BASE)"                        (sh, bash, zsh)
  mfa-git env --shell fish --profile BASE | source            (fish)
  mfa-git env --shell powershell --profile BASE | Invoke-Expression`},
		"exec": {run: (*cli).exec, flags: []string{"server"}, takes: "the command to run only after --",
			short: "run a command with the session in its environment",
			usage: `exec [--profile P] [--server] -- COMMAND [ARGS...]

Run COMMAND with the session in its environment; its exit status is passed through.
With --server, COMMAND gets AWS_CONTAINER_CREDENTIALS_FULL_URI (127.0.0.1) and a
random AWS_CONTAINER_AUTHORIZATION_TOKEN instead, and every AWS SDK in it fetches
each new session from there: for Terraform, CDK, dev servers.`},
		"setup": {run: (*cli).setup, flags: []string{"system", "local", "undo", "url", "region", "yes", "mfa-serial", "credential-process-profile", "move-keys"},
			short: "configure git for CodeCommit (--undo removes it)",
			usage: `setup [--profile P] [--system|--local] [--url URL --region R] [--yes | --mfa-serial ARN]
      [--credential-process-profile NAME] [--move-keys] [--undo]

Configure git to use mfa-git, and only mfa-git, for every CodeCommit host:
an empty helper (clearing osxkeychain, manager and other helpers that earlier
config files add), then mfa-git for the profile, and useHttpPath. Running it
again changes nothing; --undo removes exactly what it added.
When the profile has no mfa_serial, setup lists the user's MFA devices
(iam:ListMFADevices), offers the device, and writes mfa_serial into the
profile, changing no other line of the file.`},
		"clean": {run: (*cli).clean, flags: []string{"dry-run"},
			short: "remove stale CodeCommit passwords other helpers stored",
			usage: `clean [--dry-run]

Remove the CodeCommit passwords other credential helpers stored (they expire
after 15 minutes, and git never erases them on a 403): git-credential-store
files, the macOS keychain's internet passwords, git's libsecret items, and
Windows Credential Manager's git: entries. Entries for other hosts are
never touched; --dry-run only shows.`},
		"add": {run: (*cli).add, args: 1, takes: "at most one argument, the profile's name", flags: []string{"env"},
			short: "move a profile's long-term keys into the keyring",
			usage: `add [--profile P] [--env]

Move the profile's long-term access key out of the plaintext credentials file
into the keyring (or store one typed on the terminal, or from the environment
with --env), and give the profile credential_process = mfa-git, so the AWS
CLI and SDKs keep working with it, through the MFA session. The keys are read
back from the keyring before anything is removed from the file.`},
		"doctor": {run: (*cli).doctor, args: 1, takes: "at most one argument, a repository URL", flags: []string{"json"},
			short: "check the whole setup and explain every problem",
			usage: `doctor [URL] [--json]

Check everything a clone needs and say how to fix what is wrong: git and its
helper chain for URL (a CodeCommit example if none), useHttpPath, stale
passwords in other helpers, the keyring (a real write, read and delete), the
agent, the profile, the clock against STS, and with a cached session the
identity and a real git ls-remote of URL. It never asks for a code. Exit
status 1 when a check fails.`},
		"agent": {run: (*cli).agent, args: 1, takes: "at most one argument: start, stop, status, install or uninstall", flags: []string{"foreground"},
			words: []string{"start", "stop", "status", "install", "uninstall"},
			short: "start, stop or show the session agent",
			usage: `agent [start|stop|status|install|uninstall] [--foreground]

The session agent: holds sessions in memory for every command, so many git
processes cause one prompt. Commands start it when it is not running
(unless MFA_GIT_AGENT=off). install writes and enables a systemd user unit
(Linux) or launchd agent (macOS) that starts it at login.
Its socket is $MFA_GIT_AGENT_SOCK, else $XDG_RUNTIME_DIR/mfa-git/agent.sock,
else agent.sock in the user cache folder.`},
		"help": {run: (*cli).help, args: 1, takes: "at most one argument, a command or environment",
			short: "show a command's help, or the environment variables mfa-git reads",
			usage: `help [COMMAND | environment]

Show the help of COMMAND (as mfa-git COMMAND --help does), the list of
commands, or with environment the environment variables mfa-git reads.`},
		"completion": {run: (*cli).completion, args: 1, takes: "at most one argument, the shell",
			words: shell.CompletionShells(),
			short: "print a completion script for " + strings.Join(shell.CompletionShells(), ", "),
			usage: "completion " + strings.Join(shell.CompletionShells(), "|") + `

Print a script that completes mfa-git's commands, flags and profile names.
  bash:       source <(mfa-git completion bash)     (e.g. in ~/.bashrc)
  zsh:        mfa-git completion zsh > "${fpath[1]}/_mfa-git"
  fish:       mfa-git completion fish > ~/.config/fish/completions/mfa-git.fish
  powershell: mfa-git completion powershell | Out-String | Invoke-Expression`},
	}
	help := commands["help"]
	help.words = append(commandNames(), helpEnvironment)
	commands["help"] = help
}

// helpEnvironment is the help topic that lists the environment variables.
const helpEnvironment = "environment"

// commandNames lists the commands, sorted.
func commandNames() []string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
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

// mainUsage is "mfa-git --help", "mfa-git help" and what "mfa-git" alone
// prints: the commands, one line each, in under 30 lines. The environment
// variables are in "mfa-git help environment" and the man page.
func mainUsage() string {
	var b strings.Builder
	b.WriteString(`usage: mfa-git COMMAND [flags]
One MFA prompt, one sts:GetSessionToken, and the session kept until it
expires, for git (CodeCommit over HTTPS), the AWS CLI and every SDK.

`)
	for _, g := range commandGroups {
		fmt.Fprintf(&b, "%s:\n", g.title)
		for _, n := range g.names {
			fmt.Fprintf(&b, "  %-20s %s\n", n, commands[n].short)
		}
	}
	b.WriteString("\nRun \"mfa-git help COMMAND\" for a command's flags, \"mfa-git help environment\"\nfor the variables mfa-git reads, \"man mfa-git\" for all of it.\n")
	return b.String()
}

// environmentUsage is "mfa-git help environment".
func environmentUsage() string {
	var b strings.Builder
	b.WriteString("Environment variables mfa-git reads:\n")
	for _, e := range environment {
		fmt.Fprintf(&b, "  %s\n      %s\n", e.name, e.desc)
	}
	return b.String()
}

// checkUsage refuses flags and positional arguments the command does not
// take. The arguments are counted, never repeated: one may be a key or a
// URL with a password in it.
func (c *cli) checkUsage(name string, cmd command, args []string) error {
	if len(args) > cmd.args {
		takes := cmp.Or(cmd.takes, "no arguments")
		synopsis, _, _ := strings.Cut(cmd.usage, "\n")
		return usage(fmt.Sprintf("%s takes %s; got %d", name, takes, len(args)), "usage: mfa-git "+synopsis)
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
