package sandbox

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf16"
)

// The AWS CLI v2's token caches, as `aws sso login` and `aws login` write
// them (awscli/customizations/sso/utils.py, awscli/botocore/utils.py
// SSOTokenFetcherAuth and JSONFileCache, awscli/customizations/login) and
// as the SDK for Go reads them (credentials/ssocreds sso_cached_token.go,
// credentials/logincreds token.go): one JSON object on one line, written
// by Python's json.dumps (", " and ": " between items, non-ASCII escaped),
// times as "2026-12-07T20:00:00Z", the file 0600 in folders made with the
// default mode.

// cacheTime is how the AWS CLI writes times in its token caches.
const cacheTime = "2006-01-02T15:04:05Z"

// SSOToken is an entry of the SSO token cache, ~/.aws/sso/cache.
type SSOToken struct {
	StartURL              string
	Region                string
	AccessToken           string
	ExpiresAt             time.Time
	ClientID              string
	ClientSecret          string
	RegistrationExpiresAt time.Time
	RefreshToken          string // empty for the legacy form, which cannot refresh
}

// LoginToken is an entry of the `aws login` token cache, ~/.aws/login/cache.
type LoginToken struct {
	// LoginSession names the entry (the profile's login_session): the
	// ARN of the signed-in identity. It is not in the file.
	LoginSession    string
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	AccountID       string
	ExpiresAt       time.Time
	TokenType       string
	ClientID        string
	RefreshToken    string
	IDToken         string
	DPoPKey         string // PEM, "EC PRIVATE KEY" (SEC1)
}

// SSOCachePath is where the AWS CLI keeps the token of key under home:
// .aws/sso/cache/SHA1.json, where key is the sso-session's name, or for
// the legacy profile form its sso_start_url.
func SSOCachePath(home, key string) string {
	sum := sha1.Sum([]byte(key))
	return filepath.Join(home, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json")
}

// LoginCachePath is where the AWS CLI keeps the token of login session
// session under home: .aws/login/cache/SHA256.json (AWS_LOGIN_CACHE_DIRECTORY,
// when set, replaces the folder).
func LoginCachePath(home, session string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(session)))
	return filepath.Join(home, ".aws", "login", "cache", hex.EncodeToString(sum[:])+".json")
}

// WriteSSOCache writes t as `aws sso login` does, to SSOCachePath(home,
// key), and returns the path.
func WriteSSOCache(home, key string, t SSOToken) (string, error) {
	fields := []jsonField{
		{"startUrl", t.StartURL}, {"region", t.Region}, {"accessToken", t.AccessToken},
		{"expiresAt", t.ExpiresAt.UTC().Format(cacheTime)},
		{"clientId", t.ClientID}, {"clientSecret", t.ClientSecret},
		{"registrationExpiresAt", t.RegistrationExpiresAt.UTC().Format(cacheTime)},
	}
	if t.RefreshToken != "" {
		fields = append(fields, jsonField{"refreshToken", t.RefreshToken})
	}
	path := SSOCachePath(home, key)
	return path, writeCacheFile(path, pyJSON(fields))
}

// WriteLoginCache writes t as `aws login` does, to LoginCachePath(home,
// t.LoginSession), and returns the path.
func WriteLoginCache(home string, t LoginToken) (string, error) {
	fields := []jsonField{
		{"accessToken", []jsonField{
			{"accessKeyId", t.AccessKeyID}, {"secretAccessKey", t.SecretAccessKey}, {"sessionToken", t.SessionToken},
			{"accountId", t.AccountID}, {"expiresAt", t.ExpiresAt.UTC().Format(cacheTime)},
		}},
		{"tokenType", t.TokenType}, {"clientId", t.ClientID}, {"refreshToken", t.RefreshToken},
		{"idToken", t.IDToken}, {"dpopKey", t.DPoPKey},
	}
	path := LoginCachePath(home, t.LoginSession)
	return path, writeCacheFile(path, pyJSON(fields))
}

