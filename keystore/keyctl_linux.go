package keystore

import "github.com/99designs/keyring"

// keyctlPerm lets the owning user (and possessor) do everything and nobody
// else anything. Without it, keys created in the user keyring are readable
// only by processes that "possess" it, which depends on how the login
// session was set up.
var keyctlPerm = keyring.GetPermissions(keyring.KEYCTL_PERM_ALL, keyring.KEYCTL_PERM_ALL, 0, 0)
