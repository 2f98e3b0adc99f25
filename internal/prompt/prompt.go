package prompt

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/mfa-git/mfa-git/internal/child"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/profile"
)

// Prompter obtains the current one-time code for a profile's MFA device.
type Prompter interface {
	Code(ctx context.Context, p *profile.Profile) (string, error)
}

// Timeout bounds how long a person has to type a code, and how long a
// token command may run (a YubiKey waits for a touch).
const Timeout = 2 * time.Minute

// Attempts is how many times a malformed code is asked for again.
const Attempts = 3

// Options are the prompt settings cmd/mfa-git reads from its flags and
// the environment.
type Options struct {
	// TokenCommand replaces the profile's mfa_process (--token-command).
	TokenCommand string
	// Driver is the prompt driver asked for (--prompt, MFA_GIT_PROMPT),
	// or "" for the first that works here.
	Driver string
	// NoTerminal forbids asking on the terminal (GIT_TERMINAL_PROMPT=0).
	NoTerminal bool
}

// New returns the prompter for p: the token command when one is set
// (o.TokenCommand, else the profile's mfa_process), else the prompt driver
// asked for (see Drivers), else the first that works here: an askpass
// program, the terminal, a desktop dialog.
func New(o Options) Prompter { return &chooser{o} }

type chooser struct{ o Options }

// Automatic reports whether the codes for p come from a program (a token
// command), which can be run again in the next step, rather than from a
// person.
func (c *chooser) Automatic(p *profile.Profile) bool {
	return c.o.TokenCommand != "" || p.TokenCommand != ""
}

func (c *chooser) Code(ctx context.Context, p *profile.Profile) (string, error) {
	if c.o.TokenCommand != "" {
		return TokenCommand{Command: c.o.TokenCommand, Given: true}.Code(ctx, p)
	}
	if p.TokenCommand != "" {
		return TokenCommand{Command: p.TokenCommand}.Code(ctx, p)
	}
	d, err := chooseDriver(c.o.Driver, Terminal{Off: c.o.NoTerminal})
	if err != nil {
		return "", err
	}
	return d.Code(ctx, p)
}

// validCode reports whether s is six ASCII digits.
func validCode(s string) bool {
	return len(s) == 6 && strings.Trim(s, "0123456789") == ""
}

// Terminal asks on the controlling terminal (/dev/tty, CONIN$ on
// Windows), never on stdin or stdout, which belong to git and to the SDKs.
type Terminal struct {
	// Off forbids asking (GIT_TERMINAL_PROMPT=0).
	Off bool
}

// Code implements Prompter.
func (t Terminal) Code(ctx context.Context, p *profile.Profile) (string, error) {
	tty, why := t.open()
	if tty == nil {
		return "", NoPrompt(p, why)
	}
	defer tty.Close()
	parent := ctx
	ctx, stop := interruptible(ctx, Timeout)
	defer stop()
	for i := 0; i < Attempts; i++ {
		line, err := tty.ReadSecret(ctx, promptText(p)+" ")
		if err != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				return "", hint.New(err, "no MFA code was typed in time", "run the command again and type the code shown on your device")
			}
			if interrupted(ctx, parent) {
				return "", hint.New(ErrInterrupted, "interrupted while asking for the MFA code", "run the command again when you have the code")
			}
			return "", fmt.Errorf("read MFA code from terminal: %w", err)
		}
		code := strings.TrimSpace(line)
		if validCode(code) {
			return code, nil
		}
		if i < Attempts-1 {
			fmt.Fprintln(tty, "mfa-git: the code is six digits; try again")
		}
	}
	return "", hint.New(nil, fmt.Sprintf("no valid six-digit code after %d tries", Attempts), "type the six digits your MFA device shows")
}

// open opens the controlling terminal, or says why there is none to ask
// on.
func (t Terminal) open() (*tty, string) {
	if t.Off {
		return nil, "GIT_TERMINAL_PROMPT=0 forbids terminal prompts"
	}
	tty, err := openTTY()
	if err != nil {
		return nil, "there is no terminal to ask on"
	}
	return tty, ""
}

// ErrNoPrompt means a code is needed but there is no way to ask for one.
var ErrNoPrompt = errors.New("no way to ask for an MFA code")

// NoPrompt is the error for a code that is needed for p when there is no
// way to ask for it (why); it wraps ErrNoPrompt.
func NoPrompt(p *profile.Profile, why string) error {
	return hint.New(ErrNoPrompt,
		fmt.Sprintf("an MFA code is needed for profile %q but %s", p.Name, why),
		fmt.Sprintf("run \"mfa-git login --profile %s\" in a terminal, set mfa_process in the profile to a command that prints the code, or set GIT_ASKPASS", profile.ShellQuote(p.Name)))
}

// TokenCommand runs a command that prints the current code, such as
// "ykman oath accounts code -s NAME" or "op item get NAME --otp". The
// command line comes from the user's own config and carries no secret; its
// stdout is read and never echoed. Unless Given, it is the profile's
// mfa_process, and runs only if the AWS files meet internal/trust's rule.
type TokenCommand struct {
	Command string
	// Given means the user typed the command (--token-command): it was
	// read from no file, so no file's trust is checked.
	Given bool
	// Detached runs the command in a process group of its own, killed
	// whole when the wait ends: for the agent, which has no terminal.
	Detached bool
}

