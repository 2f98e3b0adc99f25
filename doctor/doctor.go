// Package doctor checks a user's setup end to end and says, for every
// problem, what to do: git and its helper chain, the keyring, the agent,
// the profile, the clock, and with a cached session the identity and a
// real git ls-remote. It never prompts for a code.
package doctor

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/mfa-git/mfa-git/agent"
	"github.com/mfa-git/mfa-git/awsapi"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/userdir"
	"github.com/mfa-git/mfa-git/keystore"
	"github.com/mfa-git/mfa-git/profile"
	"github.com/mfa-git/mfa-git/session"
)

// Statuses of a check.
const (
	OK   = "OK"
	Warn = "WARN"
	Fail = "FAIL"
	Skip = "SKIP"
)

// Check is one finding.
type Check struct {
	Name   string `json:"name"`
	Status string `json:"status"`
	Detail string `json:"detail"`
	Fix    string `json:"fix,omitempty"`
}

// Env is what the checks look at.
type Env struct {
	// URL is the repository to check; a CodeCommit example when empty.
	URL     string
	Profile string
	Files   profile.Files
	// Store opens the configured keystore.
	Store func() (keystore.Store, error)
	// Manager reads the cached session (never prompting).
	Manager *session.Manager
	// AgentSocket is where the agent would listen.
	AgentSocket string
	// ExtraArgs are the helper flags setup would write for URL.
	SetupHint string
}

// DefaultURL stands for "any CodeCommit repository".
const DefaultURL = "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/example"

// Run performs every check, in order.
func Run(ctx context.Context, env Env) []Check {
	var out []Check
	add := func(c Check) { out = append(out, c) }
	if env.URL == "" {
		env.URL = DefaultURL
	}
	u, err := url.Parse(env.URL)
	if err != nil || u.Host == "" {
		add(Check{"url", Fail, fmt.Sprintf("%q is not a repository URL", env.URL), "give the https URL shown by the CodeCommit console"})
		return out
	}
	add(checkGit())
	add(checkHelperOnPath())
	add(RemoteHelper())
	add(checkHelperChain(u, env))
	add(checkUseHTTPPath(u, env))
	add(checkStale())
	add(checkKeystore(env))
	add(checkAgent(ctx, env))
	p, pc := checkProfile(ctx, env)
	add(pc)
	add(checkClock(ctx, p))
	s, sc := checkSession(ctx, env, p)
	add(sc)
	if env.URL != DefaultURL {
		add(checkLsRemote(ctx, env, s))
	}
	return out
}

// Failed reports whether any check failed.
func Failed(cs []Check) bool {
	for _, c := range cs {
		if c.Status == Fail {
			return true
		}
	}
	return false
}

func checkGit() Check {
	out, err := exec.Command("git", "--version").Output()
	if err != nil {
		return Check{"git", Fail, "git is not installed or not on PATH", "install git"}
	}
	// Compiled here, not at package level: every helper start would pay.
	m := regexp.MustCompile(`git version (\d+)\.(\d+)`).FindStringSubmatch(string(out))
	if m == nil {
		return Check{"git", Warn, "cannot read the git version: " + strings.TrimSpace(string(out)), ""}
	}
	major, _ := strconv.Atoi(m[1])
	minor, _ := strconv.Atoi(m[2])
	v := major*1000 + minor
	detail := fmt.Sprintf("git %s.%s: wildcard credential URLs %s, password_expiry_utc %s", m[1], m[2], yesNo(v >= 2027), yesNo(v >= 2040))
	switch {
	case v < 2027:
		return Check{"git", Fail, detail, "upgrade git to 2.27 or later: older versions ignore credential.https://git-codecommit.*... settings"}
	case v < 2040:
		return Check{"git", Warn, detail, "upgrade git to 2.40 or later, so passwords other helpers stored expire instead of causing 403s"}
	}
	return Check{"git", OK, detail, ""}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func checkHelperOnPath() Check {
	p, err := exec.LookPath("git-credential-mfa-git")
	if err != nil {
		return Check{"helper on PATH", Fail, "git-credential-mfa-git is not on PATH, so git cannot run the helper", "run ./install.sh, and add its bin folder (default ~/.local/bin) to PATH"}
	}
	return Check{"helper on PATH", OK, p, ""}
}

func checkHelperChain(u *url.URL, env Env) Check {
	out, err := exec.Command("git", "config", "-z", "--show-origin", "--get-regexp", `^credential\.`).Output()
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) {
		return Check{"helper chain", Warn, "cannot read git's configuration: " + err.Error(), ""}
	}
	hs := resolveHelpers(string(out), u)
	var names []string
	ours := -1
	for i, h := range hs {
		names = append(names, fmt.Sprintf("%q (%s)", h.value, h.origin))
		if h.value == "mfa-git" || strings.HasPrefix(h.value, "mfa-git ") {
			ours = i
		}
	}
	detail := fmt.Sprintf("git runs for %s: %s", u.Host, strings.Join(names, ", "))
	if len(hs) == 0 {
		detail = fmt.Sprintf("git runs no credential helper for %s", u.Host)
	}
	fix := "run: " + env.SetupHint
	switch {
	case ours < 0:
		return Check{"helper chain", Fail, detail, fix}
	case ours > 0:
		return Check{"helper chain", Fail, detail + "; the helpers before mfa-git answer first and may replay an expired CodeCommit password (a lasting 403)", fix}
	case len(hs) > 1:
		return Check{"helper chain", Warn, detail + "; the helpers after mfa-git will be asked to store its short-lived passwords", fix}
	}
	return Check{"helper chain", OK, detail, ""}
}

