package profile

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/logincreds"
	"github.com/aws/aws-sdk-go-v2/credentials/processcreds"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// The kinds of profile are checked against the SDK for Go v2 two ways:
// which credential provider its config loader picks for a profile (the
// kind, and for a role the kind of its source), and the IAM Identity
// Center, aws login and credential_process values it reads (with the
// [sso-session NAME] section's).

// kindKeys are the keys that decide a profile's kind, and the
// sso-session section's, compared value by value.
var kindKeys = []string{"sso_session", "sso_start_url", "sso_region", "sso_account_id", "sso_role_name", "login_session", "credential_process",
	"session sso_start_url", "session sso_region"}

// kindHandCases take each rule of the kinds' order and of the
// sso-session section once.
var kindHandCases = []diffCase{
	{"sso session", ssoSession + ssoProfile, ""},
	{"sso legacy", "[profile sso]\nsso_start_url = https://x.awsapps.com/start\nsso_region = eu-west-1\nsso_account_id = 123456789012\nsso_role_name = Dev\n", ""},
	{"sso session with matching legacy keys", ssoSession + ssoProfile + "sso_region = eu-west-1\nsso_start_url = https://corp.awsapps.com/start\n", ""},
	{"sso session missing", ssoProfile, ""},
	{"sso session incomplete", "[sso-session corp]\nsso_region = eu-west-1\n" + ssoProfile, ""},
	{"sso legacy incomplete", "[profile sso]\nsso_start_url = https://x.awsapps.com/start\nsso_account_id = 123456789012\n", ""},
	{"keys win", ssoSession + ssoProfile + "login_session = x\nmfa_serial = " + hcMFA + "\n", "[sso]\n" + hcKeys},
	{"login", "[profile sso]\nlogin_session = arn:aws:iam::123456789012:user/a\ncredential_process = /bin/creds\n", ""},
	{"process", "[profile sso]\ncredential_process = /bin/creds --x\n", ""},
	{"process in the credentials file", "", "[sso]\ncredential_process = /bin/creds\n"},
	{"role over sso", ssoSession + ssoProfile + "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = sso\n", ""},
	{"role over process", "[profile p]\ncredential_process = /bin/creds\n[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = p\n", ""},
	{"sso-session section spelling", "[ sso-session   corp ]\nsso_start_url = https://corp.awsapps.com/start # c\nsso_region = eu-west-1\n" + ssoProfile, ""},
	{"sso-session in the credentials file", ssoProfile, ssoSession},
	{"keys without mfa_serial", "", "[u]\n" + hcKeys},
	{"source_profile without role_arn", ssoSession + ssoProfile + "[profile dev]\nsource_profile = sso\n", ""},
	{"keys and source_profile without role_arn", "[profile u]\nsource_profile = u\nmfa_serial = " + hcMFA + "\n", "[u]\n" + hcKeys},
	{"role over a source with source_profile and no role_arn", "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = u\n[profile u]\nsource_profile = dev\n", "[u]\n" + hcKeys},
	{"a role over its own sso", ssoSession + ssoProfile + "role_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = sso\n", ""},
	{"a role over its own credential_process", "[profile p]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = p\ncredential_process = /bin/creds\n", ""},
	{"a cycle back to a role with sso", ssoSession + ssoProfile + "role_arn = arn:aws:iam::123456789012:role/a\nsource_profile = dev\n[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = sso\n", ""},
	{"a cycle of roles without credentials", "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = a\n", ""},
	{"a role with credential_process over keys", "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = u\ncredential_process = /bin/creds\n[profile u]\nmfa_serial = " + hcMFA + "\n", "[u]\n" + hcKeys},
	{"mfa_serial on the role", "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = u\nmfa_serial = " + hcMFA + "\n", "[u]\n" + hcKeys},
	{"role over keys without mfa_serial", "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = u\n", "[u]\n" + hcKeys},
}

// kindGenerated is how many generated cases TestKindsMatchSDK adds.
const kindGenerated = 150

