package setup

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/awsapi"
	"github.com/mfa-git/mfa-git/internal/keystore"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/testkit/keystoretest"
	"github.com/mfa-git/mfa-git/internal/testkit/sandbox"
	"github.com/mfa-git/mfa-git/internal/testkit/sandboxtest"
	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

const (
	alice = "arn:aws:iam::123456789012:mfa/alice"
	bob   = "arn:aws:iam::123456789012:mfa/bob"
)

// devices is IAM's answer for the tests: the devices it lists, or an
// error; calls counts the calls.
type devices struct {
	list  []string
	err   error
	calls int
}

func (d *devices) MFADevices(context.Context, *profile.Profile) ([]string, error) {
	d.calls++
	return d.list, d.err
}

// world is a private git and AWS config for one test: git's global file,
// the AWS files, setup's state folder.
type world struct {
	gitconfig string
	in        Input
}

func newWorld(t *testing.T, awsConfig, awsCredentials string) world {
	t.Helper()
	testenv.Require(t, "git")
	testenv.ClearAWSEnv(t)
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, ".config"))
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	w := world{gitconfig: filepath.Join(dir, "gitconfig")}
	t.Setenv("GIT_CONFIG_GLOBAL", w.gitconfig)
	w.in = Input{Scope: "global", StateDir: filepath.Join(dir, "state"),
		Files: profile.Files{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}}
	for path, text := range map[string]string{w.in.Files.Config: awsConfig, w.in.Files.Credentials: awsCredentials} {
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// told records what setup said and warned.
type told struct{ said, warned []string }

func (tl *told) env(iam *devices, confirm func(context.Context, string) (bool, error)) Env {
	return Env{
		Store:   func() (keystore.Store, error) { return keystoretest.NewMemory(), nil },
		IAM:     iam,
		Confirm: confirm,
		Say:     func(format string, args ...any) { tl.said = append(tl.said, fmt.Sprintf(format, args...)) },
		Warn:    func(err error) { tl.warned = append(tl.warned, err.Error()) },
	}
}

func answer(yes bool, err error) func(context.Context, string) (bool, error) {
	return func(context.Context, string) (bool, error) { return yes, err }
}

func noConfirm(t *testing.T) func(context.Context, string) (bool, error) {
	return func(_ context.Context, q string) (bool, error) {
		t.Errorf("asked %q", q)
		return false, errors.New("not asked in this case")
	}
}

// gitHelpers is what git reads as the helpers for CodeCommit's pattern.
func gitHelpers(t *testing.T) string {
	t.Helper()
	out, _ := exec.Command("git", "config", "--global", "--get-all", "credential.https://git-codecommit.*.amazonaws.com.helper").Output()
	return string(out)
}

const (
	userKeys = "[base]\naws_access_key_id = AKIAEXAMPLEEXAMPLE00\naws_secret_access_key = s3cret\n" +
		"[default]\naws_access_key_id = AKIAEXAMPLEEXAMPLE01\naws_secret_access_key = s3cret\n"
	user = "[profile base]\nregion = eu-west-1\n"
	role = "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = base\n"
)

const ssoConfig = "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n" +
	"[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n"

// --mfa-serial is refused for a profile that is not an IAM user's: setup
// configures git, then fails, since what was asked for was not done.
func TestRunMFASerialOnSSO(t *testing.T) {
	w := newWorld(t, ssoConfig, "")
	in := w.in
	in.Profile, in.MFASerial = "sso", alice
	var tl told
	err := Run(context.Background(), in, tl.env(&devices{}, noConfirm(t)))
	if err == nil || !strings.Contains(err.Error(), "git is set up, but not the profile") || !strings.Contains(err.Error(), "--mfa-serial is for IAM users' profiles") {
		t.Fatalf("err %v, warned %q", err, tl.warned)
	}
}

func TestRun(t *testing.T) {
	for _, tt := range []struct {
		name      string
		config    string
		in        Input
		iam       devices
		confirm   func(*testing.T) func(context.Context, string) (bool, error)
		err       string   // Run's error
		said      []string // lines that must be said
		warned    string   // a warning that must be given ("" none)
		wantCalls int      // IAM calls
		config2   string   // in the AWS config afterwards ("" unchanged)
	}{
		{name: "profile not defined", config: user, in: Input{Profile: "nope"}, confirm: noConfirm,
			err: `profile "nope" is not defined in`},
		{name: "device already there", config: user + "mfa_serial = " + alice + "\n", in: Input{Profile: "base"}, confirm: noConfirm,
			said: []string{"helper = mfa-git --profile base"}},
		{name: "one device, --yes", config: user, in: Input{Profile: "base", Yes: true}, iam: devices{list: []string{alice}}, confirm: noConfirm,
			said: []string{"wrote mfa_serial = " + alice + " to [profile base] in "}, wantCalls: 1, config2: "mfa_serial = " + alice},
		{name: "one device, confirmed", config: user, in: Input{Profile: "base"}, iam: devices{list: []string{alice}},
			confirm: func(t *testing.T) func(context.Context, string) (bool, error) {
				return func(_ context.Context, q string) (bool, error) {
					if want := "use MFA device " + alice + " for profile base?"; q != want {
						t.Errorf("asked %q, want %q", q, want)
					}
					return true, nil
				}
			},
			said: []string{"wrote mfa_serial = " + alice}, wantCalls: 1, config2: "mfa_serial = " + alice},
		{name: "one device, declined", config: user, in: Input{Profile: "base"}, iam: devices{list: []string{alice}},
			confirm: func(*testing.T) func(context.Context, string) (bool, error) { return answer(false, nil) },
			warned:  `profile "base" still has no mfa_serial`, wantCalls: 1},
		{name: "no terminal", config: user, in: Input{Profile: "base"}, iam: devices{list: []string{alice}},
			confirm: func(*testing.T) func(context.Context, string) (bool, error) {
				return answer(false, errors.New("no terminal"))
			},
			warned: `found MFA device ` + alice + ` for profile "base", but there is no terminal to confirm it`, wantCalls: 1},
		{name: "no device", config: user, in: Input{Profile: "base", Yes: true}, confirm: noConfirm,
			warned: `the IAM user of profile "base" has no MFA device`, wantCalls: 1},
		{name: "two devices", config: user, in: Input{Profile: "base", Yes: true}, iam: devices{list: []string{alice, bob}}, confirm: noConfirm,
			warned: `the IAM user of profile "base" has 2 MFA devices: ` + alice + ", " + bob, wantCalls: 1},
		{name: "a device mfa-git cannot use", config: user, in: Input{Profile: "base", Yes: true}, iam: devices{list: []string{"arn:aws:iam::123456789012:mfa/a\nb"}}, confirm: noConfirm,
			warned: `IAM listed an MFA device for profile "base" that mfa-git cannot use`, wantCalls: 1},
		{name: "IAM fails", config: user, in: Input{Profile: "base"}, iam: devices{err: errors.New("AccessDenied")}, confirm: noConfirm,
			warned: "AccessDenied", wantCalls: 1},
		{name: "--mfa-serial, IAM not asked", config: user, in: Input{Profile: "base", MFASerial: bob}, confirm: noConfirm,
			said: []string{"wrote mfa_serial = " + bob}, config2: "mfa_serial = " + bob},
		{name: "role profile: the source's device", config: user + role, in: Input{Profile: "dev", Yes: true}, iam: devices{list: []string{alice}}, confirm: noConfirm,
			said:      []string{"helper = mfa-git --profile dev", "role profile dev is assumed from profile base's MFA session", "wrote mfa_serial = " + alice + " to [profile base]"},
			wantCalls: 1, config2: "[profile base]\nregion = eu-west-1\nmfa_serial = " + alice},
		{name: "credential_process profile, with the role's region", config: user + "mfa_serial = " + alice + "\n" + role, in: Input{Profile: "dev", CredentialProcess: "dev-cli"}, confirm: noConfirm,
			said:    []string{"profile dev-cli gets its credentials from mfa-git: aws --profile dev-cli ..."},
			config2: "[profile dev-cli]\ncredential_process = mfa-git credential-process --profile dev\nregion = eu-west-1\n"},
		{name: "a URL of a proxy, with its region", config: user + "mfa_serial = " + alice + "\n", in: Input{Profile: "base", URL: "https://git.example.com/", Region: "eu-west-2"}, confirm: noConfirm,
			said: []string{"credential.https://git.example.com: helper = (reset), helper = mfa-git --profile base --ignore-host-check --region eu-west-2"}},
		{name: "IAM Identity Center profile: no device looked for", config: ssoConfig, in: Input{Profile: "sso", Yes: true}, confirm: noConfirm,
			said: []string{"helper = mfa-git --profile sso", "profile sso gets its credentials from IAM Identity Center: mfa-git asks for no MFA code for it"}},
		{name: "role over a credential_process profile", config: "[profile proc]\ncredential_process = /bin/creds\n[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = proc\n", in: Input{Profile: "dev", Yes: true}, confirm: noConfirm,
			said: []string{"helper = mfa-git --profile dev", "profile proc gets its credentials from credential_process"}},
		{name: "the default profile is not named", config: "[default]\nmfa_serial = " + alice + "\n", in: Input{Profile: "default"}, confirm: noConfirm,
			said: []string{"helper = mfa-git, useHttpPath = true"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, tt.config, userKeys)
			in := tt.in
			in.Scope, in.StateDir, in.Files = w.in.Scope, w.in.StateDir, w.in.Files
			var tl told
			err := Run(context.Background(), in, tl.env(&tt.iam, tt.confirm(t)))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				if _, err := os.Stat(w.gitconfig); err == nil {
					t.Error("git's config written for a profile that is not there")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			all := strings.Join(tl.said, "\n")
			for _, want := range tt.said {
				if !strings.Contains(all, want) {
					t.Errorf("said\n%s\nwant %q", all, want)
				}
			}
			warned := strings.Join(tl.warned, "\n")
			if tt.warned == "" && warned != "" || !strings.Contains(warned, tt.warned) {
				t.Errorf("warned %q, want %q", warned, tt.warned)
			}
			if tt.iam.calls != tt.wantCalls {
				t.Errorf("%d IAM calls, want %d", tt.iam.calls, tt.wantCalls)
			}
			b, _ := os.ReadFile(in.Files.Config)
			if tt.config2 == "" && string(b) != tt.config || !strings.Contains(string(b), tt.config2) {
				t.Errorf("AWS config:\n%s\nwant it to hold %q (unchanged: %v)", b, tt.config2, tt.config2 == "")
			}
			if h := gitHelpers(t); !strings.Contains(h, "mfa-git") {
				t.Errorf("git's helpers for CodeCommit: %q", h)
			}
			if got := LastProfile(in.StateDir); got != in.Profile {
				t.Errorf("last profile %q, want %q", got, in.Profile)
			}
		})
	}
}

// TestRunAgainAndUndo: a second run changes nothing and says so; Undo
// gives git's file back byte for byte, and then has nothing to remove.
func TestRunAgainAndUndo(t *testing.T) {
	w := newWorld(t, user+"mfa_serial = "+alice+"\n", userKeys)
	mine := "# mine\n[user]\n\tname = Someone\n"
	if err := os.WriteFile(w.gitconfig, []byte(mine), 0o600); err != nil {
		t.Fatal(err)
	}
	in := w.in
	in.Profile = "base"
	var tl told
	for range 2 {
		if err := Run(context.Background(), in, tl.env(&devices{}, noConfirm(t))); err != nil {
			t.Fatal(err)
		}
	}
	if last := tl.said[len(tl.said)-1]; last != "git (global config) is already set up for CodeCommit" {
		t.Errorf("second run said %q", last)
	}
	tl.said = nil
	if err := Undo(in, tl.env(nil, nil).Say); err != nil {
		t.Fatal(err)
	}
	if len(tl.said) == 0 || !strings.Contains(tl.said[0], "removed the mfa-git helper") {
		t.Errorf("undo said %q", tl.said)
	}
	if b, _ := os.ReadFile(w.gitconfig); string(b) != mine {
		t.Errorf("git's file after undo:\n%s\nwant\n%s", b, mine)
	}
	tl.said = nil
	if err := Undo(in, tl.env(nil, nil).Say); err != nil {
		t.Fatal(err)
	}
	if want := []string{"git was not set up by mfa-git; nothing to remove"}; strings.Join(tl.said, "\n") != want[0] {
		t.Errorf("second undo said %q, want %q", tl.said, want)
	}
}

// TestRunStoreFails: a keystore that does not open is a warning, after
// git is set up.
func TestRunStoreFails(t *testing.T) {
	w := newWorld(t, user, userKeys)
	in := w.in
	in.Profile = "base"
	var tl told
	env := tl.env(&devices{}, noConfirm(t))
	env.Store = func() (keystore.Store, error) { return nil, errors.New("the keyring is locked") }
	if err := Run(context.Background(), in, env); err != nil {
		t.Fatal(err)
	}
	if len(tl.warned) != 1 || tl.warned[0] != "the keyring is locked" {
		t.Errorf("warned %q", tl.warned)
	}
	if !strings.Contains(gitHelpers(t), "mfa-git --profile base") {
		t.Error("git not set up")
	}
}

// TestRunSandbox finds the device with a real IAM call (awsapi against
// the sandbox's iam:ListMFADevices) and writes it.
func TestRunSandbox(t *testing.T) {
	sb, p := sandboxtest.Profile(t)
	w := newWorld(t, fmt.Sprintf("[profile sb]\nregion = %s\nendpoint_url = %s\n", sandbox.Region, sb.STSURL),
		fmt.Sprintf("[sb]\naws_access_key_id = %s\naws_secret_access_key = %s\n", p.AccessKeyID, p.SecretAccessKey))
	in := w.in
	in.Profile, in.Yes = "sb", true
	var tl told
	env := tl.env(nil, noConfirm(t))
	env.IAM = awsapi.Client{}
	if err := Run(context.Background(), in, env); err != nil {
		t.Fatal(err)
	}
	if len(tl.warned) > 0 {
		t.Fatalf("warned %q", tl.warned)
	}
	b, _ := os.ReadFile(in.Files.Config)
	if !strings.Contains(string(b), "mfa_serial = "+sb.MFASerial+"\n") {
		t.Errorf("AWS config:\n%s\nwant mfa_serial = %s", b, sb.MFASerial)
	}
}
