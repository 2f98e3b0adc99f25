package session

import "time"

// TOTPStep is the time step of the one-time codes AWS accepts (RFC 6238).
// AWS refuses a code it has seen, and a token command prints the same
// code for a whole step.
const TOTPStep = 30 * time.Second

// StepOf is the TOTP time step t falls in.
func StepOf(t time.Time) int64 { return t.Unix() / int64(TOTPStep/time.Second) }

// StepStart is when step begins.
func StepStart(step int64) time.Time { return time.Unix(step*int64(TOTPStep/time.Second), 0) }

// NextStep is when the TOTP step after the one t falls in begins (plus a
// little slack): the earliest time a new code can be had.
func NextStep(t time.Time) time.Time { return StepStart(StepOf(t) + 1).Add(50 * time.Millisecond) }