// genKindCase makes profiles p and q of random kinds (p maybe a role
// over q), with only values that can be right.
func genKindCase(seed uint64) diffCase {
	r := rand.New(rand.NewPCG(seed, 0x6b696e6473))
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	var cfg, creds strings.Builder
	if r.IntN(3) > 0 {
		cfg.WriteString("[sso-session corp]\n")
		if r.IntN(5) > 0 {
			cfg.WriteString("sso_start_url = https://corp.awsapps.com/start\n")
		}
		if r.IntN(5) > 0 {
			cfg.WriteString("sso_region = eu-west-1\n")
		}
	}
	// Each profile starts as one kind (or none), complete, and then
	// gets each other key at random.
	kinds := [][]string{
		{"sso_session", "sso_account_id", "sso_role_name"},
		{"sso_start_url", "sso_region", "sso_account_id", "sso_role_name"},
		{"login_session"}, {"credential_process"}, {},
	}
	body := func() string {
		base := kinds[r.IntN(len(kinds))]
		var b strings.Builder
		for _, kv := range [][2]string{
			{"sso_session", pick("corp", "corp", "other")},
			{"sso_start_url", pick("https://corp.awsapps.com/start", "https://old.awsapps.com/start")},
			{"sso_region", pick("eu-west-1", "us-east-1")},
			{"sso_account_id", "123456789012"},
			{"sso_role_name", pick("Dev", "Admin")},
			{"login_session", "arn:aws:iam::123456789012:user/a"},
			{"credential_process", "/bin/creds --" + pick("a", "b")},
		} {
			if slices.Contains(base, kv[0]) || r.IntN(6) == 0 {
				fmt.Fprintf(&b, "%s = %s\n", kv[0], kv[1])
			}
		}
		return b.String() + "mfa_serial = " + hcMFA + "\n"
	}
	if r.IntN(3) == 0 {
		cfg.WriteString("[profile p]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = q\n")
	} else {
		cfg.WriteString("[profile p]\n" + body())
	}
	cfg.WriteString("[profile q]\n" + body())
	for _, n := range []string{"p", "q"} {
		if r.IntN(5) == 0 {
			creds.WriteString("[" + n + "]\n" + hcKeys)
		}
	}
	return diffCase{fmt.Sprintf("generated kinds %d", seed), cfg.String(), creds.String()}
}

// readerKind is what the reader makes of profile name: its kind, "role
// over" its source's kind, "none" for a profile with no credentials,
// or "error" for one it refuses. An IAM user's keys without mfa_serial
// are refused by mfa-git's rule (ErrNoMFASerial), not by a different
// reading of the files: the kind is still an IAM user's, as the SDK's.
func readerKind(files Files, name string) (string, error) {
	p, r, err := Resolve(context.Background(), name, files, nil)
	switch {
	case errors.Is(err, ErrNoKeys) && RawKeys(files, name)["role_arn"] == "":
		return "none", nil
	case errors.Is(err, ErrNoMFASerial) && RawKeys(files, name)["role_arn"] == "":
		return KindUser.String(), nil
	case errors.Is(err, ErrNoMFASerial):
		return "role over " + KindUser.String(), nil
	case err != nil:
		return "error", err
	case r != nil:
		return "role over " + r.Source.Kind.String(), nil
	}
	return p.Kind.String(), nil
}

// sdkKind is what the SDK's config loader makes of profile name: which
// provider it picks ("none" for the instance metadata it falls back to).
func sdkKind(files Files, name string) string {
	// A token provider, as mfa-git is one: without it the SDK refuses a
	// role profile with mfa_serial for want of a way to ask for codes.
	token := config.WithAssumeRoleCredentialOptions(func(o *stscreds.AssumeRoleOptions) {
		o.TokenProvider = func() (string, error) { return "123456", nil }
	})
	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithSharedConfigProfile(name), token,
		config.WithSharedConfigFiles([]string{files.Config}), config.WithSharedCredentialsFiles([]string{files.Credentials}))
	if err != nil {
		return "error"
	}
	sc, err := config.LoadSharedConfigProfile(context.Background(), name, func(o *config.LoadSharedConfigOptions) {
		o.ConfigFiles, o.CredentialsFiles = []string{files.Config}, []string{files.Credentials}
	})
	if err != nil {
		return "error"
	}
	kind := func(sc *config.SharedConfig) string {
		switch {
		case sc.Credentials.HasKeys():
			return KindUser.String()
		case sc.SSOSessionName != "" || sc.SSOStartURL != "" || sc.SSORegion != "" || sc.SSOAccountID != "" || sc.SSORoleName != "":
			return KindSSO.String()
		case sc.LoginSession != "":
			return KindLogin.String()
		case sc.CredentialProcess != "":
			return KindProcess.String()
		}
		return "none"
	}
	for _, c := range []struct {
		target aws.CredentialsProvider
		kind   string
	}{
		{credentials.StaticCredentialsProvider{}, KindUser.String()},
		{(*ssocreds.Provider)(nil), KindSSO.String()},
		{(*logincreds.Provider)(nil), KindLogin.String()},
		{(*processcreds.Provider)(nil), KindProcess.String()},
	} {
		if aws.IsCredentialsProvider(cfg.Credentials, c.target) {
			if c.kind != kind(&sc) {
				return fmt.Sprintf("provider %s, shared config %s", c.kind, kind(&sc))
			}
			return c.kind
		}
	}
	if aws.IsCredentialsProvider(cfg.Credentials, (*stscreds.AssumeRoleProvider)(nil)) && sc.Source != nil {
		src := sc.Source // the end of a chain of roles
		for src.Source != nil {
			src = src.Source
		}
		return "role over " + kind(src)
	}
	return "none"
}

