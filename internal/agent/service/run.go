package service

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/mfa-git/mfa-git/internal/hint"
)

// commandTimeout bounds each systemctl or launchctl command.
const commandTimeout = 30 * time.Second

// Output is how Install and Uninstall tell what they do: Say reports a
// step done, Warn a failure that does not stop them, and Command each
// command just before it runs. The commands themselves write to Stdout
// and Stderr.
type Output struct {
	Say            func(format string, args ...any)
	Warn           func(error)
	Command        func(argv []string)
	Stdout, Stderr io.Writer
}

// run runs argv within commandTimeout, its output going to stdout and
// stderr (nil: discarded).
func run(ctx context.Context, argv []string, stdout, stderr io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.WaitDelay = time.Second
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w", strings.Join(argv, " "), err)
	}
	return nil
}

// shown runs argv after telling out, on out's streams.
func shown(ctx context.Context, out Output, argv []string) error {
	out.Command(argv)
	return run(ctx, argv, out.Stdout, out.Stderr)
}

// Install writes the definition (shown first) and enables it: the
// agent starts now and at every login. A file at Path that install did
// not write is left alone, and nothing runs.
func (s *Definition) Install(ctx context.Context, out Output) error {
	if _, err := s.Installed(); err != nil {
		return err // a file of the user's: never overwritten
	}
	out.Say("writing %s:\n\n%s", s.Path, s.Content)
	if err := s.WriteFile(); err != nil {
		return fmt.Errorf("write %s: %w", s.Path, err)
	}
	for _, argv := range s.Reset {
		out.Command(argv)
		run(ctx, argv, nil, nil) // fails, and complains, when nothing was loaded
	}
	for _, argv := range s.Enable {
		if err := shown(ctx, out, argv); err != nil {
			return hint.Wrap(err, "the file is in place; enable it by hand, or remove it with: mfa-git agent uninstall")
		}
	}
	out.Say("the agent now starts at login")
	return nil
}

// Uninstall disables the service and removes the file install wrote. A
// command that fails is a warning: the file goes all the same. A file
// install did not write is left alone, and nothing runs.
func (s *Definition) Uninstall(ctx context.Context, out Output) error {
	installed, err := s.Installed()
	if err != nil {
		return err // not the file install wrote: leave it, and the service, alone
	}
	if !installed {
		out.Say("%s is not installed; nothing to do", s.Path)
		return nil
	}
	for _, argv := range s.Disable {
		if err := shown(ctx, out, argv); err != nil {
			out.Warn(err)
		}
	}
	if err := os.Remove(s.Path); err != nil {
		return err
	}
	out.Say("removed %s", s.Path)
	return nil
}
