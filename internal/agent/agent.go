// Package agent is the mfa-git session daemon and its client. The agent
// listens on a Unix socket that only its user may use, holds sessions in
// memory (written through to the keystore, reloaded from it on start), and
// when many processes need the same profile at once it lets exactly one of
// them ask for the MFA code while the others wait for the result.
//
// The wire protocol is one JSON object per line. A client sends one
// request and reads one response; a client given a lease keeps the
// connection open and later sends "deliver" or "abort". If that connection
// closes first, every waiter is told at once and the next caller gets the
// lease.
package agent

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/mfa-git/mfa-git/internal/session"
	"github.com/mfa-git/mfa-git/internal/userdir"
)

// ErrUnsupported is returned where the agent cannot run (Windows, for
// now); commands there use the keystore directly.
var ErrUnsupported = errors.New("the mfa-git agent does not run on this system yet; commands use the keystore directly")

// errNoSocket is a client or server given no socket path (SocketPath
// failed; cmd reports why).
var errNoSocket = errors.New("no place for the agent's socket")

// ErrRunning is returned by Listen when another agent already answers on
// the socket: the work is being done, so an agent started by a service
// manager can exit successfully.
var ErrRunning = errors.New("an agent is already listening")

// protocolVersion is sent with every request; the agent refuses others.
const protocolVersion = 1

type request struct {
	V       int           `json:"v"`
	Op      string        `json:"op"` // get, put, forget, status, stop, deliver, abort
	Key     string        `json:"key,omitempty"`
	Profile string        `json:"profile,omitempty"`
	Margin  time.Duration `json:"margin,omitempty"`
	// Lifetime is the profile's session duration, for stored sessions
	// that do not record when they were issued (see session.Fresh).
	Lifetime time.Duration    `json:"lifetime,omitempty"`
	Session  *session.Session `json:"session,omitempty"`
	Reason   string           `json:"reason,omitempty"`
	// Stored says a delivered session is in the keystore already: the
	// agent holds it without writing it again (older agents write it).
	Stored bool `json:"stored,omitempty"`
	// Notify asks the agent to answer "waiting" before it waits for
	// another process that is asking for the code (older agents ignore it).
	Notify bool `json:"notify,omitempty"`
}

type response struct {
	Status  string           `json:"status"` // ok, lease, error
	Session *session.Session `json:"session,omitempty"`
	Error   string           `json:"error,omitempty"`
	Hint    string           `json:"hint,omitempty"` // what the user can do about Error
	Info    *Info            `json:"info,omitempty"`
	// Unstored says why the agent holds a delivered or put session but
	// could not write it to its keystore: the client keeps it itself.
	Unstored string `json:"unstored,omitempty"`
	// Forgotten lists the keys a forget dropped (held or stored).
	Forgotten []string `json:"forgotten,omitempty"`
}

// Info describes a running agent. It holds no secret.
type Info struct {
	PID      int           `json:"pid"`
	Socket   string        `json:"socket"`
	Started  time.Time     `json:"started"`
	Keyring  string        `json:"keyring"`
	Sessions []SessionInfo `json:"sessions"`
	// Leases are the profiles someone is getting a session for now.
	Leases []LeaseInfo `json:"leases"`
}

// LeaseInfo is a session being obtained, and how many callers wait for it.
type LeaseInfo struct {
	Profile string `json:"profile"`
	Waiting int    `json:"waiting"`
}

// SessionInfo is one held session, without its secrets.
type SessionInfo struct {
	Profile string    `json:"profile"`
	Expires time.Time `json:"expires"`
}

// WaitLimit bounds how long a lease may be held, and so how long anyone
// waits for it: a person's prompt (prompt.Timeout, 2 minutes), one STS
// call (awsapi.CallTimeout, 30 seconds), and some slack. The agent knows
// nothing of profiles, prompts or AWS; a test checks the sum.
const WaitLimit = 2*time.Minute + 30*time.Second + 15*time.Second

// SocketPath is where the agent listens: sock (MFA_GIT_AGENT_SOCK, read by
// cmd), else $XDG_RUNTIME_DIR/mfa-git/agent.sock when that folder is the
// user's own (after su it may name another user's), else
// mfa-git/agent.sock in the user cache folder. It fails, saying why, when
// sock is relative or there is no such folder (no home folder); clients
// then find no agent.
func SocketPath(sock string) (string, error) {
	if sock != "" {
		if !filepath.IsAbs(sock) {
			return "", fmt.Errorf("no place for the agent's socket: MFA_GIT_AGENT_SOCK=%q is not an absolute path", sock)
		}
		return sock, nil
	}
	if rt, err := userdir.Runtime(); err == nil {
		return filepath.Join(rt, "mfa-git", "agent.sock"), nil
	}
	dir, err := userdir.Cache()
	if err != nil {
		return "", fmt.Errorf("no place for the agent's socket: %w", err)
	}
	return filepath.Join(dir, "mfa-git", "agent.sock"), nil
}
