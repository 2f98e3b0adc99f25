package main

import (
	"path/filepath"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/mfa-git/mfa-git/internal/testkit/sandbox"
)

// role profile|add|stats|lifetime ...: the sandbox's IAM roles.
//
//	role profile NAME ROLE [key=value...]
//	    append a role profile NAME for ROLE (a demo role's name, e.g. dev,
//	    or an ARN) to ~/.aws/config: role_arn, source_profile = sandbox,
//	    the sandbox's region and endpoint_url, then the keys given
//	    (source_profile=, role_session_name=, external_id=,
//	    duration_seconds=, mfa_serial=...; key= leaves key out).
//	role add NAME [trust=ARN,...] [mfa] [external_id=X] [max=DURATION] [repos=a,b]
//	    create role NAME in the demo account (trust defaults to alice).
//	role stats [-wait DURATION] FIELD N
//	    the sandbox counter FIELD (any JSON name of sandbox.Stats, or
//	    assume_role:ROLE for one role's AssumeRole calls) equals N.
//	role lifetime DURATION
//	    AssumeRole sessions issued from now on last DURATION (0: as asked).
func cmdRole(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 0 {
		ts.Fatalf("usage: role profile|add|stats|lifetime ...")
	}
	switch args[0] {
	case "profile":
		if neg || len(args) < 3 {
			ts.Fatalf("usage: role profile NAME ROLE [key=value...]")
		}
		arn := args[2]
		if !strings.HasPrefix(arn, "arn:") {
			arn = sandbox.RoleARN(arn)
		}
		extra := map[string]string{}
		source := "sandbox"
		for _, kv := range args[3:] {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				ts.Fatalf("role profile: %q is not key=value", kv)
			}
			if k == "source_profile" {
				source = v
				continue
			}
			extra[k] = v
		}
		ts.Check(sb(ts).WriteRoleProfile(args[1], arn, source, extra, filepath.Join(ts.Getenv("HOME"), ".aws", "config")))
	case "add":
		if neg || len(args) < 2 {
			ts.Fatalf("usage: role add NAME [trust=ARN,...] [mfa] [external_id=X] [max=DURATION] [repos=a,b]")
		}
		cfg := sandbox.RoleConfig{ARN: sandbox.RoleARN(args[1]), TrustedPrincipals: []string{sandbox.UserARN()}}
		for _, opt := range args[2:] {
			k, v, _ := strings.Cut(opt, "=")
			switch k {
			case "trust":
				cfg.TrustedPrincipals = strings.Split(v, ",")
			case "mfa":
				cfg.RequireMFA = true
			case "external_id":
				cfg.ExternalID = v
			case "max":
				d, err := time.ParseDuration(v)
				ts.Check(err)
				cfg.MaxDuration = d
			case "repos":
				cfg.Repos = strings.Split(v, ",")
			default:
				ts.Fatalf("role add: unknown option %q", opt)
			}
		}
		ts.Check(sb(ts).AddRole(cfg))
	case "stats":
		cmdStats(ts, neg, args[1:])
	case "lifetime":
		sb(ts).SetRoleSessionLifetime(durationArg(ts, "role lifetime", args[1:]))
	default:
		ts.Fatalf("role: unknown subcommand %q", args[0])
	}
}
