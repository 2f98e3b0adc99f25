package agent

// The agent's session broker: what it holds, how callers get a session
// or a lease, write-through, forgetting, and refreshing with token
// commands. server.go holds the socket side.

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/mfa-git/mfa-git/internal/session"
)

// cache is the keystore's sessions, read and written as every command
// does.
func (s *Server) cache() session.Cache { return session.Cache{Store: s.Store} }

// reload loads unexpired sessions from the store and drops expired and
// unreadable ones.
func (s *Server) reload() {
	c := s.cache()
	keys, err := c.Keys(session.ProfilePrefix(""))
	if err != nil {
		s.Log.Printf("could not list the %s keyring: %v", s.Store.Name(), err)
		return
	}
	for _, k := range keys {
		sess, err := c.Load(k)
		if err != nil && !errors.Is(err, session.ErrNotSession) {
			continue
		}
		if err != nil || time.Until(sess.Expiration) <= 0 {
			c.Remove(k)
			continue
		}
		s.sessions[k] = sess
	}
	s.Log.Printf("loaded %d session(s) from the %s keyring", len(s.sessions), s.Store.Name())
}

// validKey reports whether sess belongs under key.
func validKey(key string, sess *session.Session) bool { return session.Belongs(key, sess) }

// janitor drops expired sessions every minute.
func (s *Server) janitor() {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-s.life.Done():
			return
		case <-t.C:
			s.mu.Lock()
			for k, sess := range s.sessions {
				if time.Until(sess.Expiration) <= 0 {
					delete(s.sessions, k)
					s.cache().Remove(k)
				}
			}
			s.mu.Unlock()
		}
	}
}

