package agent

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/userdir"
)

// DefaultRefreshLead is how long before expiry the agent renews a session
// whose profile has a token command, unless Server.RefreshLead says
// otherwise (MFA_GIT_AGENT_REFRESH_LEAD).
const DefaultRefreshLead = 15 * time.Minute

// startWait is how long WaitStarted waits for a new agent to answer, and
// startPoll how often it asks.
const (
	startWait = 2500 * time.Millisecond
	startPoll = 50 * time.Millisecond
)

// Start starts a detached agent for c's socket ("mfa-git agent
// --foreground", this executable), its log appended to agent.log in
// logDir (made private if missing), and returns its process id. It does
// not wait for it: see WaitStarted. A socket whose folder fails
// CheckSocketFolder gets no agent, since it would not be used.
func (c *Client) Start(logDir string) (int, error) {
	if err := CheckSocketFolder(c.Path); err != nil {
		return 0, err
	}
	exe, err := os.Executable()
	if err != nil {
		return 0, err
	}
	if err := userdir.Private(logDir); err != nil {
		return 0, err
	}
	return Spawn(exe, filepath.Join(logDir, "agent.log"))
}

// WaitStarted waits, a few seconds at most, for the agent started as pid
// to answer on c's socket, and returns its description; the error's hint
// names the log in logDir.
func (c *Client) WaitStarted(ctx context.Context, pid int, logDir string) (*Info, error) {
	deadline := time.Now().Add(startWait)
	for {
		info, err := c.Status(ctx)
		if err == nil {
			return info, nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return nil, hint.Wrap(fmt.Errorf("the agent (pid %d) did not answer on %s", pid, c.Path), "see "+filepath.Join(logDir, "agent.log"))
		}
		time.Sleep(startPoll)
	}
}
