package doctor

import (
	"context"
	"fmt"

	"github.com/mfa-git/mfa-git/keystore"
	"github.com/mfa-git/mfa-git/session"
)

// checkProfile loads the profile's keys and checks it names an MFA device.
func checkProfile(ctx context.Context, env Env) (*session.Profile, Check) {
	p, err := session.LoadProfileKeys(ctx, env.Profile, env.Files, keystore.Lazy("keyring", env.Store))
	if err != nil {
		return nil, Check{"profile", Fail, err.Error(), session.Hint(err)}
	}
	if p.MFASerial == "" {
		return p, Check{"profile", Fail, fmt.Sprintf("profile %q has keys but no mfa_serial", p.Name), "run: mfa-git setup --profile " + session.ShellQuote(p.Name) + " (it finds the device)"}
	}
	return p, Check{"profile", OK, fmt.Sprintf("profile %s: key %s..., device %s, sessions of %s", p.Name, p.AccessKeyID[:4], p.MFASerial, p.Duration), ""}
}
