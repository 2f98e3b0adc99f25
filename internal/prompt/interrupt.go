package prompt

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/mfa-git/mfa-git/internal/hint"
)

// ErrInterrupted means the person pressed Ctrl-C (or the process was
// asked to stop) while being asked for a code.
var ErrInterrupted = errors.New("interrupted")

// interruptible returns a context that ends after timeout or on SIGINT or
// SIGTERM, so a prompt can restore the terminal and say so. Signal
// handling is set up only around prompts: the cached path, which runs on
// every git fetch, does not pay for it.
func interruptible(ctx context.Context, timeout time.Duration) (context.Context, func()) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	return ctx, func() { stop(); cancel() }
}

// interrupted reports whether ictx ended because of a signal rather than
// because parent ended.
func interrupted(ictx, parent context.Context) bool {
	return ictx.Err() != nil && parent.Err() == nil && !errors.Is(ictx.Err(), context.DeadlineExceeded)
}

// Wait waits for d as a prompt does: Ctrl-C ends the wait with
// ErrInterrupted; what says what was being waited for.
func Wait(ctx context.Context, d time.Duration, what string) error {
	ictx, stop := interruptible(ctx, d)
	defer stop()
	<-ictx.Done()
	if interrupted(ictx, ctx) {
		return hint.New(ErrInterrupted, "interrupted while "+what, "run the command again")
	}
	return ctx.Err()
}
