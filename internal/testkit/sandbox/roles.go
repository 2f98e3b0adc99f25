package sandbox

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// The demo account's roles, which Start creates. Their ARNs are
// RoleARN(name).
const (
	// DevRole trusts alice and requires MFA; sessions up to 12 hours.
	DevRole = "dev"
	// OpsRole trusts alice and requires MFA; sessions up to 4 hours.
	OpsRole = "ops"
	// DeployRole trusts only the ops role (so it is reached by role
	// chaining) and requires MFA, which an ops session made with MFA has.
	DeployRole = "deploy"
	// PartnerRole trusts alice when she passes PartnerExternalID, with or
	// without MFA; its sessions made without MFA are refused by git.
	PartnerRole = "partner"
	// LockedRole trusts another user only: alice may not assume it.
	LockedRole = "locked"
	// PartnerExternalID is the external ID PartnerRole requires.
	PartnerExternalID = "sandbox-partner-0001"
)

// RoleChainingLimit is the longest session AWS issues to AssumeRole
// callers that use temporary credentials: an assumed-role session, and
// also a GetSessionToken session (see the package tests for the sources).
const RoleChainingLimit = time.Hour

// RoleConfig is an IAM role of the sandbox with its trust policy.
type RoleConfig struct {
	// ARN is arn:aws:iam::ACCOUNT:role/NAME, optionally with a path
	// (role/PATH/NAME).
	ARN string
	// TrustedPrincipals may assume the role: user ARNs, role ARNs (their
	// assumed-role sessions may), or arn:aws:iam::ACCOUNT:root for every
	// principal of the account.
	TrustedPrincipals []string
	// RequireMFA is the trust policy condition aws:MultiFactorAuthPresent:
	// the caller's credentials carry MFA (a GetSessionToken session made
	// with a code, or a role session made from one), or the request passes
	// SerialNumber and TokenCode.
	RequireMFA bool
	// ExternalID, when set, is the condition sts:ExternalId.
	ExternalID string
	// MaxDuration is the role's maximum session duration, 1 to 12 hours;
	// 0 means 1 hour, the AWS default.
	MaxDuration time.Duration
	// Repos names the repositories the role's sessions may use with git;
	// nil means all of them.
	Repos []string
}

// role is a configured role with the unique ID AWS gives it.
type role struct {
	RoleConfig
	id      string // AROA...
	name    string // the ARN's last path element
	account string // the ARN's account
}

var roleARNPattern = regexp.MustCompile(`^arn:aws:iam::(\d{12}):role/((?:[\x21-\x7E]+/)*)([\w+=,.@-]{1,64})$`)

// RoleARN is the ARN of the demo account's role name.
func RoleARN(name string) string { return fmt.Sprintf("arn:aws:iam::%s:role/%s", Account, name) }

// AssumedRoleARN is the ARN GetCallerIdentity answers for a session of
// the demo account's role name made with RoleSessionName session.
func AssumedRoleARN(name, session string) string {
	return assumedRoleARN(Account, name, session)
}

func assumedRoleARN(account, name, session string) string {
	return fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", account, name, session)
}

// AddRole creates a role, or replaces the one with the same ARN (its
// existing sessions stay valid, as in IAM).
func (sb *Sandbox) AddRole(cfg RoleConfig) error {
	m := roleARNPattern.FindStringSubmatch(cfg.ARN)
	if m == nil {
		return fmt.Errorf("add role: %q is not a role ARN (arn:aws:iam::ACCOUNT:role/NAME)", cfg.ARN)
	}
	if cfg.MaxDuration == 0 {
		cfg.MaxDuration = time.Hour
	}
	if cfg.MaxDuration < time.Hour || cfg.MaxDuration > 12*time.Hour {
		return fmt.Errorf("add role %s: MaxDuration %s is outside 1h..12h", cfg.ARN, cfg.MaxDuration)
	}
	cfg.TrustedPrincipals = slices.Clone(cfg.TrustedPrincipals)
	cfg.Repos = slices.Clone(cfg.Repos)
	r := &role{RoleConfig: cfg, id: "AROA" + randomUpper(17), name: m[3], account: m[1]}
	sb.mu.Lock()
	defer sb.mu.Unlock()
	if old := sb.roles[cfg.ARN]; old != nil {
		r.id = old.id
	}
	sb.roles[cfg.ARN] = r
	return nil
}

