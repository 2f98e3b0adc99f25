// Package profile reads and edits the AWS shared config and credentials
// files the way the AWS CLI and SDKs do, and keeps the long-term keys that
// mfa-git add moved out of them in the keystore. It touches no network.
package profile

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/keystore"
	"github.com/mfa-git/mfa-git/internal/userdir"
)

// Session durations STS allows for an IAM user.
const (
	DefaultDuration = 43200 * time.Second
	MinDuration     = 900 * time.Second
	MaxDuration     = 129600 * time.Second
)

// Files are the AWS shared config and credentials files.
type Files struct {
	Config      string
	Credentials string
}

// DefaultFiles returns the files the AWS CLI and SDKs read:
// AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/config and
// ~/.aws/credentials. With HOME unset or empty, ~ is the home folder the
// user database gives, never the current folder (git runs helpers in a
// repository, whose .aws/ is not the user's); with no home folder at all
// it returns an error with a hint. A relative AWS_CONFIG_FILE or
// AWS_SHARED_CREDENTIALS_FILE is refused for the same reason: it would
// name the repository's file, and its mfa_process would run.
func DefaultFiles() (Files, error) {
	f := Files{
		Config:      os.Getenv("AWS_CONFIG_FILE"),
		Credentials: os.Getenv("AWS_SHARED_CREDENTIALS_FILE"),
	}
	for _, v := range []struct{ name, value, base string }{
		{"AWS_CONFIG_FILE", f.Config, "config"},
		{"AWS_SHARED_CREDENTIALS_FILE", f.Credentials, "credentials"},
	} {
		if v.value != "" && !filepath.IsAbs(v.value) {
			return Files{}, hint.New(nil, fmt.Sprintf("%s=%q is not an absolute path: git runs mfa-git in the repository, where it would name the repository's file", v.name, v.value),
				fmt.Sprintf("set %s to an absolute path, such as $HOME/.aws/%s", v.name, v.base))
		}
	}
	if f.Config != "" && f.Credentials != "" {
		return f, nil
	}
	home, err := userdir.Home()
	if err != nil {
		return Files{}, fmt.Errorf("find the AWS config files: %w", err)
	}
	f.Config = cmp.Or(f.Config, filepath.Join(home, ".aws", "config"))
	f.Credentials = cmp.Or(f.Credentials, filepath.Join(home, ".aws", "credentials"))
	return f, nil
}

// Profile is a profile as mfa-git serves it: an IAM user's (long-term
// keys and an MFA device), or, by Kind, an IAM Identity Center, `aws
// login` or credential_process profile. Region, endpoints and CA bundle
// are read for every kind.
type Profile struct {
	Name string
	// Kind says where its credentials come from; the fields of the
	// other kinds are empty.
	Kind            Kind
	AccessKeyID     string
	SecretAccessKey string // long-term; never printed or logged
	MFASerial       string
	Duration        time.Duration
	// TokenCommand prints the current code (profile key mfa_process).
	TokenCommand string
	Region       string
	// Endpoint is the STS endpoint the AWS settings configure, or "".
	Endpoint string
	// IAMEndpoint is the IAM endpoint the AWS settings configure, or "".
	IAMEndpoint string
	// CABundle is a PEM file of roots to trust instead of the system's.
	CABundle string
	// UseFIPS and UseDualStack select AWS's FIPS and dual-stack endpoints
	// (AWS_USE_FIPS_ENDPOINT / use_fips_endpoint,
	// AWS_USE_DUALSTACK_ENDPOINT / use_dualstack_endpoint).
	UseFIPS, UseDualStack bool
	// STSRegionalEndpoints is "legacy" when AWS_STS_REGIONAL_ENDPOINTS or
	// sts_regional_endpoints asks for the global STS endpoint, else "".
	STSRegionalEndpoints string
	Files                Files

	// SSO is a KindSSO profile's portal and role; SSOEndpoint and
	// OIDCEndpoint are the configured endpoints of the portal and of
	// SSO OIDC (which refreshes the access token), or "".
	SSO                       SSO
	SSOEndpoint, OIDCEndpoint string
	// LoginSession is a KindLogin profile's login_session;
	// SigninEndpoint the configured sign-in endpoint, or "".
	LoginSession, SigninEndpoint string
	// CredentialProcess is a KindProcess profile's command line, as the
	// SDK reads it.
	CredentialProcess string
}

