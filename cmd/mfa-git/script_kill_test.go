package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/mfa-git/mfa-git/internal/keystore"
)

// killadd PROFILE SECRET N: N times, put back the AWS files from
// config.orig and creds.orig, empty the file keyring, start
// `mfa-git add --profile PROFILE`, and SIGKILL it at a random moment
// within the time one whole run takes. After each kill: the secret key is
// in the credentials file or (read by a fresh open of the keyring with
// MFA_GIT_FILE_PASSPHRASE) in the keyring, and no temporary file is left
// in ~/.aws or mfa-git's folders. Prints how many kills landed before,
// during and after the move.
func cmdKillAdd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: killadd PROFILE SECRET N")
	}
	name, secret := args[0], args[1]
	n, err := strconv.Atoi(args[2])
	if err != nil || n < 1 || n > 500 {
		ts.Fatalf("killadd: N must be 1 to 500")
	}
	home := ts.Getenv("HOME")
	keyringDir := filepath.Join(ts.Getenv("XDG_CONFIG_HOME"), "mfa-git", "keyring")
	creds := filepath.Join(home, ".aws", "credentials")
	reset := func() {
		ts.Check(os.RemoveAll(keyringDir))
		for from, to := range map[string]string{"config.orig": filepath.Join(home, ".aws", "config"), "creds.orig": creds} {
			b, err := os.ReadFile(ts.MkAbs(from))
			ts.Check(err)
			ts.Check(os.WriteFile(to, b, 0o600))
		}
	}
	var env []string
	for _, v := range []string{"PATH", "HOME", "TMPDIR", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR",
		"MFA_GIT_KEYRING", "MFA_GIT_KEYRING_SERVICE", "MFA_GIT_FILE_PASSPHRASE", "MFA_GIT_AGENT", "MFA_GIT_AGENT_SOCK", "GIT_CONFIG_NOSYSTEM"} {
		env = append(env, v+"="+ts.Getenv(v))
	}
	bin := ""
	for _, dir := range filepath.SplitList(ts.Getenv("PATH")) {
		if _, err := os.Stat(filepath.Join(dir, "mfa-git")); err == nil {
			bin = filepath.Join(dir, "mfa-git")
			break
		}
	}
	if bin == "" {
		ts.Fatalf("killadd: mfa-git is not on PATH")
	}
	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "add", "--profile", name)
		cmd.Env, cmd.Dir = env, ts.MkAbs(".")
		ts.Check(cmd.Start())
		return cmd
	}
	// One whole run gives the span the kills are spread over.
	reset()
	began := time.Now()
	whole := start()
	ts.Check(waitBounded(whole))
	span := time.Since(began)

	var inFileOnly, inBoth, inKeyringOnly int
	for i := 0; i < n; i++ {
		reset()
		cmd := start()
		time.Sleep(rand.N(span))
		cmd.Process.Kill()
		cmd.Wait()
		b, err := os.ReadFile(creds)
		ts.Check(err)
		inFile := bytes.Contains(b, []byte("aws_secret_access_key = "+secret))
		inKeyring := keyInFileKeyring(ts, keyringDir, name, secret)
		switch {
		case inFile && inKeyring:
			inBoth++
		case inFile:
			inFileOnly++
		case inKeyring:
			inKeyringOnly++
		default:
			ts.Fatalf("kill %d (after up to %v): the key is neither in %s nor in the keyring", i+1, span, creds)
		}
		checkNoTemporary(ts, filepath.Join(home, ".aws"), filepath.Join(ts.Getenv("XDG_CONFIG_HOME"), "mfa-git"), ts.Getenv("XDG_CACHE_HOME"))
	}
	ts.Logf("killadd: %d kills within %v: key in the file only %d, in both %d, in the keyring only %d; %d invariant checks", n, span.Round(time.Millisecond), inFileOnly, inBoth, inKeyringOnly, 2*n)
	if inKeyringOnly == 0 || inFileOnly+inBoth == 0 {
		ts.Logf("killadd: every kill landed on one side of the move")
	}
}

// waitBounded waits for cmd, killing it after a minute.
func waitBounded(cmd *exec.Cmd) error {
	t := time.AfterFunc(time.Minute, func() { cmd.Process.Kill() })
	defer t.Stop()
	return cmd.Wait()
}

// keyInFileKeyring opens the file keyring afresh and says whether it
// holds exactly profile's secret.
func keyInFileKeyring(ts *testscript.TestScript, dir, profile, secret string) bool {
	if _, err := os.Stat(dir); err != nil {
		return false
	}
	pass := ts.Getenv("MFA_GIT_FILE_PASSPHRASE")
	s, err := keystore.Open(keystore.Config{Backend: keystore.File, Service: ts.Getenv("MFA_GIT_KEYRING_SERVICE"), FileDir: dir,
		Passphrase: func(string) (string, error) { return pass, nil }})
	ts.Check(err)
	b, err := s.Get("keys/" + profile)
	if err != nil {
		return false
	}
	var k struct {
		Secret string `json:"secret_access_key"`
	}
	return json.Unmarshal(b, &k) == nil && k.Secret == secret
}

// checkNoTemporary fails if a temporary file of mfa-git's (".mfa-git-*",
// or a keyring library's temporary) is in one of dirs.
func checkNoTemporary(ts *testscript.TestScript, dirs ...string) {
	for _, dir := range dirs {
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if base := d.Name(); strings.HasPrefix(base, ".mfa-git-") || strings.HasSuffix(base, ".tmp") {
				ts.Fatalf("temporary file left behind: %s", path)
			}
			return nil
		})
	}
}