// readerKindValues is the reader's kindKeys of profile name.
func readerKindValues(sf *sharedFiles, name string) map[string]string {
	raw, _ := sf.raw(name)
	out := map[string]string{}
	for _, k := range kindKeys {
		if key, ok := strings.CutPrefix(k, "session "); ok {
			if s := raw.get("sso_session"); s != "" {
				out[k] = sf.profiles[prefixSSOSession+strings.TrimSpace(s)].get(key)
			}
			continue
		}
		out[k] = raw.get(k)
	}
	return out
}

// sdkKindValues is the SDK's kindKeys of profile name, or nil when its
// loader refuses the profile.
func sdkKindValues(files Files, name string) map[string]string {
	sc, err := config.LoadSharedConfigProfile(context.Background(), name, func(o *config.LoadSharedConfigOptions) {
		o.ConfigFiles, o.CredentialsFiles = []string{files.Config}, []string{files.Credentials}
	})
	if err != nil {
		return nil
	}
	out := map[string]string{"sso_session": sc.SSOSessionName, "sso_start_url": sc.SSOStartURL, "sso_region": sc.SSORegion,
		"sso_account_id": sc.SSOAccountID, "sso_role_name": sc.SSORoleName, "login_session": sc.LoginSession, "credential_process": sc.CredentialProcess,
		"session sso_start_url": "", "session sso_region": ""}
	if sc.SSOSession != nil {
		out["session sso_start_url"], out["session sso_region"] = sc.SSOSession.SSOStartURL, sc.SSOSession.SSORegion
	}
	if sc.Source != nil {
		// A role's own credential keys are cleared by the SDK once it
		// follows source_profile: compare those of the role as read.
		return nil
	}
	return out
}

// roleOverLogin is the one documented difference: the SDK for Go's
// loader (config v1.33.15) does not count login_session as credentials
// for a source_profile, and refuses a role over an aws login profile;
// mfa-git serves it (the AWS CLI v2 does too).
func roleOverLogin(reader, sdk string) bool {
	return reader == "role over "+KindLogin.String() && sdk == "error"
}

// ssoOnLoad is the other: the reader refuses on load an IAM Identity
// Center profile without sso_account_id or sso_role_name, or with a
// value that cannot be right; the SDK's loader takes it, and its
// provider fails when asked for credentials.
func ssoOnLoad(files Files, name, reader, sdk string) bool {
	raw := RawKeys(files, name)
	if sdk == "role over "+KindSSO.String() {
		raw = RawKeys(files, raw["source_profile"])
	} else if sdk != KindSSO.String() {
		return false
	}
	return reader == "error" && (raw["sso_account_id"] == "" || raw["sso_role_name"] == "")
}

// refusedValue reports whether err refuses a value that cannot be right
// (naming the file and line it was read from), or a role profile that
// mfa-git does not serve (role_arn without source_profile,
// credential_source, web_identity_token_file), which the SDK's loader
// takes and its providers would fail on or resolve otherwise.
func refusedValue(files Files, err error) bool {
	return err != nil && (strings.Contains(err.Error(), files.Config+":") || strings.Contains(err.Error(), files.Credentials+":"))
}

