package profile

import (
	"cmp"
	"fmt"
	"os"

	"github.com/mfa-git/mfa-git/internal/hint"
)

// Region returns the region profile name uses, as Load reads
// it (AWS_REGION, AWS_DEFAULT_REGION, then the profile's region), or ""
// when none is set. It needs no keys and no mfa_serial, so it serves any
// profile; a profile in neither file is an error wrapping ErrNoProfile.
func Region(name string, files Files) (string, error) {
	cfg, err := readINI(files.Config)
	if err != nil {
		return "", err
	}
	creds, err := readINI(files.Credentials)
	if err != nil {
		return "", err
	}
	cs, inConfig := cfg.profileSection(name)
	ks, inCreds := creds[name]
	if !inConfig && !inCreds {
		return "", hint.New(ErrNoProfile,
			fmt.Sprintf("profile %q not found in %s or %s", name, files.Config, files.Credentials),
			fmt.Sprintf("run: aws configure --profile %s", ShellQuote(name)))
	}
	return cmp.Or(os.Getenv("AWS_REGION"), os.Getenv("AWS_DEFAULT_REGION"), ks.keys["region"], cs.keys["region"]), nil
}
