package source

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/mfa-git/mfa-git/internal/awsapi"
	"github.com/mfa-git/mfa-git/internal/filelock"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/keystore"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/prompt"
	"github.com/mfa-git/mfa-git/internal/session"
	"github.com/mfa-git/mfa-git/internal/trace"
)

// DefaultMargin is how long before expiry a cached session is replaced.
const DefaultMargin = 10 * time.Minute

// STS is the part of AWS STS that sessions need; awsapi.Client is the
// real one.
type STS interface {
	GetSessionToken(ctx context.Context, p *profile.Profile, code string) (*awsapi.Credentials, error)
	CallerIdentity(ctx context.Context, p *profile.Profile, c awsapi.Credentials) (string, error)
	// AssumeRole makes role sessions from an MFA session's credentials.
	AssumeRole(ctx context.Context, p *profile.Profile, caller awsapi.Credentials, r awsapi.RoleRequest) (*awsapi.Credentials, string, error)
}

// Manager applies the cache policy: reuse a stored session while it has
// more than Margin left (or is in the first half of its life); otherwise, holding a per-profile lock shared by
// all of the user's processes, look again, then prompt once, call STS once
// and store the result.
type Manager struct {
	Store keystore.Store
	STS   STS
	// SignIn serves IAM Identity Center and aws login profiles; nil is
	// awsapi.Client with the Manager's Trace.
	SignIn   SignIn
	Prompter prompt.Prompter
	// Margin defaults to DefaultMargin. A session is never replaced in
	// the first half of its life, whatever the margin.
	Margin time.Duration
	// LockDir holds the per-profile lock files.
	LockDir string
	// Warn receives warnings, each with its hint (hint.Of), for cmd to
	// print; nil discards them. The same warning is passed once.
	Warn func(error)
	// Trace, when on, gets a line for each decision (see internal/trace).
	Trace trace.Func
	// Tell receives what a person about to be asked for a code should
	// know first (that the code shown now was just used), for cmd to
	// print; nil discards it.
	Tell func(msg string)
	// Now defaults to time.Now.
	Now func() time.Time
	// Broker, when set, is asked first (see Broker).
	Broker session.Broker
	// Waiting, when set, is told that this process starts to wait for
	// another one that is asking for the profile's code; it returns the
	// function to call when the wait is over.
	Waiting func(profile string) (done func())
	// MustKeep makes a session made here that is not kept an error
	// (wrapping ErrNotKept) instead of a warning: login's promise. Kept
	// means the agent said it stored it, or this process stored it and
	// read it back from the keyring, still holding the profile's lock.
	MustKeep bool

	mu     sync.Mutex
	warned map[string]bool
}

func (m *Manager) cache() session.Cache { return session.Cache{Store: m.Store} }

func (m *Manager) signIn() SignIn {
	if m.SignIn != nil {
		return m.SignIn
	}
	return awsapi.Client{Trace: m.Trace}
}

func (m *Manager) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

func (m *Manager) margin() time.Duration {
	if m.Margin > 0 {
		return m.Margin
	}
	return DefaultMargin
}

// warnf reports a warning once per Manager, however often it recurs.
func (m *Manager) warnf(format string, args ...any) {
	if m.Warn != nil {
		m.warn(fmt.Errorf(format, args...))
	}
}

// warnStore reports a keystore's err as warnf does, with what to do
// about a keyring that is locked or gone as its hint.
func (m *Manager) warnStore(err error, format string, args ...any) {
	if m.Warn != nil {
		m.warn(hint.New(err, fmt.Sprintf(format, args...), keystore.Hint(err)))
	}
}

// warn passes err to Warn unless it passed the same warning before; a
// hint it passed before is not repeated.
func (m *Manager) warn(err error) {
	msg, h := err.Error(), hint.Of(err)
	m.mu.Lock()
	if m.warned == nil {
		m.warned = map[string]bool{}
	}
	seen, hinted := m.warned[msg], m.warned["hint: "+h]
	m.warned[msg], m.warned["hint: "+h] = true, true
	m.mu.Unlock()
	if seen {
		return
	}
	if h != "" && hinted {
		err = hint.New(err, msg, "")
	}
	m.Warn(err)
}

