package source

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/awsapi"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/session"
)

// countingSignIn hands out numbered credentials of lifetime and counts
// calls; err, when set, is every answer.
type countingSignIn struct {
	sso, login atomic.Int32
	lifetime   time.Duration
	err        error
	files      []string
}

func (c *countingSignIn) answer(n int32) (*awsapi.Credentials, error) {
	if c.err != nil {
		return nil, c.err
	}
	return &awsapi.Credentials{AccessKeyID: fmt.Sprintf("ASIASSO%d", n), SecretAccessKey: "s", SessionToken: "t", Expiration: time.Now().Add(c.lifetime)}, nil
}

func (c *countingSignIn) SSOCredentials(_ context.Context, _ *profile.Profile, file string) (*awsapi.Credentials, error) {
	c.files = append(c.files, file)
	return c.answer(c.sso.Add(1))
}

func (c *countingSignIn) LoginCredentials(_ context.Context, _ *profile.Profile, file string) (*awsapi.Credentials, error) {
	c.files = append(c.files, file)
	return c.answer(c.login.Add(1))
}

func ssoTestProfile(name string) *profile.Profile {
	return &profile.Profile{Name: name, Kind: profile.KindSSO, SSO: profile.SSO{Session: "corp", StartURL: "https://corp.awsapps.com/start", Region: "eu-west-1", AccountID: "123456789012", RoleName: "Dev"}}
}

func loginTestProfile(name string) *profile.Profile {
	return &profile.Profile{Name: name, Kind: profile.KindLogin, LoginSession: "arn:aws:iam::123456789012:user/alice"}
}

// Each kind's key lies under its profile's prefix, and no key of one
// kind is a key or prefix of another kind's: MFA, other sources and
// roles never replace or forget each other's sessions.
func TestSourceKeysApart(t *testing.T) {
	mfa := MFAUser{Profile: testProfile()}
	sso := SSO{Profile: ssoTestProfile("base")}
	login := Login{Profile: loginTestProfile("base")}
	proc := Process{Profile: &profile.Profile{Name: "base", Kind: profile.KindProcess, CredentialProcess: "/bin/creds"}}
	role := Role{Role: &profile.Role{Name: "dev", Chain: []profile.RoleStep{{Profile: "dev", RoleARN: "arn:aws:iam::123456789012:role/dev", SessionName: "x"}}}, Source: sso}
	keys := map[string]string{}
	for _, src := range []Source{mfa, sso, login, proc, role} {
		d := src.Desc()
		if !strings.HasPrefix(d.Key, session.ProfilePrefix("base")) {
			t.Errorf("%s: key %s is not under the profile's prefix", d.Kind, d.Key)
		}
		if d.Lifetime <= 0 || d.MakeLimit <= 0 || d.ID == "" {
			t.Errorf("%s: desc %+v", d.Kind, d)
		}
		for k, kind := range keys {
			if strings.HasPrefix(k, d.Key) || strings.HasPrefix(d.Key, k) {
				t.Errorf("%s key %s meets %s key %s", d.Kind, d.Key, kind, k)
			}
		}
		keys[d.Key] = d.Kind
	}
	if !strings.HasPrefix(role.Desc().Key, session.RolePrefix("base", "dev")) || !session.IsRoleKey(role.Desc().Key) || session.IsRoleKey(sso.Desc().Key) {
		t.Errorf("role over sso: key %s", role.Desc().Key)
	}
	// Another role or account is another session.
	other := ssoTestProfile("base")
	other.SSO.AccountID = "210987654321"
	if (SSO{Profile: other}).Desc().Key == sso.Desc().Key {
		t.Error("another account has the same key")
	}
}

