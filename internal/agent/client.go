package agent

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/session"
	"github.com/mfa-git/mfa-git/internal/userdir"
)

// DialTimeout bounds how long a client tries to reach the agent before it
// falls back to the keystore.
const DialTimeout = 300 * time.Millisecond

// Client talks to the agent. It implements session.Broker.
//
// Before it sends anything it checks who listens: the socket's folder must
// be the user's own and not writable by others, and the process at the
// other end must run as the user. An agent that fails gets nothing: the
// client warns once on Warn and answers session.ErrNoBroker, so commands
// use the keystore.
type Client struct {
	Path string
	// AutoStart, if set, is called once when no agent listens at Path
	// (never when the socket's folder failed the check).
	AutoStart func()
	// Warn is told, once, why the agent at Path failed the check and is
	// not used (the error carries the cause's hint); nil discards it.
	Warn func(error)
	// Waiting, when set, is told that Fetch starts to wait for another
	// process that is asking for the profile's code; it returns the
	// function to call when the wait is over.
	Waiting func(profile string) (done func())
	started bool
	// refused holds why the agent failed the check; this client then
	// never dials again (nor starts an agent).
	refused atomic.Pointer[string]
}

var _ session.Broker = (*Client)(nil)

type conn struct {
	net.Conn
	r *bufio.Reader
}

// CheckSocketFolder reports why an agent whose socket is at path would
// not be trusted: its folder exists and is not private to the user (see
// userdir.Check), or there is no path. A folder that does not exist yet
// is fine: the agent makes it.
func CheckSocketFolder(path string) error {
	if path == "" {
		return errNoSocket
	}
	if err := userdir.Check(filepath.Dir(path)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func (c *Client) dial(ctx context.Context) (*conn, error) {
	if c.Path == "" {
		return nil, fmt.Errorf("%w: no socket path", session.ErrNoBroker)
	}
	if why := c.refused.Load(); why != nil {
		return nil, fmt.Errorf("%w: %s", session.ErrNoBroker, *why)
	}
	// Anything in the socket's folder must be private to us before
	// anything is sent.
	if err := CheckSocketFolder(c.Path); err != nil {
		return nil, c.untrusted(err)
	}
	addr, release, err := sockAddr(c.Path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", session.ErrNoBroker, err)
	}
	d := net.Dialer{Timeout: DialTimeout}
	nc, err := d.DialContext(ctx, "unix", addr)
	release()
	if err != nil {
		if c.AutoStart != nil && !c.started && (errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ECONNREFUSED)) {
			c.started = true
			c.AutoStart()
		}
		return nil, fmt.Errorf("%w: %v", session.ErrNoBroker, err)
	}
	if uid, err := peerUID(nc); err != nil || uid != os.Getuid() {
		nc.Close()
		if err == nil {
			err = fmt.Errorf("it runs as uid %d, not as you (uid %d)", uid, os.Getuid())
		}
		return nil, c.untrusted(fmt.Errorf("%s: %w", c.Path, err))
	}
	return &conn{Conn: nc, r: bufio.NewReaderSize(nc, 8192)}, nil
}

// untrusted warns, once, that the agent at Path is not used, and returns
// an error wrapping session.ErrNoBroker.
func (c *Client) untrusted(why error) error {
	msg := why.Error()
	if c.refused.CompareAndSwap(nil, &msg) && c.Warn != nil {
		c.Warn(why)
	}
	return fmt.Errorf("%w: %v", session.ErrNoBroker, why)
}

func (c *conn) send(req request) error {
	req.V = protocolVersion
	b, err := req.appendJSON(make([]byte, 0, 256))
	if err != nil {
		return err
	}
	_, err = c.Write(append(b, '\n'))
	return err
}

func (c *conn) recv() (*response, error) {
	line, err := c.r.ReadBytes('\n')
	if err != nil {
		return nil, err
	}
	resp, err := decodeResponse(line)
	if err != nil {
		return nil, fmt.Errorf("malformed answer from the agent: %w", err)
	}
	return resp, nil
}

// roundTrip sends one request and reads one response within limit. The
// connection stays open only for a "get", which may go on (a wait, a
// lease); the caller then closes it.
func (c *Client) roundTrip(ctx context.Context, req request, limit time.Duration) (*conn, *response, error) {
	cn, err := c.dial(ctx)
	if err != nil {
		return nil, nil, err
	}
	deadline := time.Now().Add(limit)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	cn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { cn.SetDeadline(time.Now()) })
	defer stop()
	if err := cn.send(req); err != nil {
		cn.Close()
		return nil, nil, fmt.Errorf("%w: %v", session.ErrNoBroker, err)
	}
	resp, err := cn.recv()
	if err != nil {
		cn.Close()
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		// The agent went away mid-answer: use the keystore instead.
		return nil, nil, fmt.Errorf("%w: %v", session.ErrNoBroker, err)
	}
	if resp.Status == "error" {
		cn.Close()
		return nil, nil, hint.New(nil, resp.Error, resp.Hint)
	}
	if req.Op != "get" {
		cn.Close()
	}
	return cn, resp, nil
}

