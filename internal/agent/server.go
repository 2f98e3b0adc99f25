package agent

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/mfa-git/mfa-git/internal/keystore"
	"github.com/mfa-git/mfa-git/internal/session"
	"github.com/mfa-git/mfa-git/internal/trace"
	"github.com/mfa-git/mfa-git/internal/userdir"
)

// Server is a running agent.
type Server struct {
	// Store receives every session (write-through) and is read on start.
	Store keystore.Store
	// Log records connections refused and leases, never a secret.
	Log *log.Logger
	// Refresher, if set, renews MFA sessions without a person (with the
	// profile's token command; see source.Refresher).
	Refresher Refresher
	// RefreshLead is how long before expiry a session is renewed, but
	// never in the first half of its life (0: DefaultRefreshLead).
	RefreshLead time.Duration
	// Trace, when on, gets a line for each refresh decision.
	Trace trace.Func

	path    string
	ln      net.Listener
	sock    fs.FileInfo // the socket file this agent made
	started time.Time

	mu       sync.Mutex
	sessions map[string]*session.Session
	flights  map[string]*flight
	timers   map[string]*time.Timer // refresh timers, by key
	life     context.Context        // ends when the agent closes
	end      context.CancelFunc
	closed   bool
}

// Refresher makes a new session for the profile old was made for, asking
// no person, with its Key set (the obtain loop sets it): a Key other
// than old's means the profile's key or device changed. Its error wraps
// session.ErrNeedsPerson for a profile that needs one: that session is
// left to the next command, which asks.
type Refresher interface {
	Refresh(ctx context.Context, old *session.Session, lead time.Duration) (*session.Session, error)
}

// flight is a session being obtained by a leaseholder.
type flight struct {
	profile string
	waiting int
	done    chan struct{}
	s       *session.Session
	err     string
	// refresh marks the agent's own refresh with a token command, not a
	// leaseholder's prompt.
	refresh bool
	// forgotten means a logout ran meanwhile: the result is not kept.
	forgotten bool
}

// Listen creates the socket at path, refusing if a live agent already
// answers there, and loads the sessions the store holds. The socket's
// folder is made 0700 if missing; if it exists it must be the user's own
// and not writable by others (see userdir.Private), and its mode is never
// changed. At path itself only a dead socket of the user's own is
// replaced; anything else there (a file, a symlink, another user's
// socket) is left alone and reported.
func Listen(path string, store keystore.Store, logger *log.Logger) (*Server, error) {
	if !Supported {
		return nil, ErrUnsupported
	}
	if path == "" {
		return nil, errNoSocket
	}
	if err := userdir.Private(filepath.Dir(path)); err != nil {
		return nil, fmt.Errorf("socket folder: %w", err)
	}
	ln, fi, err := listenSocket(path)
	if err != nil {
		return nil, err
	}
	life, end := context.WithCancel(context.Background())
	s := &Server{Store: store, Log: logger, path: path, ln: ln, sock: fi, started: time.Now(),
		sessions: map[string]*session.Session{}, flights: map[string]*flight{}, timers: map[string]*time.Timer{}, life: life, end: end}
	s.reload()
	return s, nil
}

// Serve accepts connections until Close or a stop request. A failed
// accept (out of file descriptors, EMFILE) does not end it: it waits a
// little, longer each time up to a second, and goes on.
func (s *Server) Serve() error {
	go s.janitor()
	s.mu.Lock()
	for k, sess := range s.sessions {
		s.scheduleRefresh(k, sess)
	}
	s.mu.Unlock()
	var delay time.Duration
	failures := 0
	for {
		c, err := s.ln.Accept()
		if err != nil {
			select {
			case <-s.life.Done(): // closed
				return nil
			default:
			}
			if errors.Is(err, net.ErrClosed) {
				s.Close()
				return err
			}
			if failures == 0 {
				s.Log.Printf("accepting a connection failed (%v); retrying", err)
			}
			failures++
			delay = min(max(2*delay, 5*time.Millisecond), time.Second)
			select {
			case <-time.After(delay):
			case <-s.life.Done():
			}
			continue
		}
		if failures > 0 {
			s.Log.Printf("accepting connections again after %d failed attempts", failures)
			failures, delay = 0, 0
		}
		go s.handle(c)
	}
}

