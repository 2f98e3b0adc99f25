package source

import (
	"context"
	"testing"

	"github.com/mfa-git/mfa-git/internal/awsapi"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/prompt"
	"github.com/mfa-git/mfa-git/internal/testkit/keystoretest"
	"github.com/mfa-git/mfa-git/internal/testkit/sandbox"
	"github.com/mfa-git/mfa-git/internal/testkit/sandboxtest"
)

// git's erase: a session AWS revoked is dropped; a working one is kept.
func TestEraseRevokedSession(t *testing.T) {
	sb, p := sandboxtest.Profile(t)
	m := &Manager{Store: keystoretest.NewMemory(), STS: awsapi.Client{}, Prompter: codeFrom(sb), LockDir: t.TempDir()}
	if _, err := m.Session(context.Background(), MFAUser{Profile: p}); err != nil {
		t.Fatal(err)
	}
	if dropped, err := m.Verify(context.Background(), MFAUser{Profile: p}); dropped || err != nil {
		t.Fatalf("a working session: dropped %v, %v", dropped, err)
	}
	sb.RevokeSessions()
	if dropped, err := m.Verify(context.Background(), MFAUser{Profile: p}); !dropped || err != nil {
		t.Fatalf("a revoked session: dropped %v, %v", dropped, err)
	}
	if m.Cached(MFAUser{Profile: p}) != nil {
		t.Fatal("the revoked session is still cached")
	}
}

type codeFunc func() string

func (f codeFunc) Code(context.Context, *profile.Profile) (string, error) { return f(), nil }

func codeFrom(sb *sandbox.Sandbox) prompt.Prompter {
	return codeFunc(func() string { return sb.Code(0) })
}

// clearAWSEnv keeps the developer's environment out of profile tests.
