//go:build !windows

package agent

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/mfa-git/mfa-git/keystore"
	"github.com/mfa-git/mfa-git/session"
)

const supported = true

// Server is a running agent.
type Server struct {
	// Store receives every session (write-through) and is read on start.
	Store keystore.Store
	// Log records connections refused and leases, never a secret.
	Log *log.Logger
	// Refresh, if set, gets a new session for a profile without a person
	// (its token command). It returns an error wrapping session.ErrNoPrompt
	// for profiles that need a person; those are not refreshed.
	Refresh func(ctx context.Context, profile string) (key string, s *session.Session, err error)
	// RefreshLead is how long before expiry Refresh is tried.
	RefreshLead time.Duration

	path    string
	ln      net.Listener
	started time.Time

	mu       sync.Mutex
	sessions map[string]*session.Session
	flights  map[string]*flight
	timers   map[string]*time.Timer // refresh timers, by key
	done     chan struct{}
	closed   bool
}

// flight is a session being obtained by a leaseholder.
type flight struct {
	profile string
	waiting int
	done    chan struct{}
	s       *session.Session
	err     string
}

// Listen creates the socket at path (its folder 0700, the socket 0600),
// refusing if a live agent already answers there, and loads the sessions
// the store holds.
func Listen(path string, store keystore.Store, logger *log.Logger) (*Server, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create socket folder: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, fmt.Errorf("secure socket folder: %w", err)
	}
	if c, err := net.DialTimeout("unix", path, DialTimeout); err == nil {
		c.Close()
		return nil, fmt.Errorf("an agent is already listening on %s", path)
	}
	os.Remove(path) // a stale socket from an agent that died
	old := syscall.Umask(0o177)
	ln, err := net.Listen("unix", path)
	syscall.Umask(old)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", path, err)
	}
	s := &Server{Store: store, Log: logger, path: path, ln: ln, started: time.Now(),
		sessions: map[string]*session.Session{}, flights: map[string]*flight{}, timers: map[string]*time.Timer{}, done: make(chan struct{})}
	s.reload()
	return s, nil
}

// reload loads unexpired sessions from the store and drops expired ones.
func (s *Server) reload() {
	keys, err := s.Store.List()
	if err != nil {
		s.Log.Printf("could not list the %s keyring: %v", s.Store.Name(), err)
		return
	}
	n := 0
	for _, k := range keys {
		if !strings.HasPrefix(k, session.ProfilePrefix("")) {
			continue
		}
		b, err := s.Store.Get(k)
		if err != nil {
			continue
		}
		sess, err := session.UnmarshalSession(b)
		if err != nil || !validKey(k, sess) || time.Until(sess.Expiration) <= 0 {
			s.Store.Remove(k)
			continue
		}
		s.sessions[k] = sess
		n++
	}
	s.Log.Printf("loaded %d session(s) from the %s keyring", n, s.Store.Name())
}

// validKey reports whether sess belongs under key.
func validKey(key string, sess *session.Session) bool {
	return sess != nil && key == session.CacheKey(&session.Profile{Name: sess.Profile, AccessKeyID: sess.SourceKeyID, MFASerial: sess.MFASerial})
}

// Serve accepts connections until Close or a stop request.
func (s *Server) Serve() error {
	go s.janitor()
	s.mu.Lock()
	for k, sess := range s.sessions {
		s.scheduleRefresh(k, sess)
	}
	s.mu.Unlock()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			s.mu.Lock()
			closed := s.closed
			s.mu.Unlock()
			if closed {
				return nil
			}
			return err
		}
		go s.handle(c)
	}
}

// Close stops the agent; waiters are told.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	close(s.done)
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
	s.ln.Close()
	os.Remove(s.path)
}

