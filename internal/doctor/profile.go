package doctor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/keystore"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/source"
)

// checkProfileOrRole loads the profile's keys and checks it names an MFA
// device, or explains a role profile: its role, its source and the
// device; p is then the source's profile.
func checkProfileOrRole(ctx context.Context, env Env) (*profile.Profile, *profile.Role, Check) {
	store := keystore.Lazy("keyring", env.Store)
	p, err := profile.LoadKeys(ctx, env.Profile, env.Files, store)
	if errors.Is(err, profile.ErrRoleProfile) {
		r, err := profile.LoadRole(ctx, env.Profile, env.Files, store)
		if err != nil {
			return nil, nil, Check{"profile", Fail, err.Error(), hint.Of(err)}
		}
		arns := make([]string, len(r.Chain))
		for i, st := range r.Chain {
			arns[i] = st.RoleARN
		}
		last := r.Last()
		length := "1h (AWS's default)"
		if last.Duration > 0 {
			length = last.Duration.String()
		}
		if last.Clamped {
			length += fmt.Sprintf(" (duration_seconds %s clamped to AWS's 1h limit for a role assumed from an MFA session)", last.Requested)
		}
		if r.Source.Kind != profile.KindUser {
			return r.Source, r, Check{"profile", OK, fmt.Sprintf("role profile %s: role %s, assumed from %s profile %s's session (%s), role sessions of %s",
				r.Name, strings.Join(arns, " then "), r.Source.Kind, r.Source.Name, source.Describe(r.Source), length), ""}
		}
		return r.Source, r, Check{"profile", OK, fmt.Sprintf("role profile %s: role %s, assumed from profile %s's MFA session (key %s, device %s), role sessions of %s",
			r.Name, strings.Join(arns, " then "), r.Source.Name, keyPrefix(r.Source.AccessKeyID), r.Source.MFASerial, length), ""}
	}
	if err != nil {
		return nil, nil, Check{"profile", Fail, err.Error(), hint.Of(err)}
	}
	if p.Kind != profile.KindUser {
		return p, nil, Check{"profile", OK, fmt.Sprintf("%s profile %s: %s", p.Kind, p.Name, source.Describe(p)), ""}
	}
	if p.MFASerial == "" {
		return p, nil, Check{"profile", Fail, fmt.Sprintf("profile %q has keys but no mfa_serial", p.Name), "run: mfa-git setup --profile " + profile.ShellQuote(p.Name) + " (it finds the device)"}
	}
	return p, nil, Check{"profile", OK, fmt.Sprintf("profile %s: key %s, device %s, sessions of %s", p.Name, keyPrefix(p.AccessKeyID), p.MFASerial, p.Duration), ""}
}

// keyPrefix shows the start of an access key id ("AKIA..."), never all
// of it: a value too short to be an AWS key id (16 characters or more) is
// described by its length instead.
func keyPrefix(id string) string {
	if len(id) < 16 {
		return fmt.Sprintf("of %d characters (not an AWS access key id)", len(id))
	}
	return id[:4] + "..."
}

// checkSignIn says, for an IAM Identity Center or aws login profile (or
// a role over one), whether the AWS CLI's token cache holds a sign-in
// and until when: it reads the file's expiresAt only, never its tokens.
func checkSignIn(p *profile.Profile) Check {
	if p == nil || (p.Kind != profile.KindSSO && p.Kind != profile.KindLogin) {
		return Check{"sign-in", Skip, "the profile signs in with no AWS CLI token", ""}
	}
	login := p.SSO.LoginHint(p.Name)
	if p.Kind == profile.KindLogin {
		login = "run: aws login --profile " + profile.ShellQuote(p.Name)
	}
	file, err := p.TokenFile()
	if err != nil {
		return Check{"sign-in", Fail, err.Error(), hint.Of(err)}
	}
	exp, err := tokenExpiry(file)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return Check{"sign-in", Fail, fmt.Sprintf("no token in the AWS CLI's cache (%s)", file), login}
	case err != nil:
		return Check{"sign-in", Fail, fmt.Sprintf("cannot read the AWS CLI's token cache %s: %v", file, err), login}
	case time.Until(exp) <= 0:
		return Check{"sign-in", Warn, fmt.Sprintf("the token in %s expired at %s; mfa-git refreshes it if the cache holds a refresh token", file, exp.Local().Format(time.DateTime)), login + " (if the next command fails)"}
	}
	return Check{"sign-in", OK, fmt.Sprintf("token in %s, valid until %s", file, exp.Local().Format(time.DateTime)), ""}
}

// tokenExpiry reads when the token cached in file expires: expiresAt of
// an IAM Identity Center token, accessToken.expiresAt of an aws login one.
func tokenExpiry(file string) (time.Time, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return time.Time{}, err
	}
	var t struct {
		ExpiresAt   *time.Time `json:"expiresAt"`
		AccessToken json.RawMessage
	}
	if err := json.Unmarshal(b, &t); err != nil {
		return time.Time{}, fmt.Errorf("not a token file (%d bytes)", len(b))
	}
	if t.ExpiresAt != nil {
		return *t.ExpiresAt, nil
	}
	var a struct {
		ExpiresAt time.Time `json:"expiresAt"`
	}
	if json.Unmarshal(t.AccessToken, &a) != nil || a.ExpiresAt.IsZero() {
		return time.Time{}, fmt.Errorf("the token file says no expiresAt")
	}
	return a.ExpiresAt, nil
}