// Cached returns src's stored session whatever its age, or nil. An entry
// that cannot be read or does not belong to src's key is reported and
// discarded.
func (m *Manager) Cached(src Source) *session.Session { return m.cached(src.Desc()) }

// cached reads d's stored session whatever its age, or nil; an unusable
// entry is reported and discarded.
func (m *Manager) cached(d Desc) *session.Session {
	s, err := m.cache().Load(d.Key)
	if m.Trace.On() {
		m.traceCached(d, s, err)
	}
	switch {
	case err == nil:
		return s
	case errors.Is(err, keystore.ErrNotFound):
		return nil
	case !errors.Is(err, session.ErrNotSession):
		m.warnStore(err, "cannot read the cached session for %s %q from the %s keyring: %v", d.Kind, d.Name, m.Store.Name(), err)
		return nil
	}
	m.warnf("discarded an unreadable cached session for %s %q", d.Kind, d.Name)
	if err := m.cache().Remove(d.Key); err != nil {
		m.warnf("could not remove it: %v", err)
	}
	return nil
}

// traceCached traces what the keystore answered for d.
func (m *Manager) traceCached(d Desc, s *session.Session, err error) {
	switch {
	case err == nil && m.fresh(d, s):
		m.Trace.Printf("keystore %s: hit, %s left, fresh", m.Store.Name(), s.Remaining(m.now()).Round(time.Second))
	case err == nil:
		m.Trace.Printf("keystore %s: hit, %s left, due for replacement (lead %s)", m.Store.Name(), s.Remaining(m.now()).Round(time.Second), s.Lead(m.margin(), d.Lifetime))
	case errors.Is(err, keystore.ErrNotFound):
		m.Trace.Printf("keystore %s: miss", m.Store.Name())
	default:
		m.Trace.Printf("keystore %s: unusable entry (%v)", m.Store.Name(), err)
	}
}

// fresh reports whether s can be handed out now: it has more than the
// margin left, or, for a short session, is in the first half of its life.
func (m *Manager) fresh(d Desc, s *session.Session) bool {
	return s.Fresh(m.now(), m.margin(), d.Lifetime)
}

// Session returns a session for src with more than the margin left,
// asking for a code only when none is cached.
func (m *Manager) Session(ctx context.Context, src Source) (*session.Session, error) {
	s, _, err := m.Obtain(ctx, src, false)
	return s, err
}

// Obtain is the one loop every source goes through. It returns a fresh
// session for src and reports whether it made a new one: the broker is
// asked first, then the keystore, then, holding src's lock, the keystore
// again and src.Make, and the new session is kept. When the broker grants
// this process the lease, the session is handed to it (and the agent
// keeps it). force (login --force) skips the broker and the keystore and
// makes a new session, which the broker is given; for a Wrapper it makes
// the inner source's session anew too. Without a broker (or
// none answering) the keystore is used.
func (m *Manager) Obtain(ctx context.Context, src Source, force bool) (*session.Session, bool, error) {
	d := src.Desc()
	if m.Trace.On() {
		m.Trace.Printf("source: %s %s, session key %s, expected lifetime %s, margin %s, force %v", d.Kind, d.Name, d.Key, d.Lifetime, m.margin(), force)
	}
	if force {
		return m.make(ctx, src, d, true, nil)
	}
	if m.Broker != nil {
		s, lease, err := m.Broker.Fetch(ctx, session.Want{Key: d.Key, Name: d.Name, Lifetime: d.Lifetime, Margin: m.margin()})
		switch {
		case err == nil && s != nil:
			if m.Trace.On() {
				m.Trace.Printf("agent: answered with a session of %s, %s left", s.Profile, s.Remaining(m.now()).Round(time.Second))
			}
			return s, false, nil
		case err == nil && lease != nil:
			m.Trace.Printf("agent: granted this process the lease: it makes the session")
			s, made, err := m.make(ctx, src, d, false, lease)
			if err != nil {
				reason := err.Error()
				if ctx.Err() != nil || errors.Is(err, prompt.ErrInterrupted) {
					reason = fmt.Sprintf("the process asking for the MFA code for profile %s was interrupted", d.Name)
				}
				lease.Abort(reason)
			}
			return s, made, err
		case err != nil && !errors.Is(err, session.ErrNoBroker):
			return nil, false, err
		default:
			if m.Trace.On() {
				m.Trace.Printf("agent: none (%v); using the keystore", err)
			}
		}
	} else if m.Trace.On() {
		m.Trace.Printf("agent: not used; using the keystore")
	}
	if s := m.cached(d); m.fresh(d, s) {
		return s, false, nil
	}
	return m.make(ctx, src, d, false, nil)
}

