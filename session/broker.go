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

// CacheKey is the name under which p's session is stored and brokered.
func CacheKey(p *profile.Profile) string { return cacheKey(p) }

// ProfilePrefix is the key prefix of all sessions of the named profile,
// or of every profile when name is "".
func ProfilePrefix(name string) string {
	if name == "" {
		return "session/"
	}
	return profilePrefix(name)
}

// UnmarshalSession decodes a stored session, rejecting incomplete ones.
func UnmarshalSession(b []byte) (*Session, error) { return unmarshalSession(b) }

// Marshal encodes s as it is stored.
func (s *Session) Marshal() ([]byte, error) { return s.marshal() }
