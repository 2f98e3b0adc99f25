package sandbox

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// creds are credentials a client signs with; token is empty for a
// long-term key.
type creds struct{ akid, secret, token string }

func longTerm(sb *Sandbox) creds { return creds{sb.AccessKeyID, sb.SecretAccessKey, ""} }

// call signs form with c (the AWS SDK's signer, independent of the
// sandbox's verifier) for service and posts it to the sandbox.
func call(t *testing.T, sb *Sandbox, c creds, service string, form url.Values) (int, string) {
	t.Helper()
	body := form.Encode()
	req, _ := http.NewRequest("POST", sb.STSURL+"/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: c.akid, SecretAccessKey: c.secret, SessionToken: c.token},
		req, sha256Hex([]byte(body)), service, Region, sb.Now()); err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// tag returns the text of the first <name> element of body, unescaped.
func tag(body, name string) string {
	m := regexp.MustCompile("<" + name + ">([^<]*)</" + name + ">").FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return strings.NewReplacer("&#43;", "+", "&#x2B;", "+", "&#39;", "'", "&#34;", `"`, "&amp;", "&", "&lt;", "<", "&gt;", ">").Replace(m[1])
}

func credsFrom(t *testing.T, status int, body string) creds {
	t.Helper()
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	return creds{tag(body, "AccessKeyId"), tag(body, "SecretAccessKey"), tag(body, "SessionToken")}
}

// session is alice's GetSessionToken session, with a fresh MFA code or
// without MFA.
func session(t *testing.T, sb *Sandbox, withMFA bool) creds {
	t.Helper()
	form := url.Values{"Action": {"GetSessionToken"}, "Version": {"2011-06-15"}, "DurationSeconds": {"3600"}}
	if withMFA {
		form.Set("SerialNumber", sb.MFASerial)
		form.Set("TokenCode", sb.UnusedCode(sb.UserNamed(User)))
	}
	status, body := call(t, sb, longTerm(sb), "sts", form)
	return credsFrom(t, status, body)
}

func assumeForm(roleName, sessionName string, kv ...string) url.Values {
	form := url.Values{"Action": {"AssumeRole"}, "Version": {"2011-06-15"}, "RoleArn": {RoleARN(roleName)}, "RoleSessionName": {sessionName}}
	for i := 0; i+1 < len(kv); i += 2 {
		form.Set(kv[i], kv[i+1])
	}
	return form
}

// assume makes c assume the demo role and fails the test if STS refuses.
func assume(t *testing.T, sb *Sandbox, c creds, roleName, sessionName string, kv ...string) creds {
	t.Helper()
	status, body := call(t, sb, c, "sts", assumeForm(roleName, sessionName, kv...))
	return credsFrom(t, status, body)
}

func TestAssumeRole(t *testing.T) {
	const denied = "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/"
	const chainLimit = "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
	mfaSession := func(t *testing.T, sb *Sandbox) creds { return session(t, sb, true) }
	withCode := func(t *testing.T, sb *Sandbox) []string {
		return []string{"SerialNumber", sb.MFASerial, "TokenCode", sb.UnusedCode(sb.UserNamed(User))}
	}
	opsSession := func(t *testing.T, sb *Sandbox) creds { return assume(t, sb, session(t, sb, true), OpsRole, "ops-s") }
	tests := []struct {
		name   string
		caller func(*testing.T, *Sandbox) creds
		role   string
		params func(*testing.T, *Sandbox) []string // extra form key, value pairs
		// Either the session's caller ARN and MFA context, or the refusal.
		wantARN    string
		wantMFA    bool
		wantExpiry time.Duration
		wantStatus int
		wantCode   string
		wantMsg    string
	}{
		{name: "MFA session, no code", caller: mfaSession, role: DevRole,
			wantARN: AssumedRoleARN(DevRole, "s1"), wantMFA: true, wantExpiry: time.Hour},
		{name: "MFA session, 15 minutes", caller: mfaSession, role: OpsRole, params: kv("DurationSeconds", "900"),
			wantARN: AssumedRoleARN(OpsRole, "s1"), wantMFA: true, wantExpiry: 15 * time.Minute},
		{name: "MFA session is a chain: over 1 hour refused though the role allows 12", caller: mfaSession, role: DevRole, params: kv("DurationSeconds", "3601"),
			wantStatus: 400, wantCode: "ValidationError", wantMsg: chainLimit},
		{name: "long-term key with a code: up to the role's maximum", caller: longTerm2, role: DevRole,
			params:  func(t *testing.T, sb *Sandbox) []string { return append(withCode(t, sb), "DurationSeconds", "43200") },
			wantARN: AssumedRoleARN(DevRole, "s1"), wantMFA: true, wantExpiry: 12 * time.Hour},
		{name: "long-term key with a code: over the role's maximum", caller: longTerm2, role: OpsRole,
			params:     func(t *testing.T, sb *Sandbox) []string { return append(withCode(t, sb), "DurationSeconds", "18000") },
			wantStatus: 400, wantCode: "ValidationError", wantMsg: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."},
		{name: "long-term key without a code", caller: longTerm2, role: DevRole,
			wantStatus: 403, wantCode: "AccessDenied", wantMsg: denied + "dev"},
		{name: "long-term key with a wrong code", caller: longTerm2, role: DevRole,
			params:     kv("SerialNumber", "arn:aws:iam::123456789012:mfa/alice", "TokenCode", "000000"),
			wantStatus: 403, wantCode: "AccessDenied", wantMsg: "MultiFactorAuthentication failed with invalid MFA one time pass code."},
		{name: "long-term key with another device", caller: longTerm2, role: DevRole,
			params:     kv("SerialNumber", "arn:aws:iam::123456789012:mfa/bob", "TokenCode", "123456"),
			wantStatus: 403, wantCode: "AccessDenied", wantMsg: "MultiFactorAuthentication failed, unable to validate MFA code."},
		{name: "session without MFA", caller: func(t *testing.T, sb *Sandbox) creds { return session(t, sb, false) }, role: OpsRole,
			wantStatus: 403, wantCode: "AccessDenied", wantMsg: denied + "ops"},
		{name: "role that does not trust alice", caller: mfaSession, role: LockedRole,
			wantStatus: 403, wantCode: "AccessDenied", wantMsg: denied + "locked"},
		{name: "role that does not exist: the same answer", caller: mfaSession, role: "nosuchrole",
			wantStatus: 403, wantCode: "AccessDenied", wantMsg: denied + "nosuchrole"},
		{name: "external ID missing", caller: longTerm2, role: PartnerRole,
			wantStatus: 403, wantCode: "AccessDenied", wantMsg: denied + "partner"},
		{name: "external ID wrong", caller: mfaSession, role: PartnerRole, params: kv("ExternalId", "sandbox-partner-0002"),
			wantStatus: 403, wantCode: "AccessDenied", wantMsg: denied + "partner"},
		{name: "external ID right, no MFA: a session without MFA context", caller: longTerm2, role: PartnerRole, params: kv("ExternalId", PartnerExternalID),
			wantARN: AssumedRoleARN(PartnerRole, "s1"), wantMFA: false, wantExpiry: time.Hour},
		{name: "chain: ops session assumes deploy, MFA carried over", caller: opsSession, role: DeployRole,
			wantARN: AssumedRoleARN(DeployRole, "s1"), wantMFA: true, wantExpiry: time.Hour},
		{name: "chain: over 1 hour refused", caller: opsSession, role: DeployRole, params: kv("DurationSeconds", "7200"),
			wantStatus: 400, wantCode: "ValidationError", wantMsg: chainLimit},
		{name: "deploy trusts the ops role, not alice", caller: mfaSession, role: DeployRole,
			wantStatus: 403, wantCode: "AccessDenied", wantMsg: denied + "deploy"},
		{name: "role session without MFA context may not chain into an MFA role",
			caller: func(t *testing.T, sb *Sandbox) creds {
				return assume(t, sb, longTerm(sb), PartnerRole, "ps", "ExternalId", PartnerExternalID)
			}, role: DevRole,
			wantStatus: 403, wantCode: "AccessDenied",
			wantMsg: "User: arn:aws:sts::123456789012:assumed-role/partner/ps is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/dev"},
		{name: "duration under 900", caller: mfaSession, role: DevRole, params: kv("DurationSeconds", "899"),
			wantStatus: 400, wantCode: "ValidationError",
			wantMsg: "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{name: "duration over 43200", caller: longTerm2, role: DevRole, params: kv("DurationSeconds", "43201"),
			wantStatus: 400, wantCode: "ValidationError",
			wantMsg: "1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200"},
		{name: "session name with a slash", caller: mfaSession, role: DevRole, params: kv("RoleSessionName", "team/alice"),
			wantStatus: 400, wantCode: "ValidationError",
			wantMsg: `1 validation error detected: Value 'team/alice' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`},
		{name: "session name too short", caller: mfaSession, role: DevRole, params: kv("RoleSessionName", "a"),
			wantStatus: 400, wantCode: "ValidationError",
			wantMsg: "Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"},
		{name: "session name too long, and a space", caller: mfaSession, role: DevRole, params: kv("RoleSessionName", strings.Repeat("x", 64)+" "),
			wantStatus: 400, wantCode: "ValidationError",
			wantMsg: "2 validation errors detected: Value '" + strings.Repeat("x", 64) + " ' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64; "},
		{name: "session name of 64 allowed characters", caller: mfaSession, role: DevRole, params: kv("RoleSessionName", "a+=,.@-_"+strings.Repeat("9", 56)),
			wantARN: AssumedRoleARN(DevRole, "a+=,.@-_"+strings.Repeat("9", 56)), wantMFA: true, wantExpiry: time.Hour},
		{name: "token code is never echoed", caller: longTerm2, role: DevRole, params: kv("SerialNumber", "arn:aws:iam::123456789012:mfa/alice", "TokenCode", "12345x"),
			wantStatus: 400, wantCode: "ValidationError",
			wantMsg: "1 validation error detected: Value at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]*"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb := start(t)
			caller := tt.caller(t, sb)
			before := sb.Stats()
			var extra []string
			if tt.params != nil {
				extra = tt.params(t, sb)
			}
			form := assumeForm(tt.role, "s1", extra...)
			status, body := call(t, sb, caller, "sts", form)
			st := sb.Stats()
			if tt.wantStatus != 0 {
				if status != tt.wantStatus || tag(body, "Code") != tt.wantCode || !strings.Contains(tag(body, "Message"), tt.wantMsg) {
					t.Fatalf("got %d %s %q, want %d %s %q", status, tag(body, "Code"), tag(body, "Message"), tt.wantStatus, tt.wantCode, tt.wantMsg)
				}
				if st.AssumeRoleFailed != before.AssumeRoleFailed+1 || st.AssumeRole != before.AssumeRole {
					t.Errorf("stats %+v after a refusal, before %+v", st, before)
				}
				return
			}
			if status != 200 {
				t.Fatalf("refused: %d %s", status, body)
			}
			if got := tag(body, "Arn"); got != tt.wantARN {
				t.Errorf("AssumedRoleUser.Arn %s, want %s", got, tt.wantARN)
			}
			if id := tag(body, "AssumedRoleId"); !regexp.MustCompile(`^AROA[A-Z2-7]{17}:`).MatchString(id) || !strings.HasSuffix(id, ":"+form.Get("RoleSessionName")) {
				t.Errorf("AssumedRoleId %s", id)
			}
			c := credsFrom(t, status, body)
			if !strings.HasPrefix(c.akid, "ASIA") || len(c.token) < 2000 || len(c.secret) != 40 {
				t.Errorf("credentials %s, secret of %d, token of %d", c.akid, len(c.secret), len(c.token))
			}
			exp, err := time.Parse(time.RFC3339, tag(body, "Expiration"))
			if d := time.Until(exp); err != nil || d > tt.wantExpiry || d < tt.wantExpiry-time.Minute {
				t.Errorf("Expiration %s (%v), want in %s", tag(body, "Expiration"), err, tt.wantExpiry)
			}
			// nosecrets looks for role sessions' secrets too.
			if secrets := strings.Join(sb.Secrets(), "\n"); !strings.Contains(secrets, c.secret) || !strings.Contains(secrets, c.token) {
				t.Error("the role session's secret or token is missing from Secrets()")
			}
			roleName := strings.Split(tt.wantARN, "/")[1]
			if st.AssumeRole != before.AssumeRole+1 || st.AssumeRoleByRole[roleName] != before.AssumeRoleByRole[roleName]+1 {
				t.Errorf("stats %+v, before %+v", st, before)
			}
			// STS sees the new credentials as the role session.
			status, body = call(t, sb, c, "sts", url.Values{"Action": {"GetCallerIdentity"}, "Version": {"2011-06-15"}})
			if status != 200 || tag(body, "Arn") != tt.wantARN || !strings.HasSuffix(tag(body, "UserId"), ":"+form.Get("RoleSessionName")) {
				t.Errorf("GetCallerIdentity: %d %s", status, body)
			}
			// git serves it only when it carries MFA.
			reason, owner := sb.CheckGitPassword(c.akid+"%"+c.token, codecommitPassword(c.secret, "127.0.0.1", Region, "/v1/repos/demo", sb.Now()), "127.0.0.1", "/v1/repos/demo")
			if (reason == "") != tt.wantMFA || owner != tt.wantARN {
				t.Errorf("git: reason %q, owner %q; want MFA %v", reason, owner, tt.wantMFA)
			}
		})
	}
}

// kv makes a params function returning fixed pairs.
func kv(pairs ...string) func(*testing.T, *Sandbox) []string {
	return func(*testing.T, *Sandbox) []string { return pairs }
}

func longTerm2(t *testing.T, sb *Sandbox) creds { return longTerm(sb) }

// Role sessions are signed and checked like any other credentials.
func TestRoleSessionSignatures(t *testing.T) {
	tests := []struct {
		name     string
		creds    func(sb *Sandbox, role creds) creds
		before   func(sb *Sandbox)
		wantCode string
	}{
		{name: "valid", creds: func(_ *Sandbox, c creds) creds { return c }},
		{name: "wrong secret", creds: func(_ *Sandbox, c creds) creds { c.secret = strings.Repeat("x", 40); return c }, wantCode: "SignatureDoesNotMatch"},
		{name: "token of the session, key of another", creds: func(sb *Sandbox, c creds) creds { c.akid = "ASIA" + randomUpper(16); return c }, wantCode: "InvalidClientTokenId"},
		{name: "token cut short", creds: func(_ *Sandbox, c creds) creds { c.token = c.token[:len(c.token)-1]; return c }, wantCode: "InvalidClientTokenId"},
		{name: "expired", creds: func(_ *Sandbox, c creds) creds { return c }, before: func(sb *Sandbox) { sb.SetClockOffset(61 * time.Minute) }, wantCode: "ExpiredToken"},
		{name: "revoked", creds: func(_ *Sandbox, c creds) creds { return c }, before: (*Sandbox).RevokeSessions, wantCode: "InvalidClientTokenId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb := start(t)
			role := assume(t, sb, session(t, sb, true), DevRole, "sig")
			if tt.before != nil {
				tt.before(sb)
			}
			status, body := call(t, sb, tt.creds(sb, role), "sts", url.Values{"Action": {"GetCallerIdentity"}, "Version": {"2011-06-15"}})
			if got := tag(body, "Code"); got != tt.wantCode || (tt.wantCode == "") != (status == 200) {
				t.Fatalf("got %d %s, want %q", status, body, tt.wantCode)
			}
		})
	}
	// A signed AssumeRole whose body is changed afterwards is refused.
	sb := start(t)
	c := session(t, sb, true)
	form := assumeForm(DevRole, "s1")
	req, _ := http.NewRequest("POST", sb.STSURL+"/", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: c.akid, SecretAccessKey: c.secret, SessionToken: c.token},
		req, sha256Hex([]byte(form.Encode())), "sts", Region, sb.Now())
	form.Set("RoleArn", RoleARN(OpsRole))
	tampered, _ := http.NewRequest("POST", sb.STSURL+"/", strings.NewReader(form.Encode()))
	tampered.Header = req.Header.Clone()
	resp, err := http.DefaultClient.Do(tampered)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 || sb.Stats().AssumeRole != 0 {
		t.Fatalf("tampered AssumeRole: %d, stats %+v", resp.StatusCode, sb.Stats())
	}
}