// make makes src's session holding its lock, unless (without force)
// whoever held the lock before stored a fresh one, and keeps it. With a
// lease, every session it returns was handed to the lease, so those
// waiting for it get it.
func (m *Manager) make(ctx context.Context, src Source, d Desc, force bool, lease session.Lease) (*session.Session, bool, error) {
	// A logout from now on wins over the session made here.
	mark := m.logoutMark(d.Profiles...)
	release, err := m.lock(ctx, d)
	if err != nil {
		return nil, false, err
	}
	defer release()
	s := m.cached(d)
	made := false
	if force || !m.fresh(d, s) {
		in := Input{Desc: d, Old: s, Force: force}
		if w, ok := src.(Wrapper); ok {
			// Holding this source's lock: the inner one's is taken inside,
			// always in this order.
			if in.Inner, _, err = m.Obtain(ctx, w.Inner(), force); err != nil {
				return nil, false, err
			}
		}
		m.Trace.Printf("source: making a new session for %s %s", d.Kind, d.Name)
		if s, made, err = src.Make(ctx, m, in); err != nil {
			m.Trace.Printf("source: no new session for %s: %v", d.Name, err)
			return nil, false, err
		}
		if made {
			s.Key = d.Key
		}
	}
	if made && !s.Keepable() {
		// It serves this call only: neither kept nor brokered. Those
		// waiting on the agent for it run the source themselves.
		m.Trace.Printf("keep: the session says no expiration: it serves this call only and is not kept")
		if lease != nil {
			lease.Abort(fmt.Sprintf("the %s %s answered credentials without an expiration, which serve one call and are not shared", d.Kind, d.Name))
		}
		return s, made, nil
	}
	if made {
		err = m.keep(ctx, d, s, mark, lease, force)
	} else if lease != nil {
		// Already in the keystore: the agent only holds it.
		if err := lease.Deliver(s, true); err != nil {
			m.warnf("could not hand the session to the agent: %v", err)
		}
	}
	if err != nil {
		return nil, false, err
	}
	return s, made, nil
}

// ErrNotKept is wrapped by the error of a session made but not kept,
// when the Manager must keep it (MustKeep).
var ErrNotKept = errors.New("the session was not kept")

// readBack reads the session stored under key again, as the next command
// will, and says why it is not s.
func (m *Manager) readBack(key string, s *session.Session) error {
	got, err := m.cache().Load(key)
	switch {
	case err != nil:
		return fmt.Errorf("reading it back: %w", err)
	case got.AccessKeyID != s.AccessKeyID || !got.Expiration.Equal(s.Expiration):
		return errors.New("reading it back found another session")
	}
	return nil
}

// lock takes the lock of d's session, waiting at most d.MakeLimit, and
// says (through Waiting) when another process holds it. Without a lock
// file (disk full, read-only, a file in the way) it warns and goes on:
// concurrent callers may then each ask for a code.
func (m *Manager) lock(ctx context.Context, d Desc) (release func(), err error) {
	path := filepath.Join(m.LockDir, session.Digest(d.Key)+".lock")
	wait, cancel := context.WithTimeout(ctx, d.MakeLimit)
	defer cancel()
	var waited func()
	start := time.Now()
	busy := func() {
		m.Trace.Printf("lock %s: another process holds it; waiting at most %s", path, d.MakeLimit)
		if m.Waiting != nil {
			waited = m.Waiting(d.Name)
		}
	}
	lock, err := filelock.Acquire(wait, path, busy)
	if waited != nil {
		waited()
	}
	if m.Trace.On() {
		got := "taken"
		if err != nil {
			got = err.Error()
		}
		m.Trace.Printf("lock %s: %s after %s", path, got, time.Since(start).Round(time.Millisecond))
	}
	switch {
	case err == nil:
		return lock.Release, nil
	case errors.Is(err, context.DeadlineExceeded):
		return nil, hint.New(err, fmt.Sprintf("gave up waiting for another mfa-git process to get a session for %s %q", d.Kind, d.Name), "answer the MFA prompt in the other window, or run: mfa-git login --profile "+profile.ShellQuote(d.Name))
	case ctx.Err() != nil:
		return nil, ctx.Err()
	}
	m.warnf("cannot lock %s (%v); going on without the lock", path, err)
	return func() {}, nil
}

