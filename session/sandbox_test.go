package session

import (
	"context"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/awsapi"
	"github.com/mfa-git/mfa-git/internal/sandbox"
	"github.com/mfa-git/mfa-git/keystore/keystoretest"
	"github.com/mfa-git/mfa-git/profile"
	"github.com/mfa-git/mfa-git/prompt"
)

func sandboxProfile(t *testing.T) (*sandbox.Sandbox, *profile.Profile) {
	t.Helper()
	clearAWSEnv(t)
	t.Setenv("AWS_CA_BUNDLE", "")
	sb, err := sandbox.Start(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sb.Close)
	return sb, &profile.Profile{Name: "sandbox", AccessKeyID: sb.AccessKeyID, SecretAccessKey: sb.SecretAccessKey,
		MFASerial: sb.MFASerial, Duration: time.Hour, Region: sandbox.Region, Endpoint: sb.STSURL}
}

// git's erase: a session AWS revoked is dropped; a working one is kept.
func TestEraseRevokedSession(t *testing.T) {
	sb, p := sandboxProfile(t)
	m := &Manager{Store: keystoretest.NewMemory(), STS: awsapi.Client{}, Prompter: codeFrom(sb), LockDir: t.TempDir()}
	if _, err := m.Session(context.Background(), Target{Profile: p}); err != nil {
		t.Fatal(err)
	}
	if dropped, err := m.Verify(context.Background(), Target{Profile: p}); dropped || err != nil {
		t.Fatalf("a working session: dropped %v, %v", dropped, err)
	}
	sb.RevokeSessions()
	if dropped, err := m.Verify(context.Background(), Target{Profile: p}); !dropped || err != nil {
		t.Fatalf("a revoked session: dropped %v, %v", dropped, err)
	}
	if m.Cached(Target{Profile: p}) != nil {
		t.Fatal("the revoked session is still cached")
	}
}

type codeFunc func() string

func (f codeFunc) Code(context.Context, *profile.Profile) (string, error) { return f(), nil }

func codeFrom(sb *sandbox.Sandbox) prompt.Prompter {
	return codeFunc(func() string { return sb.Code(0) })
}

// clearAWSEnv keeps the developer's environment out of profile tests.
func clearAWSEnv(t *testing.T) {
	for _, k := range []string{"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "AWS_CA_BUNDLE", "AWS_PROFILE", "MFA_GIT_PROFILE"} {
		t.Setenv(k, "")
	}
}
