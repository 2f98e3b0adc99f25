package doctor

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"fmt"

	"github.com/mfa-git/mfa-git/keystore"
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