func checkUseHTTPPath(u *url.URL, env Env) Check {
	out, _ := exec.Command("git", "config", "--type=bool", "--get-urlmatch", "credential.useHttpPath", u.String()).Output()
	if strings.TrimSpace(string(out)) == "true" {
		return Check{"useHttpPath", OK, "git sends the repository path to helpers for " + u.Host, ""}
	}
	return Check{"useHttpPath", Fail, "git does not send the repository path for " + u.Host + ", so no password can be signed (git then asks for a username)", "run: " + env.SetupHint}
}

func checkStale() Check {
	home, err := userdir.Home()
	if err != nil {
		return Check{"stale passwords", Skip, err.Error(), "set HOME"}
	}
	found, errs := CleanStale(DefaultStaleStores(home), true)
	if len(found) > 0 {
		return Check{"stale passwords", Warn, fmt.Sprintf("other helpers hold %d CodeCommit password(s), which expire in 15 minutes: %s", len(found), strings.Join(found, "; ")), "run: mfa-git clean"}
	}
	if len(errs) > 0 {
		msgs := make([]string, len(errs))
		for i, err := range errs {
			msgs[i] = err.Error()
		}
		return Check{"stale passwords", Warn, "could not check every store: " + strings.Join(msgs, "; "), "run: mfa-git clean --dry-run"}
	}
	return Check{"stale passwords", OK, "no CodeCommit passwords in other helpers' stores", ""}
}

func checkKeystore(env Env) Check {
	st, err := env.Store()
	if err != nil {
		return Check{"keyring", Fail, err.Error(), cmp.Or(keystore.Hint(err), hint.Of(err))}
	}
	b := make([]byte, 8)
	rand.Read(b)
	key := "doctor/probe-" + hex.EncodeToString(b)
	want := []byte("probe " + hex.EncodeToString(b))
	if err := st.Set(key, want); err != nil {
		return Check{"keyring", Fail, fmt.Sprintf("%s: cannot write: %v", st.Name(), err), cmp.Or(keystore.Hint(err), "unlock the keyring, or choose another with MFA_GIT_KEYRING")}
	}
	got, err := st.Get(key)
	rmErr := st.Remove(key)
	if err != nil || !bytes.Equal(got, want) {
		return Check{"keyring", Fail, fmt.Sprintf("%s: wrote an entry but could not read it back: %v", st.Name(), err), "choose another keyring with MFA_GIT_KEYRING"}
	}
	if rmErr != nil {
		return Check{"keyring", Warn, fmt.Sprintf("%s: cannot delete: %v", st.Name(), rmErr), ""}
	}
	return Check{"keyring", OK, st.Name() + ": write, read and delete work", ""}
}

func checkAgent(ctx context.Context, env Env) Check {
	if !agent.Enabled() {
		return Check{"agent", Skip, "the agent is off (MFA_GIT_AGENT=off, or not on this system)", ""}
	}
	info, err := (&agent.Client{Path: env.AgentSocket}).Status(ctx)
	if err != nil {
		return Check{"agent", Warn, "no agent on " + env.AgentSocket + "; the next command starts one", "or start one now: mfa-git agent"}
	}
	return Check{"agent", OK, fmt.Sprintf("pid %d on %s, %d session(s)", info.PID, info.Socket, len(info.Sessions)), ""}
}

