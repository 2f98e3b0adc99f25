package doctor

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/keystore"
	"github.com/mfa-git/mfa-git/internal/profile"
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
		return r.Source, r, Check{"profile", OK, fmt.Sprintf("role profile %s: role %s, assumed from profile %s's MFA session (key %s, device %s), role sessions of %s",
			r.Name, strings.Join(arns, " then "), r.Source.Name, keyPrefix(r.Source.AccessKeyID), r.Source.MFASerial, length), ""}
	}
	if err != nil {
		return nil, nil, Check{"profile", Fail, err.Error(), hint.Of(err)}
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