// Load reads profile name from the shared files, following the AWS
// SDK's rules: [profile NAME] (or [default]) in the config file, [NAME] in
// the credentials file, whose keys win. An IAM user's profile must name
// an MFA device; a profile of another Kind is returned as it is. It
// touches no network.
//
// The SDK's own loader is not linked into mfa-git: its package brings the
// SSO, SSO-OIDC, sign-in and IMDS clients, whose initialisation would cost
// every git fetch more than the rest of the cached path together. Tests
// check this reader against the SDK's.
//
// Long-term keys that mfa-git add moved into store are read from there
// when the files hold none; store may be nil, and is read only then.
func Load(ctx context.Context, name string, files Files, store keystore.Store) (*Profile, error) {
	p, err := LoadKeys(ctx, name, files, store)
	if err != nil {
		return nil, err
	}
	if err := p.checkMFA(); err != nil {
		return nil, err
	}
	return p, nil
}

// ErrRoleProfile is wrapped by Load's error for a role profile (role_arn,
// credential_source or web_identity_token_file): LoadRole reads those.
var ErrRoleProfile = errors.New("a role profile")

// loadProfile reads the profile; keys, when given, replace the files'
// keys. A role profile is refused (ErrRoleProfile) unless asSource: the
// source that ends a role chain (loadRole decides which) is read by its
// own credentials, whatever role it names too.
func loadProfile(name string, sf *sharedFiles, keys *storedKeys, asSource bool) (*Profile, error) {
	raw, err := sf.find(name)
	if err != nil {
		return nil, err
	}
	if err := checkPair(name, raw); err != nil {
		return nil, err
	}
	if err := checkValues(name, raw); err != nil {
		return nil, err
	}
	if isRole(raw) && !asSource {
		return nil, hint.New(ErrRoleProfile, fmt.Sprintf("profile %q is a role profile (role_arn), not an IAM user's", name),
			"give the role profile itself where mfa-git accepts one (--profile with get, credential-process, env, exec, login), or its source_profile")
	}
	if !(asSource && hasStaticKeys(raw)) {
		if _, err := ssoSection(name, sf, raw); err != nil {
			return nil, err
		}
	}
	if keys == nil && !hasStaticKeys(raw) {
		if k := kindOf(raw); k != KindUser {
			return loadOther(name, sf, raw, k)
		}
	}
	p := settings(name, sf, raw)
	p.AccessKeyID = raw.get("aws_access_key_id")
	p.SecretAccessKey = raw.get("aws_secret_access_key")
	p.MFASerial = raw.get("mfa_serial")
	p.TokenCommand = raw.commandLine("mfa_process")
	p.Duration = DefaultDuration
	if keys != nil {
		p.AccessKeyID, p.SecretAccessKey = keys.AccessKeyID, keys.SecretAccessKey
	}
	p.UseFIPS = strings.EqualFold(cmp.Or(os.Getenv("AWS_USE_FIPS_ENDPOINT"), raw.get("use_fips_endpoint")), "true")
	p.UseDualStack = strings.EqualFold(cmp.Or(os.Getenv("AWS_USE_DUALSTACK_ENDPOINT"), raw.get("use_dualstack_endpoint")), "true")
	if strings.EqualFold(cmp.Or(os.Getenv("AWS_STS_REGIONAL_ENDPOINTS"), raw.get("sts_regional_endpoints")), "legacy") {
		p.STSRegionalEndpoints = "legacy"
	}
	if v := raw.get("duration_seconds"); v != "" {
		d, err := ParseDuration(v)
		if err != nil {
			return nil, valueError(name, "duration_seconds", raw, fmt.Sprintf("is not a session length STS accepts: %v", err),
				fmt.Sprintf("set duration_seconds between %d and %d, or remove it for %d", int(MinDuration.Seconds()), int(MaxDuration.Seconds()), int(DefaultDuration.Seconds())))
		}
		p.Duration = d
	}
	if err := p.check(); err != nil {
		return nil, err
	}
	return p, nil
}

