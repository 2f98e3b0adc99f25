package source

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/prompt"
	"github.com/mfa-git/mfa-git/internal/session"
	"github.com/mfa-git/mfa-git/internal/userdir"
)

// stepPath records, per MFA device, the step of the last code sent to
// STS. The step number is not secret; the code is never written anywhere.
func (m *Manager) stepPath(p *profile.Profile) string {
	return filepath.Join(m.LockDir, "device-"+session.Digest(p.MFASerial)+".step")
}

// lastStep is the step of the last code sent for p's device: the one
// recorded for the device, or the one that made old; refused says AWS
// refused that code (the record's second word), so it may never have been
// the device's code at all.
func (m *Manager) lastStep(p *profile.Profile, old *session.Session) (last int64, refused bool) {
	// A missing or unsafe file reads as no step.
	if b, err := userdir.ReadFile(m.stepPath(p), 64); err == nil {
		f := strings.Fields(string(b))
		if len(f) > 0 {
			last, _ = strconv.ParseInt(f[0], 10, 64)
			refused = len(f) > 1 && f[1] == "refused"
		}
	}
	if old != nil && old.MFASerial == p.MFASerial && old.CodeStep >= last {
		last, refused = old.CodeStep, false
	}
	return last, refused
}

// code gets a one-time code that was not used before: in the step after
// last for a token command (waiting for it, at most one step), and with a
// word to a person who is asked within the same step: that the code was
// used, or, when AWS refused it (refused), that it was refused, which
// says nothing of whether the device's code was spent. It returns the
// code and the latest step it can belong to.
func (m *Manager) code(ctx context.Context, p *profile.Profile, last int64, refused bool) (string, int64, error) {
	if now := m.now(); session.StepOf(now) <= last {
		// A token command (an Automatic Prompter) can be run again in the
		// next step; prompt.Wait ends on Ctrl-C as a prompt does.
		if a, ok := m.Prompter.(interface{ Automatic(*profile.Profile) bool }); ok && a.Automatic(p) {
			wait := min(session.StepStart(last+1).Sub(now)+50*time.Millisecond, session.TOTPStep+time.Second)
			if err := prompt.Wait(ctx, wait, "waiting for the next MFA code"); err != nil {
				return "", 0, err
			}
		} else if m.Tell != nil && refused {
			m.Tell(fmt.Sprintf("AWS refused the last MFA code for profile %s; type the code your device shows now (if it is the same one and you typed it right, wait for the next)", p.Name))
		} else if m.Tell != nil {
			m.Tell(fmt.Sprintf("the MFA code shown now for profile %s was just used; type the next one your device shows", p.Name))
		}
	}
	code, err := m.Prompter.Code(ctx, p)
	if err != nil {
		return "", 0, err
	}
	step := session.StepOf(m.now())
	// Recorded before the call: a code AWS saw is spent even if the call
	// fails.
	_ = userdir.WriteFile(m.stepPath(p), []byte(strconv.FormatInt(step, 10)+"\n"))
	return code, step, nil
}

// codeRefused records that AWS refused the code of step for p's device.
func (m *Manager) codeRefused(p *profile.Profile, step int64) {
	_ = userdir.WriteFile(m.stepPath(p), []byte(strconv.FormatInt(step, 10)+" refused\n"))
}
