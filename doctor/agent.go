package doctor

import (
	"context"
	"fmt"

	"github.com/mfa-git/mfa-git/agent"
)

// checkAgent asks a running agent for its status.
func checkAgent(ctx context.Context, env Env) Check {
	if !env.Agent {
		return Check{"agent", Skip, "the agent is off (MFA_GIT_AGENT=off, or not on this system)", ""}
	}
	info, err := (&agent.Client{Path: env.AgentSocket}).Status(ctx)
	if err != nil {
		return Check{"agent", Warn, "no agent on " + env.AgentSocket + "; the next command starts one", "or start one now: mfa-git agent"}
	}
	return Check{"agent", OK, fmt.Sprintf("pid %d on %s, %d session(s)", info.PID, info.Socket, len(info.Sessions)), ""}
}