// ReadSSOCache reads the SSO token cache file at path, as the AWS CLI or
// an SDK left it (after a refresh, say).
func ReadSSOCache(path string) (SSOToken, error) {
	var f struct {
		StartURL, Region, AccessToken, ExpiresAt, ClientID, ClientSecret, RegistrationExpiresAt, RefreshToken string
	}
	if err := readCacheFile(path, &f); err != nil {
		return SSOToken{}, err
	}
	t := SSOToken{StartURL: f.StartURL, Region: f.Region, AccessToken: f.AccessToken, ClientID: f.ClientID,
		ClientSecret: f.ClientSecret, RefreshToken: f.RefreshToken}
	var err error
	if t.ExpiresAt, err = time.Parse(time.RFC3339, f.ExpiresAt); err != nil {
		return SSOToken{}, fmt.Errorf("read %s: expiresAt: %w", path, err)
	}
	if f.RegistrationExpiresAt != "" {
		if t.RegistrationExpiresAt, err = time.Parse(time.RFC3339, f.RegistrationExpiresAt); err != nil {
			return SSOToken{}, fmt.Errorf("read %s: registrationExpiresAt: %w", path, err)
		}
	}
	return t, nil
}

// ReadLoginCache reads the `aws login` token cache file at path; the
// LoginSession it returns is empty, as the file does not hold it.
func ReadLoginCache(path string) (LoginToken, error) {
	var f struct {
		AccessToken struct {
			AccessKeyID, SecretAccessKey, SessionToken, AccountID, ExpiresAt string
		}
		TokenType, ClientID, RefreshToken, IDToken, DPoPKey string
	}
	if err := readCacheFile(path, &f); err != nil {
		return LoginToken{}, err
	}
	exp, err := time.Parse(time.RFC3339, f.AccessToken.ExpiresAt)
	if err != nil {
		return LoginToken{}, fmt.Errorf("read %s: accessToken.expiresAt: %w", path, err)
	}
	a := f.AccessToken
	return LoginToken{AccessKeyID: a.AccessKeyID, SecretAccessKey: a.SecretAccessKey, SessionToken: a.SessionToken,
		AccountID: a.AccountID, ExpiresAt: exp, TokenType: f.TokenType, ClientID: f.ClientID,
		RefreshToken: f.RefreshToken, IDToken: f.IDToken, DPoPKey: f.DPoPKey}, nil
}

// writeCacheFile writes text as the AWS CLI v2's JSONFileCache does: the
// folders made as os.makedirs makes them (0777 less the umask), the file
// opened O_WRONLY|O_CREAT with mode 0600 (an existing file keeps its
// mode), truncated, then written.
func writeCacheFile(path, text string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return fmt.Errorf("write token cache: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("write token cache: %w", err)
	}
	if err := f.Truncate(0); err != nil {
		f.Close()
		return fmt.Errorf("write token cache %s: %w", path, err)
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return fmt.Errorf("write token cache %s: %w", path, err)
	}
	return f.Close()
}

func readCacheFile(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read token cache: %w", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("read token cache %s: %w", path, err)
	}
	return nil
}

// jsonField is a member of a JSON object, in order; its value is a
// string or an object ([]jsonField).
type jsonField struct {
	key   string
	value any
}

// pyJSON is the object fields as Python's json.dumps writes it with its
// defaults.
func pyJSON(fields []jsonField) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(pyString(f.key))
		b.WriteString(": ")
		switch v := f.value.(type) {
		case string:
			b.WriteString(pyString(v))
		case []jsonField:
			b.WriteString(pyJSON(v))
		default:
			panic(fmt.Sprintf("pyJSON: value of %s is a %T", f.key, v))
		}
	}
	b.WriteByte('}')
	return b.String()
}

// pyString quotes s as json.dumps does with ensure_ascii: printable ASCII
// as is but for " and \, the short escapes \n \r \t \b \f, and every other
// character as \uXXXX (UTF-16, so a surrogate pair beyond the BMP).
func pyString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r >= ' ' && r <= '~':
			b.WriteRune(r)
		case r > 0xFFFF:
			hi, lo := utf16.EncodeRune(r)
			fmt.Fprintf(&b, `\u%04x\u%04x`, hi, lo)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