// source.For gives each kind its source, and a role over any of them.
func TestForKinds(t *testing.T) {
	for _, tc := range []struct {
		p    *profile.Profile
		want string
	}{
		{testProfile(), "source.MFAUser"},
		{ssoTestProfile("s"), "source.SSO"},
		{loginTestProfile("l"), "source.Login"},
		{&profile.Profile{Name: "p", Kind: profile.KindProcess}, "source.Process"},
	} {
		if got := fmt.Sprintf("%T", For(tc.p, nil)); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.p.Kind, got, tc.want)
		}
		r := For(nil, &profile.Role{Name: "dev", Source: tc.p, Chain: []profile.RoleStep{{RoleARN: "arn:aws:iam::1:role/x"}}}).(Role)
		if got := fmt.Sprintf("%T", r.Source); got != tc.want {
			t.Errorf("role over %v: inner %s, want %s", tc.p.Kind, got, tc.want)
		}
	}
}

// One call to the sign-in source per credential lifetime: the second
// command is served from the keystore; the token file is found where the
// AWS CLI writes it.
func TestSignInSourcesOneCallPerLifetime(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home) // the AWS CLI's and the SDK's home on Windows
	t.Setenv("AWS_LOGIN_CACHE_DIRECTORY", "")
	for _, tc := range []struct {
		src   Source
		calls func(*countingSignIn) int32
		file  string
	}{
		// sha1("corp") and sha256 of the login session, as the CLI names them.
		{SSO{Profile: ssoTestProfile("s")}, func(c *countingSignIn) int32 { return c.sso.Load() }, filepath.Join(home, ".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json")},
		{Login{Profile: loginTestProfile("l")}, func(c *countingSignIn) int32 { return c.login.Load() }, filepath.Join(home, ".aws/login/cache/b7d71d383b9557a9bad4c3346c50365819226484c6824a0fdef66637be339db0.json")},
	} {
		si := &countingSignIn{lifetime: time.Hour}
		m, _, pr, _ := newTestManager(t)
		m.SignIn = si
		for range 3 {
			s, err := m.Session(context.Background(), tc.src)
			if err != nil {
				t.Fatal(err)
			}
			if s.AccessKeyID != "ASIASSO1" || s.Key != tc.src.Desc().Key {
				t.Fatalf("%s: session %s under %s", tc.src.Desc().Kind, s.AccessKeyID, s.Key)
			}
		}
		if n := tc.calls(si); n != 1 || pr.n.Load() != 0 {
			t.Errorf("%s: %d calls and %d prompts for three commands, want 1 and 0", tc.src.Desc().Kind, n, pr.n.Load())
		}
		if len(si.files) != 1 || si.files[0] != tc.file {
			t.Errorf("token file %v, want %s", si.files, tc.file)
		}
		// Expired: the next command asks again.
		m.Now = func() time.Time { return time.Now().Add(2 * time.Hour) }
		if _, err := m.Session(context.Background(), tc.src); err != nil {
			t.Fatal(err)
		}
		if n := tc.calls(si); n != 2 {
			t.Errorf("%s: %d calls after expiry, want 2", tc.src.Desc().Kind, n)
		}
	}
}

// A sign-in only a person can renew is the source's error, with its
// hint, and nothing is kept.
func TestSignInNeededPassesThrough(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	m, _, _, _ := newTestManager(t)
	m.SignIn = &countingSignIn{err: hint.New(awsapi.ErrSignInNeeded, "the IAM Identity Center sign-in of profile \"s\" has ended", "run: aws sso login --sso-session corp")}
	_, err := m.Session(context.Background(), SSO{Profile: ssoTestProfile("s")})
	if !errors.Is(err, awsapi.ErrSignInNeeded) || hint.Of(err) != "run: aws sso login --sso-session corp" {
		t.Fatalf("err %v, hint %q", err, hint.Of(err))
	}
	if keys, _ := m.Store.List(); len(keys) != 0 {
		t.Errorf("kept %v", keys)
	}
}

