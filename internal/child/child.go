// Package child runs the programs mfa-git starts on the user's behalf
// (exec's command, git for codecommit:// remotes) with mfa-git's own
// standard streams: it forwards termination requests to them and returns
// their exit status. It also builds the environment exec gives a program.
package child

import (
	"errors"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

// Interrupts says whether a SIGINT mfa-git receives is passed on.
type Interrupts int

const (
	// NotFromTerminal forwards a SIGINT unless it came from the terminal
	// (Ctrl-C), which sent it to the child itself already: a second one
	// would be more than the person asked for (terraform takes two
	// interrupts as "exit at once, state may be lost"; terragrunt and
	// aws-vault had that bug). A SIGINT sent to mfa-git alone (kill -INT,
	// a supervisor) is forwarded.
	NotFromTerminal Interrupts = iota
	// NeverForward leaves SIGINT to the terminal, for a child that gets
	// it from there.
	NeverForward
)

// forwarded are the signals passed on to the child.
var forwarded = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// Run starts cmd and waits for it, forwarding SIGTERM and SIGHUP (and
// SIGINT as ints says) until it ends. It returns the child's exit status
// (128+N for a child killed by signal N); err is a failure to start it
// (a *StartError) or to wait for it, with status -1.
func Run(cmd *exec.Cmd, ints Interrupts) (int, error) {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, forwarded...)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		return -1, &StartError{err}
	}
	done := make(chan struct{})
	go forward(cmd.Process, sigs, ints, done)
	err := cmd.Wait()
	close(done)
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if st, ok := ee.Sys().(syscall.WaitStatus); ok && st.Signaled() {
			return 128 + int(st.Signal()), nil
		}
		return ee.ExitCode(), nil
	}
	if err != nil {
		return -1, err
	}
	return 0, nil
}

// forward passes on to the child the signals mfa-git receives, until
// done.
func forward(child *os.Process, sigs <-chan os.Signal, ints Interrupts, done <-chan struct{}) {
	for {
		select {
		case sig := <-sigs:
			if sig == os.Interrupt && (ints == NeverForward || terminalSentInterrupt()) {
				continue
			}
			child.Signal(sig)
		case <-done:
			return
		}
	}
}

// StartError is a child that could not be started.
type StartError struct{ Err error }

func (e *StartError) Error() string { return e.Err.Error() }
func (e *StartError) Unwrap() error { return e.Err }
