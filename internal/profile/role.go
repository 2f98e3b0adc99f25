package profile

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/keystore"
)

// AssumeRole's limits on a role session's length. AWS caps a role
// assumed with temporary credentials (any, including a GetSessionToken
// session: "role chaining") at RoleChainingLimit.
const (
	MinRoleDuration   = 900 * time.Second
	MaxRoleDuration   = 43200 * time.Second
	RoleChainingLimit = time.Hour
)

// ErrNotRole is wrapped by LoadRole's error for a profile that is not a
// role profile (no role_arn, credential_source or web_identity_token_file).
var ErrNotRole = errors.New("not a role profile")

// RoleStep is one AssumeRole call of a role profile's chain.
type RoleStep struct {
	// Profile is the role profile that names this role.
	Profile     string
	RoleARN     string
	SessionName string
	ExternalID  string
	// Duration is what AssumeRole is asked for (0: AWS's default, 1 h);
	// Requested is what duration_seconds asked for, and Clamped says it
	// was above RoleChainingLimit and cut to it.
	Duration, Requested time.Duration
	Clamped             bool
}

// Role is a role profile resolved the way the AWS CLI and SDKs resolve
// role_arn + source_profile, down to the IAM user's profile whose
// long-term key and MFA device start it.
type Role struct {
	// Name is the role profile asked for.
	Name string
	// Chain lists the roles to assume in turn: Chain[0] with Source's MFA
	// session, each next one with the previous role's session. The last
	// is Name's own role.
	Chain []RoleStep
	// Source is the IAM user's profile (long-term keys). Its MFASerial is
	// the device mfa-git uses for GetSessionToken: the nearest mfa_serial
	// along the chain from Name, else the source's own.
	Source *Profile
	// Settings holds the role profile's region, STS endpoint and CA
	// bundle, for the AssumeRole calls; it has no keys.
	Settings *Profile
}

// Last is the role profile's own step.
func (r *Role) Last() RoleStep { return r.Chain[len(r.Chain)-1] }

// isRole reports whether raw is written as a role profile: role_arn,
// credential_source or web_identity_token_file.
func isRole(raw rawProfile) bool {
	return raw.get("role_arn") != "" || raw.get("credential_source") != "" || raw.get("web_identity_token_file") != ""
}

// LoadRole resolves role profile name. Its error names the profile and
// key at fault: credential_source, web_identity_token_file and role_arn
// without source_profile are refused (mfa-git starts every role from an
// IAM user's MFA session), as is mfa_serial on a role whose chain ends at
// a profile of another Kind; as the SDK refuses them, so are a role with
// credential_process too, a value checkValues refuses on any profile of
// the chain, a cycle of source_profile that meets no credentials (a
// profile met again ends the chain by the credentials it has besides its
// role), and a missing source; and a malformed role_arn, external_id or
// role_session_name, and a duration_seconds outside AssumeRole's range.
// A duration_seconds above RoleChainingLimit is clamped to it
// (RoleStep.Clamped). store is passed to LoadKeys for the source's
// long-term key.
func LoadRole(_ context.Context, name string, files Files, store keystore.Store) (*Role, error) {
	return loadRole(name, readShared(files), store, true)
}

// RoleSource is LoadRole without the check that the chain names an MFA
// device: setup uses it to find the source profile whose device to look
// up. Source.MFASerial may be "".
func RoleSource(_ context.Context, name string, files Files, store keystore.Store) (*Role, error) {
	return loadRole(name, readShared(files), store, false)
}

func loadRole(name string, sf *sharedFiles, store keystore.Store, needMFA bool) (*Role, error) {
	files := sf.files
	raw, err := sf.find(name)
	if err != nil {
		return nil, err
	}
	if !isRole(raw) {
		return nil, fmt.Errorf("profile %q: %w", name, ErrNotRole)
	}
	r := &Role{Name: name, Settings: settings(name, sf, raw)}
	serial, serialAt := "", "" // the nearest mfa_serial, and the profile that sets it
	var serialRaw rawProfile
	seen := map[string]bool{}
	cur := name
	for {
		seen[cur] = true
		if err := checkPair(cur, raw); err != nil {
			return nil, err
		}
		if err := checkValues(cur, raw); err != nil {
			return nil, err
		}
		if _, err := ssoSection(cur, sf, raw); err != nil {
			return nil, err
		}
		step, src, err := roleStep(cur, raw, files)
		if err != nil {
			return nil, err
		}
		if serial == "" && raw.get("mfa_serial") != "" {
			serial, serialAt, serialRaw = raw.get("mfa_serial"), cur, raw
		}
		r.Chain = append([]RoleStep{step}, r.Chain...)
		next, ok := sf.raw(src)
		if !ok {
			return nil, hint.New(ErrNoProfile,
				fmt.Sprintf("profile %q: source_profile %q not found in %s or %s", cur, src, files.Config, files.Credentials),
				fmt.Sprintf("set source_profile under [%s] in %s to the IAM user's profile (the one with keys)", ConfigSection(cur), files.Config))
		}
		// A source with its own long-term keys ends the chain, even if
		// it names a role too (or is the profile itself), as in the AWS
		// CLI (the Go SDK assumes such a source's own role first; see
		// README, Roles); a profile met again ends it too, by the
		// credentials it has besides its role (IAM Identity Center, aws
		// login, credential_process), as in the SDK.
		if hasStaticKeys(next) || !isRole(next) || seen[src] && kindOf(next) != KindUser {
			src, err := loadKeys(src, sf, store, true)
			if err != nil {
				return nil, fmt.Errorf("source of role profile %q: %w", name, err)
			}
			if src.Kind != KindUser && serial != "" {
				return nil, valueError(serialAt, "mfa_serial", serialRaw,
					fmt.Sprintf("is not supported: mfa_serial on a role over the %s profile %q (mfa-git asks for codes only for IAM users' sessions; the AWS SDKs would send one with AssumeRole)", src.Kind, src.Name),
					fmt.Sprintf("remove mfa_serial from the role profiles over %q, or start the chain from an IAM user's profile", src.Name))
			}
			src.MFASerial = cmp.Or(serial, src.MFASerial)
			if err := src.checkMFA(); err != nil && needMFA {
				return nil, hint.New(err, fmt.Sprintf("role profile %q: neither it nor its source profile %q has mfa_serial", name, src.Name), hint.Of(err))
			}
			r.Source = src
			r.Settings.Region = cmp.Or(r.Settings.Region, src.Region)
			r.Settings.CABundle = cmp.Or(r.Settings.CABundle, src.CABundle)
			return r, nil
		}
		if seen[src] {
			return nil, hint.New(nil, fmt.Sprintf("profile %q: source_profile %q makes a cycle of role profiles", cur, src),
				"point the last role profile's source_profile at the IAM user's profile (the one with keys)")
		}
		cur, raw = src, next
	}
}