// keep keeps a new session, unless a logout of d's profiles ran since
// mark was read (see logoutMark): then nothing is kept. It has one writer:
// with a lease (or, with force, a broker answering) the session is handed
// to the agent, which stores it; otherwise, or when the agent does not
// take it or cannot store it, it is stored here, and the sessions it
// replaces (older keys,
// devices or role chains) are removed. This runs holding d's lock, so a
// process that takes the lock next finds the session stored. The mark is
// checked again afterwards, since a logout may run between the check and
// the save (it writes its mark before it removes): the session is then
// dropped again. A keystore that refuses is reported; the caller still
// gets its session.
func (m *Manager) keep(ctx context.Context, d Desc, s *session.Session, mark string, lease session.Lease, force bool) error {
	if m.logoutMark(d.Profiles...) != mark {
		return loggedOut(d.Name)
	}
	var err error
	switch {
	case lease != nil:
		err = lease.Deliver(s, false)
	case force && m.Broker != nil:
		err = m.Broker.Put(ctx, d.Key, s)
	default:
		err = session.ErrNoBroker
	}
	handed := err == nil || errors.Is(err, session.ErrNotStored)
	if err == nil {
		m.Trace.Printf("keep: handed to the agent, which stores it")
	} else if m.Trace.On() {
		m.Trace.Printf("keep: storing it in the %s keyring (%v)", m.Store.Name(), err)
	}
	if !handed && !errors.Is(err, session.ErrNoBroker) {
		m.warnf("could not hand the session to the agent: %v", err)
	}
	var notKept error
	if err != nil {
		// No agent took it, or it could not write it (its log says why).
		notKept = m.cache().Keep(d.Key, s)
		if notKept == nil && m.MustKeep {
			notKept = m.readBack(d.Key, s)
		}
		if notKept != nil && !m.MustKeep {
			m.warnStore(notKept, "could not keep the %s in the %s keyring (%v); the next command will %s", d.Noun, m.Store.Name(), notKept, d.Again)
		}
	}
	if m.logoutMark(d.Profiles...) != mark {
		if handed {
			m.Broker.Forget(ctx, d.Key)
		}
		m.cache().Remove(d.Key)
		return loggedOut(d.Name)
	}
	if notKept != nil && m.MustKeep {
		return hint.New(fmt.Errorf("%w: %w", ErrNotKept, notKept),
			fmt.Sprintf("made a new %s for %s, but could not keep it in the %s keyring: %v", d.Noun, d.Name, m.Store.Name(), notKept),
			cmp.Or(keystore.Hint(notKept), "mfa-git doctor checks the keyring; until it is fixed, the next command will "+d.Again))
	}
	return nil
}

// Forget removes every stored session of the named profile, or of all
// profiles when name is "", from the agent and the keystore: for an IAM
// user's profile, its MFA session and the role sessions built on it; for
// a role profile, its role sessions. It returns
// how many distinct sessions it removed, wherever they were held. A
// session being made meanwhile is not kept (see keep).
func (m *Manager) Forget(name string) (int, error) {
	if err := m.markLogout(name); err != nil {
		m.warnf("could not record the logout in %s (%v); a session being made right now may still be kept", m.LockDir, err)
	}
	n, err := m.forgetPrefix(session.ProfilePrefix(name))
	if name == "" || err != nil {
		return n, err
	}
	// A role profile's sessions lie under their source's prefix.
	keys, err := m.cache().Keys(session.ProfilePrefix(""))
	for _, k := range keys {
		if strings.Contains(k, "/role/"+keystore.KeyName(name)+"/") {
			r, ferr := m.forgetPrefix(k)
			n += r
			err = cmp.Or(err, ferr)
		}
	}
	return n, err
}