// A role session may not call GetSessionToken, as AWS documents.
func TestRoleSessionGetSessionToken(t *testing.T) {
	sb := start(t)
	role := assume(t, sb, session(t, sb, true), DevRole, "s1")
	status, body := call(t, sb, role, "sts", url.Values{"Action": {"GetSessionToken"}, "Version": {"2011-06-15"}})
	if status != 403 || tag(body, "Code") != "AccessDenied" {
		t.Fatalf("got %d %s", status, body)
	}
}

func TestRoleSessionLifetime(t *testing.T) {
	sb := start(t)
	sb.SetRoleSessionLifetime(2 * time.Minute)
	src := session(t, sb, true)
	status, body := call(t, sb, src, "sts", assumeForm(DevRole, "s1"))
	exp, _ := time.Parse(time.RFC3339, tag(body, "Expiration"))
	if status != 200 || time.Until(exp) > 2*time.Minute || time.Until(exp) < time.Minute {
		t.Fatalf("role session: %d, expires %s", status, tag(body, "Expiration"))
	}
	// The source session keeps its hour: it can assume again after the
	// role session ended.
	sb.SetClockOffset(3 * time.Minute)
	if status, body := call(t, sb, credsFrom(t, status, body), "sts", url.Values{"Action": {"GetCallerIdentity"}}); status != 403 || tag(body, "Code") != "ExpiredToken" {
		t.Fatalf("ended role session: %d %s", status, body)
	}
	assume(t, sb, src, DevRole, "s2")
	if n, _ := sb.Stats().Count("assume_role:dev"); n != 2 {
		t.Fatalf("assume_role:dev = %d", n)
	}
}

