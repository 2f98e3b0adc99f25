package source

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/awsapi"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/session"
)

// countingRoles is a fake AssumeRole that counts calls and records who
// signed each one.
type countingRoles struct {
	calls    atomic.Int32
	lifetime time.Duration
	callers  []string
	fail     error
}

func (c *countingRoles) AssumeRole(_ context.Context, _ *profile.Profile, caller awsapi.Credentials, r awsapi.RoleRequest) (*awsapi.Credentials, string, error) {
	if c.fail != nil {
		return nil, "", c.fail
	}
	n := c.calls.Add(1)
	c.callers = append(c.callers, caller.AccessKeyID)
	return &awsapi.Credentials{AccessKeyID: "ASIAROLE" + string(rune('A'+n)), SecretAccessKey: "rs", SessionToken: "rt",
		Expiration: time.Now().Add(c.lifetime)}, "arn:aws:sts::1:assumed-role/" + r.RoleARN + "/" + r.SessionName, nil
}

func (c *countingSTS) AssumeRole(ctx context.Context, p *profile.Profile, caller awsapi.Credentials, r awsapi.RoleRequest) (*awsapi.Credentials, string, error) {
	if c.roles == nil {
		return nil, "", errors.New("this test has no roles")
	}
	return c.roles.AssumeRole(ctx, p, caller, r)
}

func testRole(name string, arns ...string) *profile.Role {
	r := &profile.Role{Name: name, Source: testProfile(), Settings: &profile.Profile{Name: name}}
	for _, a := range arns {
		r.Chain = append(r.Chain, profile.RoleStep{Profile: name, RoleARN: a, SessionName: "mfa-git-" + name})
	}
	return r
}

func TestRoleKeys(t *testing.T) {
	p := testProfile()
	dev, ops := testRole("dev", "arn:aws:iam::1:role/dev"), testRole("ops", "arn:aws:iam::1:role/ops")
	otherARN := testRole("dev", "arn:aws:iam::1:role/other")
	ext := testRole("dev", "arn:aws:iam::1:role/dev")
	ext.Chain[0].ExternalID = "x-1"
	chained := testRole("dev", "arn:aws:iam::1:role/ops", "arn:aws:iam::1:role/dev")
	rotated := testRole("dev", "arn:aws:iam::1:role/dev")
	rotated.Source = testProfile()
	rotated.Source.AccessKeyID = "AKIABBBBBBBBBBBBBBBB"
	device := testRole("dev", "arn:aws:iam::1:role/dev")
	device.Source = testProfile()
	device.Source.MFASerial = "arn:aws:iam::1:mfa/b"
	// A plain profile named like a role profile's digest path.
	odd := &profile.Profile{Name: "base/role/dev", AccessKeyID: p.AccessKeyID, MFASerial: p.MFASerial}
	keys := map[string]string{
		"mfa base": CacheKey(p), "mfa odd": CacheKey(odd), "mfa dev": CacheKey(&profile.Profile{Name: "dev", AccessKeyID: p.AccessKeyID, MFASerial: p.MFASerial}),
		"dev": RoleKey(dev), "ops": RoleKey(ops), "other arn": RoleKey(otherARN), "external id": RoleKey(ext),
		"chained": RoleKey(chained), "rotated key": RoleKey(rotated), "other device": RoleKey(device),
	}
	seen := map[string]string{}
	for name, k := range keys {
		if other, dup := seen[k]; dup {
			t.Errorf("%s and %s share key %s", name, other, k)
		}
		seen[k] = name
	}
	for _, r := range []*profile.Role{dev, ops, chained} {
		k := RoleKey(r)
		if !strings.HasPrefix(k, session.ProfilePrefix("base")) || !strings.HasPrefix(k, session.RolePrefix("base", r.Name)) || !session.IsRoleKey(k) {
			t.Errorf("%s: key %s is not under the source's prefix", r.Name, k)
		}
		if strings.HasPrefix(k, session.ProfilePrefix("base")+"role/o") != (r.Name == "ops") {
			t.Errorf("%s: prefix of role %q matches another role's key %s", r.Name, r.Name, k)
		}
	}
	// A profile named "role" too: its MFA sessions are pruned as any other.
	named := &profile.Profile{Name: "role", AccessKeyID: p.AccessKeyID, MFASerial: p.MFASerial}
	for _, k := range []string{CacheKey(p), CacheKey(odd), CacheKey(named)} {
		if session.IsRoleKey(k) {
			t.Errorf("an MFA session key reads as a role key: %s", k)
		}
	}
}