// settings is a profile's region, endpoints and CA bundle, as Load reads
// them; it has no keys.
func settings(name string, sf *sharedFiles, raw rawProfile) *Profile {
	return &Profile{
		Name:        name,
		Files:       sf.files,
		Region:      cmp.Or(os.Getenv("AWS_REGION"), os.Getenv("AWS_DEFAULT_REGION"), raw.get("region")),
		CABundle:    cmp.Or(os.Getenv("AWS_CA_BUNDLE"), raw.get("ca_bundle")),
		Endpoint:    serviceEndpoint(sf, raw, "STS", "sts"),
		IAMEndpoint: serviceEndpoint(sf, raw, "IAM", "iam"),
	}
}

// sharedFiles is the two shared files, parsed once for a command and
// merged into profiles as the AWS SDK for Go v2 merges them. err is why
// they could not be read; find returns it.
type sharedFiles struct {
	files    Files
	profiles map[string]resolved
	err      error
}

// readShared reads and parses both shared files; each keeps what could
// be read of it, and err is the first file's error.
func readShared(files Files) *sharedFiles {
	cfg, err := readINI(files.Config)
	creds, cerr := readINI(files.Credentials)
	return &sharedFiles{files: files, profiles: mergeShared(cfg, creds), err: cmp.Or(err, cerr)}
}

// rawProfile is one profile's keys as the SDK reads them.
type rawProfile = resolved

// raw returns profile name's keys, and whether either file has it.
func (sf *sharedFiles) raw(name string) (rawProfile, bool) {
	// As in the SDK, any section of the merged files is found by its
	// name, even a services or sso-session one; Names lists only profiles.
	r, ok := sf.profiles[name]
	return r, ok && name != ""
}

// NoProfileHint is the next step for a profile the AWS files do not
// define: mfa-git's own commands, which write what mfa-git needs
// (aws configure writes no mfa_serial).
func NoProfileHint(name string) string {
	return fmt.Sprintf("store the IAM user's keys under that name: mfa-git add --profile %s, then mfa-git setup --profile %s (it finds the MFA device)", ShellQuote(name), ShellQuote(name))
}

// listNames is ", which has profiles a, b" for a message, or "".
func (sf *sharedFiles) listNames() string {
	names := profileNames(sf.profiles)
	if len(names) == 0 {
		return ""
	}
	return " (the profiles there: " + strings.Join(names, ", ") + ")"
}

// find is raw, with the files' read error, or one wrapping ErrNoProfile
// for a profile in neither file.
func (sf *sharedFiles) find(name string) (rawProfile, error) {
	if sf.err != nil {
		return rawProfile{}, sf.err
	}
	raw, ok := sf.raw(name)
	if !ok {
		return raw, hint.New(ErrNoProfile,
			fmt.Sprintf("profile %q not found in %s or %s%s", name, sf.files.Config, sf.files.Credentials, sf.listNames()),
			NoProfileHint(name))
	}
	return raw, nil
}

// checkPair refuses a profile with one half of the access key pair, as
// the AWS SDKs refuse it.
func checkPair(name string, raw rawProfile) error {
	if k := raw.partial.key; k != "" {
		other := keySecretKey
		if k == keySecretKey {
			other = keyAccessKeyID
		}
		return hint.New(nil, fmt.Sprintf("profile %q: %s:%d has %s without %s, a profile the AWS SDKs refuse", name, raw.partial.at.file, raw.partial.at.line, k, other),
			fmt.Sprintf("give both %s and %s in that section, or remove the one there", keyAccessKeyID, keySecretKey))
	}
	return nil
}

// Resolve reads profile name once: a profile of any Kind (an IAM user's
// with an MFA device, as Load), or, for a role profile, the role resolved
// down to its source (as LoadRole); exactly one of the two is returned.
func Resolve(ctx context.Context, name string, files Files, store keystore.Store) (*Profile, *Role, error) {
	sf := readShared(files)
	p, err := loadKeys(name, sf, store, false)
	if errors.Is(err, ErrRoleProfile) {
		r, err := loadRole(name, sf, store, true)
		return nil, r, err
	}
	if err != nil {
		return nil, nil, err
	}
	if err := p.checkMFA(); err != nil {
		return nil, nil, err
	}
	return p, nil, nil
}