func TestAddRole(t *testing.T) {
	tests := []struct {
		name    string
		cfg     RoleConfig
		wantErr string
		// With no error: alice's MFA session assumes the role and uses the
		// demo repository.
		wantARN string
		wantGit bool
	}{
		{name: "not an ARN", cfg: RoleConfig{ARN: "dev"}, wantErr: "not a role ARN"},
		{name: "a user ARN", cfg: RoleConfig{ARN: UserARN()}, wantErr: "not a role ARN"},
		{name: "30 minutes", cfg: RoleConfig{ARN: RoleARN("short"), MaxDuration: 30 * time.Minute}, wantErr: "outside 1h..12h"},
		{name: "13 hours", cfg: RoleConfig{ARN: RoleARN("long"), MaxDuration: 13 * time.Hour}, wantErr: "outside 1h..12h"},
		{name: "path: the session ARN names the role only",
			cfg:     RoleConfig{ARN: RoleARN("team/a/builder"), TrustedPrincipals: []string{UserARN()}, RequireMFA: true},
			wantARN: AssumedRoleARN("builder", "s1"), wantGit: true},
		{name: "the account root trusts every principal of the account",
			cfg:     RoleConfig{ARN: RoleARN("any"), TrustedPrincipals: []string{"arn:aws:iam::" + Account + ":root"}},
			wantARN: AssumedRoleARN("any", "s1"), wantGit: true},
		{name: "limited to other repositories",
			cfg:     RoleConfig{ARN: RoleARN("other"), TrustedPrincipals: []string{UserARN()}, Repos: []string{"other"}},
			wantARN: AssumedRoleARN("other", "s1"), wantGit: false},
		{name: "limited to the demo repository",
			cfg:     RoleConfig{ARN: RoleARN("demo-only"), TrustedPrincipals: []string{UserARN()}, Repos: []string{"demo"}},
			wantARN: AssumedRoleARN("demo-only", "s1"), wantGit: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb := start(t)
			err := sb.AddRole(tt.cfg)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("AddRole: %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			form := assumeForm("", "s1")
			form.Set("RoleArn", tt.cfg.ARN)
			status, body := call(t, sb, session(t, sb, true), "sts", form)
			c := credsFrom(t, status, body)
			if got := tag(body, "Arn"); got != tt.wantARN {
				t.Errorf("Arn %s, want %s", got, tt.wantARN)
			}
			reason, _ := sb.CheckGitPassword(c.akid+"%"+c.token, codecommitPassword(c.secret, "127.0.0.1", Region, "/v1/repos/demo", sb.Now()), "127.0.0.1", "/v1/repos/demo")
			if (reason == "") != tt.wantGit {
				t.Errorf("git: %q, want accepted %v", reason, tt.wantGit)
			}
			if !tt.wantGit && !strings.Contains(reason, "codecommit:GitPull on resource: arn:aws:codecommit:us-east-1:123456789012:demo") {
				t.Errorf("git refusal %q", reason)
			}
		})
	}
}

