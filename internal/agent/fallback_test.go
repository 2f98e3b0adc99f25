package agent

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/awsapi"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/prompt"
	"github.com/mfa-git/mfa-git/internal/session"
)

// The tests in this file run on every system, also where the agent does
// not listen (Windows): there a client must fall back to the keystore.

var testProfile = &profile.Profile{Name: "base", AccessKeyID: "AKIAAAAAAAAAAAAAAAAA", MFASerial: "arn:aws:iam::1:mfa/a"}

// wantOf is what a command asks the agent for p's session under key.
func wantOf(key string, p *profile.Profile, margin time.Duration) session.Want {
	return session.Want{Key: key, Name: p.Name, Lifetime: p.Duration, Margin: margin}
}

func TestNoAgentFallsBack(t *testing.T) {
	started := 0
	cl := &Client{Path: filepath.Join(t.TempDir(), "none.sock"), AutoStart: func() { started++ }}
	_, _, err := cl.Fetch(context.Background(), wantOf("k", testProfile, time.Minute))
	if !errors.Is(err, session.ErrNoBroker) {
		t.Fatalf("err = %v, want ErrNoBroker", err)
	}
	if !Supported {
		// No agent to start on Windows: cmd sets AutoStart only where
		// Supported, so the fall-back above is all there is to check.
		return
	}
	cl.Fetch(context.Background(), wantOf("k", testProfile, time.Minute))
	if started != 1 {
		t.Fatalf("AutoStart called %d times, want 1", started)
	}
}

// WaitLimit, which the agent spells out because it knows nothing of
// prompts or AWS, is a person's prompt, one STS call and some slack.
func TestWaitLimitCoversAPromptAndACall(t *testing.T) {
	if want := prompt.Timeout + awsapi.CallTimeout + 15*time.Second; WaitLimit != want {
		t.Fatalf("WaitLimit = %s, want %s", WaitLimit, want)
	}
}