// Automatic reports that a token command's codes need no person.
func (TokenCommand) Automatic(*profile.Profile) bool { return true }

// Code implements Prompter.
func (t TokenCommand) Code(ctx context.Context, p *profile.Profile) (string, error) {
	if !t.Given {
		if err := profileCommand(p, "mfa_process", t.Command); err != nil {
			return "", err
		}
	}
	parent := ctx
	ctx, stop := interruptible(ctx, Timeout)
	defer stop()
	cmd := tokenCommand(ctx, t.Command, t.Detached)
	// A touch request ("Touch your YubiKey...") must reach the person:
	// the terminal when there is one, else our stderr.
	var stderr io.Writer = os.Stderr
	var person io.Writer // the terminal, if there is one
	if tty, err := openTTY(); err == nil {
		defer tty.Close()
		stderr, person = tty, tty
	}
	stopNotice := touchNotice(p, person)
	code, err := output(cmd, stderr)
	stopNotice()
	if err != nil {
		// Ctrl-C reaches the token command too (one process group); it
		// may die of it before this process has seen its own signal.
		if interrupted(ctx, parent) || diedOfInterrupt(err) {
			return "", hint.New(ErrInterrupted, "interrupted while the token command ran", "run the command again")
		}
		if ctx.Err() != nil {
			return "", hint.New(ctx.Err(), fmt.Sprintf("token command for profile %q did not finish within %s", p.Name, Timeout), "check that the command runs on its own (a hardware key may be waiting for a touch)")
		}
		return "", hint.New(err, fmt.Sprintf("token command for profile %q failed: %v", p.Name, err), "run the mfa_process command by hand to see why")
	}
	if !validCode(code) {
		return "", hint.New(nil, fmt.Sprintf("token command for profile %q did not print a six-digit code", p.Name), "make the command print only the current code")
	}
	return code, nil
}

// output runs a prompt program (a token command, an askpass program, a
// dialog) and returns what it printed, trimmed: at most 4 KiB is kept, and
// a program that leaves a child holding its output is given a second.
func output(cmd *exec.Cmd, stderr io.Writer) (string, error) {
	var out bytes.Buffer
	cmd.Stdout = &limitedWriter{w: &out, n: 4096}
	cmd.Stderr = stderr
	cmd.WaitDelay = time.Second
	if cmd.Env == nil {
		cmd.Env = child.WithoutSecrets(os.Environ())
	}
	err := cmd.Run()
	return strings.TrimSpace(out.String()), err
}

type limitedWriter struct {
	w io.Writer
	n int
}

func (l *limitedWriter) Write(b []byte) (int, error) {
	if len(b) > l.n {
		l.w.Write(b[:l.n])
		l.n = 0
		return len(b), nil
	}
	l.n -= len(b)
	return l.w.Write(b)
}

// AskSecret asks for a secret other than an MFA code (such as the file
// keyring's passphrase) on the controlling terminal, with echo off.
func (t Terminal) AskSecret(ctx context.Context, prompt string) (string, error) {
	tty, why := t.open()
	if tty == nil {
		return "", errors.New(why)
	}
	defer tty.Close()
	ctx, stop := interruptible(ctx, Timeout)
	defer stop()
	return tty.ReadSecret(ctx, "mfa-git: "+prompt+": ")
}

// Confirm asks a yes/no question on the controlling terminal; an empty
// answer means yes. Without a terminal it returns ErrNoPrompt.
func (t Terminal) Confirm(ctx context.Context, question string) (bool, error) {
	tty, _ := t.open()
	if tty == nil {
		return false, ErrNoPrompt
	}
	defer tty.Close()
	fmt.Fprintf(tty, "mfa-git: %s [Y/n] ", question)
	line, err := readLine(ctx, tty)
	if err != nil {
		return false, err
	}
	a := strings.ToLower(strings.TrimSpace(line))
	return a == "" || a == "y" || a == "yes", nil
}

// readLine reads one line from the terminal, echoing as usual.
func readLine(ctx context.Context, t *tty) (string, error) {
	ch := make(chan string, 1)
	go func() {
		var b []byte
		one := make([]byte, 1)
		for {
			n, err := t.in.Read(one)
			if n == 0 || err != nil || one[0] == '\n' {
				break
			}
			b = append(b, one[0])
		}
		ch <- string(b)
	}()
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	select {
	case s := <-ch:
		return s, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// AskLine asks for a line that is not secret (an access key id) on the
// controlling terminal, echoing it.
func (t Terminal) AskLine(ctx context.Context, prompt string) (string, error) {
	tty, _ := t.open()
	if tty == nil {
		return "", errors.New("there is no terminal to ask on")
	}
	defer tty.Close()
	fmt.Fprintf(tty, "mfa-git: %s: ", prompt)
	return readLine(ctx, tty)
}

// Say writes one line for the person: on the controlling terminal when
// there is one, else to w. It is for notices, never for secrets.
func Say(w io.Writer, line string) {
	if tty, err := openTTY(); err == nil {
		defer tty.Close()
		w = tty
	}
	fmt.Fprintln(w, line)
}
