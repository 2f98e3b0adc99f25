package doctor

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"fmt"

	"github.com/mfa-git/mfa-git/internal/agent"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/keystore"
)

// checkKeystore writes, reads back and deletes a probe entry in the keyring.
func checkKeystore(env Env) Check {
	st, err := env.Store()
	if err != nil {
		return Check{"keyring", Fail, err.Error(), keystore.Hint(err)}
	}
	id := rand.Text()
	key := "doctor/probe-" + id
	want := []byte("probe " + id)
	if err := st.Set(key, want); err != nil {
		return Check{"keyring", Fail, fmt.Sprintf("%s: cannot write: %v", st.Name(), err), cmp.Or(keystore.Hint(err), "unlock the keyring, or choose another with MFA_GIT_KEYRING")}
	}
	got, err := st.Get(key)
	rmErr := st.Remove(key)
	if err != nil || !bytes.Equal(got, want) {
		return Check{"keyring", Fail, fmt.Sprintf("%s: wrote an entry but could not read it back: %v", st.Name(), err), "choose another keyring with MFA_GIT_KEYRING"}
	}
	if rmErr != nil {
		return Check{"keyring", Warn, fmt.Sprintf("%s: cannot delete: %v", st.Name(), rmErr), ""}
	}
	return Check{"keyring", OK, st.Name() + ": write, read and delete work", ""}
}

// checkAgent asks a running agent for its status.
func checkAgent(ctx context.Context, env Env) Check {
	if !env.Agent {
		return Check{"agent", Skip, "the agent is off (MFA_GIT_AGENT=off, or not on this system)", ""}
	}
	info, err := (&agent.Client{Path: env.AgentSocket}).Status(ctx)
	if err != nil {
		// Say only what was checked: whether an agent could be started
		// there is known only by starting one.
		if ferr := agent.CheckSocketFolder(env.AgentSocket); ferr != nil {
			return Check{"agent", Warn, fmt.Sprintf("no agent answers on %s, and none can listen there: %v", env.AgentSocket, ferr), hint.Of(ferr)}
		}
		return Check{"agent", Warn, fmt.Sprintf("no agent answers on %s (%v); its folder is private to you, or missing", env.AgentSocket, err), "start one to see whether it can: mfa-git agent start"}
	}
	return Check{"agent", OK, fmt.Sprintf("pid %d on %s, %d session(s)", info.PID, info.Socket, len(info.Sessions)), ""}
}
