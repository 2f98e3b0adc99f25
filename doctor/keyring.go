package doctor

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/keystore"
)

// checkKeystore writes, reads back and deletes a probe entry in the keyring.
func checkKeystore(env Env) Check {
	st, err := env.Store()
	if err != nil {
		return Check{"keyring", Fail, err.Error(), cmp.Or(keystore.Hint(err), hint.Of(err))}
	}
	b := make([]byte, 8)
	rand.Read(b)
	key := "doctor/probe-" + hex.EncodeToString(b)
	want := []byte("probe " + hex.EncodeToString(b))
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
