package session

import (
	"context"
	"errors"
	"time"

	"github.com/mfa-git/mfa-git/profile"
)

// ErrNoBroker means no agent answered; callers use the keystore directly.
var ErrNoBroker = errors.New("no mfa-git agent answered")

// Broker coordinates sessions across processes: the mfa-git agent. It
// holds sessions in memory and makes sure that, of many processes needing
// the same profile at once, exactly one asks for a code.
type Broker interface {
	// Fetch returns a session for key that is fresh (Session.Fresh with
	// margin and p's duration); or a
	// Lease, when this caller must get a new session and deliver it; or
	// ErrNoBroker. Callers waiting while another process asks for a code
	// get an error at once if that process goes away.
	Fetch(ctx context.Context, key string, p *profile.Profile, margin time.Duration) (*Session, Lease, error)
	// Put gives the broker a session obtained without a lease (login --force).
	Put(ctx context.Context, key string, s *Session) error
	// Forget drops sessions whose keys start with prefix, held or
	// stored, and any being made for them, and returns the keys of the
	// sessions it dropped (nil from an agent too old to say).
	Forget(ctx context.Context, prefix string) ([]string, error)
}

// Lease is the duty to get a session for a key the broker lacks.
type Lease interface {
	Deliver(s *Session) error
	Abort(reason string)
}
