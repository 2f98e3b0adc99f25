// Package child runs the programs mfa-git starts for the user (exec's
// command, git for codecommit:// remotes) on mfa-git's own streams,
// forwarding termination requests and returning their exit status, and
// builds the environment exec gives a program.
package child

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

// StartError is a child that could not be started.
type StartError struct{ Err error }

// Error is the start failure's own text.
func (e *StartError) Error() string { return e.Err.Error() }

// Unwrap returns the start failure, for errors.Is (exec.ErrNotFound).
func (e *StartError) Unwrap() error { return e.Err }

// Run starts cmd and waits for it, forwarding SIGTERM and SIGHUP until it
// ends. A SIGINT is forwarded only if interrupts is set and it did not
// come from the terminal (Ctrl-C), which sent it to the child already: a
// second one would be more than the person asked for (terraform takes two
// as "exit at once, state may be lost"; terragrunt and aws-vault had that
// bug). Run returns the exit status (128+N for a child killed by signal
// N), or -1 and a failure to start (*StartError) or to wait.
func Run(cmd *exec.Cmd, interrupts bool) (int, error) {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		return -1, &StartError{err}
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case sig := <-sigs:
				if sig != os.Interrupt || interrupts && !terminalSentInterrupt() {
					cmd.Process.Signal(sig)
				}
			case <-done:
				return
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		if st, ok := ee.Sys().(syscall.WaitStatus); ok && st.Signaled() {
			return 128 + int(st.Signal()), nil
		}
		return ee.ExitCode(), nil
	case err != nil:
		return -1, err
	}
	return 0, nil
}

// ErrNotFound is matched (errors.Is) by Program's error when there is no
// such program: a shell reports it with exit status 127.
var ErrNotFound = errors.New("command not found")

// Program runs argv with the environment env on the given streams, as
// mfa-git exec does: interrupts that did not come from the terminal are
// forwarded (see Run). It returns the program's exit status, or an error
// when it could not start: one matching ErrNotFound when argv[0] is not
// there.
func Program(argv, env []string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	code, err := Run(cmd, true)
	var start *StartError
	switch {
	case err == nil:
		return code, nil
	case !errors.As(err, &start):
		return -1, err
	case errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist):
		return -1, fmt.Errorf("%w: %s", ErrNotFound, argv[0])
	}
	return -1, fmt.Errorf("start %s: %w", argv[0], start.Err)
}
