package profile

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/keystore"
	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// answers is a person at the terminal: each question gets the next
// answer; an exhausted list is a terminal that is not there.
type answers struct {
	list  []string
	asked []string
}

var errNoTerminal = errors.New("no terminal to ask on")

func (a *answers) next(prompt string) (string, error) {
	a.asked = append(a.asked, prompt)
	if len(a.list) == 0 {
		return "", errNoTerminal
	}
	s := a.list[0]
	a.list = a.list[1:]
	return s, nil
}

func (a *answers) AskLine(_ context.Context, prompt string) (string, error) {
	return a.next(prompt)
}

func (a *answers) AskSecret(_ context.Context, prompt string) (string, error) {
	return a.next("(secret) " + prompt)
}

func TestCheckLongTermKey(t *testing.T) {
	for _, tt := range []struct {
		id, secret string
		ok         bool
	}{
		{"AKIAIOSFODNN7EXAMPLE", "s", true},
		{"ASIAIOSFODNN7EXAMPLE", "s", false}, // a session key
		{"AKIAIOSFODNN7EXAMPL", "s", false},
		{"AKIAIOSFODNN7EXAMPLEX", "s", false},
		{"AKIAIOSFODNN7EXAMPLE", "", false},
		{"", "", false},
	} {
		err := CheckLongTermKey(tt.id, tt.secret)
		if (err == nil) != tt.ok || err != nil && !errors.Is(err, ErrUnusableInput) {
			t.Errorf("CheckLongTermKey(%q, %q) = %v, want ok %v", tt.id, tt.secret, err, tt.ok)
		}
	}
}

func TestKeyToMove(t *testing.T) {
	const (
		id     = "AKIAIOSFODNN7EXAMPLE"
		inFile = "[base]\naws_access_key_id = " + id + "\naws_secret_access_key = file-secret\n"
	)
	for _, tt := range []struct {
		name          string
		config, creds string
		req           KeyRequest
		answers       []string
		wantSecret    string
		wantInFiles   bool
		asked         int
		err           string // "" none
		unusable      bool   // err matches ErrUnusableInput
		hint          string
	}{
		{name: "in the files", creds: inFile, req: KeyRequest{Name: "base"}, wantSecret: "file-secret", wantInFiles: true},
		{name: "given, trimmed; the files' key ignored", creds: inFile, req: KeyRequest{Name: "base", Given: true, AccessKeyID: " " + id + "\n", SecretAccessKey: " env-secret\n"}, wantSecret: "env-secret"},
		{name: "given, not a long-term key", creds: inFile, req: KeyRequest{Name: "base", Given: true, AccessKeyID: "ASIAIOSFODNN7EXAMPLE", SecretAccessKey: "s"},
			err: "not an IAM user's long-term access key", unusable: true},
		{name: "given, none", req: KeyRequest{Name: "base", Given: true}, err: "not an IAM user's long-term access key", unusable: true},
		{name: "no keys in the files: asked", config: "[profile base]\nregion = eu-west-1\n", req: KeyRequest{Name: "base"},
			answers: []string{id + " ", "typed-secret"}, wantSecret: "typed-secret", asked: 2},
		{name: "no profile: asked", req: KeyRequest{Name: "new"}, answers: []string{id, "typed-secret"}, wantSecret: "typed-secret", asked: 2},
		{name: "asked, a wrong key", req: KeyRequest{Name: "new"}, answers: []string{"AKIA", "typed-secret"}, asked: 2,
			err: "not an IAM user's long-term access key", unusable: true},
		{name: "no terminal", req: KeyRequest{Name: "new"}, asked: 1,
			err: errNoTerminal.Error(), hint: "or run with --env and AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY set"},
		{name: "no terminal for the secret", req: KeyRequest{Name: "new"}, answers: []string{id}, asked: 2,
			err: errNoTerminal.Error(), hint: "or run with --env and AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY set"},
		{name: "a profile that cannot be read is not asked for", config: "[profile base]\nregion = eu west 1\n", creds: inFile,
			req: KeyRequest{Name: "base"}, err: "is not an AWS region"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			testenv.ClearAWSEnv(t)
			f := writeFiles(t, tt.config, tt.creds)
			a := &answers{list: tt.answers}
			gotID, secret, inFiles, err := KeyToMove(context.Background(), tt.req, f, a)
			if len(a.asked) != tt.asked {
				t.Errorf("asked %q, want %d questions", a.asked, tt.asked)
			}
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || errors.Is(err, ErrUnusableInput) != tt.unusable || hint.Of(err) != tt.hint && tt.hint != "" {
					t.Fatalf("error %v (hint %q), want %q (unusable input %v, hint %q)", err, hint.Of(err), tt.err, tt.unusable, tt.hint)
				}
				return
			}
			if err != nil || gotID != id || secret != tt.wantSecret || inFiles != tt.wantInFiles {
				t.Errorf("KeyToMove = %q, %q, %v, %v; want %q, %q, %v", gotID, secret, inFiles, err, id, tt.wantSecret, tt.wantInFiles)
			}
		})
	}
}