// serviceEndpoint applies the SDKs' precedence for a configured endpoint:
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS (or the profile's
// ignore_configured_endpoint_urls) turns them all off; then
// AWS_ENDPOINT_URL_<SERVICE>, the profile's services section,
// AWS_ENDPOINT_URL, and the profile's endpoint_url.
func serviceEndpoint(sf *sharedFiles, raw rawProfile, envID, key string) string {
	ignore := cmp.Or(os.Getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), raw.get("ignore_configured_endpoint_urls"))
	if strings.EqualFold(ignore, "true") {
		return ""
	}
	var services string
	if name := raw.get("services"); name != "" {
		services = sf.profiles[prefixServices+name].keys[key].nested["endpoint_url"]
	}
	return cmp.Or(os.Getenv("AWS_ENDPOINT_URL_"+envID), services, os.Getenv("AWS_ENDPOINT_URL"), raw.get("endpoint_url"))
}

// RawKeys returns the profile's keys as the AWS SDK for Go v2 reads them.
// What a file holds before a line that cannot be read counts.
func RawKeys(files Files, name string) map[string]string {
	raw, _ := readShared(files).raw(name)
	out := map[string]string{}
	for k, v := range raw.keys {
		out[k] = v.str
	}
	return out
}

// ErrNoProfile is wrapped by the error for a profile in neither file.
var ErrNoProfile = errors.New("no such profile")

// ErrTemporaryKeys is wrapped by the error for a profile whose key pair
// is a session's (ASIA...): STS gives no MFA session for one.
var ErrTemporaryKeys = errors.New("temporary credentials, not a long-term key")

// ErrNoMFASerial is wrapped by the error for an IAM user's profile (or a
// role's chain from one) with keys but no mfa_serial: the SDKs would use
// the keys without MFA; mfa-git, which exists to add it, refuses them.
var ErrNoMFASerial = errors.New("no mfa_serial")

// ParseDuration parses a session length in seconds and checks it is one
// STS accepts for an IAM user.
func ParseDuration(s string) (time.Duration, error) {
	n, err := parseSeconds(s)
	if err != nil {
		return 0, err
	}
	if n < int64(MinDuration/time.Second) || n > int64(MaxDuration/time.Second) {
		return 0, fmt.Errorf("%d seconds is outside STS's range of %d to %d", n, int(MinDuration.Seconds()), int(MaxDuration.Seconds()))
	}
	return time.Duration(n) * time.Second, nil
}

// parseSeconds reads a whole number of seconds as the AWS SDK for Go
// reads duration_seconds (strconv.ParseInt with base 0): 3600, 3_600 and
// 0xe10 are an hour; a leading 0 means octal, so 0900 is no number.
func parseSeconds(s string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 0, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a whole number of seconds as the AWS SDKs read it (decimal without a leading 0)", s)
	}
	return n, nil
}

func (p *Profile) check() error {
	if p.AccessKeyID == "" || p.SecretAccessKey == "" {
		return hint.New(ErrNoKeys,
			fmt.Sprintf("profile %q has no long-term access key (aws_access_key_id and aws_secret_access_key)", p.Name),
			fmt.Sprintf("use the IAM user's profile (the one with keys), e.g. --profile NAME, or store its keys: mfa-git add --profile %s", ShellQuote(p.Name)))
	}
	if strings.HasPrefix(p.AccessKeyID, "ASIA") {
		return hint.New(ErrTemporaryKeys,
			fmt.Sprintf("profile %q holds temporary credentials (%s...), not an IAM user's long-term key", p.Name, p.AccessKeyID[:4]),
			"point mfa-git at the profile with the user's AKIA... key")
	}
	return nil
}

func (p *Profile) checkMFA() error {
	if p.Kind == KindUser && p.MFASerial == "" {
		return hint.New(ErrNoMFASerial,
			fmt.Sprintf("profile %q has no mfa_serial", p.Name),
			fmt.Sprintf("run: mfa-git setup --profile %s (it finds the MFA device and writes mfa_serial under [%s] in %s)", ShellQuote(p.Name), ConfigSection(p.Name), p.Files.Config))
	}
	return nil
}
