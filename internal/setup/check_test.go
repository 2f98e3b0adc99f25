package setup

import (
	"errors"
	"runtime"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   Input
		err  string // "" accepted
		bad  bool   // ErrBadInput
	}{
		{name: "plain", in: Input{Profile: "base"}},
		{name: "everything given", in: Input{Profile: "dev", URL: "https://git.example.com", Region: "eu-west-1",
			MFASerial: "arn:aws:iam::123456789012:mfa/alice", CredentialProcess: "dev-cli"}},
		{name: "a name that is shell code is quoted, not refused", in: Input{Profile: "x && touch pwned"}},
		{name: "a profile name with ;", in: Input{Profile: "x; touch pwned"}, err: `cannot use the profile name "x; touch pwned": it holds ; or #`, bad: true},
		{name: "a profile name with a line break", in: Input{Profile: "a\nb"}, err: "control character", bad: true},
		{name: "a credential_process profile with a section in it", in: Input{Profile: "base", CredentialProcess: "dev\n[profile evil]"},
			err: "--credential-process-profile: cannot use the profile name", bad: true},
		{name: "a URL that is not https", in: Input{Profile: "base", URL: "http://proxy.example.com", Region: "eu-west-1"}, err: "--url: ", bad: true},
		{name: "a URL with a line break", in: Input{Profile: "base", URL: "https://a.example.com\n[core]", Region: "eu-west-1"}, err: "--url: ", bad: true},
		{name: "a region that is shell code", in: Input{Profile: "base", URL: "https://a.example.com", Region: "eu-west-1; touch pwned"},
			err: `--region: "eu-west-1; touch pwned" is not an AWS region`, bad: true},
		{name: "an MFA serial with a line in it", in: Input{Profile: "base", MFASerial: "arn:aws:iam::1:mfa/a\nmfa_process = touch pwned"},
			err: "--mfa-serial: ", bad: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.in.Check()
			if tt.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) || errors.Is(err, ErrBadInput) != tt.bad {
				t.Fatalf("Check = %v, want %q (bad input: %v)", err, tt.err, tt.bad)
			}
		})
	}
	// A credential_process line cannot name every profile on Windows,
	// where the SDKs split it their own way: not bad input, a limit.
	if runtime.GOOS == "windows" {
		err := Input{Profile: "it's", CredentialProcess: "cli"}.Check()
		if err == nil || errors.Is(err, ErrBadInput) {
			t.Errorf("Windows, a quote in the profile: %v", err)
		}
	}
}

// TestRunChecks: Run refuses what Check refuses, before git's config is
// touched.
func TestRunChecks(t *testing.T) {
	w := newWorld(t, user, userKeys)
	in := w.in
	in.Profile, in.MFASerial = "base", "not a serial\n"
	var tl told
	if err := Run(t.Context(), in, tl.env(&devices{}, noConfirm(t))); !errors.Is(err, ErrBadInput) {
		t.Fatalf("Run = %v, want bad input", err)
	}
	if len(tl.said) > 0 || gitHelpers(t) != "" {
		t.Errorf("said %q; git's helpers %q", tl.said, gitHelpers(t))
	}
}