// ListMFADevices answers as IAM does for the caller's own devices; see
// listMFADevices for where moto_server differs.
func TestListMFADevices(t *testing.T) {
	tests := []struct {
		name       string
		caller     func(*testing.T, *Sandbox) creds
		userName   string
		wantSerial string
		wantStatus int
		wantCode   string
		wantMsg    string
	}{
		{name: "long-term key, no UserName: the caller's devices", caller: longTerm2, wantSerial: "arn:aws:iam::123456789012:mfa/alice"},
		{name: "long-term key, own UserName", caller: longTerm2, userName: "alice", wantSerial: "arn:aws:iam::123456789012:mfa/alice"},
		{name: "long-term key, another user", caller: longTerm2, userName: "bob",
			wantStatus: 403, wantCode: "AccessDenied", wantMsg: "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:ListMFADevices on resource: user bob"},
		{name: "no such user", caller: longTerm2, userName: "nobody",
			wantStatus: 404, wantCode: "NoSuchEntity", wantMsg: "The user with name nobody cannot be found."},
		{name: "MFA session", caller: func(t *testing.T, sb *Sandbox) creds { return session(t, sb, true) }, wantSerial: "arn:aws:iam::123456789012:mfa/alice"},
		{name: "session without MFA calls no IAM API", caller: func(t *testing.T, sb *Sandbox) creds { return session(t, sb, false) },
			wantStatus: 403, wantCode: "InvalidClientTokenId", wantMsg: "The security token included in the request is invalid"},
		{name: "role session, no UserName", caller: func(t *testing.T, sb *Sandbox) creds { return assume(t, sb, session(t, sb, true), DevRole, "s1") },
			wantStatus: 400, wantCode: "ValidationError", wantMsg: "Must specify userName when calling with non-User credentials"},
		{name: "role session, UserName", caller: func(t *testing.T, sb *Sandbox) creds { return assume(t, sb, session(t, sb, true), DevRole, "s1") },
			userName: "alice", wantSerial: "arn:aws:iam::123456789012:mfa/alice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb := start(t)
			sb.AddUser("bob")
			form := url.Values{"Action": {"ListMFADevices"}, "Version": {"2010-05-08"}}
			if tt.userName != "" {
				form.Set("UserName", tt.userName)
			}
			status, body := call(t, sb, tt.caller(t, sb), "iam", form)
			if tt.wantStatus != 0 {
				if status != tt.wantStatus || tag(body, "Code") != tt.wantCode || !strings.Contains(tag(body, "Message"), tt.wantMsg) {
					t.Fatalf("got %d %s", status, body)
				}
				return
			}
			if status != 200 || tag(body, "SerialNumber") != tt.wantSerial || !strings.Contains(body, iamNS) {
				t.Fatalf("got %d %s", status, body)
			}
		})
	}
}

