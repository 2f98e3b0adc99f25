package main

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/spf13/pflag"
)

// manPage is docs/mfa-git.1, made from the command table, the flag set
// and the environment table that --help uses. TestManPageUpToDate fails
// when the committed page differs; "go test ./cmd/mfa-git -run
// TestManPageUpToDate -update-man" rewrites it.
func manPage() string {
	var b strings.Builder
	b.WriteString(`.\" Generated from the tables in cmd/mfa-git by mangen_test.go; do not edit.
.TH MFA-GIT 1 "" "mfa-git" "User Commands"
.nh
.ad l
.SH NAME
mfa-git \- one MFA prompt for git, the AWS CLI and every AWS SDK
.SH SYNOPSIS
.B mfa-git
.I COMMAND
.RI [ flags ]
.br
.B git-credential-mfa-git
.RI [ flags ]
.B get\fR|\fBstore\fR|\fBerase
.SH DESCRIPTION
mfa-git asks for your MFA code once, calls sts:GetSessionToken once, keeps
the temporary session in your OS keychain until it expires, and gives it to
git (as a credential helper for AWS CodeCommit over HTTPS), to the AWS CLI
and SDKs (as a credential_process), and to any program (env, exec).
Many git processes at once still cause one prompt and one STS call: a small
agent, started on first use, holds the sessions for every command.
.PP
git runs the helper as
.BR git-credential-mfa-git ,
a link to
.BR mfa-git ;
.B \%mfa-git setup
configures it.
.SH COMMANDS
`)
	for _, g := range commandGroups {
		fmt.Fprintf(&b, ".SS %s\n", roffText(g.title))
		for _, name := range g.names {
			cmd := commands[name]
			synopsis, desc, _ := strings.Cut(cmd.usage, "\n\n")
			fmt.Fprintf(&b, ".TP\n.B mfa-git %s\n", roffText(strings.Join(strings.Fields(synopsis), " ")))
			for i, para := range strings.Split(desc, "\n\n") {
				if i > 0 {
					b.WriteString(".IP\n")
				}
				writeRoffParagraph(&b, para)
			}
			if len(cmd.flags) > 0 {
				own := append([]string{}, cmd.flags...)
				sort.Strings(own)
				for i := range own {
					own[i] = `\-\-` + own[i]
				}
				fmt.Fprintf(&b, ".IP\nFlags: %s, and the common flags.\n", strings.Join(own, ", "))
			}
		}
	}
	fs := newFlagSet(&flags{})
	b.WriteString(".SH OPTIONS\nEvery command takes these:\n")
	var own []string
	fs.VisitAll(func(f *pflag.Flag) {
		if !slices.Contains(commonFlags, f.Name) {
			own = append(own, f.Name)
		}
	})
	for _, n := range commonFlags {
		writeRoffFlag(&b, fs.Lookup(n))
	}
	b.WriteString(".PP\nThese belong to the commands named above:\n")
	sort.Strings(own)
	for _, n := range own {
		writeRoffFlag(&b, fs.Lookup(n))
	}
	b.WriteString(".SH ENVIRONMENT\n")
	for _, e := range environment {
		fmt.Fprintf(&b, ".TP\n.B %s\n%s\n", e.name, roffText(e.desc))
	}
	b.WriteString(`.SH FILES
.TP
.I ~/.aws/config\fR, \fP~/.aws/credentials
the profile: long-term keys, mfa_serial, mfa_process, duration_seconds,
region (or AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE)
.TP
.I ~/.config/mfa-git/keyring/
the file keyring (\-\-keyring file), encrypted; files 0600 in a 0700 folder
.TP
.I ~/.cache/mfa-git/
locks and the agent's log, agent.log
.TP
.I $XDG_RUNTIME_DIR/mfa-git/agent.sock
the agent's socket (else in the cache folder)
.TP
.I ~/.config/systemd/user/mfa-git-agent.service
the unit that mfa-git agent install writes on Linux
.SH EXIT STATUS
0 on success, 1 on an error, 2 on a mistake in the command line.
.B \%mfa-git exec
exits with its command's status;
.B \%mfa-git doctor
with 1 when a check fails.
.SH SEE ALSO
.BR git (1),
.BR gitcredentials (7),
.BR git\-credential (1),
.BR aws (1)
`)
	return b.String()
}

// writeRoffFlag writes one flag as a tagged paragraph.
func writeRoffFlag(b *strings.Builder, f *pflag.Flag) {
	tag := `\fB\-\-` + roffText(f.Name) + `\fR`
	if f.Shorthand != "" {
		tag = `\fB\-` + f.Shorthand + `\fR, ` + tag
	}
	if name, _ := pflag.UnquoteUsage(f); name != "" {
		tag += ` \fI` + name + `\fR`
	}
	fmt.Fprintf(b, ".TP\n%s\n%s\n", tag, roffText(f.Usage))
}

// writeRoffParagraph writes help text inside a tagged paragraph: lines
// that start with two spaces are examples, kept as they are; the rest is
// filled.
func writeRoffParagraph(b *strings.Builder, para string) {
	inExample := false
	for _, line := range strings.Split(para, "\n") {
		example := strings.HasPrefix(line, "  ")
		if example != inExample {
			if example {
				b.WriteString(".IP\n.nf\n")
			} else {
				b.WriteString(".fi\n.IP\n")
			}
			inExample = example
		}
		if example {
			line = strings.TrimPrefix(line, "  ")
		}
		b.WriteString(roffText(line) + "\n")
	}
	if inExample {
		b.WriteString(".fi\n")
	}
}

// roffText escapes text for roff: backslashes, and a dot or quote that
// would start a request at the beginning of a line.
func roffText(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	s = strings.ReplaceAll(s, "--", `\-\-`)
	s = strings.ReplaceAll(s, "mfa-git", `\%mfa-git`) // never broken at its hyphen
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}
