package doctor

import (
	"context"
	"fmt"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/keystore"
	"github.com/mfa-git/mfa-git/profile"
)

// checkProfile loads the profile's keys and checks it names an MFA device.
func checkProfile(ctx context.Context, env Env) (*profile.Profile, Check) {
	p, err := profile.LoadKeys(ctx, env.Profile, env.Files, keystore.Lazy("keyring", env.Store))
	if err != nil {
		return nil, Check{"profile", Fail, err.Error(), hint.Of(err)}
	}
	if p.MFASerial == "" {
		return p, Check{"profile", Fail, fmt.Sprintf("profile %q has keys but no mfa_serial", p.Name), "run: mfa-git setup --profile " + profile.ShellQuote(p.Name) + " (it finds the device)"}
	}
	return p, Check{"profile", OK, fmt.Sprintf("profile %s: key %s, device %s, sessions of %s", p.Name, keyPrefix(p.AccessKeyID), p.MFASerial, p.Duration), ""}
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
