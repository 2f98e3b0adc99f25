package profile

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/keystore"
)

// ErrNoKeys is wrapped by the error for a profile without long-term keys.
var ErrNoKeys = errors.New("no long-term access key")

// keysKey names a profile's long-term keys in the keystore, its name
// encoded as in session keys (see keystore.KeyName).
func keysKey(profile string) string { return "keys/" + keystore.KeyName(profile) }

// legacyKeysKey is where mfa-git add kept a profile's keys before names
// were encoded. For names of a-z, 0-9 and "-" it is keysKey.
func legacyKeysKey(profile string) string { return "keys/" + profile }

type storedKeys struct {
	AccessKeyID     string `json:"access_key_id"`
	SecretAccessKey string `json:"secret_access_key"`
	// Profile is the name the keys belong to; entries written before
	// names were encoded have none.
	Profile string `json:"profile,omitempty"`
}

// StoreKeys keeps a profile's long-term keys in the keystore, and removes
// the entry an older mfa-git kept them in, if any.
func StoreKeys(store keystore.Store, profile, accessKeyID, secret string) error {
	b, err := json.Marshal(storedKeys{accessKeyID, secret, profile})
	if err != nil {
		return err
	}
	if err := moveLegacyOwner(store, keysKey(profile)); err != nil {
		return err
	}
	if err := store.Set(keysKey(profile), b); err != nil {
		return err
	}
	if old := legacyKeysKey(profile); old != keysKey(profile) {
		// Only an entry written for this very name: under the old form
		// it may be another profile's key now ("keys/_2f" is "/"'s).
		if k, err := readKeys(store, old, profile); err == nil && k.Profile == "" {
			return store.Remove(old)
		}
	}
	return nil
}

// moveLegacyOwner moves an old entry at key, which belongs to the profile
// literally named like key's encoded part (a profile "_2f" has "keys/_2f",
// the key of "/" now), to that profile's own key before key is reused.
func moveLegacyOwner(store keystore.Store, key string) error {
	owner := strings.TrimPrefix(key, "keys/")
	if keysKey(owner) == key {
		return nil
	}
	k, err := readKeys(store, key, owner)
	if err != nil || k.Profile != "" {
		return nil
	}
	return StoreKeys(store, owner, k.AccessKeyID, k.SecretAccessKey)
}

// errUnreadableKeys is an entry that is not JSON keys.
var errUnreadableKeys = errors.New("not a stored key")

// errOtherProfile is an entry under a profile's key that belongs to
// another name.
var errOtherProfile = errors.New("the entry belongs to another profile")

// findKeys reads profile's keys: under keysKey, else (written by an older
// mfa-git) under legacyKeysKey. The old entry is read, not moved: the
// next mfa-git add moves it, and git fetches never write to the keyring.
func findKeys(store keystore.Store, profile string) (*storedKeys, error) {
	k, err := readKeys(store, keysKey(profile), profile)
	if err == nil || legacyKeysKey(profile) == keysKey(profile) || !(errors.Is(err, keystore.ErrNotFound) || errors.Is(err, errOtherProfile)) {
		return k, err
	}
	if k, lerr := readKeys(store, legacyKeysKey(profile), profile); lerr == nil {
		return k, nil
	}
	return nil, err
}

// readKeys reads the entry at key, if it holds profile's keys: entries
// carry their profile's name, and an entry without one (from before names
// were encoded) belongs to the name it is stored under.
func readKeys(store keystore.Store, key, profile string) (*storedKeys, error) {
	b, err := store.Get(key)
	if err != nil {
		return nil, err
	}
	var k storedKeys
	if json.Unmarshal(b, &k) != nil {
		return nil, fmt.Errorf("%s: %w", key, errUnreadableKeys)
	}
	if k.Profile != profile && !(k.Profile == "" && key == legacyKeysKey(profile)) {
		return nil, fmt.Errorf("%s: %w (%q)", key, errOtherProfile, k.Profile)
	}
	return &k, nil
}

// LoadKeys is Load without requiring mfa_serial, for setup
// (which finds the device), add and doctor.
func LoadKeys(_ context.Context, name string, files Files, store keystore.Store) (*Profile, error) {
	return loadKeys(name, readShared(files), store, false)
}

// loadKeys is LoadKeys on the files already parsed; asSource reads the
// source that ends a role chain, by its own credentials even if it names
// a role too (as in the SDKs).
func loadKeys(name string, sf *sharedFiles, store keystore.Store, asSource bool) (*Profile, error) {
	p, err := loadProfile(name, sf, nil, asSource)
	if err == nil || !errors.Is(err, ErrNoKeys) || store == nil {
		return p, err
	}
	k, gerr := findKeys(store, name)
	switch {
	case errors.Is(gerr, keystore.ErrNotFound) || errors.Is(gerr, errOtherProfile):
		return nil, err
	case gerr != nil && !errors.Is(gerr, errUnreadableKeys):
		return nil, hint.New(gerr, fmt.Sprintf("read the keys of profile %q from the %s keyring: %v", name, store.Name(), gerr),
			cmp.Or(keystore.Hint(gerr), "unlock the keyring, or store the keys again: mfa-git add --profile "+ShellQuote(name)))
	case gerr != nil || k.AccessKeyID == "" || k.SecretAccessKey == "":
		return nil, hint.New(nil, fmt.Sprintf("the keys of profile %q in the %s keyring are unreadable", name, store.Name()), "store them again: mfa-git add --profile "+ShellQuote(name))
	}
	return loadProfile(name, sf, k, asSource)
}

