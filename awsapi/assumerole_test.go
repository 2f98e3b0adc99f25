package awsapi

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/sandbox"
)

func TestAssumeRoleAgainstSandbox(t *testing.T) {
	sb, p := sandboxProfile(t)
	ctx := context.Background()
	mfa, err := Client{}.GetSessionToken(ctx, p, sb.Code(0))
	if err != nil {
		t.Fatal(err)
	}
	role, arn, err := Client{}.AssumeRole(ctx, p, *mfa, RoleRequest{RoleARN: sandbox.RoleARN(sandbox.DevRole), SessionName: "mfa-git-dev", Duration: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if arn != sandbox.AssumedRoleARN(sandbox.DevRole, "mfa-git-dev") || !strings.HasPrefix(role.AccessKeyID, "ASIA") || role.SessionToken == "" {
		t.Fatalf("AssumeRole = %s, %q", role.AccessKeyID, arn)
	}
	if got, err := (Client{}).CallerIdentity(ctx, p, *role); err != nil || got != arn {
		t.Errorf("CallerIdentity of the role session = %q, %v", got, err)
	}
	// Chained: deploy trusts only the ops role.
	ops, _, err := Client{}.AssumeRole(ctx, p, *mfa, RoleRequest{RoleARN: sandbox.RoleARN(sandbox.OpsRole), SessionName: "s-ops"})
	if err != nil {
		t.Fatal(err)
	}
	if _, arn, err := (Client{}).AssumeRole(ctx, p, *ops, RoleRequest{RoleARN: sandbox.RoleARN(sandbox.DeployRole), SessionName: "s-deploy"}); err != nil || !strings.Contains(arn, "assumed-role/deploy/") {
		t.Errorf("chained AssumeRole = %q, %v", arn, err)
	}
	if _, _, err := (Client{}).AssumeRole(ctx, p, *mfa, RoleRequest{RoleARN: sandbox.RoleARN(sandbox.PartnerRole), SessionName: "s-p", ExternalID: sandbox.PartnerExternalID}); err != nil {
		t.Errorf("external ID: %v", err)
	}

	long := Credentials{AccessKeyID: p.AccessKeyID, SecretAccessKey: p.SecretAccessKey}
	tests := []struct {
		name   string
		caller Credentials
		r      RoleRequest
		want   string
		hint   string
	}{
		{"untrusting role", *mfa, RoleRequest{RoleARN: sandbox.RoleARN(sandbox.LockedRole), SessionName: "s1"}, `profile "sandbox"'s user assume role ` + sandbox.RoleARN(sandbox.LockedRole), "trust policy"},
		{"no MFA", long, RoleRequest{RoleARN: sandbox.RoleARN(sandbox.DevRole), SessionName: "s1"}, "assume role " + sandbox.RoleARN(sandbox.DevRole), "requires MFA"},
		{"no such role", *mfa, RoleRequest{RoleARN: sandbox.RoleARN("nope"), SessionName: "s1"}, "assume role", "does not exist"},
		{"wrong external ID", *mfa, RoleRequest{RoleARN: sandbox.RoleARN(sandbox.PartnerRole), SessionName: "s1", ExternalID: "wrong-id"}, "assume role", "trust policy"},
		{"chaining limit", *mfa, RoleRequest{RoleARN: sandbox.RoleARN(sandbox.DevRole), SessionName: "s1", Duration: 2 * time.Hour}, "ValidationError", ""},
	}
	for _, tt := range tests {
		_, _, err := Client{}.AssumeRole(ctx, p, tt.caller, tt.r)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(hint.Of(err), tt.hint) {
			t.Errorf("%s: err = %v, hint %q", tt.name, err, hint.Of(err))
		}
		if text := fmt.Sprint(err) + hint.Of(err); strings.Contains(text, tt.caller.SecretAccessKey) || (tt.caller.SessionToken != "" && strings.Contains(text, tt.caller.SessionToken)) {
			t.Errorf("%s: error quotes a secret", tt.name)
		}
	}
	if st := sb.Stats(); st.AssumeRole != 4 || st.AssumeRoleFailed != 5 {
		t.Errorf("sandbox counted %d AssumeRole, %d failed", st.AssumeRole, st.AssumeRoleFailed)
	}
}