func TestFilePassphrase(t *testing.T) {
	for _, tt := range []struct {
		name     string
		set      string
		isNew    bool
		answers  []string
		want     string
		asked    []string
		err      string
		unusable bool
		hint     string
	}{
		{name: "set: not asked", set: "from-env", isNew: true, want: "from-env"},
		{name: "an existing keyring: asked once", answers: []string{"pw"}, want: "pw",
			asked: []string{"(secret) passphrase for the mfa-git file keyring at /k"}},
		{name: "a new keyring: asked twice", isNew: true, answers: []string{"pw", "pw"}, want: "pw",
			asked: []string{"(secret) passphrase for the mfa-git file keyring at /k", "(secret) the same passphrase again (a new keyring)"}},
		{name: "a new keyring: the two differ", isNew: true, answers: []string{"pw", "wp"}, asked: make([]string, 2),
			err: "the two passphrases differ; nothing was written or removed", unusable: true, hint: "run the command again and type the same passphrase twice"},
		{name: "empty", isNew: true, answers: []string{""}, asked: make([]string, 1),
			err: "the file keyring's passphrase is empty; nothing was written", unusable: true, hint: "run the command again and give a passphrase"},
		{name: "no terminal", asked: make([]string, 1), err: errNoTerminal.Error(), hint: "set MFA_GIT_FILE_PASSPHRASE, or run the command in a terminal"},
		{name: "no terminal the second time", isNew: true, answers: []string{"pw"}, asked: make([]string, 2),
			err: errNoTerminal.Error(), hint: "set MFA_GIT_FILE_PASSPHRASE, or run the command in a terminal"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := &answers{list: tt.answers}
			got, err := FilePassphrase(context.Background(), tt.set, a, "/k", tt.isNew)
			if len(a.asked) != len(tt.asked) || tt.err == "" && fmt.Sprint(a.asked) != fmt.Sprint(tt.asked) {
				t.Errorf("asked %q, want %q", a.asked, tt.asked)
			}
			if tt.err != "" {
				if err == nil || err.Error() != tt.err || errors.Is(err, ErrUnusableInput) != tt.unusable || hint.Of(err) != tt.hint {
					t.Fatalf("error %v (hint %q), want %q (unusable input %v, hint %q)", err, hint.Of(err), tt.err, tt.unusable, tt.hint)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("FilePassphrase = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// TestKeepingOpener opens real keyrings: the file keyring, with the
// passphrase fixed before anything is written and checked against the
// entries there, and the kernel keyring, which is refused.
func TestKeepingOpener(t *testing.T) {
	service := testenv.KeyringService(t)
	dir := filepath.Join(t.TempDir(), "keyring")
	cfg := keystore.Config{Backend: keystore.File, Service: service, FileDir: dir,
		Passphrase: func(string) (string, error) { return "", errors.New("the opener must fix the passphrase") }}
	opens := 0
	open := func(c keystore.Config) (keystore.Store, error) { opens++; return keystore.Open(c) }
	type call struct {
		dir   string
		isNew bool
	}
	var calls []call
	pass := func(p string) func(string, bool) (string, error) {
		return func(dir string, isNew bool) (string, error) { calls = append(calls, call{dir, isNew}); return p, nil }
	}

	// A new keyring: its passphrase is asked for as new, and each open
	// is a fresh one that reads what another wrote.
	o, err := KeepingOpener(cfg, open, pass("right"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []call{{dir, true}}; fmt.Sprint(calls) != fmt.Sprint(want) {
		t.Errorf("passphrase asked %v, want %v", calls, want)
	}
	s1, err := o()
	if err != nil {
		t.Fatal(err)
	}
	if err := StoreKeys(s1, "base", "AKIAIOSFODNN7EXAMPLE", "s"); err != nil {
		t.Fatal(err)
	}
	before := opens
	s2, err := o()
	if err != nil || opens != before+1 {
		t.Fatalf("second open: %v (%d opens)", err, opens-before)
	}
	if id, _, err := StoredKeys(s2, "base"); err != nil || id != "AKIAIOSFODNN7EXAMPLE" {
		t.Errorf("read back %q, %v", id, err)
	}

	// The keyring now holds an entry: asked as existing; a passphrase
	// that does not open it is refused.
	calls = nil
	if _, err := KeepingOpener(cfg, open, pass("wrong")); err == nil || !errors.Is(err, keystore.ErrWrongPassphrase) {
		t.Errorf("a wrong passphrase: %v", err)
	}
	if want := []call{{dir, false}}; fmt.Sprint(calls) != fmt.Sprint(want) {
		t.Errorf("passphrase asked %v, want %v", calls, want)
	}
	if _, err := KeepingOpener(cfg, open, pass("right")); err != nil {
		t.Errorf("the right passphrase: %v", err)
	}

	// A passphrase that cannot be had: nothing opens.
	if _, err := KeepingOpener(cfg, open, func(string, bool) (string, error) { return "", errNoTerminal }); !errors.Is(err, errNoTerminal) {
		t.Errorf("no passphrase: %v", err)
	}

	if runtime.GOOS == "linux" {
		calls = nil
		_, err := KeepingOpener(keystore.Config{Backend: keystore.KeyCtl, Service: service}, open, pass("x"))
		if err == nil || !strings.Contains(err.Error(), "the kernel keyring forgets everything at reboot") || len(calls) != 0 {
			t.Errorf("the kernel keyring: %v (passphrase asked %v)", err, calls)
		}
	}
}