// janitor drops expired sessions every minute.
func (s *Server) janitor() {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-s.done:
			return
		case <-t.C:
			s.mu.Lock()
			for k, sess := range s.sessions {
				if time.Until(sess.Expiration) <= 0 {
					delete(s.sessions, k)
					s.Store.Remove(k)
				}
			}
			s.mu.Unlock()
		}
	}
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
		hint := "upgrade mfa-git, or run: mfa-git agent stop (the next command starts a matching agent)"
		if errors.Is(err, errVersion) {
			hint = "run: mfa-git agent stop (the next command starts a matching agent)"
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
		s.keep(req.Key, req.Session)
		s.mu.Unlock()
		writeResponse(c, response{Status: "ok"})
	case "forget":
		s.mu.Lock()
		n := s.forget(req.Key)
		s.mu.Unlock()
		s.Log.Printf("forgot %d session(s)", n)
		writeResponse(c, response{Status: "ok"})
	case "status":
		writeResponse(c, response{Status: "ok", Info: s.info()})
	case "stop":
		writeResponse(c, response{Status: "ok"})
		s.Log.Printf("stopping on request")
		s.Close()
	default:
		writeResponse(c, response{Status: "error", Error: fmt.Sprintf("the agent does not know the request %q", req.Op), Hint: "run: mfa-git agent stop (the next command starts a matching agent)"})
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

// get answers from memory or the store, or grants the lease, or waits
// for the current leaseholder.
func (s *Server) get(c net.Conn, r *bufio.Reader, req *request) {
	fresh := func(sess *session.Session) bool {
		return sess != nil && time.Until(sess.Expiration) > req.Margin
	}
	s.mu.Lock()
	if sess := s.sessions[req.Key]; fresh(sess) {
		s.mu.Unlock()
		writeResponse(c, response{Status: "ok", Session: sess})
		return
	}
	s.mu.Unlock()
	// A process without the agent may have stored one. The keyring is read
	// without the lock: a slow one must not hold up answers from memory.
	var stored *session.Session
	if b, err := s.Store.Get(req.Key); err == nil {
		if sess, err := session.UnmarshalSession(b); err == nil && validKey(req.Key, sess) && fresh(sess) {
			stored = sess
		}
	}
	s.mu.Lock()
	if sess := s.sessions[req.Key]; fresh(sess) { // delivered meanwhile
		stored = sess
	} else if stored != nil {
		s.sessions[req.Key] = stored
		s.scheduleRefresh(req.Key, stored)
	}
	if stored != nil {
		s.mu.Unlock()
		writeResponse(c, response{Status: "ok", Session: stored})
		return
	}
	if f := s.flights[req.Key]; f != nil {
		f.waiting++
		s.mu.Unlock()
		c.SetDeadline(time.Now().Add(WaitLimit))
		select {
		case <-f.done:
		case <-time.After(WaitLimit):
		}
		s.mu.Lock()
		got, why := f.s, f.err
		s.mu.Unlock()
		if got != nil {
			writeResponse(c, response{Status: "ok", Session: got})
		} else {
			writeResponse(c, response{Status: "error", Error: cmp.Or(why, "gave up waiting for the MFA code"), Hint: "run the command again; it will ask for the code itself"})
		}
		return
	}
	f := &flight{profile: req.Profile, done: make(chan struct{})}
	s.flights[req.Key] = f
	s.mu.Unlock()
	s.Log.Printf("profile %s: lease granted", req.Profile)

	// The leaseholder now asks for the code; its connection stays open.
	c.SetDeadline(time.Now().Add(WaitLimit))
	writeResponse(c, response{Status: "lease"})
	next, err := readRequest(r)
	var result *session.Session
	reason := ""
	switch {
	case err != nil:
		reason = fmt.Sprintf("the process asking for the MFA code for profile %s stopped before it finished", req.Profile)
	case next.Op == "deliver" && validKey(req.Key, next.Session):
		result = next.Session
	case next.Op == "abort":
		reason = cmp.Or(next.Reason, "the process asking for the MFA code gave up")
	default:
		reason = "the leaseholder sent no valid session"
	}
	s.mu.Lock()
	if result != nil {
		s.keep(req.Key, result)
	}
	f.s, f.err = result, reason
	if s.flights[req.Key] == f {
		delete(s.flights, req.Key)
		close(f.done)
	}
	s.mu.Unlock()
	if result != nil {
		s.Log.Printf("profile %s: new session delivered", req.Profile)
		writeResponse(c, response{Status: "ok"})
	} else {
		s.Log.Printf("profile %s: lease ended without a session: %s", req.Profile, reason)
	}
}

// keep holds sess, writes it through to the store and schedules its
// refresh. Callers hold s.mu.
func (s *Server) keep(key string, sess *session.Session) {
	s.sessions[key] = sess
	s.scheduleRefresh(key, sess)
	b, err := sess.Marshal()
	if err == nil {
		err = s.Store.Set(key, b)
	}
	if err != nil {
		s.Log.Printf("could not write a session through to the %s keyring: %v", s.Store.Name(), err)
	}
}

// forget drops held and stored sessions under prefix. Callers hold s.mu.
func (s *Server) forget(prefix string) int {
	n := 0
	for k := range s.sessions {
		if strings.HasPrefix(k, prefix) {
			delete(s.sessions, k)
			if t := s.timers[k]; t != nil {
				t.Stop()
				delete(s.timers, k)
			}
			n++
		}
	}
	if keys, err := s.Store.List(); err == nil {
		for _, k := range keys {
			if strings.HasPrefix(k, prefix) {
				s.Store.Remove(k)
			}
		}
	}
	return n
}

func (s *Server) info() *Info {
	s.mu.Lock()
	defer s.mu.Unlock()
	in := &Info{PID: os.Getpid(), Socket: s.path, Started: s.started, Keyring: s.Store.Name()}
	for _, sess := range s.sessions {
		if time.Until(sess.Expiration) > 0 {
			in.Sessions = append(in.Sessions, SessionInfo{Profile: sess.Profile, Expires: sess.Expiration})
		}
	}
	sort.Slice(in.Sessions, func(i, j int) bool { return in.Sessions[i].Profile < in.Sessions[j].Profile })
	for _, f := range s.flights {
		in.Leases = append(in.Leases, LeaseInfo{Profile: f.profile, Waiting: f.waiting})
	}
	return in
}

// scheduleRefresh arranges for sess to be replaced RefreshLead before it
// expires, if a Refresh function is set. Callers hold s.mu.
func (s *Server) scheduleRefresh(key string, sess *session.Session) {
	if s.Refresh == nil || s.closed {
		return
	}
	if t := s.timers[key]; t != nil {
		t.Stop()
	}
	wait := time.Until(sess.Expiration) - s.RefreshLead
	if wait < time.Second {
		wait = time.Second
	}
	s.timers[key] = time.AfterFunc(wait, func() { s.refresh(key, sess.Profile, 0) })
}

// refresh runs Refresh for a profile; a failure other than "needs a
// person" is retried after a code step (a reused code is refused by AWS)
// while the old session still has a minute left.
func (s *Server) refresh(key, profile string, attempt int) {
	ctx, cancel := context.WithTimeout(context.Background(), WaitLimit)
	defer cancel()
	newKey, sess, err := s.Refresh(ctx, profile)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	delete(s.timers, key)
	switch {
	case err == nil && newKey == key:
		s.Log.Printf("profile %s: refreshed with its token command", profile)
		s.keep(key, sess)
	case err == nil:
		// The profile's key or device changed: hold the new session.
		s.Log.Printf("profile %s: refreshed under a new key or device", profile)
		s.keep(newKey, sess)
	case errors.Is(err, session.ErrNoPrompt):
		// Needs a person: the next command will ask.
	default:
		s.Log.Printf("profile %s: refresh failed: %v", profile, err)
		old := s.sessions[key]
		if old != nil && time.Until(old.Expiration) > time.Minute+refreshRetry && attempt < 5 {
			s.timers[key] = time.AfterFunc(refreshRetry, func() { s.refresh(key, profile, attempt+1) })
		}
	}
}

// refreshRetry waits for the next one-time code.
var refreshRetry = 35 * time.Second
