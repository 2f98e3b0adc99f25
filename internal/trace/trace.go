// Package trace is mfa-git's decision trace (MFA_GIT_TRACE=1, --debug):
// one line per decision (which profile and why, which source, agent or
// keystore and which backend, cache hit or miss and the time left, lock
// waits, each AWS call with its endpoint, status and duration, the
// agent's refresh decisions), never a secret. A nil Func is off: callers
// on the hot path check On before they build a line, so a trace that is
// off formats nothing.
package trace

import "fmt"

// Func receives one trace line, which cmd prints; nil is off.
type Func func(line string)

// On reports whether the trace is on.
func (t Func) On() bool { return t != nil }

// Printf passes one formatted line when the trace is on.
func (t Func) Printf(format string, args ...any) {
	if t != nil {
		t(fmt.Sprintf(format, args...))
	}
}
