package awsapi

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/testkit/sandbox"
	"github.com/mfa-git/mfa-git/internal/testkit/sandboxtest"
)

// AssumeRole over an MFA session, against the sandbox's trust policies:
// each refusal is explained, and names the role and the source profile.
func TestAssumeRoleAgainstSandbox(t *testing.T) {
	sb, p := sandboxtest.Profile(t)
	ctx := context.Background()
	mfa, err := Client{}.GetSessionToken(ctx, p, sb.Code(0))
	if err != nil {
		t.Fatal(err)
	}
	longTerm := Credentials{AccessKeyID: p.AccessKeyID, SecretAccessKey: p.SecretAccessKey}

	s, arn, err := Client{}.AssumeRole(ctx, p, *mfa, RoleRequest{RoleARN: sandbox.RoleARN(sandbox.DevRole), SessionName: "alice-mfa-git"})
	if err != nil {
		t.Fatal(err)
	}
	if arn != sandbox.AssumedRoleARN(sandbox.DevRole, "alice-mfa-git") || !strings.HasPrefix(s.AccessKeyID, "ASIA") || s.SessionToken == "" {
		t.Fatalf("AssumeRole = %s, %q", s.AccessKeyID, arn)
	}
	if d := time.Until(s.Expiration); d < 59*time.Minute || d > 61*time.Minute {
		t.Errorf("role session lasts %s, want AWS's default 1h", d)
	}
	if got, err := (Client{}).CallerIdentity(ctx, p, *s); err != nil || got != arn {
		t.Errorf("CallerIdentity of the role session = %q, %v", got, err)
	}
	if _, _, err := (Client{}).AssumeRole(ctx, p, *mfa, RoleRequest{RoleARN: sandbox.RoleARN(sandbox.PartnerRole), SessionName: "alice", ExternalID: sandbox.PartnerExternalID, Duration: 15 * time.Minute}); err != nil {
		t.Errorf("partner with its external ID: %v", err)
	}

	trust := "trust policy does not allow this user, or it requires MFA and the caller had none"
	tests := []struct {
		name   string
		caller Credentials
		r      RoleRequest
		want   []string // in the message
		hint   string
	}{
		{"not trusted", *mfa, RoleRequest{RoleARN: sandbox.RoleARN(sandbox.LockedRole), SessionName: "alice"},
			[]string{`profile "sandbox"`, sandbox.RoleARN(sandbox.LockedRole)}, trust},
		{"no such role", *mfa, RoleRequest{RoleARN: sandbox.RoleARN("nope"), SessionName: "alice"},
			[]string{`profile "sandbox"`, sandbox.RoleARN("nope")}, trust},
		{"caller without MFA", longTerm, RoleRequest{RoleARN: sandbox.RoleARN(sandbox.DevRole), SessionName: "alice"},
			[]string{sandbox.RoleARN(sandbox.DevRole)}, trust},
		{"external ID missing", *mfa, RoleRequest{RoleARN: sandbox.RoleARN(sandbox.PartnerRole), SessionName: "alice"},
			[]string{sandbox.RoleARN(sandbox.PartnerRole)}, trust},
		{"role chaining over 1h", *mfa, RoleRequest{RoleARN: sandbox.RoleARN(sandbox.DevRole), SessionName: "alice", Duration: 2 * time.Hour},
			[]string{"role chaining", "1 hour", "2h0m0s"}, "duration_seconds to 3600 or less"},
		{"bad session name", *mfa, RoleRequest{RoleARN: sandbox.RoleARN(sandbox.DevRole), SessionName: "a b"},
			[]string{"STS refused AssumeRole of " + sandbox.RoleARN(sandbox.DevRole)}, "role_session_name"},
		{"expired caller", Credentials{AccessKeyID: "ASIAEXPIREDEXPIRED00", SecretAccessKey: "x", SessionToken: "y"}, RoleRequest{RoleARN: sandbox.RoleARN(sandbox.DevRole), SessionName: "alice"},
			nil, ""},
	}
	for _, tt := range tests {
		s, arn, err := Client{}.AssumeRole(ctx, p, tt.caller, tt.r)
		if err == nil || s != nil || arn != "" {
			t.Errorf("%s: got a role session", tt.name)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q does not say %q", tt.name, err, w)
			}
		}
		if !strings.Contains(hint.Of(err), tt.hint) || hint.Of(err) == "" {
			t.Errorf("%s: hint %q, want %q", tt.name, hint.Of(err), tt.hint)
		}
	}
	if st := sb.Stats(); st.AssumeRole != 2 || st.GetSessionToken != 1 {
		t.Errorf("sandbox counted %d AssumeRole, %d GetSessionToken", st.AssumeRole, st.GetSessionToken)
	}
}