// roleStep reads one role profile's AssumeRole parameters and its
// source_profile.
func roleStep(name string, raw rawProfile, files Files) (RoleStep, string, error) {
	bad := func(key, why, fix string) error {
		at := ""
		if where := raw.at(key); where != "" {
			at = " (" + where + ")"
		}
		return hint.New(nil, fmt.Sprintf("profile %q: %s: %s%s", name, key, why, at),
			fmt.Sprintf("%s under [%s] in %s", fix, ConfigSection(name), files.Config))
	}
	for _, key := range []string{"credential_source", "web_identity_token_file"} {
		if raw.get(key) != "" {
			return RoleStep{}, "", bad(key, "mfa-git serves role profiles with source_profile; "+key+" is not supported",
				"use source_profile = (the IAM user's profile with keys and mfa_serial) instead of "+key)
		}
	}
	s := RoleStep{Profile: name, RoleARN: raw.get("role_arn"), ExternalID: raw.get("external_id")}
	src := raw.get("source_profile")
	if src == "" {
		return s, "", bad("role_arn", "a role without source_profile is not supported (mfa-git assumes roles from an IAM user's MFA session)",
			"add source_profile = (the IAM user's profile with keys and mfa_serial)")
	}
	if raw.get("credential_process") != "" {
		// As the Go SDK: one credential type per profile.
		err := bad("credential_process", "a role profile gets its credentials from source_profile, and cannot have credential_process too (the AWS SDKs refuse it)",
			"remove credential_process (or role_arn and source_profile)")
		return s, "", hint.New(errSDKRefuses, err.Error(), hint.Of(err))
	}
	if err := checkRoleARN(s.RoleARN); err != nil {
		return s, "", bad("role_arn", err.Error(), "set role_arn = arn:aws:iam::ACCOUNT:role/NAME")
	}
	if e := s.ExternalID; e != "" && (len(e) < 2 || len(e) > 1224 || strings.Trim(e, idChars+":/") != "") {
		return s, "", bad("external_id", "it must be 2 to 1224 letters, digits or _+=,.@:/-", "set external_id to the value the role's owner gave you")
	}
	s.SessionName = raw.get("role_session_name")
	if s.SessionName == "" {
		s.SessionName = DefaultSessionName(name)
	} else if n := s.SessionName; len(n) < 2 || len(n) > 64 || strings.Trim(n, idChars) != "" {
		return s, "", bad("role_session_name", fmt.Sprintf("%q is not 2 to 64 letters, digits or _+=,.@-", n), "fix or remove role_session_name")
	}
	if v := raw.get("duration_seconds"); v != "" {
		n, err := parseSeconds(v)
		d := time.Duration(n) * time.Second
		if err != nil || n < int64(MinRoleDuration/time.Second) || n > int64(MaxRoleDuration/time.Second) {
			return s, "", bad("duration_seconds", fmt.Sprintf("%q is not a whole number of seconds from %d to %d (AssumeRole's range)", v, int(MinRoleDuration.Seconds()), int(MaxRoleDuration.Seconds())),
				"set duration_seconds to at most 3600 (AWS's limit for a role assumed from an MFA session), or remove it")
		}
		s.Requested, s.Duration = d, d
		if d > RoleChainingLimit {
			s.Duration, s.Clamped = RoleChainingLimit, true
		}
	}
	return s, src, nil
}

// idChars are the characters of AWS's [\w+=,.@-] identifier pattern.
const idChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+=,.@-"

// DefaultSessionName is the role_session_name mfa-git uses when a role
// profile sets none: "mfa-git-" and the profile name, with characters
// AWS does not accept as "-", at most 64 characters. It is stable, so
// the cached role session's key and CloudTrail entries stay the same.
func DefaultSessionName(profile string) string {
	b := []byte("mfa-git-" + profile)
	for i, c := range b {
		if !strings.ContainsRune(idChars, rune(c)) {
			b[i] = '-'
		}
	}
	return string(b[:min(len(b), 64)])
}

// checkRoleARN reports whether s looks like an IAM role ARN:
// arn:PARTITION:iam::ACCOUNT:role/PATH/NAME.
func checkRoleARN(s string) error {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || !strings.HasPrefix(parts[1], "aws") || parts[2] != "iam" || parts[3] != "" ||
		len(parts[4]) != 12 || strings.Trim(parts[4], "0123456789") != "" || !strings.HasPrefix(parts[5], "role/") || len(parts[5]) <= len("role/") ||
		strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return fmt.Errorf("%q is not a role ARN (arn:aws:iam::ACCOUNT:role/NAME)", s)
	}
	return nil
}
