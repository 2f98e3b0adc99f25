package prompt

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/mfa-git/mfa-git/internal/child"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/userdir"
)

// Prompt drivers, in the order they are tried when none is chosen.
const (
	DriverAskpass   = "askpass"   // GIT_ASKPASS, core.askPass, SSH_ASKPASS (IDEs)
	DriverTerminal  = "terminal"  // the controlling terminal
	DriverOsascript = "osascript" // a macOS dialog
	DriverZenity    = "zenity"    // a GNOME dialog
	DriverKdialog   = "kdialog"   // a KDE dialog
)

// Drivers lists the prompt drivers --prompt accepts.
func Drivers() []string {
	return []string{DriverTerminal, DriverAskpass, DriverOsascript, DriverZenity, DriverKdialog}
}

// promptText is what every driver shows. "one-time password" makes IDE
// askpass helpers (VS Code's matches /password/) mask the input.
func promptText(p *profile.Profile) string {
	return fmt.Sprintf("mfa-git: MFA code (one-time password) for %s, profile %s:", p.MFASerial, p.Name)
}

// askpassProgram is what git itself would use: GIT_ASKPASS, core.askPass,
// then SSH_ASKPASS. core.askPass is read from the global and system
// settings only, never from the repository git runs mfa-git in: its
// .git/config is not the user's. A relative path would name a file in the
// repository too, so it is refused; a bare name is looked up on PATH.
func askpassProgram() (string, error) {
	if v := os.Getenv("GIT_ASKPASS"); v != "" {
		return checkAskpass("GIT_ASKPASS", v)
	}
	if v := globalGitConfig("core.askPass"); v != "" {
		return checkAskpass("core.askPass", v)
	}
	if v := os.Getenv("SSH_ASKPASS"); v != "" {
		return checkAskpass("SSH_ASKPASS", v)
	}
	return "", nil
}

