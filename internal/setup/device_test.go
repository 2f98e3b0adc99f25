package setup

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/config"
)

// TestSetProfileEditsWhatTheReadersResolve: setup writes mfa_serial and
// the credential_process profile only where the AWS tools will read
// them. When the credentials file's section sets the key (it wins over
// the config file), or the new config section would hide a key the
// credentials file gives, nothing is written and setup fails naming the
// credentials file's line; otherwise the AWS SDK for Go's loader reads
// what setup said it wrote.
func TestSetProfileEditsWhatTheReadersResolve(t *testing.T) {
	const (
		keys = "aws_access_key_id = AKIAEXAMPLEEXAMPLE00\naws_secret_access_key = s3cret\n"
		old  = "arn:aws:iam::123456789012:mfa/old"
	)
	tests := []struct {
		name, config, creds string
		in                  Input
		warned              []string // none: written
		sdkProfile, sdkMFA  string   // what the SDK must read then
		sdkProcess          string
	}{
		{name: "mfa_serial in the credentials file", config: "[profile dev]\nregion = eu-west-1\n",
			creds: "[dev]\n" + keys + "mfa_serial = " + old + "\n", in: Input{Profile: "dev", MFASerial: alice},
			warned: []string{"credentials:4", "mfa_serial"}},
		{name: "a profile only in the credentials file, mfa_process there", config: "",
			creds: "[dev]\n" + keys + "mfa_process = ykman oath accounts code -s x\n", in: Input{Profile: "dev", MFASerial: alice},
			warned: []string{"credentials:4", "mfa_process"}},
		{name: "the credential_process profile in the credentials file", config: "[profile dev]\nmfa_serial = " + alice + "\n",
			creds: "[dev]\n" + keys + "[dev-cli]\ncredential_process = /usr/local/bin/old-helper\n", in: Input{Profile: "dev", CredentialProcess: "dev-cli"},
			warned: []string{"credentials:5", "credential_process"}},
		{name: "mfa_serial where the readers take it", config: "[profile dev]\nregion = eu-west-1\n",
			creds: "[dev]\n" + keys, in: Input{Profile: "dev", MFASerial: alice},
			sdkProfile: "dev", sdkMFA: alice},
		{name: "a profile only in the credentials file", config: "",
			creds: "[dev]\n" + keys + "region = eu-west-1\n", in: Input{Profile: "dev", MFASerial: alice, CredentialProcess: "dev-cli"},
			sdkProfile: "dev-cli", sdkProcess: "mfa-git credential-process --profile dev"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, tt.config, tt.creds)
			in := tt.in
			in.Scope, in.StateDir, in.Files = w.in.Scope, w.in.StateDir, w.in.Files
			var tl told
			err := Run(context.Background(), in, tl.env(&devices{}, noConfirm(t)))
			warned := strings.Join(tl.warned, "\n")
			said := strings.Join(tl.said, "\n")
			cfg, _ := os.ReadFile(in.Files.Config)
			if tt.warned != nil {
				// Asked for by name and not done: Run fails.
				if err == nil {
					t.Fatalf("Run succeeded, warned %q, for an edit it did not make", warned)
				}
				for _, want := range tt.warned {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error %q, want %q in it", err, want)
					}
				}
				if string(cfg) != tt.config {
					t.Errorf("config file changed to %q", cfg)
				}
				if strings.Contains(said, "wrote") || strings.Contains(said, "gets its credentials from mfa-git") {
					t.Errorf("said %q for an edit it did not make", said)
				}
				return
			}
			if err != nil || warned != "" {
				t.Fatalf("Run: %v; warned %q", err, warned)
			}
			sc, err := config.LoadSharedConfigProfile(context.Background(), tt.sdkProfile, func(o *config.LoadSharedConfigOptions) {
				o.ConfigFiles, o.CredentialsFiles = []string{in.Files.Config}, []string{in.Files.Credentials}
			})
			if err != nil {
				t.Fatal(err)
			}
			if tt.sdkMFA != "" && sc.MFASerial != tt.sdkMFA {
				t.Errorf("the SDK reads mfa_serial %q, want %q", sc.MFASerial, tt.sdkMFA)
			}
			if tt.sdkProcess != "" && sc.CredentialProcess != tt.sdkProcess {
				t.Errorf("the SDK reads credential_process %q, want %q", sc.CredentialProcess, tt.sdkProcess)
			}
		})
	}
}