// Fetch implements session.Broker.
func (c *Client) Fetch(ctx context.Context, w session.Want) (*session.Session, session.Lease, error) {
	cn, resp, err := c.roundTrip(ctx, request{Op: "get", Key: w.Key, Profile: w.Name, Margin: w.Margin, Lifetime: w.Lifetime, Notify: c.Waiting != nil}, WaitLimit)
	if err != nil {
		return nil, nil, err
	}
	if resp.Status == "waiting" {
		done := c.Waiting(w.Name)
		resp, err = cn.recv()
		done()
		if err != nil {
			cn.Close()
			return nil, nil, fmt.Errorf("%w: %v", session.ErrNoBroker, err)
		}
		if resp.Status == "error" {
			cn.Close()
			return nil, nil, hint.New(nil, resp.Error, resp.Hint)
		}
	}
	switch resp.Status {
	case "ok":
		cn.Close()
		if resp.Session == nil {
			return nil, nil, errors.New("the agent answered without a session")
		}
		return resp.Session, nil, nil
	case "lease":
		cn.SetDeadline(time.Now().Add(WaitLimit))
		return nil, &lease{cn}, nil
	}
	cn.Close()
	return nil, nil, fmt.Errorf("unexpected answer %q from the agent", resp.Status)
}

// Put implements session.Broker.
func (c *Client) Put(ctx context.Context, key string, s *session.Session) error {
	_, resp, err := c.roundTrip(ctx, request{Op: "put", Key: key, Session: s}, 5*time.Second)
	if err != nil {
		return err
	}
	return unstored(resp)
}

// unstored is session.ErrNotStored when the agent held a session it could
// not write.
func unstored(resp *response) error {
	if resp.Unstored != "" {
		return fmt.Errorf("%w: %s", session.ErrNotStored, resp.Unstored)
	}
	return nil
}

// forgetTimeout bounds a logout's wait for the agent.
const forgetTimeout = 30 * time.Second

// Forget implements session.Broker: it returns the keys of the sessions
// the agent dropped, from memory or its keystore.
func (c *Client) Forget(ctx context.Context, prefix string) ([]string, error) {
	// The agent removes each session from its keystore too: a slow
	// keyring (the Secret Service under load) takes a while for many.
	_, resp, err := c.roundTrip(ctx, request{Op: "forget", Key: prefix}, forgetTimeout)
	if err != nil {
		return nil, err
	}
	return resp.Forgotten, nil
}

// Status returns the running agent's description.
func (c *Client) Status(ctx context.Context) (*Info, error) {
	_, resp, err := c.roundTrip(ctx, request{Op: "status"}, 2*time.Second)
	if err != nil {
		return nil, err
	}
	return resp.Info, nil
}

// Stop asks the agent to exit.
func (c *Client) Stop(ctx context.Context) error {
	_, _, err := c.roundTrip(ctx, request{Op: "stop"}, 2*time.Second)
	return err
}

type lease struct{ c *conn }

// Deliver hands the new session to the agent, which wakes the waiters
// and, unless stored, writes it to its keystore.
func (l *lease) Deliver(s *session.Session, stored bool) error {
	defer l.c.Close()
	if err := l.c.send(request{Op: "deliver", Session: s, Stored: stored}); err != nil {
		return err
	}
	resp, err := l.c.recv()
	if err != nil {
		return err
	}
	if resp.Status != "ok" {
		return errors.New(resp.Error)
	}
	return unstored(resp)
}

// Abort tells the waiters why no session is coming.
func (l *lease) Abort(reason string) {
	l.c.send(request{Op: "abort", Reason: reason})
	l.c.Close()
}
