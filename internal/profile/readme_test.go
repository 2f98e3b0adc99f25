package profile

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/mfa-git/mfa-git/internal/testkit/keystoretest"
	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// readmeExample is one of the README's AWS file examples: the config and
// credentials text exactly as the README shows it.
type readmeExample struct {
	line       int // where the example starts in README.md
	cfg, creds string
}

// readmeExamples extracts the README's indented code blocks that show AWS
// files: a block switches files at a "# ~/.aws/config" or
// "# ~/.aws/credentials" line, a block that opens with a section header
// is a config file, and a "$ " line (a command) ends the files.
func readmeExamples(t *testing.T) []readmeExample {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var (
		out  []readmeExample
		cur  *readmeExample
		file *string
	)
	end := func() {
		if cur != nil && (cur.cfg != "" || cur.creds != "") {
			out = append(out, *cur)
		}
		cur, file = nil, nil
	}
	for i, l := range strings.Split(string(b), "\n") {
		code, indented := strings.CutPrefix(l, "    ")
		if !indented && strings.TrimSpace(l) != "" {
			end()
			continue
		}
		if cur == nil {
			if !indented {
				continue
			}
			cur = &readmeExample{line: i + 1}
		}
		switch t := strings.TrimSpace(code); {
		case t == "# ~/.aws/config":
			file = &cur.cfg
			continue
		case t == "# ~/.aws/credentials":
			file = &cur.creds
			continue
		case strings.HasPrefix(t, "$ "):
			file = nil
			continue
		case file == nil && strings.HasPrefix(t, "[") && cur.cfg == "" && cur.creds == "":
			file = &cur.cfg
		}
		if file != nil {
			*file += code + "\n"
		}
	}
	end()
	return out
}

// The README's configuration examples, copied as written into the AWS
// files, are read by mfa-git as the AWS SDK reads them, and every profile
// mfa-git serves in them (an IAM user with mfa_serial, or a role) resolves
// with no error: a comment after a value, as the README writes them, is a
// comment.
func TestReadmeConfigExamples(t *testing.T) {
	testenv.ClearAWSEnv(t)
	examples := readmeExamples(t)
	if len(examples) < 3 {
		t.Fatalf("found %d AWS file examples in README.md, want the profile, credential_process and roles examples", len(examples))
	}
	profiles := 0
	for _, ex := range examples {
		f := writeFiles(t, ex.cfg, ex.creds)
		// A profile without keys in the files has them in the keyring, as
		// after mfa-git add; the SDK, which cannot read that, is given
		// them in a credentials file of its own (it takes only the keys
		// from there).
		store := keystoretest.NewMemory()
		sdkCreds := ex.creds
		for _, name := range Names(f) {
			if RawKeys(f, name)["aws_access_key_id"] == "" {
				if err := StoreKeys(store, name, "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"); err != nil {
					t.Fatal(err)
				}
				sdkCreds += "\n[" + name + "]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n"
			}
		}
		sdkFiles := writeFiles(t, ex.cfg, sdkCreds)
		for _, name := range Names(f) {
			sdk, err := config.LoadSharedConfigProfile(context.Background(), name, func(o *config.LoadSharedConfigOptions) {
				o.ConfigFiles, o.CredentialsFiles = []string{sdkFiles.Config}, []string{sdkFiles.Credentials}
			})
			if err != nil {
				t.Errorf("README.md:%d: profile %q: the SDK: %v", ex.line, name, err)
				continue
			}
			raw := RawKeys(f, name)
			for key, want := range map[string]string{"region": sdk.Region, "mfa_serial": sdk.MFASerial, "role_arn": sdk.RoleARN, "source_profile": sdk.SourceProfileName, "credential_process": sdk.CredentialProcess} {
				if raw[key] != want {
					t.Errorf("README.md:%d: profile %q: %s is %q; the AWS SDK reads %q", ex.line, name, key, raw[key], want)
				}
			}
			for key, v := range raw {
				if strings.Contains(v, " #") {
					t.Errorf("README.md:%d: profile %q: %s is read with its comment: %q", ex.line, name, key, v)
				}
			}
			if raw["mfa_serial"] == "" && raw["role_arn"] == "" {
				continue // not a profile mfa-git serves itself
			}
			profiles++
			p, r, err := Resolve(context.Background(), name, f, store)
			if err != nil {
				t.Errorf("README.md:%d: profile %q does not resolve: %v", ex.line, name, err)
				continue
			}
			if r != nil {
				p = r.Source
			}
			if err := CheckMFASerial(p.MFASerial); err != nil {
				t.Errorf("README.md:%d: profile %q: %v", ex.line, name, err)
			}
		}
	}
	if profiles < 4 {
		t.Errorf("resolved %d profiles from the README's examples; want its IAM user and role profiles", profiles)
	}
	t.Logf("%d README examples, %d profiles resolved", len(examples), profiles)
}