func TestRoleRenewWithoutPrompt(t *testing.T) {
	m, sts, pr, _ := newTestManager(t)
	roles := &countingRoles{lifetime: time.Hour}
	sts.roles = roles
	ctx := context.Background()
	dev, ops := testRole("dev", "arn:aws:iam::1:role/dev"), testRole("ops", "arn:aws:iam::1:role/ops")
	sts.lifetime = 12 * time.Hour
	for round := 0; round < 2; round++ {
		for _, r := range []*profile.Role{dev, ops} {
			s, err := m.Session(ctx, For(nil, r))
			if err != nil {
				t.Fatal(err)
			}
			if s.Role == nil || s.Role.Source != "base" || s.Role.MFASession != CacheKey(r.Source) || s.Key != RoleKey(r) {
				t.Fatalf("%s: session %+v", r.Name, s.Role)
			}
		}
	}
	if pr.n.Load() != 1 || sts.calls.Load() != 1 || roles.calls.Load() != 2 {
		t.Fatalf("two roles, two rounds: %d prompts, %d GetSessionToken, %d AssumeRole; want 1, 1, 2", pr.n.Load(), sts.calls.Load(), roles.calls.Load())
	}
	// The role sessions end before the MFA session: renewed without a prompt.
	now := time.Now().Add(59 * time.Minute)
	m.Now = func() time.Time { return now }
	if _, err := m.Session(ctx, For(nil, dev)); err != nil {
		t.Fatal(err)
	}
	if pr.n.Load() != 1 || sts.calls.Load() != 1 || roles.calls.Load() != 3 {
		t.Errorf("renewal: %d prompts, %d GetSessionToken, %d AssumeRole; want 1, 1, 3", pr.n.Load(), sts.calls.Load(), roles.calls.Load())
	}
	// The MFA session ends too: one prompt renews both.
	now = time.Now().Add(13 * time.Hour)
	roles.lifetime = 14 * time.Hour
	sts.lifetime = 24 * time.Hour
	if _, err := m.Session(ctx, For(nil, dev)); err != nil {
		t.Fatal(err)
	}
	if pr.n.Load() != 2 || sts.calls.Load() != 2 || roles.calls.Load() != 4 {
		t.Errorf("after the MFA session ended: %d prompts, %d GetSessionToken, %d AssumeRole; want 2, 2, 4", pr.n.Load(), sts.calls.Load(), roles.calls.Load())
	}
	// Storing the MFA session kept the role sessions (prune spares them).
	if m.Cached(For(nil, ops)) == nil {
		t.Error("saving the MFA session pruned a role session")
	}
}

func TestRoleChainAndLogout(t *testing.T) {
	m, sts, _, _ := newTestManager(t)
	roles := &countingRoles{lifetime: time.Hour}
	sts.roles = roles
	ctx := context.Background()
	chained := testRole("deploy", "arn:aws:iam::1:role/ops", "arn:aws:iam::1:role/deploy")
	dev := testRole("dev", "arn:aws:iam::1:role/dev")
	s, err := m.Session(ctx, For(nil, chained))
	if err != nil {
		t.Fatal(err)
	}
	mfa := m.Cached(MFAUser{Profile: chained.Source})
	if len(roles.callers) != 2 || roles.callers[0] != mfa.AccessKeyID || roles.callers[1] != "ASIAROLEB" || s.AccessKeyID != "ASIAROLEC" {
		t.Fatalf("chain signed by %v, got %s", roles.callers, s.AccessKeyID)
	}
	if _, err := m.Session(ctx, For(nil, dev)); err != nil {
		t.Fatal(err)
	}
	// logout --profile deploy forgets deploy's only.
	if n, err := m.Forget("deploy"); err != nil || n != 1 || m.Cached(For(nil, chained)) != nil || m.Cached(For(nil, dev)) == nil || m.Cached(MFAUser{Profile: dev.Source}) == nil {
		t.Fatalf("Forget(deploy) = %d, %v", n, err)
	}
	// logout --profile base forgets the MFA session and the roles on it.
	if n, err := m.Forget("base"); err != nil || n != 2 || m.Cached(For(nil, dev)) != nil {
		t.Fatalf("Forget(base) = %d, %v", n, err)
	}
	// A failed AssumeRole keeps nothing and says which profile.
	roles.fail = errors.New("AccessDenied")
	if _, err := m.Session(ctx, For(nil, dev)); err == nil || !strings.Contains(err.Error(), `role profile "dev"`) || m.Cached(For(nil, dev)) != nil {
		t.Fatalf("failed AssumeRole: %v", err)
	}
}