// writeProcess writes a credential_process script that counts its runs
// in a file and prints answer; it returns the profile.
func writeProcess(t *testing.T, answer string) (*profile.Profile, func() int) {
	dir := t.TempDir()
	count := filepath.Join(dir, "runs")
	script := filepath.Join(dir, "creds")
	if runtime.GOOS == "windows" {
		// Run by cmd.exe, as credential_process is there: a batch file
		// that types the answer from a file (no quoting of its JSON).
		script += ".bat"
		os.WriteFile(filepath.Join(dir, "answer"), []byte(answer+"\r\n"), 0o600)
		os.WriteFile(script, []byte("@echo off\r\necho run>>\""+count+"\"\r\ntype \""+filepath.Join(dir, "answer")+"\"\r\n"), 0o700)
	} else {
		os.WriteFile(script, []byte("#!/bin/sh\necho run >> "+count+"\ncat <<'EOF'\n"+answer+"\nEOF\n"), 0o700)
	}
	cfg := filepath.Join(dir, "config")
	os.WriteFile(cfg, []byte("[profile proc]\ncredential_process = "+script+"\n"), 0o600)
	p := &profile.Profile{Name: "proc", Kind: profile.KindProcess, CredentialProcess: script, Files: profile.Files{Config: cfg, Credentials: filepath.Join(dir, "credentials")}}
	return p, func() int {
		b, _ := os.ReadFile(count)
		return strings.Count(string(b), "run")
	}
}

// A credential_process answer is kept until its Expiration; one without
// Expiration serves its call only and is never kept.
func TestProcessKeepsUntilExpiration(t *testing.T) {
	exp := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	for _, tc := range []struct {
		name, answer string
		runs         int
		kept         bool
	}{
		{"with expiration", `{"Version": 1, "AccessKeyId": "ASIAPROC", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "` + exp + `"}`, 1, true},
		{"without expiration", `{"Version": 1, "AccessKeyId": "ASIAPROC", "SecretAccessKey": "s", "SessionToken": "t"}`, 3, false},
		{"long-term keys", `{"Version": 1, "AccessKeyId": "AKIAPROC", "SecretAccessKey": "s", "Expiration": "` + exp + `"}`, 3, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, runs := writeProcess(t, tc.answer)
			m, _, _, _ := newTestManager(t)
			for range 3 {
				s, err := m.Session(context.Background(), Process{Profile: p})
				if err != nil {
					t.Fatal(err)
				}
				if !strings.HasSuffix(s.AccessKeyID, "PROC") {
					t.Fatalf("session %s", s.AccessKeyID)
				}
			}
			if n := runs(); n != tc.runs {
				t.Errorf("%d runs for three commands, want %d", n, tc.runs)
			}
			if keys, _ := m.Store.List(); (len(keys) == 1) != tc.kept {
				t.Errorf("kept %v, want kept %v", keys, tc.kept)
			}
		})
	}
}

// Answers that are not the documented JSON are refused without quoting
// the answer (it holds secrets).
func TestProcessBadAnswers(t *testing.T) {
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	for _, tc := range []struct{ answer, want string }{
		{`not json SECRETVALUE`, "not the credential_process JSON"},
		{`{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "SECRETVALUE"}`, "Version 2"},
		{`{"Version": 1, "AccessKeyId": "A"}`, "without AccessKeyId or SecretAccessKey"},
		{`{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "SECRETVALUE", "SessionToken": "t", "Expiration": "` + past + `"}`, "expired at"},
	} {
		p, _ := writeProcess(t, tc.answer)
		m, _, _, _ := newTestManager(t)
		_, err := m.Session(context.Background(), Process{Profile: p})
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "SECRETVALUE") || hint.Of(err) == "" {
			t.Errorf("%s: %v (hint %q)", tc.answer, err, hint.Of(err))
		}
	}
}

// A credential_process named in a file another user can write is not
// run.
func TestProcessUntrustedConfig(t *testing.T) {
	p, runs := writeProcess(t, `{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "s"}`)
	if runtime.GOOS == "windows" {
		// Windows' rule (internal/trust, SECURITY.md) checks no owner or
		// ACL, only that the file is named by an absolute path, never
		// one taken from the folder git runs mfa-git in.
		p.Files.Config = filepath.Base(p.Files.Config)
	} else {
		os.Chmod(p.Files.Config, 0o666)
	}
	m, _, _, _ := newTestManager(t)
	_, err := m.Session(context.Background(), Process{Profile: p})
	if err == nil || !strings.Contains(err.Error(), "refusing to run the credential_process") || runs() != 0 {
		t.Fatalf("err %v, %d runs", err, runs())
	}
}