// checkAskpass refuses a relative path such as ./askpass or bin/askpass.
// On Windows a path from the drive's root (Git Bash exports
// SSH_ASKPASS=/mingw64/bin/git-askpass.exe) is not in the repository
// either, and is let through.
func checkAskpass(from, program string) (string, error) {
	rooted := filepath.VolumeName(program) == "" && strings.ContainsAny(program[:1], `/\`)
	if filepath.IsAbs(program) || rooted || !strings.ContainsAny(program, `/\`) {
		return program, nil
	}
	return "", hint.New(ErrNoPrompt, fmt.Sprintf("%s is the relative path %q, which would name a file in the repository git runs mfa-git in", from, program),
		"set "+from+" to an absolute path")
}

// globalGitConfig reads a setting from the user's global and system git
// settings (global first, as git does), running git from the home
// folder with none of the variables that point git at a repository.
func globalGitConfig(key string) string {
	home, err := userdir.Home()
	if err != nil {
		return ""
	}
	env := child.UserGitEnv(os.Environ(), home)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, scope := range []string{"--global", "--system"} {
		cmd := exec.CommandContext(ctx, "git", "config", scope, "--get", key)
		cmd.Dir = home
		cmd.Env = env
		if out, err := cmd.Output(); err == nil {
			if v := strings.TrimSpace(string(out)); v != "" {
				return v
			}
		}
	}
	return ""
}

// chooseDriver picks the driver: the one asked for, else the first that
// can work here.
func chooseDriver(asked string, term Terminal) (Prompter, error) {
	gui := func(name string) Prompter {
		switch name {
		case DriverOsascript:
			return dialog{name, osascriptArgv}
		case DriverZenity:
			return dialog{name, func(text string) []string {
				return []string{"zenity", "--entry", "--hide-text", "--title=mfa-git", "--text=" + text}
			}}
		default:
			return dialog{name, func(text string) []string { return []string{"kdialog", "--title", "mfa-git", "--password", text} }}
		}
	}
	switch asked {
	case DriverTerminal:
		return term, nil
	case DriverOsascript, DriverZenity, DriverKdialog:
		return gui(asked), nil
	case "", DriverAskpass:
	default:
		return nil, hint.New(nil, fmt.Sprintf("unknown prompt %q", asked), "use one of "+strings.Join(Drivers(), ", "))
	}
	prog, err := askpassProgram()
	if err != nil {
		return nil, err
	}
	if prog != "" {
		return askpass{program: prog, fallback: term}, nil
	}
	if asked == DriverAskpass {
		return nil, hint.New(ErrNoPrompt, "--prompt askpass, but none of GIT_ASKPASS, core.askPass and SSH_ASKPASS is set", "set GIT_ASKPASS to a program that asks and prints the answer")
	}
	if !term.Off {
		if t, err := openTTY(); err == nil {
			t.Close()
			return term, nil
		}
	}
	if runtime.GOOS == "darwin" {
		if _, err := exec.LookPath("osascript"); err == nil {
			return gui(DriverOsascript), nil
		}
	}
	desktop := os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
	if desktop && runtime.GOOS != "windows" {
		for _, name := range []string{DriverZenity, DriverKdialog} {
			if _, err := exec.LookPath(name); err == nil {
				return gui(name), nil
			}
		}
	}
	return term, nil // fails at once with the usual explanation
}

// osascriptArgv shows text in a macOS dialog with hidden input. In an
// AppleScript string literal, backslash and double quote are escaped with
// a backslash.
func osascriptArgv(text string) []string {
	quoted := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(text)
	return []string{"osascript", "-e", `display dialog "` + quoted + `" default answer "" with hidden answer with title "mfa-git"`, "-e", "text returned of result"}
}

// askpass runs an askpass program with the prompt as its argument. When
// the program cannot run or fails, it asks the fallback (the terminal),
// as git does; the program's error stands if the fallback cannot ask
// either.
type askpass struct {
	program  string
	fallback Prompter
	timeout  time.Duration // 0: Timeout
}

func (a askpass) Code(ctx context.Context, p *profile.Profile) (string, error) {
	if err := checkProgram("askpass program", a.program); err != nil {
		return "", err
	}
	code, err := askRepeatedly(ctx, p, cmp.Or(a.timeout, Timeout), "askpass program "+a.program, func(text string) ([]string, error) {
		return programArgv(a.program, text)
	})
	if err == nil || a.fallback == nil || !errors.Is(err, errAskFailed) || ctx.Err() != nil {
		return code, err
	}
	code, ferr := a.fallback.Code(ctx, p)
	if ferr != nil && errors.Is(ferr, ErrNoPrompt) {
		return "", err // no terminal either: say why the askpass program did not answer
	}
	return code, ferr
}

// dialog runs a desktop dialog program.
type dialog struct {
	name string
	argv func(text string) []string
}

func (d dialog) Code(ctx context.Context, p *profile.Profile) (string, error) {
	return askRepeatedly(ctx, p, Timeout, d.name, func(text string) ([]string, error) {
		return d.argv(text), nil
	})
}

// errAskFailed marks a prompt program that could not run or failed (the
// person cancelled), as opposed to one that timed out or was interrupted.
var errAskFailed = errors.New("prompt program failed")

// askRepeatedly runs a prompt program until it returns six digits, at
// most Attempts times. A program that fails (the person cancelled) ends
// the attempt at once.
func askRepeatedly(ctx context.Context, p *profile.Profile, timeout time.Duration, what string, argv func(text string) ([]string, error)) (string, error) {
	parent := ctx
	ctx, stop := interruptible(ctx, timeout)
	defer stop()
	text := promptText(p)
	for i := 0; i < Attempts; i++ {
		args, err := argv(text)
		if err != nil {
			return "", hint.New(fmt.Errorf("%w: %w", errAskFailed, err), fmt.Sprintf("cannot run the %s: %v", what, err), "choose another prompt with --prompt or MFA_GIT_PROMPT")
		}
		code, err := output(exec.CommandContext(ctx, args[0], args[1:]...), os.Stderr)
		if err != nil {
			if interrupted(ctx, parent) {
				return "", hint.New(ErrInterrupted, "interrupted while asking for the MFA code", "run the command again")
			}
			if ctx.Err() != nil {
				return "", hint.New(ctx.Err(), "no MFA code was given in time", "run the command again and enter the code shown on your device")
			}
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				return "", hint.New(fmt.Errorf("%w: %w", ErrNoPrompt, errAskFailed), fmt.Sprintf("the %s was cancelled", what), "run the command again and enter the code, or run: mfa-git login --profile "+profile.ShellQuote(p.Name))
			}
			return "", hint.New(fmt.Errorf("%w: %w", errAskFailed, err), fmt.Sprintf("cannot run the %s: %v", what, err), "choose another prompt with --prompt or MFA_GIT_PROMPT")
		}
		if validCode(code) {
			return code, nil
		}
		text = promptText(p) + " (six digits, please)"
	}
	return "", hint.New(nil, fmt.Sprintf("no valid six-digit code after %d tries", Attempts), "type the six digits your MFA device shows")
}
