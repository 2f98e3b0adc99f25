package source

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/mfa-git/mfa-git/internal/awsapi"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/prompt"
	"github.com/mfa-git/mfa-git/internal/session"
)

// ProcessLifetime is the expected lifetime of a credential_process
// answer, for stored sessions that do not record when they were issued.
const ProcessLifetime = time.Hour

// Process is a profile whose credential_process is another program than
// mfa-git: its sessions are what the program prints (the documented
// JSON: Version 1, AccessKeyId, SecretAccessKey, SessionToken,
// Expiration), kept until their Expiration. An answer without Expiration
// serves the call it was made for only (Session.Keepable).
type Process struct {
	Profile *profile.Profile
	// Detached runs the program in a process group of its own (the
	// agent's refresh).
	Detached bool
}

// Desc implements Source: the session is filed under the profile's name,
// "process", and a digest of the command line.
func (p Process) Desc() Desc {
	id := "process\n" + p.Profile.CredentialProcess
	return Desc{Key: session.SourceKey(p.Profile.Name, "process", id), ID: id, Name: p.Profile.Name, Kind: "credential_process profile", Profiles: []string{p.Profile.Name},
		Lifetime: ProcessLifetime, MakeLimit: prompt.ProcessTimeout + 10*time.Second,
		Noun: "session", Again: "run the credential_process again"}
}

// Settings implements Source.
func (p Process) Settings() *profile.Profile { return p.Profile }

// Make implements Source: one run of the program.
func (p Process) Make(ctx context.Context, m *Manager, _ Input) (*session.Session, bool, error) {
	m.Trace.Printf("process: running the credential_process of profile %s", p.Profile.Name)
	out, err := prompt.CredentialProcess(ctx, p.Profile, p.Detached)
	if err != nil {
		return nil, false, err
	}
	c, err := parseProcess(out, m.now())
	if err != nil {
		return nil, false, hint.New(err, fmt.Sprintf("the credential_process of profile %q: %v", p.Profile.Name, err),
			"make the program print the JSON the AWS CLI expects: {\"Version\": 1, \"AccessKeyId\": ..., \"SecretAccessKey\": ..., \"SessionToken\": ..., \"Expiration\": ...}")
	}
	return otherSession(m, p.Profile, c), true, nil
}

// processAnswer is the JSON a credential_process prints.
type processAnswer struct {
	Version         int
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string
	SessionToken    string
	Expiration      *time.Time
}

// parseProcess reads a credential_process answer. Its messages never
// quote the answer, which holds secrets.
func parseProcess(out []byte, now time.Time) (*awsapi.Credentials, error) {
	var a processAnswer
	// json.Unmarshal, as the AWS SDKs read it: text after the JSON
	// object makes the answer no answer.
	if err := json.Unmarshal(out, &a); err != nil {
		return nil, fmt.Errorf("its output is not the credential_process JSON (%d bytes)", len(out))
	}
	switch {
	case a.Version != 1:
		return nil, fmt.Errorf("it answered Version %d; only Version 1 is defined", a.Version)
	case a.AccessKeyID == "" || a.SecretAccessKey == "":
		return nil, fmt.Errorf("it answered without AccessKeyId or SecretAccessKey")
	case a.Expiration != nil && !a.Expiration.After(now):
		return nil, fmt.Errorf("it answered with credentials that expired at %s", a.Expiration.UTC().Format(time.RFC3339))
	}
	c := &awsapi.Credentials{AccessKeyID: a.AccessKeyID, SecretAccessKey: a.SecretAccessKey, SessionToken: a.SessionToken}
	if a.Expiration != nil && a.SessionToken != "" {
		// Kept until then. Long-term keys (no session token) are
		// never kept, whatever the answer says.
		c.Expiration = a.Expiration.UTC()
	}
	return c, nil
}