// addDemoRoles creates the roles named by the constants above.
func (sb *Sandbox) addDemoRoles() error {
	alice := UserARN()
	for _, cfg := range []RoleConfig{
		{ARN: RoleARN(DevRole), TrustedPrincipals: []string{alice}, RequireMFA: true, MaxDuration: 12 * time.Hour},
		{ARN: RoleARN(OpsRole), TrustedPrincipals: []string{alice}, RequireMFA: true, MaxDuration: 4 * time.Hour},
		{ARN: RoleARN(DeployRole), TrustedPrincipals: []string{RoleARN(OpsRole)}, RequireMFA: true, MaxDuration: 12 * time.Hour},
		{ARN: RoleARN(PartnerRole), TrustedPrincipals: []string{alice}, ExternalID: PartnerExternalID},
		{ARN: RoleARN(LockedRole), TrustedPrincipals: []string{fmt.Sprintf("arn:aws:iam::%s:user/bob", Account)}, RequireMFA: true},
	} {
		if err := sb.AddRole(cfg); err != nil {
			return err
		}
	}
	return nil
}

// trusts reports whether principal (a user or role ARN) is named by the
// role's trust policy.
func (r *role) trusts(principal string) bool {
	root := fmt.Sprintf("arn:aws:iam::%s:root", Account)
	for _, p := range r.TrustedPrincipals {
		if p == principal || p == root {
			return true
		}
	}
	return false
}

// mayUseRepo reports whether the role's sessions may use repository name.
func (r *role) mayUseRepo(name string) bool {
	return r.Repos == nil || slices.Contains(r.Repos, name)
}

// RoleProfile returns the ~/.aws/config section of a role profile name:
// role_arn and source_profile, the sandbox's region and STS endpoint,
// then extra's keys in sorted order (role_session_name, external_id,
// duration_seconds, mfa_serial...). An extra key with an empty value
// leaves that key out (e.g. "endpoint_url": "").
func (sb *Sandbox) RoleProfile(name, roleARN, sourceProfile string, extra map[string]string) string {
	keys := map[string]string{"role_arn": roleARN, "source_profile": sourceProfile, "region": Region, "endpoint_url": sb.STSURL}
	for k, v := range extra {
		keys[k] = v
	}
	section := "profile " + name
	if name == "default" {
		section = name
	}
	var b strings.Builder
	fmt.Fprintf(&b, "[%s]\n", section)
	for _, k := range []string{"role_arn", "source_profile"} {
		if keys[k] != "" {
			fmt.Fprintf(&b, "%s = %s\n", k, keys[k])
		}
		delete(keys, k)
	}
	rest := make([]string, 0, len(keys))
	for k := range keys {
		rest = append(rest, k)
	}
	slices.Sort(rest)
	for _, k := range rest {
		if keys[k] != "" {
			fmt.Fprintf(&b, "%s = %s\n", k, keys[k])
		}
	}
	return b.String()
}

// WriteRoleProfile appends RoleProfile(name, ...) to the AWS config file
// configPath, creating it (0600, folder 0700) if needed.
func (sb *Sandbox) WriteRoleProfile(name, roleARN, sourceProfile string, extra map[string]string, configPath string) error {
	if err := AppendConfig(configPath, sb.RoleProfile(name, roleARN, sourceProfile, extra)); err != nil {
		return fmt.Errorf("write role profile %q: %w", name, err)
	}
	return nil
}

// AppendConfig appends text (sections of an AWS config file) to the file
// configPath, after a blank line if it is not empty, creating it (0600,
// folder 0700) if needed.
func AppendConfig(configPath, text string) error {
	if err := os.MkdirAll(filepath.Dir(configPath), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(configPath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	if st, err := f.Stat(); err == nil && st.Size() > 0 {
		text = "\n" + text
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
