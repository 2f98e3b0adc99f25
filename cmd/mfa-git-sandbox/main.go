// Command mfa-git-sandbox runs a local STS and CodeCommit-style git server
// on loopback, for trying mfa-git without an AWS account. It prints the
// endpoints, the MFA secret and the configuration to paste, then serves
// until interrupted.
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/mfa-git/mfa-git/internal/testkit/sandbox"
)

func main() {
	if len(os.Args) == 3 {
		switch os.Args[1] {
		case "code", "stats":
			fetch(os.Args[2] + "/_sandbox/" + os.Args[1])
			return
		case "fresh-code":
			fetch(os.Args[2] + "/_sandbox/code?unused=1")
			return
		case "code-to-type":
			fetch(os.Args[2] + "/_sandbox/code?unused=1&to_type=1")
			return
		}
	}
	os.Exit(serve())
}

// serve runs the sandbox until SIGINT or SIGTERM, then stops it and
// removes the temporary folder it made (never a --dir it was given).
func serve() int {
	dir := pflag.String("dir", "", "folder for the repositories (default: a new temporary folder)")
	profile := pflag.String("profile", "sandbox", "profile name to print configuration for")
	writeHome := pflag.String("write-aws-files", "", "write the profile into FOLDER/config and FOLDER/credentials (e.g. a scratch ~/.aws)")
	signIn := pflag.Bool("sign-in", false, "with --write-aws-files naming a .aws folder: also write the IAM Identity Center profile PROFILE-sso and the aws login profile PROFILE-login, signed in (the AWS CLI's token caches in that folder)")
	envFile := pflag.String("env-file", "", "write STS=, GITURL=, AKID=, SSO=, OIDC=, SIGNIN= and SANDBOX_DIR= lines to this file once serving, for scripts")
	pflag.Parse()

	if *signIn && filepath.Base(*writeHome) != ".aws" {
		return fail(fmt.Errorf("--sign-in needs --write-aws-files to name a .aws folder: the AWS CLI keeps its token caches there"))
	}

	// Signals first: a Ctrl-C at any moment from here on still cleans up.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	if *dir == "" {
		d, err := os.MkdirTemp("", "mfa-git-sandbox-")
		if err != nil {
			return fail(err)
		}
		defer os.RemoveAll(d)
		*dir = d
	}
	sb, err := sandbox.Start(*dir)
	if err != nil {
		return fail(err)
	}
	defer sb.Close()

	cfg, creds := sb.Profile(*profile)
	if *writeHome != "" {
		if err := sb.WriteProfile(*profile, filepath.Join(*writeHome, "config"), filepath.Join(*writeHome, "credentials")); err != nil {
			return fail(err)
		}
	}
	if *signIn {
		if err := writeSignIns(sb, *writeHome, *profile); err != nil {
			return fail(err)
		}
	}
	fmt.Printf(`mfa-git sandbox (loopback only; every secret below is a throwaway)

STS endpoint:   %s
git repository: %s/v1/repos/demo
SSO, SSO OIDC, sign-in: %s %s %s
MFA device:     %s
MFA secret:     %s   (add it to an authenticator app, or:)
current code:   mfa-git-sandbox code %s    (or: curl -s %s/_sandbox/code)
counters:       curl -s %s/_sandbox/stats
IAM roles:      %s and %s (trust alice with MFA),
                %s (only from an %s session), %s (external ID %s),
                %s (does not trust alice)

~/.aws/config:
%s
~/.aws/credentials:
%s
git, for this sandbox (plain http on 127.0.0.1 needs --ignore-host-check):
  git -c credential.helper= \
      -c 'credential.helper=mfa-git --profile %s --ignore-host-check --region %s' \
      -c credential.useHttpPath=true \
      clone %s/v1/repos/demo

Serving until Ctrl-C.
`, sb.STSURL, sb.GitURL, sb.SSOURL, sb.OIDCURL, sb.SigninURL, sb.MFASerial, sb.MFASecretBase32(), sb.STSURL, sb.STSURL, sb.STSURL,
		sandbox.RoleARN(sandbox.DevRole), sandbox.RoleARN(sandbox.OpsRole), sandbox.RoleARN(sandbox.DeployRole), sandbox.OpsRole,
		sandbox.RoleARN(sandbox.PartnerRole), sandbox.PartnerExternalID, sandbox.RoleARN(sandbox.LockedRole), cfg, creds, *profile, sandbox.Region, sb.GitURL)

	if *envFile != "" {
		env := fmt.Sprintf("STS=%s\nGITURL=%s/v1/repos/demo\nAKID=%s\nSSO=%s\nOIDC=%s\nSIGNIN=%s\nSANDBOX_DIR=%s\n",
			sb.STSURL, sb.GitURL, sb.AccessKeyID, sb.SSOURL, sb.OIDCURL, sb.SigninURL, *dir)
		if err := os.WriteFile(*envFile, []byte(env), 0o600); err != nil {
			return fail(err)
		}
	}
	<-sig
	return 0
}

// writeSignIns signs alice in to Identity Center and through `aws login`,
// as a person would with `aws sso login --sso-session NAME` and `aws login
// --profile NAME-login`: the token caches go into awsDir (a .aws folder),
// the profiles NAME-sso (on the sso-session NAME) and NAME-login into its
// config.
func writeSignIns(sb *sandbox.Sandbox, awsDir, name string) error {
	home, config := filepath.Dir(awsDir), filepath.Join(awsDir, "config")
	if _, err := sandbox.WriteSSOCache(home, name, sb.SSOLogin(sandbox.SSOLogin{})); err != nil {
		return err
	}
	login, err := sb.Login(sandbox.Login{})
	if err != nil {
		return err
	}
	if _, err := sandbox.WriteLoginCache(home, login); err != nil {
		return err
	}
	return sandbox.AppendConfig(config, sb.SSOProfile(name+"-sso", name, nil)+"\n"+sandbox.SSOSession(name)+"\n"+
		sb.LoginProfile(name+"-login", login.LoginSession, nil))
}

// fetch prints a sandbox page: "mfa-git-sandbox code STS-URL" prints the
// code the MFA device shows now, "mfa-git-sandbox fresh-code STS-URL" one
// that was not used yet (waiting for the next if need be; a token
// command), "mfa-git-sandbox code-to-type STS-URL" such a code with at
// least sandbox.TypingTime left in its step, for a person to type, and
// "mfa-git-sandbox stats STS-URL" the counters.
func fetch(url string) {
	c := &http.Client{Timeout: 40 * time.Second} // fresh-code may wait out a 30-second step
	resp, err := c.Get(url)
	if err != nil {
		fatal(err)
	}
	defer resp.Body.Close()
	io.Copy(os.Stdout, resp.Body)
}

func fatal(err error) {
	os.Exit(fail(err))
}

func fail(err error) int {
	fmt.Fprintf(os.Stderr, "mfa-git-sandbox: error: %v\n", err)
	return 1
}
