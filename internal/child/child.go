// Package child runs the programs mfa-git starts for the user (exec's
// command, git for codecommit:// remotes) on mfa-git's own streams,
// forwarding termination requests and returning their exit status, and
// builds the environment exec gives a program.
package child

import (
	"errors"
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
