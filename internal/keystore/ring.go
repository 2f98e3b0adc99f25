package keystore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/99designs/keyring"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/userdir"
)

// ring adapts a github.com/99designs/keyring backend.
type ring struct {
	name    string
	kr      keyring.Keyring
	prefix  string // namespaces keys in stores shared with other programs
	fileDir string // the file backend's folder
}

func openRing(name string, cfg Config) (Store, error) {
	kc := keyring.Config{
		ServiceName:     cfg.service(),
		AllowedBackends: []keyring.BackendType{keyring.BackendType(name)},
		// The user scope is shared by every process of the user, so a
		// session stored by one git process is seen by the next. An explicit
		// scope is required: without one the backend reports itself
		// unavailable.
		KeyCtlScope: "user",
		KeyCtlPerm:  keyctlPerm,
		// The login collection exists and is unlocked at login; creating a
		// new collection would need an interactive prompt.
		LibSecretCollectionName: "login",
		KWalletAppID:            cfg.service(),
		KWalletFolder:           cfg.service(),
		PassPrefix:              cfg.service(),
		FileDir:                 cfg.FileDir,
	}
	if cfg.Passphrase != nil {
		kc.FilePasswordFunc = keyring.PromptFunc(cfg.Passphrase)
	} else {
		kc.FilePasswordFunc = func(string) (string, error) {
			return "", errors.New("the file keyring needs a passphrase: set MFA_GIT_FILE_PASSPHRASE or run in a terminal")
		}
	}
	if name == File {
		if kc.FileDir == "" {
			dir, err := defaultFileDir()
			if err != nil {
				return nil, err
			}
			kc.FileDir = dir
		}
		// Made 0700 if missing; an existing folder must be the user's and
		// closed to writers, and its mode is not changed.
		if err := userdir.Private(kc.FileDir); err != nil {
			return nil, err
		}
	}
	if name == Pass {
		// $PASSWORD_STORE_DIR when absolute, else ~/.password-store in
		// the home folder userdir.Home finds: the library would take a
		// relative PASSWORD_STORE_DIR or HOME from the current folder,
		// the repository git runs mfa-git in.
		kc.PassDir = os.Getenv("PASSWORD_STORE_DIR")
		if !filepath.IsAbs(kc.PassDir) {
			home, err := userdir.Home()
			if err != nil {
				return nil, err
			}
			kc.PassDir = filepath.Join(home, ".password-store")
		}
	}
	if name == KeyCtl {
		defer lockKeyctlCreation(cfg)()
	}
	kr, err := keyring.Open(kc)
	if err != nil && name == KeyCtl {
		kr, err = keyring.Open(kc) // see keyctlRetry
	}
	if errors.Is(err, keyring.ErrNoAvailImpl) && (name == SecretService || name == KWallet) {
		service := map[string]string{SecretService: "Secret Service (org.freedesktop.secrets)", KWallet: "KWallet daemon"}[name]
		return nil, &unavailableError{msg: "no " + service + " is running on the session bus", err: err}
	}
	if err != nil {
		return nil, err
	}
	r := &ring{name: name, kr: kr, fileDir: kc.FileDir}
	if name == SecretService {
		// Items share the login collection with other programs.
		r.prefix = cfg.service() + ":"
	}
	return r, nil
}

func (r *ring) Name() string { return r.name }

func (r *ring) Get(key string) ([]byte, error) {
	it, err := r.kr.Get(r.prefix + key)
	if errors.Is(err, keyring.ErrKeyNotFound) {
		return nil, fmt.Errorf("%q: %w", key, ErrNotFound)
	}
	if err != nil && r.name == File && strings.Contains(err.Error(), "integrity check failed") {
		// jose2go's words when the key derived from the passphrase does
		// not unwrap the entry's key (aes.KeyUnwrap).
		file := filepath.Join(r.fileDir, strings.NewReplacer("%", "%25", "/", "%2F").Replace(r.prefix+key))
		return nil, hint.New(fmt.Errorf("%w: %w", ErrWrongPassphrase, err), "wrong passphrase for "+file,
			"give the passphrase the file keyring was written with (MFA_GIT_FILE_PASSPHRASE, or at the prompt); if it is lost, delete that file: a session is made again, a key moved there with mfa-git add must be added again")
	}
	if err != nil {
		return nil, err
	}
	return it.Data, nil
}

// keyctlRetry: 99designs/keyring writes a kernel key by staging it in the
// session keyring, which every process of the user without a login
// session of its own shares. With many processes writing at once a step
// occasionally fails ("setting permission ... permission denied",
// "unlinking key from session failed"); a second try succeeds (seen in 7
// of 7 such failures under the parallel test suite). Opening, which
// stages the namespace keyring the same way, gets the same second try.

func (r *ring) Set(key string, value []byte) error {
	item := keyring.Item{
		Key:         r.prefix + key,
		Data:        value,
		Label:       r.prefix + key,
		Description: "mfa-git session",
		// Cached sessions are read by the mfa-git binary on every git
		// fetch; asking the user each time would defeat the cache.
		KeychainNotTrustApplication: false,
	}
	err := r.kr.Set(item)
	if err != nil && r.name == KeyCtl {
		err = r.kr.Set(item) // see keyctlRetry
	}
	return err
}

func (r *ring) Remove(key string) error {
	err := r.kr.Remove(r.prefix + key)
	if err == nil || errors.Is(err, keyring.ErrKeyNotFound) || errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

func (r *ring) List() ([]string, error) {
	keys, err := r.kr.Keys()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, k := range keys {
		if strings.HasPrefix(k, r.prefix) {
			out = append(out, strings.TrimPrefix(k, r.prefix))
		}
	}
	return sortedUnique(out), nil
}

// defaultFileDir is where the file backend lives when none is configured:
// mfa-git/keyring in the user's configuration folder, never a path
// relative to the current folder.
func defaultFileDir() (string, error) {
	dir, err := userdir.Config()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "mfa-git", "keyring"), nil
}
