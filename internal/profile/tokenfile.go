package profile

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/userdir"
)

// TokenFile is where the AWS CLI caches the sign-in token of an IAM
// Identity Center or aws login profile, found as the CLI and the SDKs
// find it:
//
//   - IAM Identity Center: ~/.aws/sso/cache/ and the hex SHA-1 of the
//     sso_session name (of sso_start_url in the legacy form), ".json";
//   - aws login: AWS_LOGIN_CACHE_DIRECTORY, else ~/.aws/login/cache/, and
//     the hex SHA-256 of login_session, ".json".
//
// ~ is the user's home folder (userdir.Home), never the current folder;
// a relative AWS_LOGIN_CACHE_DIRECTORY is refused, as git runs mfa-git
// in the repository. It reads no file: a cached get does not call it.
func (p *Profile) TokenFile() (string, error) {
	var dir, name string
	switch p.Kind {
	case KindSSO:
		sum := sha1.Sum([]byte(p.SSO.CacheKey()))
		dir, name = filepath.Join(".aws", "sso", "cache"), hex.EncodeToString(sum[:])
	case KindLogin:
		sum := sha256.Sum256([]byte(strings.TrimSpace(p.LoginSession)))
		dir, name = filepath.Join(".aws", "login", "cache"), hex.EncodeToString(sum[:])
		if d := os.Getenv("AWS_LOGIN_CACHE_DIRECTORY"); d != "" {
			if !filepath.IsAbs(d) {
				return "", hint.New(nil, fmt.Sprintf("AWS_LOGIN_CACHE_DIRECTORY=%q is not an absolute path: git runs mfa-git in the repository, where it would name the repository's folder", d),
					"set AWS_LOGIN_CACHE_DIRECTORY to an absolute path, or unset it")
			}
			return filepath.Join(d, name+".json"), nil
		}
	default:
		return "", fmt.Errorf("profile %q: a %s profile has no sign-in token", p.Name, p.Kind)
	}
	home, err := userdir.Home()
	if err != nil {
		return "", fmt.Errorf("find the AWS CLI's token cache: %w", err)
	}
	return filepath.Join(home, dir, name+".json"), nil
}
