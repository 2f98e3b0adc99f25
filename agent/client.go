package agent

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"syscall"
	"time"

	"github.com/mfa-git/mfa-git/session"
)

// DialTimeout bounds how long a client tries to reach the agent before it
// falls back to the keystore.
var DialTimeout = 300 * time.Millisecond

// Client talks to the agent. It implements session.Broker.
type Client struct {
	Path string
	// AutoStart, if set, is called once when no agent listens at Path.
	AutoStart func()
	started   bool
}

type conn struct {
	net.Conn
	r *bufio.Reader
}

func (c *Client) dial(ctx context.Context) (*conn, error) {
	d := net.Dialer{Timeout: DialTimeout}
	nc, err := d.DialContext(ctx, "unix", c.Path)
	if err != nil {
		if c.AutoStart != nil && !c.started && (errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ECONNREFUSED)) {
			c.started = true
			c.AutoStart()
		}
		return nil, fmt.Errorf("%w: %v", session.ErrNoBroker, err)
	}
	return &conn{Conn: nc, r: bufio.NewReaderSize(nc, 8192)}, nil
}

func (c *conn) send(req request) error {
	req.V = protocolVersion
	b, err := json.Marshal(req)
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
	var resp response
	if err := json.Unmarshal(line, &resp); err != nil {
		return nil, fmt.Errorf("malformed answer from the agent: %w", err)
	}
	return &resp, nil
}

// roundTrip sends one request and reads one response within limit.
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
		return nil, nil, &remoteError{resp.Error, resp.Hint}
	}
	return cn, resp, nil
}

// remoteError is an error the agent reported, with the agent's hint.
type remoteError struct{ msg, hint string }

func (e *remoteError) Error() string { return e.msg }
func (e *remoteError) Hint() string  { return e.hint }

// Fetch implements session.Broker.
func (c *Client) Fetch(ctx context.Context, key string, p *session.Profile, margin time.Duration) (*session.Session, session.Lease, error) {
	cn, resp, err := c.roundTrip(ctx, request{Op: "get", Key: key, Profile: p.Name, Margin: margin, Lifetime: p.Duration}, WaitLimit)
	if err != nil {
		return nil, nil, err
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
	cn, _, err := c.roundTrip(ctx, request{Op: "put", Key: key, Session: s}, 5*time.Second)
	if err == nil {
		cn.Close()
	}
	return err
}

// Forget implements session.Broker: it returns the keys of the sessions
// the agent dropped, from memory or its keystore.
func (c *Client) Forget(ctx context.Context, prefix string) ([]string, error) {
	cn, resp, err := c.roundTrip(ctx, request{Op: "forget", Key: prefix}, 5*time.Second)
	if err != nil {
		return nil, err
	}
	cn.Close()
	return resp.Forgotten, nil
}

// Status returns the running agent's description.
func (c *Client) Status(ctx context.Context) (*Info, error) {
	cn, resp, err := c.roundTrip(ctx, request{Op: "status"}, 2*time.Second)
	if err != nil {
		return nil, err
	}
	cn.Close()
	return resp.Info, nil
}

// Stop asks the agent to exit.
func (c *Client) Stop(ctx context.Context) error {
	cn, _, err := c.roundTrip(ctx, request{Op: "stop"}, 2*time.Second)
	if err == nil {
		cn.Close()
	}
	return err
}

type lease struct{ c *conn }

// Deliver hands the new session to the agent, which wakes the waiters.
func (l *lease) Deliver(s *session.Session) error {
	defer l.c.Close()
	if err := l.c.send(request{Op: "deliver", Session: s}); err != nil {
		return err
	}
	resp, err := l.c.recv()
	if err != nil {
		return err
	}
	if resp.Status != "ok" {
		return errors.New(resp.Error)
	}
	return nil
}

// Abort tells the waiters why no session is coming.
func (l *lease) Abort(reason string) {
	l.c.send(request{Op: "abort", Reason: reason})
	l.c.Close()
}