// compareKinds compares the reader and the SDK on one case, returning
// the differences.
func compareKinds(t testing.TB, c diffCase) []string {
	dir := t.TempDir()
	files := Files{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
	os.WriteFile(files.Config, []byte(c.cfg), 0o600)
	os.WriteFile(files.Credentials, []byte(c.creds), 0o600)
	sf := readShared(files)
	var out []string
	for _, name := range profileNames(sf.profiles) {
		rk, err := readerKind(files, name)
		sk := sdkKind(files, name)
		if rk != sk && !roleOverLogin(rk, sk) && !ssoOnLoad(files, name, rk, sk) && !refusedValue(files, err) {
			out = append(out, fmt.Sprintf("profile %q: reader %q, SDK %q", name, rk, sk))
		}
		if sv := sdkKindValues(files, name); sv != nil {
			rv := readerKindValues(sf, name)
			for _, k := range kindKeys {
				if rv[k] != sv[k] {
					out = append(out, fmt.Sprintf("profile %q %s: reader %q, SDK %q", name, k, rv[k], sv[k]))
				}
			}
		}
	}
	return out
}

// TestKindsMatchSDK resolves the hand-written and generated cases with
// the reader and the SDK's loader and compares each profile's kind and
// kind values.
func TestKindsMatchSDK(t *testing.T) {
	testenv.ClearAWSEnv(t)
	cases := append([]diffCase{}, kindHandCases...)
	for seed := range generated(kindGenerated) {
		cases = append(cases, genKindCase(seed))
	}
	kinds := map[string]int{}
	for _, c := range cases {
		for _, d := range compareKinds(t, c) {
			t.Errorf("%s: %s\nconfig:\n%s\ncredentials:\n%s", c.name, d, c.cfg, c.creds)
		}
		dir := t.TempDir()
		files := Files{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
		os.WriteFile(files.Config, []byte(c.cfg), 0o600)
		os.WriteFile(files.Credentials, []byte(c.creds), 0o600)
		for _, n := range Names(files) {
			k, _ := readerKind(files, n)
			kinds[k]++
		}
	}
	t.Logf("%d cases; profiles by kind: %v", len(cases), kinds)
	for _, k := range []Kind{KindUser, KindSSO, KindLogin, KindProcess} {
		if kinds[k.String()] == 0 || kinds["role over "+k.String()] == 0 {
			t.Errorf("no case has a %s profile, or a role over one", k)
		}
	}
}

// FuzzKindsMatchSDK is TestKindsMatchSDK on any pair of files.
func FuzzKindsMatchSDK(f *testing.F) {
	testenv.ClearAWSEnv(f)
	for _, c := range kindHandCases {
		f.Add([]byte(c.cfg), []byte(c.creds))
	}
	f.Fuzz(func(t *testing.T, cfg, creds []byte) {
		defer func() {
			if r := recover(); r != nil {
				t.Skipf("the SDK's loader panicked: %v", r)
			}
		}()
		if d := compareKinds(t, diffCase{"fuzz", string(cfg), string(creds)}); d != nil {
			t.Fatal(strings.Join(d, "\n"))
		}
	})
}

// TestKindsMatchCLI asks the AWS CLI (`aws configure get`) for the keys
// that decide a profile's kind in the same cases: where it reads them
// otherwise than the reader (and the SDK), a documented disagreement
// (cliRules) must explain it.
func TestKindsMatchCLI(t *testing.T) {
	testenv.ClearAWSEnv(t)
	testenv.Require(t, "aws") // before writing hundreds of files for it
	cases := append([]diffCase{}, kindHandCases...)
	for seed := range generated(kindGenerated) {
		cases = append(cases, genKindCase(seed))
	}
	var jobs []cliJob
	var sfs []*sharedFiles
	for _, c := range cases {
		dir := t.TempDir()
		files := Files{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
		os.WriteFile(files.Config, []byte(c.cfg), 0o600)
		os.WriteFile(files.Credentials, []byte(c.creds), 0o600)
		sf := readShared(files)
		job := cliJob{Config: files.Config, Credentials: files.Credentials, Queries: [][2]string{}}
		for _, name := range profileNames(sf.profiles) {
			for _, k := range kindKeys {
				if !strings.HasPrefix(k, "session ") {
					job.Queries = append(job.Queries, [2]string{name, k})
				}
			}
		}
		jobs, sfs = append(jobs, job), append(sfs, sf)
	}
	answers := runCLI(t, jobs)
	asked, explained := 0, map[string]int{}
	for j, job := range jobs {
		for q, query := range job.Queries {
			asked++
			name, key := query[0], query[1]
			state, val := answers[j][q].value()
			rstate, rval := readerRaw(sfs[j], name, key)
			if state == rstate && val == rval {
				continue
			}
			rule := explainCLI(cliDiff{cases[j], name, key, rstate, rval, state, val})
			if rule == "" {
				t.Errorf("%s: profile %q key %s: reader %s %q, CLI %s %q: no documented disagreement explains it\nconfig:\n%s\ncredentials:\n%s",
					cases[j].name, name, key, rstate, rval, state, val, cases[j].cfg, cases[j].creds)
				continue
			}
			explained[rule]++
		}
	}
	t.Logf("reader vs AWS CLI on the kinds' keys: %d keys asked, differences by documented rule: %v", asked, explained)
}
