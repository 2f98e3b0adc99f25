// Command mfa-git gives an MFA session to everything that needs one: git
// (as a credential helper for AWS CodeCommit over HTTPS), the AWS CLI and
// SDKs (as a credential_process), and any program (env, exec). It asks for
// the one-time code once, calls sts:GetSessionToken once, and keeps the
// session in the OS keychain until it expires.
//
// This package reads the environment once (settings.go), parses the
// flags and the command table (flags.go, commands.go), wires the packages
// below (wire.go: the keystore, the prompter, the agent client and the
// obtain loop of package source; gitcred for git's requests) and is the
// one printer: errors, warnings, notices and the trace (MFA_GIT_TRACE=1,
// --debug) reach the user from here.
package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/spf13/pflag"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/keystore"
	// Maps memory in bulk before the SDK's initialisers touch it.
	_ "github.com/mfa-git/mfa-git/internal/prefault"
	"github.com/mfa-git/mfa-git/internal/prompt"
	"github.com/mfa-git/mfa-git/internal/trace"
)

// Set at link time by GoReleaser and install.sh:
//
//	-ldflags "-X main.buildVersion=v1.2.3 -X main.buildCommit=SHA -X main.buildDate=RFC3339"
//
// Builds without them (go install ...@v1.2.3) take what they can from the
// build information; see versionText.
var buildVersion, buildCommit, buildDate string

func main() {
	keystore.RestoreSessionBus()
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

// exitError carries a specific exit status (a child's, in exec).
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// exitStatus passes on a child's exit status: nil for 0.
func exitStatus(code int) error {
	if code == 0 {
		return nil
	}
	return exitError{code}
}

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

// usage returns a usageError saying msg, with the next step next.
func usage(msg, next string) error { return usageError{hint.New(nil, msg, next)} }

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &cli{stdin: stdin, stdout: stdout, stderr: stderr, set: readSettings(os.Getenv)}
	err := env.main(args[1:], filepath.Base(args[0]))
	if err == nil {
		return 0
	}
	var ee exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	printErr(stderr, "error", err)
	var ue usageError
	switch {
	case errors.As(err, &ue):
		return 2
	case errors.Is(err, prompt.ErrInterrupted):
		return 130 // as shells report a command ended by Ctrl-C
	}
	return 1
}

// printErr prints err as "mfa-git: LEVEL: ..." and its hint, if any, on the
// next line: the one place errors and warnings reach the user.
// A notice (level "") is "mfa-git: ..." alone.
func printErr(w io.Writer, level string, err error) {
	if level != "" {
		level += ": "
	}
	fmt.Fprintf(w, "mfa-git: %s%s\n", level, err)
	if h := hint.Of(err); h != "" {
		fmt.Fprintf(w, "mfa-git: hint: %s\n", h)
	}
}

// warn prints a warning and its hint.
func (c *cli) warn(err error) { printErr(c.stderr, "warning", err) }

// note prints a notice and its hint: "mfa-git: ..." with no level.
func (c *cli) note(err error) { printErr(c.stderr, "", err) }

// traceOn turns the trace on: each line goes to stderr as "mfa-git:
// trace: ...".
func (c *cli) traceOn(on bool) {
	if on && c.trace == nil {
		c.trace = func(line string) { fmt.Fprintf(c.stderr, "mfa-git: trace: %s\n", line) }
	}
}

// say prints one line of what a command did on stdout, as "mfa-git:
// ...": the Say function cmd gives the packages that do the work.
func (c *cli) say(format string, args ...any) {
	fmt.Fprintf(c.stdout, "mfa-git: "+format+"\n", args...)
}

// tell prints what a person should know before a prompt.
func (c *cli) tell(msg string) { fmt.Fprintf(c.stderr, "mfa-git: %s\n", msg) }

// cli holds one invocation's streams and flags.
type cli struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	f              flags
	fs             *pflag.FlagSet
	set            settings   // the environment, read once
	waitSaid       sync.Once  // waitingNotice said it
	chosenSaid     sync.Once  // sayChosen said it
	cmdName        string     // the command being run
	quietWait      bool       // the profile's code comes from a token command
	trace          trace.Func // --debug, MFA_GIT_TRACE=1: one line per decision; nil is off
}

func (c *cli) main(args []string, argv0 string) error {
	c.traceOn(c.set.trace)
	if isRemoteHelper(argv0, args) {
		return c.remote(args)
	}
	c.fs = newFlagSet(&c.f)
	if err := c.fs.Parse(args); err != nil {
		return c.flagError(err, args)
	}
	c.traceOn(c.f.debug)
	if c.f.version {
		fmt.Fprint(c.stdout, versionText(linkedVersion{buildVersion, buildCommit, buildDate}, readBuildInfo()))
		return nil
	}
	pos := c.fs.Args()
	if c.fs.ArgsLenAtDash() >= 0 {
		pos = pos[:c.fs.ArgsLenAtDash()]
	}
	if len(pos) == 0 {
		// A person who typed just "mfa-git" gets the usage and no
		// error; a script that ran it without a command fails.
		if c.f.help || isTerminal(c.stdout) {
			fmt.Fprint(c.stdout, mainUsage())
			return nil
		}
		fmt.Fprint(c.stderr, mainUsage())
		return exitError{2}
	}
	name := pos[0]
	cmd, ok := commands[name]
	if !ok {
		if strings.HasPrefix(argv0, "git-credential-") {
			// gitcredentials(7): ignore operations we do not know.
			return nil
		}
		return unknownCommand(name)
	}
	c.cmdName = name
	if c.trace.On() {
		c.trace.Printf("command %s (mfa-git %s)", name, cmp.Or(buildVersion, "(devel)"))
	}
	if c.f.help {
		fmt.Fprint(c.stdout, c.commandUsage(name, cmd))
		return nil
	}
	if err := c.checkUsage(name, cmd, pos[1:]); err != nil {
		return err
	}
	if keystore.NeedsRestart(c.f.keyring) {
		// Before anything reads stdin: start again with the backend
		// chosen in the environment, so it registers itself.
		return restartWith("MFA_GIT_KEYRING=" + c.f.keyring)
	}
	// No signal handling here: the prompts set it up where it matters,
	// and the cached path, run on every git fetch, does not pay for it.
	return cmd.run(c, context.Background(), pos[1:])
}
