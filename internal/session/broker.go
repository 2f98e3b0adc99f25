package session

import (
	"context"
	"errors"
	"time"
)

// ErrNoBroker means no agent answered; callers use the keystore directly.
var ErrNoBroker = errors.New("no mfa-git agent answered")

// ErrNeedsPerson is wrapped by the error of a refresh that only a person
// could make (the profile has no token command): the agent leaves it to
// the next command, which asks.
var ErrNeedsPerson = errors.New("only a person can renew this session")

// ErrNotStored is wrapped by Deliver's and Put's error when the broker
// holds the session but could not store it: the caller stores it itself.
var ErrNotStored = errors.New("the agent could not store the session")

// Broker coordinates sessions across processes: the mfa-git agent. It
// holds sessions in memory and makes sure that, of many processes needing
// the same profile at once, exactly one asks for a code.
type Broker interface {
	// Fetch returns a session for w.Key that is fresh (Session.Fresh
	// with w's margin and lifetime); or a Lease, when this caller must
	// get a new session and deliver it; or ErrNoBroker. Callers waiting
	// while another process asks for a code get an error at once if that
	// process goes away.
	Fetch(ctx context.Context, w Want) (*Session, Lease, error)
	// Put gives the broker a session obtained without a lease (login
	// --force), which it stores (see ErrNotStored).
	Put(ctx context.Context, key string, s *Session) error
	// Forget drops sessions whose keys start with prefix, held or
	// stored, and any being made for them, and returns the keys of the
	// sessions it dropped (nil from an agent too old to say).
	Forget(ctx context.Context, prefix string) ([]string, error)
}

// Want is what a broker needs to know of the session a caller asks for.
type Want struct {
	// Key is where the session is filed (Desc.Key).
	Key string
	// Name is its profile's name, for the broker's status and messages.
	Name string
	// Lifetime is its expected lifetime, for stored sessions that do not
	// record when they were issued; Margin is how long before expiry it
	// is due for replacement (see Session.Fresh).
	Lifetime, Margin time.Duration
}

// Lease is the duty to get a session for a key the broker lacks.
type Lease interface {
	// Deliver hands the broker the session, which wakes the waiters.
	// The broker stores it (see ErrNotStored), unless stored says it is
	// in the keystore already (another process made it meanwhile).
	Deliver(s *Session, stored bool) error
	// Abort tells the waiters why no session is coming.
	Abort(reason string)
}