// forgetPrefix removes the sessions under prefix from the agent and the
// keystore and counts the distinct ones removed.
func (m *Manager) forgetPrefix(prefix string) (int, error) {
	removed := map[string]bool{}
	// What the keystore held before: the agent removes from it too, and
	// its answer may not arrive (a slow keyring, a deadline); whatever
	// was there and is gone afterwards was removed.
	if before, err := m.cache().Keys(prefix); err == nil {
		for _, k := range before {
			removed[k] = true
		}
	}
	if m.Broker != nil {
		keys, err := m.Broker.Forget(context.Background(), prefix)
		if err != nil && !errors.Is(err, session.ErrNoBroker) {
			m.warnf("the agent did not forget the sessions: %v", err)
		}
		for _, k := range keys {
			removed[k] = true
		}
	}
	keys, err := m.cache().Forget(prefix)
	for _, k := range keys {
		removed[k] = true
	}
	return m.verifyGone(prefix, removed, err)
}

// Verify asks AWS, with src's endpoint settings, whether src's cached session
// still works, and drops it from the keystore and the agent only if AWS
// rejects it. It reports whether the session was dropped.
func (m *Manager) Verify(ctx context.Context, src Source) (bool, error) {
	d := src.Desc()
	s := m.cached(d)
	if s == nil {
		return false, nil
	}
	if _, err := m.STS.CallerIdentity(ctx, src.Settings(), Credentials(s)); err == nil || !awsapi.Rejected(err) {
		return false, err
	}
	if err := m.cache().Remove(d.Key); err != nil {
		return false, err
	}
	if m.Broker != nil {
		_, _ = m.Broker.Forget(ctx, d.Key)
	}
	return true, nil
}

// Status describes one profile's cached session, without secrets.
type Status struct {
	Profile   string
	MFASerial string
	Expires   time.Time // zero when nothing is cached
	Problem   string    // why the profile cannot be used, if it cannot
	// Kind is where the profile's credentials come from; for a role
	// profile, where its source profile's come from.
	Kind profile.Kind
	// From describes where a profile that is not an IAM user's gets its
	// credentials (see Describe); "" for an IAM user's and a role's.
	From string
	// Role is set for a role profile.
	Role *RoleStatus
}

// RoleStatus describes a role profile's session.
type RoleStatus struct {
	ARN string // the role profile's role_arn
	// Source is the profile whose MFA session the role hangs from.
	Source string
	// Clamped says duration_seconds asks for more than AWS's 1 h cap on
	// roles assumed with temporary credentials.
	Clamped bool
}

// Statuses reports on every profile in the shared files that has an MFA
// device or a cached session, on every IAM Identity Center, aws login
// and credential_process profile, and on every role profile.
func (m *Manager) Statuses(ctx context.Context, files profile.Files) []Status {
	var out []Status
	for _, name := range profile.Names(files) {
		p, err := profile.Load(ctx, name, files, m.Store)
		if errors.Is(err, profile.ErrRoleProfile) {
			out = append(out, m.roleStatus(ctx, name, files))
			continue
		}
		if err != nil {
			if raw := profile.RawKeys(files, name); raw["mfa_serial"] != "" || raw["sso_session"] != "" || raw["sso_start_url"] != "" || raw["login_session"] != "" {
				out = append(out, Status{Profile: name, MFASerial: raw["mfa_serial"], Problem: err.Error()})
			}
			continue
		}
		st := Status{Profile: name, MFASerial: p.MFASerial, Kind: p.Kind, From: Describe(p)}
		if s := m.Cached(For(p, nil)); s != nil && s.Remaining(m.now()) > 0 {
			st.Expires = s.Expiration
		}
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Profile < out[j].Profile })
	return out
}

// roleStatus is Statuses' line for role profile name.
func (m *Manager) roleStatus(ctx context.Context, name string, files profile.Files) Status {
	raw := profile.RawKeys(files, name)
	st := Status{Profile: name, MFASerial: raw["mfa_serial"], Role: &RoleStatus{ARN: raw["role_arn"], Source: raw["source_profile"]}}
	r, err := profile.LoadRole(ctx, name, files, m.Store)
	if err != nil {
		st.Problem = err.Error()
		return st
	}
	st.MFASerial, st.Role.Source, st.Role.Clamped, st.Kind = r.Source.MFASerial, r.Source.Name, r.Last().Clamped, r.Source.Kind
	if s := m.Cached(For(nil, r)); s != nil && s.Remaining(m.now()) > 0 {
		st.Expires = s.Expiration
	}
	return st
}
