package setup

import (
	"errors"
	"fmt"
	"runtime"

	"github.com/mfa-git/mfa-git/gitcred"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/profile"
)

// ErrBadInput is matched (errors.Is) by Check's errors that are mistakes
// in the input, that is, in setup's command line.
var ErrBadInput = errors.New("bad setup input")

// Check refuses, before anything is written, values that setup would
// write into a config file and that could change its structure or run as
// shell code there. Run checks them too.
func (in Input) Check() error {
	bad := func(msg, next string) error { return hint.New(ErrBadInput, msg, next) }
	if err := profile.CheckName(in.Profile); err != nil {
		return bad(err.Error(), hint.Of(err))
	}
	if in.CredentialProcess != "" {
		if err := profile.CheckName(in.CredentialProcess); err != nil {
			return bad("--credential-process-profile: "+err.Error(), "choose a name of letters, digits and - _ .")
		}
		// Its credential_process line names the profile.
		if err := profile.CheckCredentialProcessName(runtime.GOOS, in.Profile); err != nil {
			return err
		}
	}
	if in.URL != "" {
		if err := gitcred.CheckURLPattern(in.URL); err != nil {
			return bad("--url: "+err.Error(), "give the https URL of the proxy or alias, e.g. --url https://git.example.com")
		}
	}
	if in.Region != "" && !gitcred.ValidRegion(in.Region) {
		return bad(fmt.Sprintf("--region: %q is not an AWS region", in.Region), "give a region name such as eu-west-1 or us-gov-west-1")
	}
	if in.MFASerial != "" {
		if err := profile.CheckMFASerial(in.MFASerial); err != nil {
			return bad("--mfa-serial: "+err.Error(), hint.Of(err))
		}
	}
	return nil
}