func checkProfile(ctx context.Context, env Env) (*profile.Profile, Check) {
	p, err := profile.LoadProfileKeys(ctx, env.Profile, env.Files, keystore.Lazy("keyring", env.Store))
	if err != nil {
		return nil, Check{"profile", Fail, err.Error(), hint.Of(err)}
	}
	if p.MFASerial == "" {
		return p, Check{"profile", Fail, fmt.Sprintf("profile %q has keys but no mfa_serial", p.Name), "run: mfa-git setup --profile " + profile.ShellQuote(p.Name) + " (it finds the device)"}
	}
	return p, Check{"profile", OK, fmt.Sprintf("profile %s: key %s..., device %s, sessions of %s", p.Name, p.AccessKeyID[:4], p.MFASerial, p.Duration), ""}
}

// checkClock compares the local clock with STS's Date header: AWS refuses
// signatures more than 15 minutes off, and CodeCommit passwords live 15.
func checkClock(ctx context.Context, p *profile.Profile) Check {
	endpoint := awsapi.STSURL(&profile.Profile{})
	if p != nil {
		endpoint = awsapi.STSURL(p)
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"/", nil)
	before := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return Check{"clock", Warn, "cannot reach " + endpoint + " to compare clocks: " + err.Error(), "check your network, or AWS_ENDPOINT_URL_STS"}
	}
	resp.Body.Close()
	server, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return Check{"clock", Warn, endpoint + " sent no Date header", ""}
	}
	skew := before.Add(time.Since(before) / 2).Sub(server).Round(time.Second)
	detail := fmt.Sprintf("local clock is %s %s %s", abs(skew), map[bool]string{true: "ahead of", false: "behind"}[skew >= 0], endpoint)
	switch {
	case abs(skew) > 5*time.Minute:
		return Check{"clock", Fail, detail + "; AWS refuses requests signed more than 15 minutes off, and CodeCommit passwords last 15 minutes", "set the clock right: timedatectl set-ntp true (Linux), or enable automatic time in the system settings"}
	case abs(skew) > time.Minute:
		return Check{"clock", Warn, detail, "set the clock right: timedatectl set-ntp true"}
	}
	return Check{"clock", OK, detail, ""}
}

func abs(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func checkSession(ctx context.Context, env Env, p *profile.Profile) (*session.Session, Check) {
	if p == nil || p.MFASerial == "" || env.Manager == nil {
		return nil, Check{"session", Skip, "needs a usable profile", ""}
	}
	s := env.Manager.Cached(p)
	if s == nil || s.Remaining(time.Now()) <= 0 {
		return nil, Check{"session", Skip, "no session cached (doctor never asks for a code)", "run: mfa-git login --profile " + profile.ShellQuote(p.Name) + ", then doctor again to check it with AWS"}
	}
	arn, err := env.Manager.STS.CallerIdentity(ctx, p, s)
	if err != nil {
		if awsapi.Rejected(err) {
			return nil, Check{"session", Fail, "AWS rejects the cached session: " + err.Error(), "run: mfa-git logout --profile " + profile.ShellQuote(p.Name) + " && mfa-git login --profile " + profile.ShellQuote(p.Name)}
		}
		return nil, Check{"session", Fail, "cannot check the session: " + err.Error(), hint.Of(err)}
	}
	return s, Check{"session", OK, fmt.Sprintf("%s, %s left", arn, s.Remaining(time.Now()).Round(time.Minute)), ""}
}

func checkLsRemote(ctx context.Context, env Env, s *session.Session) Check {
	if s == nil {
		return Check{"git ls-remote", Skip, "needs a cached session", ""}
	}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", "ls-remote", "--heads", env.URL)
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0")
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(errb.String())
		fix := "see the checks above"
		if strings.Contains(msg, "403") {
			fix = "if every check above is OK, the IAM policy denies this repository even with MFA: check the repository name and region, and KMS permissions for a customer-managed key"
		}
		return Check{"git ls-remote", Fail, msg, fix}
	}
	return Check{"git ls-remote", OK, "git can read " + env.URL, ""}
}
