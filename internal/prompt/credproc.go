package prompt

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"time"

	"github.com/mfa-git/mfa-git/internal/child"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/profile"
)

// ProcessTimeout bounds a run of a profile's credential_process, as the
// AWS SDK for Go bounds it by default.
const ProcessTimeout = time.Minute

// maxProcessOutput bounds what a credential_process may print: its JSON
// is a few KiB.
const maxProcessOutput = 64 << 10

// CredentialProcess runs the credential_process of p (a
// profile.KindProcess profile) as the AWS SDKs run it, through the shell
// (/bin/sh -c; cmd.exe on Windows), as token commands run: only when the
// files it is named in meet trust's rule (ErrUntrusted otherwise), with
// ProcessTimeout, no standard input, mfa-git's standard error, and the
// environment without secrets; detached (the agent) in a process group
// of its own. It returns what the process printed. The command line is
// the user's; nothing secret is added to it.
func CredentialProcess(ctx context.Context, p *profile.Profile, detached bool) ([]byte, error) {
	if err := profileCommand(p, "credential_process", p.CredentialProcess); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, ProcessTimeout)
	defer cancel()
	cmd := tokenCommand(ctx, p.CredentialProcess, detached)
	var out bytes.Buffer
	cmd.Stdout = &limitedWriter{w: &out, n: maxProcessOutput}
	cmd.Stderr = os.Stderr
	cmd.WaitDelay = time.Second
	cmd.Env = child.WithoutSecrets(os.Environ())
	err := cmd.Run()
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		return nil, hint.New(ctx.Err(), fmt.Sprintf("the credential_process of profile %q did not finish within %s", p.Name, ProcessTimeout), "run the credential_process command by hand to see why it waits")
	case err != nil:
		return nil, hint.New(err, fmt.Sprintf("the credential_process of profile %q failed: %v", p.Name, err), "run the credential_process command by hand to see why")
	}
	return out.Bytes(), nil
}