// Opener opens a new Store the way the next command will open it: the
// same backend, service and (for the file keyring) passphrase. Each call
// is a fresh open, sharing no state with the stores opened before.
type Opener func() (keystore.Store, error)

// MoveKeys keeps profile name's long-term key in the keystore and makes
// the profile get its credentials from mfa-git (credential_process);
// when inFiles, it then removes the key from the shared files. say
// reports each step done.
//
// Nothing is stored or written unless every edit can be made and means
// what it says (checkMove): credential_process is what the AWS tools
// will resolve, and the files hold no other key for the profile (which
// removing would lose), on no line any reader may take for it.
//
// The key is never in neither place, whenever the process is killed:
//  1. the key is written to a store opened with open; the files are
//     untouched, so until step 2 ends the files still hold it;
//  2. a second, fresh store from open (no state shared with the first:
//     what the next command will see) must return exactly the key, or
//     nothing in the files changes;
//  3. credential_process is added to the config file. The keys in the
//     files still win over it (the SDKs take static keys first), so the
//     profile works whether or not step 4 happens;
//  4. only then the key is removed from the files: the lines that hold
//     exactly it. Each file is replaced whole by a rename (atomicfile),
//     so a kill leaves the old file (key in file and keyring) or the new
//     one (key in the keyring, read back in step 2), never half of one.
func MoveKeys(open Opener, files Files, name, accessKeyID, secret string, inFiles bool, say func(format string, args ...any)) error {
	cp, err := CredentialProcess(name)
	if err != nil {
		return err
	}
	setCP := [][2]string{{"credential_process", cp}}
	if err := checkMove(files, name, setCP, accessKeyID, secret); err != nil {
		return err
	}
	store, err := open()
	if err != nil {
		return err
	}
	if err := StoreKeys(store, name, accessKeyID, secret); err != nil {
		return fmt.Errorf("store the keys in the %s keyring: %w", store.Name(), err)
	}
	if err := readBack(open, name, accessKeyID, secret); err != nil {
		return fmt.Errorf("%w; the AWS files were not changed", err)
	}
	say("stored the long-term key of profile %s (%s...) in the %s keyring, and read it back", name, accessKeyID[:8], store.Name())
	if err := SetProfileKeys(files, name, setCP); err != nil {
		return err
	}
	say("[%s] in %s now gets its credentials from mfa-git (the MFA session)", ConfigSection(name), files.Config)
	if !inFiles {
		return nil
	}
	var edited []string
	for _, f := range keyFiles(files) {
		changed, err := removeKey(files, f.path, f.config, name, accessKeyID, secret)
		if err != nil {
			return fmt.Errorf("remove the key from %s: %w", f.path, err)
		}
		if changed {
			edited = append(edited, f.path)
		}
	}
	if len(edited) > 0 {
		say("removed them from %s", strings.Join(edited, " and "))
	}
	return nil
}

// keyFile is a shared file that may hold a long-term key, and whether
// it is read by the config file's rules.
type keyFile struct {
	path   string
	config bool
}

// keyFiles are the shared files, the credentials file first (where the
// AWS tools read the key from when both hold it).
func keyFiles(files Files) []keyFile {
	return []keyFile{{files.Credentials, false}, {files.Config, true}}
}

// checkMove refuses, before MoveKeys stores or writes anything, what its
// edits could not do as meant: set (credential_process) where another
// line wins or the file cannot be replaced, or a key line of the
// profile's in either file that holds another key (see prepareRemoveKey).
func checkMove(files Files, name string, set [][2]string, accessKeyID, secret string) error {
	// The key lines first: another key there is the first thing to say.
	var removals []*fileEdit
	for _, f := range keyFiles(files) {
		e, err := prepareRemoveKey(files, f.path, f.config, name, accessKeyID, secret)
		if err != nil {
			return err
		}
		if e != nil {
			removals = append(removals, e)
		}
	}
	e, err := prepareProfileSet(files, name, set)
	if err != nil {
		return err
	}
	for _, e := range append([]*fileEdit{e}, removals...) {
		if err := e.precheck(); err != nil {
			return err
		}
	}
	return nil
}

// removeKey makes prepareRemoveKey's edit, and reports whether it
// changed the file.
func removeKey(files Files, path string, config bool, name, accessKeyID, secret string) (bool, error) {
	e, err := prepareRemoveKey(files, path, config, name, accessKeyID, secret)
	if err != nil || e == nil {
		return false, err
	}
	return e.changes(), e.run()
}

// readBack opens the keyring afresh and checks that it returns exactly
// the key just stored.
func readBack(open Opener, name, accessKeyID, secret string) error {
	fresh, err := open()
	if err != nil {
		return fmt.Errorf("open the keyring again to read the keys back: %w", err)
	}
	got, err := findKeys(fresh, name)
	switch {
	case err != nil:
		return hint.New(err, fmt.Sprintf("the keys of profile %q did not read back from the %s keyring opened again: %v", name, fresh.Name(), err),
			cmp.Or(keystore.Hint(err), "check the keyring (MFA_GIT_KEYRING, MFA_GIT_FILE_PASSPHRASE), then run the command again"))
	case got.AccessKeyID != accessKeyID || got.SecretAccessKey != secret:
		return hint.New(nil, fmt.Sprintf("the %s keyring opened again returned another key for profile %q than the one stored", fresh.Name(), name),
			"another program may be writing the keyring: run the command again")
	}
	return nil
}
