package sandbox

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

func TestTOTPVector(t *testing.T) {
	// RFC 6238 appendix B, SHA-1, truncated to six digits.
	secret := []byte("12345678901234567890")
	for unix, want := range map[int64]string{59: "287082", 1111111109: "081804", 1234567890: "005924", 2000000000: "279037"} {
		if got := TOTP(secret, time.Unix(unix, 0)); got != want {
			t.Errorf("TOTP(%d) = %s, want %s", unix, got, want)
		}
	}
}

func start(t *testing.T) *Sandbox {
	t.Helper()
	sb, err := Start(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sb.Close)
	return sb
}

// The AWS SDK's signer is an independent implementation of SigV4: the
// verifier must accept what it signs and refuse a changed request.
func TestVerifierAcceptsSDKSignatures(t *testing.T) {
	sb := start(t)
	body := "Action=GetCallerIdentity&Version=2011-06-15"
	req, _ := http.NewRequest("POST", sb.STSURL+"/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	sum := sha256Hex([]byte(body))
	creds := aws.Credentials{AccessKeyID: sb.AccessKeyID, SecretAccessKey: sb.SecretAccessKey}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, sum, "sts", Region, time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("SDK-signed request refused: %d", resp.StatusCode)
	}
	// Same signature, different body: refused.
	req2, _ := http.NewRequest("POST", sb.STSURL+"/", strings.NewReader(body+"&x=1"))
	req2.Header = req.Header.Clone()
	resp, _ = http.DefaultClient.Do(req2)
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Fatalf("tampered request got %d", resp.StatusCode)
	}
}

// The same, with the AWS CLI (botocore) as the signer.
func TestVerifierAcceptsAWSCLI(t *testing.T) {
	awsCLI := testenv.Require(t, "aws")
	sb := start(t)
	cmd := exec.Command(awsCLI, "sts", "get-caller-identity", "--endpoint-url", sb.STSURL, "--region", Region, "--output", "text", "--query", "Arn")
	cmd.Env = cliEnv(t, sb.AccessKeyID, sb.SecretAccessKey, "")
	out, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != UserARN() {
		t.Fatalf("aws sts get-caller-identity: %v\n%s", err, out)
	}
}

// cliEnv is a clean environment for the AWS CLI with the given keys.
func cliEnv(t *testing.T, akid, secret, token string) []string {
	home := t.TempDir()
	env := []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "AWS_ACCESS_KEY_ID=" + akid, "AWS_SECRET_ACCESS_KEY=" + secret,
		"AWS_DEFAULT_REGION=" + Region, "AWS_CONFIG_FILE=" + filepath.Join(home, "none"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "none"),
		"GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0"}
	if token != "" {
		env = append(env, "AWS_SESSION_TOKEN="+token)
	}
	return env
}

// mfaSession gets a session from the sandbox over HTTP the way any client
// would, using the SDK's signer.
func mfaSession(t *testing.T, sb *Sandbox, withMFA bool) (akid, secret, token string) {
	t.Helper()
	form := url.Values{"Action": {"GetSessionToken"}, "Version": {"2011-06-15"}, "DurationSeconds": {"900"}}
	if withMFA {
		form.Set("SerialNumber", sb.MFASerial)
		form.Set("TokenCode", sb.Code(0))
	}
	body := form.Encode()
	req, _ := http.NewRequest("POST", sb.STSURL+"/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: sb.AccessKeyID, SecretAccessKey: sb.SecretAccessKey}, req, sha256Hex([]byte(body)), "sts", Region, time.Now())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	pick := func(tag string) string {
		s := b.String()
		i := strings.Index(s, "<"+tag+">")
		j := strings.Index(s, "</"+tag+">")
		if i < 0 || j < 0 {
			t.Fatalf("no %s in %s", tag, s)
		}
		return strings.NewReplacer("&#43;", "+", "&#x2B;", "+").Replace(s[i+len(tag)+2 : j])
	}
	return pick("AccessKeyId"), pick("SecretAccessKey"), pick("SessionToken")
}

// The AWS CLI's own CodeCommit credential helper proves the git server's
// password check: accepted with an MFA session, 403 without MFA, 403
// with long-term keys (the MFA policy).
func TestGitServerAgainstAWSCLIHelper(t *testing.T) {
	testenv.Require(t, "aws")
	testenv.Require(t, "git")
	sb := start(t)
	lsRemote := func(akid, secret, token string) (string, error) {
		cmd := exec.Command("git", "-c", "credential.helper=", "-c", "credential.helper=!aws codecommit credential-helper --ignore-host-check $@",
			"-c", "credential.useHttpPath=true", "ls-remote", sb.GitURL+"/v1/repos/demo")
		cmd.Env = cliEnv(t, akid, secret, token)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	akid, secret, token := mfaSession(t, sb, true)
	if out, err := lsRemote(akid, secret, token); err != nil || !strings.Contains(out, "refs/heads/main") {
		t.Fatalf("MFA session refused: %v\n%s", err, out)
	}
	akid, secret, token = mfaSession(t, sb, false)
	if out, err := lsRemote(akid, secret, token); err == nil || !strings.Contains(out, "403") {
		t.Fatalf("session without MFA accepted: %s", out)
	}
	if out, err := lsRemote(sb.AccessKeyID, sb.SecretAccessKey, ""); err == nil || !strings.Contains(out, "403") {
		t.Fatalf("long-term key accepted: %s", out)
	}
	if st := sb.Stats(); st.GitAccepted == 0 || st.GitDenied < 2 {
		t.Fatalf("stats %+v", st)
	}
}

func TestCodesAreSingleUse(t *testing.T) {
	sb := start(t)
	code := sb.Code(0)
	if !sb.spendCode(sb.UserNamed(User), code) {
		t.Fatal("fresh code refused")
	}
	if sb.spendCode(sb.UserNamed(User), code) {
		t.Fatal("code accepted twice")
	}
	if !sb.spendCode(sb.UserNamed(User), sb.Code(1)) {
		t.Fatal("next step's code refused")
	}
	if sb.spendCode(sb.UserNamed(User), TOTP(sb.MFASecret, time.Now().Add(-5*time.Minute))) {
		t.Fatal("stale code accepted")
	}
}

// A code for a person to type (the walk-through's askpass) always has at
// least TypingTime left in its 30-second step: with less, the sandbox
// waits for the next step's code.
func TestCodeToTypeLeavesTimeToType(t *testing.T) {
	sb, err := Start(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	u := sb.UserNamed(User)
	step := int64(TOTPStep / time.Second)
	// Put the sandbox's clock 3 s before the end of a step.
	now := time.Now()
	sb.SetClockOffset(time.Unix((now.Unix()/step+1)*step-3, 0).Sub(now))
	before := sb.Now().Unix() / step
	resp, err := http.Get(sb.STSURL + "/_sandbox/code?unused=1&to_type=1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	got := strings.TrimSpace(string(body))
	if want := hotp(u.MFASecret, uint64(before+1)); got != want || got == hotp(u.MFASecret, uint64(before)) {
		t.Errorf("code to type %q; want the next step's %q, not the ending step's", got, want)
	}
	if left := time.Unix((sb.Now().Unix()/step+1)*step, 0).Sub(sb.Now()); left < TypingTime {
		t.Errorf("the code was given with %s left in its step; want at least %s", left, TypingTime)
	}
}
