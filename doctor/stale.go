package doctor

import (
	"fmt"
	"strings"

	"github.com/mfa-git/mfa-git/internal/userdir"
	"github.com/mfa-git/mfa-git/stale"
)

// checkStale looks, without removing anything, for stale CodeCommit passwords
// in other helpers' stores.
func checkStale() Check {
	home, err := userdir.Home()
	if err != nil {
		return Check{"stale passwords", Skip, err.Error(), "set HOME"}
	}
	found, errs := stale.Clean(stale.DefaultStores(home), true)
	if len(found) > 0 {
		return Check{"stale passwords", Warn, fmt.Sprintf("other helpers hold %d CodeCommit password(s), which expire in 15 minutes: %s", len(found), strings.Join(found, "; ")), "run: mfa-git clean"}
	}
	if len(errs) > 0 {
		msgs := make([]string, len(errs))
		for i, err := range errs {
			msgs[i] = err.Error()
		}
		return Check{"stale passwords", Warn, "could not check every store: " + strings.Join(msgs, "; "), "run: mfa-git clean --dry-run"}
	}
	return Check{"stale passwords", OK, "no CodeCommit passwords in other helpers' stores", ""}
}
