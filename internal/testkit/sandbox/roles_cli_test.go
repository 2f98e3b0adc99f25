package sandbox

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// The AWS CLI (botocore) is an independent client: it signs AssumeRole
// itself and parses the sandbox's answers and errors.
func TestAssumeRoleWithAWSCLI(t *testing.T) {
	awsCLI := testenv.Require(t, "aws")
	sb := start(t)
	mfa := session(t, sb, true)
	tests := []struct {
		name    string
		c       creds
		args    []string
		wantOut string // stdout, trimmed
		wantErr string // in stderr, with a non-zero exit
	}{
		{name: "MFA session", c: mfa, args: []string{"--role-arn", RoleARN(DevRole), "--role-session-name", "cli", "--query", "AssumedRoleUser.Arn"},
			wantOut: AssumedRoleARN(DevRole, "cli")},
		{name: "MFA session, 1 hour", c: mfa, args: []string{"--role-arn", RoleARN(OpsRole), "--role-session-name", "cli", "--duration-seconds", "3600", "--query", "AssumedRoleUser.Arn"},
			wantOut: AssumedRoleARN(OpsRole, "cli")},
		{name: "MFA session, 2 hours", c: mfa, args: []string{"--role-arn", RoleARN(DevRole), "--role-session-name", "cli", "--duration-seconds", "7200"},
			wantErr: "An error occurred (ValidationError) when calling the AssumeRole operation: The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."},
		{name: "long-term key, no code", c: longTerm(sb), args: []string{"--role-arn", RoleARN(DevRole), "--role-session-name", "cli"},
			wantErr: "An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/dev"},
		{name: "bad session name", c: mfa, args: []string{"--role-arn", RoleARN(DevRole), "--role-session-name", "a:b"},
			wantErr: "An error occurred (ValidationError) when calling the AssumeRole operation: 1 validation error detected: Value 'a:b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(awsCLI, append([]string{"sts", "assume-role", "--endpoint-url", sb.STSURL, "--output", "text"}, tt.args...)...)
			cmd.Env = cliEnv(t, tt.c.akid, tt.c.secret, tt.c.token)
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(stderr.String(), tt.wantErr) {
					t.Fatalf("aws: %v\n%s%s", err, stdout.String(), stderr.String())
				}
				return
			}
			if err != nil || strings.TrimSpace(stdout.String()) != tt.wantOut {
				t.Fatalf("aws: %v\n%s%s", err, stdout.String(), stderr.String())
			}
		})
	}
	// With a code from the long-term key, as botocore does for a role
	// profile with mfa_serial.
	cmd := exec.Command(awsCLI, "sts", "assume-role", "--endpoint-url", sb.STSURL, "--output", "text", "--query", "AssumedRoleUser.Arn",
		"--role-arn", RoleARN(DevRole), "--role-session-name", "withcode", "--duration-seconds", "43200",
		"--serial-number", sb.MFASerial, "--token-code", sb.UnusedCode(sb.UserNamed(User)))
	cmd.Env = cliEnv(t, sb.AccessKeyID, sb.SecretAccessKey, "")
	if out, err := cmd.CombinedOutput(); err != nil || strings.TrimSpace(string(out)) != AssumedRoleARN(DevRole, "withcode") {
		t.Fatalf("assume-role with a code: %v\n%s", err, out)
	}
}

// A role profile written by WriteRoleProfile works with the AWS CLI's own
// role support: botocore reads role_arn, source_profile and
// role_session_name, assumes the role with the source profile's MFA
// session, and STS sees the role session.
func TestRoleProfileWithAWSCLI(t *testing.T) {
	awsCLI := testenv.Require(t, "aws")
	sb := start(t)
	mfa := session(t, sb, true)
	home := t.TempDir()
	config, credentials := filepath.Join(home, ".aws", "config"), filepath.Join(home, ".aws", "credentials")
	if err := sb.WriteRoleProfile("dev", RoleARN(DevRole), "base", map[string]string{"role_session_name": "alice-dev"}, config); err != nil {
		t.Fatal(err)
	}
	if err := sb.WriteRoleProfile("deploy", RoleARN(DeployRole), "ops", map[string]string{"role_session_name": "alice-deploy"}, config); err != nil {
		t.Fatal(err)
	}
	if err := sb.WriteRoleProfile("ops", RoleARN(OpsRole), "base", map[string]string{"role_session_name": "alice-ops"}, config); err != nil {
		t.Fatal(err)
	}
	creds := "[base]\naws_access_key_id = " + mfa.akid + "\naws_secret_access_key = " + mfa.secret + "\naws_session_token = " + mfa.token + "\n"
	if err := os.WriteFile(credentials, []byte(creds), 0o600); err != nil {
		t.Fatal(err)
	}
	for profile, want := range map[string]string{"dev": AssumedRoleARN(DevRole, "alice-dev"), "deploy": AssumedRoleARN(DeployRole, "alice-deploy")} {
		cmd := exec.Command(awsCLI, "sts", "get-caller-identity", "--profile", profile, "--endpoint-url", sb.STSURL, "--output", "text", "--query", "Arn")
		cmd.Env = []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "AWS_CONFIG_FILE=" + config, "AWS_SHARED_CREDENTIALS_FILE=" + credentials}
		if out, err := cmd.CombinedOutput(); err != nil || strings.TrimSpace(string(out)) != want {
			t.Fatalf("aws --profile %s: %v\n%s", profile, err, out)
		}
	}
	// dev: one AssumeRole; deploy: ops then deploy.
	if st := sb.Stats(); st.AssumeRole != 3 || st.AssumeRoleByRole["ops"] != 1 || st.AssumeRoleByRole["deploy"] != 1 || st.GetSessionToken != 1 {
		t.Fatalf("stats %+v", st)
	}
}

// The git server, judged by the AWS CLI's CodeCommit helper: a role
// session with MFA context is served, one without is refused with 403.
func TestGitServerRoleSessionsAWSCLIHelper(t *testing.T) {
	testenv.Require(t, "aws")
	testenv.Require(t, "git")
	sb := start(t)
	lsRemote := func(c creds) (string, error) {
		cmd := exec.Command("git", "-c", "credential.helper=", "-c", "credential.helper=!aws codecommit credential-helper --ignore-host-check $@",
			"-c", "credential.useHttpPath=true", "ls-remote", sb.GitURL+"/v1/repos/demo")
		cmd.Env = cliEnv(t, c.akid, c.secret, c.token)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	dev := assume(t, sb, session(t, sb, true), DevRole, "git")
	if out, err := lsRemote(dev); err != nil || !strings.Contains(out, "refs/heads/main") {
		t.Fatalf("role session with MFA refused: %v\n%s", err, out)
	}
	partner := assume(t, sb, longTerm(sb), PartnerRole, "git", "ExternalId", PartnerExternalID)
	if out, err := lsRemote(partner); err == nil || !strings.Contains(out, "403") {
		t.Fatalf("role session without MFA accepted: %v\n%s", err, out)
	}
	if st := sb.Stats(); st.GitAccepted == 0 || st.GitDenied == 0 {
		t.Fatalf("stats %+v", st)
	}
}
