package main

import (
	"os"
	"path/filepath"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/mfa-git/mfa-git/internal/testkit/sandbox"
)

// signin is the browser sign-in a person does with the AWS CLI, and the
// profiles it serves, against the script's sandbox:
//
//	signin sso-profile NAME [legacy]     an IAM Identity Center profile (sso_session corp, or the legacy form)
//	signin sso [-expired] [-legacy]      aws sso login: the token cache for sso-session corp (or the legacy start URL)
//	signin login-profile NAME            an aws login profile for alice
//	signin login [-expired]              aws login as alice: the token cache
//	signin role NAME ROLE SOURCE         a role ROLE that the SSO permission set's role may assume, and role profile NAME over SOURCE
//	signin revoke                        sign every Identity Center and aws login user out
func cmdSignIn(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: signin sso-profile|sso|login-profile|role|revoke ...")
	}
	home := ts.Getenv("HOME")
	config := filepath.Join(home, ".aws", "config")
	appendConfig := func(text string) {
		f, err := os.OpenFile(config, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o600)
		ts.Check(err)
		_, err = f.WriteString("\n" + text)
		ts.Check(err)
		ts.Check(f.Close())
	}
	flag := func(name string) bool {
		for _, a := range args[1:] {
			if a == name {
				return true
			}
		}
		return false
	}
	s := sb(ts)
	switch args[0] {
	case "sso-profile":
		if len(args) < 2 {
			ts.Fatalf("usage: signin sso-profile NAME [legacy]")
		}
		session := "corp"
		if flag("legacy") {
			session = ""
		} else if !state(ts).ssoSession {
			appendConfig(sandbox.SSOSession(session))
			state(ts).ssoSession = true
		}
		appendConfig(s.SSOProfile(args[1], session, nil))
	case "sso":
		key := "corp"
		if flag("-legacy") {
			key = sandbox.SSOStartURL
		}
		t := s.SSOLogin(sandbox.SSOLogin{Expired: flag("-expired"), Legacy: flag("-legacy")})
		_, err := sandbox.WriteSSOCache(home, key, t)
		ts.Check(err)
	case "login-profile":
		if len(args) != 2 {
			ts.Fatalf("usage: signin login-profile NAME")
		}
		appendConfig(s.LoginProfile(args[1], sandbox.UserARN(), nil))
	case "login":
		t, err := s.Login(sandbox.Login{Expired: flag("-expired")})
		ts.Check(err)
		_, err = sandbox.WriteLoginCache(home, t)
		ts.Check(err)
	case "role":
		if len(args) != 4 {
			ts.Fatalf("usage: signin role NAME ROLE SOURCE")
		}
		arn := sandbox.RoleARN(args[2])
		ts.Check(s.AddRole(sandbox.RoleConfig{ARN: arn, TrustedPrincipals: []string{sandbox.SSORoleARN(sandbox.Account, sandbox.SSOPermissionSet)}, MaxDuration: time.Hour}))
		ts.Check(s.WriteRoleProfile(args[1], arn, args[3], nil, config))
	case "revoke":
		s.RevokeSSO()
		s.RevokeLogins()
	default:
		ts.Fatalf("signin: unknown %q", args[0])
	}
}