// Close stops the agent; waiters are told. The socket is removed if it is
// still the one this agent made.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.end()
	for k, t := range s.timers {
		t.Stop()
		delete(s.timers, k)
	}
	for k, f := range s.flights {
		f.err = "the mfa-git agent stopped"
		close(f.done)
		delete(s.flights, k)
	}
	s.mu.Unlock()
	if fi, err := os.Lstat(s.path); err == nil && os.SameFile(fi, s.sock) {
		os.Remove(s.path)
	}
	s.ln.Close()
}

func (s *Server) handle(c net.Conn) {
	defer c.Close()
	uid, err := peerUID(c)
	if err != nil || uid != os.Getuid() {
		s.Log.Printf("refused a connection from uid %d (%v): only uid %d may use this agent", uid, err, os.Getuid())
		return
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReaderSize(c, 8192)
	req, err := readRequest(r)
	if err != nil {
		hint := "upgrade mfa-git, or restart the agent: mfa-git agent stop, then mfa-git agent start"
		if errors.Is(err, errVersion) {
			hint = "restart the agent: mfa-git agent stop, then mfa-git agent start"
		}
		writeResponse(c, response{Status: "error", Error: err.Error(), Hint: hint})
		return
	}
	switch req.Op {
	case "get":
		s.get(c, r, req)
	case "put":
		if !validKey(req.Key, req.Session) {
			writeResponse(c, response{Status: "error", Error: "the agent refused a session filed under another profile's key", Hint: "run the command again; if it persists, run: mfa-git agent stop"})
			return
		}
		s.mu.Lock()
		unstored := s.keep(req.Key, req.Session)
		s.mu.Unlock()
		writeResponse(c, response{Status: "ok", Unstored: unstored})
	case "forget":
		s.mu.Lock()
		keys := s.forget(req.Key)
		s.mu.Unlock()
		s.Log.Printf("forgot %d session(s)", len(keys))
		writeResponse(c, response{Status: "ok", Forgotten: keys})
	case "status":
		writeResponse(c, response{Status: "ok", Info: s.info()})
	case "stop":
		writeResponse(c, response{Status: "ok"})
		s.Log.Printf("stopping on request")
		s.Close()
	default:
		writeResponse(c, response{Status: "error", Error: fmt.Sprintf("the agent does not know the request %q", req.Op), Hint: "restart the agent: mfa-git agent stop, then mfa-git agent start"})
	}
}

// errVersion means the command and the agent come from different builds.
var errVersion = errors.New("mfa-git and its running agent differ")

// MaxRequest bounds one request line; a session is a few kilobytes.
const MaxRequest = 64 << 10

func readRequest(r *bufio.Reader) (*request, error) {
	var line []byte
	for {
		chunk, isPrefix, err := r.ReadLine()
		if err != nil {
			return nil, fmt.Errorf("read request: %w", err)
		}
		line = append(line, chunk...)
		if len(line) > MaxRequest {
			return nil, errors.New("request too large")
		}
		if !isPrefix {
			break
		}
	}
	var req request
	if err := json.Unmarshal(line, &req); err != nil {
		return nil, fmt.Errorf("malformed request: %w", err)
	}
	if req.V != protocolVersion {
		return nil, fmt.Errorf("%w: the command speaks version %d, the agent %d", errVersion, req.V, protocolVersion)
	}
	return &req, nil
}

func writeResponse(c net.Conn, resp response) {
	b, _ := json.Marshal(resp)
	c.Write(append(b, '\n'))
}