// get answers from memory or the store, or grants the lease, or waits
// for the current leaseholder (or the agent's own refresh).
func (s *Server) get(c net.Conn, r *bufio.Reader, req *request) {
	fresh := func(sess *session.Session) bool {
		return sess != nil && sess.Fresh(time.Now(), req.Margin, req.Lifetime)
	}
	for attempt := 0; ; attempt++ {
		s.mu.Lock()
		sess := s.sessions[req.Key]
		ok := fresh(sess)
		if !ok {
			s.mu.Unlock()
			// A process without the agent may have stored one. The keyring is read
			// without the lock: a slow one must not hold up answers from memory.
			stored, err := s.cache().Load(req.Key)
			ok = err == nil && fresh(stored)
			s.mu.Lock()
			if held := s.sessions[req.Key]; fresh(held) { // delivered meanwhile
				sess, ok = held, true
			} else if ok {
				sess = stored
				s.hold(req.Key, stored)
			}
		}
		if ok {
			s.mu.Unlock()
			writeResponse(c, response{Status: "ok", Session: sess})
			return
		}
		f := s.flights[req.Key]
		if f == nil {
			break
		}
		f.waiting++
		s.mu.Unlock()
		c.SetDeadline(time.Now().Add(WaitLimit))
		if req.Notify && !f.refresh && attempt == 0 {
			writeResponse(c, response{Status: "waiting"})
		}
		select {
		case <-f.done:
		case <-time.After(WaitLimit):
		}
		s.mu.Lock()
		got, why := f.s, f.err
		s.mu.Unlock()
		if got != nil {
			writeResponse(c, response{Status: "ok", Session: got})
			return
		}
		if !f.refresh || attempt > 0 {
			writeResponse(c, response{Status: "error", Error: cmp.Or(why, "gave up waiting for the MFA code"), Hint: "run the command again; it will ask for the code itself"})
			return
		}
		// The agent's refresh failed: this caller may still get a code.
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
	reason, unstored := "", ""
	s.mu.Lock()
	switch {
	case err != nil:
		reason = fmt.Sprintf("the process asking for the MFA code for profile %s stopped before it finished", req.Profile)
	case next.Op == "deliver" && validKey(req.Key, next.Session) && f.forgotten:
		// logout ran while the code was asked for: it wins.
		reason = fmt.Sprintf("profile %s was logged out while its session was being made; the session was not kept", req.Profile)
	case next.Op == "deliver" && validKey(req.Key, next.Session) && next.Stored:
		result = next.Session
		s.hold(req.Key, result)
	case next.Op == "deliver" && validKey(req.Key, next.Session):
		result = next.Session
		unstored = s.keep(req.Key, result)
	case next.Op == "abort":
		reason = cmp.Or(next.Reason, "the process asking for the MFA code gave up")
	default:
		reason = "the leaseholder sent no valid session"
	}
	f.s, f.err = result, reason
	if s.flights[req.Key] == f {
		delete(s.flights, req.Key)
		close(f.done)
	}
	s.mu.Unlock()
	if result != nil {
		s.Log.Printf("profile %s: new session delivered", req.Profile)
		writeResponse(c, response{Status: "ok", Unstored: unstored})
	} else {
		s.Log.Printf("profile %s: lease ended without a session: %s", req.Profile, reason)
		if next != nil && next.Op == "deliver" {
			writeResponse(c, response{Status: "error", Error: reason, Hint: "run the command again to start a new session"})
		}
	}
}

// keep holds sess and writes it to the store, removing the sessions it
// replaces: the agent is the one writer of the sessions handed to it
// (delivered by a leaseholder, or put). It returns why it could not write
// it, or "": the caller then tells the client, which keeps it itself.
// Callers hold s.mu.
func (s *Server) keep(key string, sess *session.Session) (unstored string) {
	s.hold(key, sess)
	if err := s.cache().Keep(key, sess); err != nil {
		s.Log.Printf("could not write a session through to the %s keyring: %v", s.Store.Name(), err)
		return fmt.Sprintf("the agent could not write it to the %s keyring: %v", s.Store.Name(), err)
	}
	return ""
}

// hold holds sess, which is in the store already, and schedules its
// refresh. Callers hold s.mu.
func (s *Server) hold(key string, sess *session.Session) {
	s.sessions[key] = sess
	s.scheduleRefresh(key, sess)
}

// forget drops held and stored sessions under prefix, and marks sessions
// being made for them (by a leaseholder or a refresh) so that they are
// not kept: a logout wins over whatever is in flight. It returns the keys
// it dropped. Callers hold s.mu.
func (s *Server) forget(prefix string) []string {
	dropped := map[string]bool{}
	for k := range s.sessions {
		if strings.HasPrefix(k, prefix) {
			delete(s.sessions, k)
			dropped[k] = true
		}
	}
	for k, t := range s.timers {
		if strings.HasPrefix(k, prefix) {
			t.Stop()
			delete(s.timers, k)
		}
	}
	for k, f := range s.flights {
		if strings.HasPrefix(k, prefix) {
			f.forgotten = true
		}
	}
	c := s.cache()
	if keys, err := c.Keys(prefix); err == nil {
		for _, k := range keys {
			if c.Remove(k) == nil {
				dropped[k] = true
			}
		}
	}
	return slices.Sorted(maps.Keys(dropped))
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
	slices.SortFunc(in.Sessions, func(a, b SessionInfo) int { return cmp.Compare(a.Profile, b.Profile) })
	for _, f := range s.flights {
		in.Leases = append(in.Leases, LeaseInfo{Profile: f.profile, Waiting: f.waiting})
	}
	return in
}

// lead is how long before expiry sessions are renewed.
func (s *Server) lead() time.Duration { return cmp.Or(s.RefreshLead, DefaultRefreshLead) }

// scheduleRefresh arranges for sess to be replaced the refresh lead
// before it expires, but never in the first half of its life, if a
// Refresher is set. Callers hold s.mu.
func (s *Server) scheduleRefresh(key string, sess *session.Session) {
	if s.Refresher == nil || s.closed || sess.Role != nil {
		// A role session is renewed by the next command that needs it,
		// from the MFA session without a prompt; the Refresher makes MFA
		// sessions only.
		return
	}
	if t := s.timers[key]; t != nil {
		t.Stop()
	}
	// A session stored before its issue time was recorded: what is left
	// now stands for its lifetime.
	wait := time.Until(sess.Expiration.Add(-sess.Lead(s.lead(), time.Until(sess.Expiration))))
	if s.Trace.On() {
		s.Trace.Printf("refresh: profile %s renewed in %s (lead %s, never in the first half of its life; %s left)", sess.Profile, max(wait, 0).Round(time.Second), s.lead(), time.Until(sess.Expiration).Round(time.Second))
	}
	s.timers[key] = time.AfterFunc(max(wait, 0), func() { s.refresh(key, sess, 0) })
}

// refresh replaces old with a session from the Refresher (the profile's
// token command), unless old was replaced or forgotten meanwhile or a
// leaseholder is already getting one. Callers asking meanwhile wait for
// it. A failure other than "needs a person" is retried in the next code
// step (AWS refuses a code it has seen) while old still has a minute left.
func (s *Server) refresh(key string, old *session.Session, attempt int) {
	s.mu.Lock()
	if s.closed || s.sessions[key] != old || s.flights[key] != nil {
		s.mu.Unlock()
		return
	}
	delete(s.timers, key)
	f := &flight{profile: old.Profile, done: make(chan struct{}), refresh: true}
	s.flights[key] = f
	s.mu.Unlock()

	// Close ends the refresh too (and with it the token command).
	ctx, cancel := context.WithTimeout(s.life, WaitLimit)
	sess, err := s.Refresher.Refresh(ctx, old, s.lead())
	cancel()
	if err == nil && sess == nil {
		err = errors.New("the refresh brought no session")
	}
	newKey := ""
	if err == nil {
		newKey = sess.Key
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.flights[key] == f {
		delete(s.flights, key)
		defer close(f.done)
	}
	if s.closed {
		return
	}
	switch {
	case f.forgotten:
		s.Log.Printf("profile %s: logged out during a refresh; nothing kept", old.Profile)
		f.err = "the profile was logged out"
	case err == nil && newKey == key && !sess.Expiration.After(old.Expiration):
		// Not newer (a token command that could not be used?): keeping
		// it would schedule the same refresh again at once.
		s.Log.Printf("profile %s: refresh brought no newer session", old.Profile)
		f.err = "the refresh brought no newer session"
	case err == nil && newKey == key:
		how := "with its token command"
		if old.SourceKeyID == "" {
			// Not an MFA session: IAM Identity Center, aws login or a
			// credential_process, renewed from its source.
			how = "from its source"
		}
		s.Log.Printf("profile %s: refreshed %s", old.Profile, how)
		s.hold(key, sess) // the refresh's obtain loop stored it
		f.s = sess
	case err == nil:
		// The profile's key or device changed: hold the new session.
		s.Log.Printf("profile %s: refreshed under a new key or device", old.Profile)
		s.hold(newKey, sess)
	case errors.Is(err, session.ErrNeedsPerson), errors.Is(err, session.ErrLoggedOut):
		// Needs a person, or was logged out: the next command will ask.
		f.err = err.Error()
	default:
		s.Log.Printf("profile %s: refresh failed: %v", old.Profile, err)
		f.err = err.Error()
		retry := time.Until(session.NextStep(time.Now()))
		if time.Until(old.Expiration) > time.Minute+retry && attempt < 5 {
			s.timers[key] = time.AfterFunc(retry, func() { s.refresh(key, old, attempt+1) })
		}
	}
}
