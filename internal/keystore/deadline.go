package keystore

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"
)

// busTimeout bounds each call to a keyring reached over D-Bus. The
// libraries' D-Bus calls have no deadline of their own, so a daemon that
// hangs (stopped, deadlocked) would otherwise hang git with it.
const busTimeout = 10 * time.Second

// busPause is how long, after a call timed out, further calls fail at once
// instead of waiting again: a command makes several calls, and the agent
// makes them for every client.
const busPause = 30 * time.Second

// deadlined bounds every call to the Store inside it, and says in plain
// words when the daemon behind it is gone (busGone). Every backend reached
// over D-Bus is wrapped in it, whichever library speaks D-Bus for it.
type deadlined struct {
	Store
	what    string // "the Secret Service"
	timeout time.Duration

	mu        sync.Mutex
	downUntil time.Time
}

// bounded runs f, giving up after d.timeout. A call given up on is left to
// finish on its own: at worst it stores a correct value late.
func bounded[T any](d *deadlined, f func() (T, error)) (T, error) {
	var zero T
	d.mu.Lock()
	down := time.Now().Before(d.downUntil)
	d.mu.Unlock()
	if down {
		return zero, &unavailableError{msg: fmt.Sprintf("%s did not answer a moment ago; not waiting for it again yet", d.what)}
	}
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := f()
		done <- result{v, err}
	}()
	t := time.NewTimer(d.timeout)
	defer t.Stop()
	select {
	case r := <-done:
		return r.v, busGone(r.err)
	case <-t.C:
		d.mu.Lock()
		d.downUntil = time.Now().Add(busPause)
		d.mu.Unlock()
		return zero, &unavailableError{msg: fmt.Sprintf("%s did not answer within %s", d.what, d.timeout)}
	}
}

// boundedAPI gives each call of a keychainAPI reached over D-Bus d's
// deadline.
type boundedAPI struct {
	keychainAPI
	d *deadlined
}

func (b boundedAPI) Get(service, user string) (string, error) {
	return bounded(b.d, func() (string, error) { return b.keychainAPI.Get(service, user) })
}

func (b boundedAPI) Set(service, user, password string) error {
	_, err := bounded(b.d, func() (struct{}, error) { return struct{}{}, b.keychainAPI.Set(service, user, password) })
	return err
}

func (b boundedAPI) Delete(service, user string) error {
	_, err := bounded(b.d, func() (struct{}, error) { return struct{}{}, b.keychainAPI.Delete(service, user) })
	return err
}

func (d *deadlined) Get(key string) ([]byte, error) {
	return bounded(d, func() ([]byte, error) { return d.Store.Get(key) })
}

func (d *deadlined) Set(key string, v []byte) error {
	_, err := bounded(d, func() (struct{}, error) { return struct{}{}, d.Store.Set(key, v) })
	return err
}

func (d *deadlined) Remove(key string) error {
	_, err := bounded(d, func() (struct{}, error) { return struct{}{}, d.Store.Remove(key) })
	return err
}

func (d *deadlined) List() ([]string, error) {
	return bounded(d, d.Store.List)
}

// busGone maps the D-Bus errors that mean the Secret Service daemon is not
// there (never started, or killed mid-run) to ErrUnavailable, and returns
// any other error unchanged.
func busGone(err error) error {
	var de dbus.Error
	if !errors.As(err, &de) {
		return err
	}
	switch de.Name {
	case "org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner":
		return &unavailableError{msg: "no Secret Service (org.freedesktop.secrets) is running on the session bus", err: err}
	case "org.freedesktop.DBus.Error.NoReply", "org.freedesktop.DBus.Error.Disconnected":
		return &unavailableError{msg: "the Secret Service stopped before it answered", err: err}
	}
	return err
}
