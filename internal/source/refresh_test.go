package source

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/session"
	"github.com/mfa-git/mfa-git/internal/testkit/keystoretest"
	"github.com/mfa-git/mfa-git/internal/testkit/sandbox"
	"github.com/mfa-git/mfa-git/internal/testkit/sandboxtest"
	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// The agent's refresh, called without the command line: a profile whose
// mfa_process prints the code gets a new session from the sandbox,
// written once to the keystore; one without gets session.ErrNeedsPerson
// and no STS call; a session someone renewed meanwhile is taken as it is.
func TestRefresherAsksNoPerson(t *testing.T) {
	testenv.PrivateHome(t)
	sb, _ := sandboxtest.Profile(t)
	dir := t.TempDir()
	codeFile := filepath.Join(dir, "code")
	config, creds := sb.Profile("auto")
	manual, manualCreds := sb.Profile("manual")
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	show := "cat " + codeFile // a token command: sh -c on Unix, cmd.exe /c on Windows
	if runtime.GOOS == "windows" {
		show = `type "` + codeFile + `"`
	}
	t.Setenv("AWS_CONFIG_FILE", write("config", config+"mfa_process = "+show+"\n"+manual))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", write("credentials", creds+manualCreds))
	write("code", sb.UnusedCode(sb.UserNamed(sandbox.User))+"\n")

	store := keystoretest.NewMemory()
	r := Refresher{Store: store, LockDir: t.TempDir()}
	ctx := context.Background()
	old := &session.Session{Profile: "auto", Expiration: time.Now().Add(5 * time.Minute)}
	s, err := r.Refresh(ctx, old, 15*time.Minute)
	if err != nil || s == nil || s.Profile != "auto" || time.Until(s.Expiration) < 50*time.Minute {
		t.Fatalf("Refresh = %+v, %v; want a new one-hour session", s, err)
	}
	if got, err := (session.Cache{Store: store}).Load(s.Key); err != nil || got.AccessKeyID != s.AccessKeyID {
		t.Fatalf("the new session is not in the keystore: %v", err)
	}
	if _, err := r.Refresh(ctx, &session.Session{Profile: "manual"}, 15*time.Minute); !errors.Is(err, session.ErrNeedsPerson) {
		t.Fatalf("a profile without mfa_process: %v, want ErrNeedsPerson", err)
	}
	// Renewed meanwhile (what the keystore holds is fresh for a short
	// lead): no STS call, the stored session comes back.
	calls := sb.Stats().GetSessionToken
	again, err := r.Refresh(ctx, old, time.Minute)
	if err != nil || again.AccessKeyID != s.AccessKeyID || sb.Stats().GetSessionToken != calls {
		t.Fatalf("Refresh of a renewed session = %+v, %v after %d calls", again, err, sb.Stats().GetSessionToken-calls)
	}
}