func TestStatsCount(t *testing.T) {
	st := Stats{GetSessionToken: 1, GetSessionFailed: 2, GetCallerIdentity: 3, GitAccepted: 4, GitDenied: 5, Faulted: 6,
		AssumeRole: 7, AssumeRoleFailed: 8, AssumeRoleByRole: map[string]int{"dev": 9}}
	for name, want := range map[string]int{"get_session_token": 1, "get_session_failed": 2, "get_caller_identity": 3, "git_accepted": 4,
		"git_denied": 5, "faulted": 6, "assume_role": 7, "assume_role_failed": 8, "assume_role:dev": 9, "assume_role:ops": 0} {
		if got, ok := st.Count(name); !ok || got != want {
			t.Errorf("Count(%q) = %d, %v; want %d", name, got, ok, want)
		}
	}
	if _, ok := st.Count("assume_roles"); ok {
		t.Error("unknown counter accepted")
	}
}

func TestWriteRoleProfile(t *testing.T) {
	sb := start(t)
	path := t.TempDir() + "/aws/config"
	if err := sb.WriteProfile("sandbox", path, t.TempDir()+"/credentials"); err != nil {
		t.Fatal(err)
	}
	if err := sb.WriteRoleProfile("dev", RoleARN(DevRole), "sandbox", map[string]string{"role_session_name": "alice-dev", "duration_seconds": "900", "endpoint_url": ""}, path); err != nil {
		t.Fatal(err)
	}
	if err := sb.WriteRoleProfile("default", RoleARN(OpsRole), "sandbox", nil, path); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	want := "[profile sandbox]\n" + "region = us-east-1\nmfa_serial = " + sb.MFASerial + "\nendpoint_url = " + sb.STSURL + "\n" +
		"\n[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = sandbox\nduration_seconds = 900\nregion = us-east-1\nrole_session_name = alice-dev\n" +
		"\n[default]\nrole_arn = arn:aws:iam::123456789012:role/ops\nsource_profile = sandbox\nendpoint_url = " + sb.STSURL + "\nregion = us-east-1\n"
	if string(b) != want {
		t.Fatalf("config:\n%s\nwant:\n%s", b, want)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != testenv.Perm(0o600, false) {
		t.Errorf("mode %v", st.Mode())
	}
}

func TestValidateAssumeRole(t *testing.T) {
	valid := func(kv ...string) url.Values {
		f := url.Values{"RoleArn": {RoleARN(DevRole)}, "RoleSessionName": {"s1"}}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "<absent>" {
				f.Del(kv[i])
				continue
			}
			f.Set(kv[i], kv[i+1])
		}
		return f
	}
	tests := []struct {
		name string
		form url.Values
		want []string
	}{
		{name: "valid", form: valid()},
		{name: "all optional members valid", form: valid("ExternalId", "ab", "SerialNumber", "arn:aws:iam::123456789012:mfa/alice", "TokenCode", "123456", "DurationSeconds", "900")},
		{name: "no role ARN", form: valid("RoleArn", "<absent>"),
			want: []string{"Value null at 'roleArn' failed to satisfy constraint: Member must not be null"}},
		{name: "no session name", form: valid("RoleSessionName", "<absent>"),
			want: []string{"Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null"}},
		{name: "short role ARN", form: valid("RoleArn", "arn:aws:iam::1:role"),
			want: []string{"Value 'arn:aws:iam::1:role' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20"}},
		{name: "empty session name", form: valid("RoleSessionName", ""),
			want: []string{"Value '' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"}},
		{name: "external ID not repeated", form: valid("ExternalId", "secret value"),
			want: []string{`Value at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@:\/-]*`}},
		{name: "token code not repeated", form: valid("TokenCode", "1234567"),
			want: []string{"Value at 'tokenCode' failed to satisfy constraint: Member must have length less than or equal to 6"}},
		{name: "duration not a number", form: valid("DurationSeconds", "1h"),
			want: []string{"Value '1h' at 'durationSeconds' failed to satisfy constraint: Member must be a number"}},
		{name: "two errors", form: valid("RoleSessionName", "<absent>", "DurationSeconds", "60"),
			want: []string{"Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null",
				"Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := validateAssumeRole(tt.form); strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
