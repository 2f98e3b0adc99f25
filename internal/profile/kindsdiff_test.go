package profile

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	crand "crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/logincreds"
	"github.com/aws/aws-sdk-go-v2/credentials/processcreds"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// The kinds of profile are checked against the SDK for Go v2 two ways:
// which credential provider its config loader picks for a profile (the
// kind, and for a role the kind of its source), and the IAM Identity
// Center, aws login and credential_process values it reads (with the
// [sso-session NAME] section's).

// kindKeys are the keys that decide a profile's kind, and the
// sso-session section's, compared value by value.
var kindKeys = []string{"sso_session", "sso_start_url", "sso_region", "sso_account_id", "sso_role_name", "login_session", "credential_process",
	"session sso_start_url", "session sso_region"}

// kindHandCases are kindOrderCases and sdkRuleCases.
var kindHandCases = slices.Concat(kindOrderCases, sdkRuleCases)

// kindOrderCases take each rule of the kinds' order and of the
// sso-session section once.
var kindOrderCases = []diffCase{
	{"sso session", ssoSession + ssoProfile, ""},
	{"sso legacy", "[profile sso]\nsso_start_url = https://x.awsapps.com/start\nsso_region = eu-west-1\nsso_account_id = 123456789012\nsso_role_name = Dev\n", ""},
	{"sso session with matching legacy keys", ssoSession + ssoProfile + "sso_region = eu-west-1\nsso_start_url = https://corp.awsapps.com/start\n", ""},
	{"sso session missing", ssoProfile, ""},
	{"sso session incomplete", "[sso-session corp]\nsso_region = eu-west-1\n" + ssoProfile, ""},
	{"sso legacy incomplete", "[profile sso]\nsso_start_url = https://x.awsapps.com/start\nsso_account_id = 123456789012\n", ""},
	{"keys win", ssoSession + ssoProfile + "login_session = x\nmfa_serial = " + hcMFA + "\n", "[sso]\n" + hcKeys},
	{"login", "[profile sso]\nlogin_session = arn:aws:iam::123456789012:user/a\ncredential_process = /bin/creds\n", ""},
	{"process", "[profile sso]\ncredential_process = /bin/creds --x\n", ""},
	{"process in the credentials file", "", "[sso]\ncredential_process = /bin/creds\n"},
	{"role over sso", ssoSession + ssoProfile + "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = sso\n", ""},
	{"role over process", "[profile p]\ncredential_process = /bin/creds\n[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = p\n", ""},
	{"sso-session section spelling", "[ sso-session   corp ]\nsso_start_url = https://corp.awsapps.com/start # c\nsso_region = eu-west-1\n" + ssoProfile, ""},
	{"sso-session in the credentials file", ssoProfile, ssoSession},
	{"keys without mfa_serial", "", "[u]\n" + hcKeys},
	{"source_profile without role_arn", ssoSession + ssoProfile + "[profile dev]\nsource_profile = sso\n", ""},
	{"keys and source_profile without role_arn", "[profile u]\nsource_profile = u\nmfa_serial = " + hcMFA + "\n", "[u]\n" + hcKeys},
	{"role over a source with source_profile and no role_arn", "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = u\n[profile u]\nsource_profile = dev\n", "[u]\n" + hcKeys},
	{"a role over its own sso", ssoSession + ssoProfile + "role_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = sso\n", ""},
	{"a role over its own credential_process", "[profile p]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = p\ncredential_process = /bin/creds\n", ""},
	{"a cycle back to a role with sso", ssoSession + ssoProfile + "role_arn = arn:aws:iam::123456789012:role/a\nsource_profile = dev\n[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = sso\n", ""},
	{"a cycle of roles without credentials", "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = a\n", ""},
	{"a role with credential_process over keys", "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = u\ncredential_process = /bin/creds\n[profile u]\nmfa_serial = " + hcMFA + "\n", "[u]\n" + hcKeys},
	{"mfa_serial on the role", "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = u\nmfa_serial = " + hcMFA + "\n", "[u]\n" + hcKeys},
	{"a session's keys", "[profile t]\nmfa_serial = " + hcMFA + "\n", "[t]\naws_access_key_id = ASIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s\naws_session_token = t\n"},
	{"role over a session's keys", "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = t\n[profile t]\nmfa_serial = " + hcMFA + "\n", "[t]\naws_access_key_id = ASIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s\n"},
	{"role over keys without mfa_serial", "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = u\n", "[u]\n" + hcKeys},
}

// sdkRuleCases take each rule of the SDK's loader (config v1.33.15:
// shared_config.go's setFromIniSections, setFromIniSection, validate*,
// hasCredentials, clear*Options; resolve_credentials.go's
// resolveCredsFromProfile) once or more: in either file, on the profile
// asked for, on a role's source, and on a profile met twice in a chain.
// Each is named after its rule.
var sdkRuleCases = []diffCase{
	// setFromIniSections: a source_profile must name a profile.
	{"source_profile names no profile", roleDev("u") + "[profile v]\nmfa_serial = " + hcMFA + "\n", "[v]\n" + hcKeys},
	{"source_profile names a profile in another case", roleDev("U"), "[u]\n" + hcKeys},
	// mergeSections: half a key pair in the section the SDK checks (the
	// credentials file's, when it has one) fails the profile, on any
	// step of a chain; empty halves count.
	{"half pair in the config file", "[profile u]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\nmfa_serial = " + hcMFA + "\n", ""},
	{"half pair in the config file, whole pair in the credentials file", "[profile u]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\nmfa_serial = " + hcMFA + "\n", "[u]\n" + hcKeys},
	{"whole pair in the config file, half pair in the credentials file", "[profile u]\nmfa_serial = " + hcMFA + "\n" + hcKeys, "[u]\naws_secret_access_key = s\n"},
	{"empty half pair", "[profile u]\nmfa_serial = " + hcMFA + "\n", "[u]\naws_access_key_id =\n"},
	{"half pair on a role's source", roleDev("u"), "[u]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\n"},
	{"half pair on the middle of a chain", roleDev("m") + "[profile m]\nrole_arn = arn:aws:iam::123456789012:role/m\nsource_profile = u\n", "[m]\naws_secret_access_key = s\n[u]\n" + hcKeys},
	// setFromIniSection: values the SDK refuses to load, on any step of
	// a chain; keys it does not merge count only from the file it reads.
	{"retry_mode not a mode", "[profile u]\nmfa_serial = " + hcMFA + "\nretry_mode = Standard\n", "[u]\n" + hcKeys},
	{"retry_mode empty", "[profile p]\ncredential_process = /bin/creds\nretry_mode =\n", ""},
	{"retry_mode adaptive", "[profile u]\nmfa_serial = " + hcMFA + "\nretry_mode = adaptive\n", "[u]\n" + hcKeys},
	{"max_attempts not a number", "[profile u]\nmfa_serial = " + hcMFA + "\n", "[u]\n" + hcKeys + "max_attempts = three\n"},
	{"max_attempts in hex", "[profile u]\nmfa_serial = " + hcMFA + "\nmax_attempts = 0x3\n", "[u]\n" + hcKeys},
	{"defaults_mode not a mode", ssoSession + ssoProfile + "defaults_mode = fast\n", ""},
	{"defaults_mode in capitals", ssoSession + ssoProfile + "defaults_mode = In-Region\n", ""},
	{"ec2_metadata_service_endpoint_mode not a mode", "[profile u]\nmfa_serial = " + hcMFA + "\nec2_metadata_service_endpoint_mode = ipv5\n", "[u]\n" + hcKeys},
	{"ec2_metadata_service_endpoint_mode in capitals", "[profile u]\nmfa_serial = " + hcMFA + "\nec2_metadata_service_endpoint_mode = IPV6\n", "[u]\n" + hcKeys},
	{"disable_request_compression not true or false", "[profile u]\nmfa_serial = " + hcMFA + "\ndisable_request_compression = True\n", "[u]\n" + hcKeys},
	{"disable_clock_skew_correction not true or false", "[profile p]\ncredential_process = /bin/creds\ndisable_clock_skew_correction = yes\n", ""},
	{"request_min_compression_size_bytes out of range", "[profile u]\nmfa_serial = " + hcMFA + "\nrequest_min_compression_size_bytes = 10485761\n", "[u]\n" + hcKeys},
	{"request_min_compression_size_bytes negative", "[profile u]\nmfa_serial = " + hcMFA + "\nrequest_min_compression_size_bytes = -1\n", "[u]\n" + hcKeys},
	{"request_min_compression_size_bytes at the limit", "[profile u]\nmfa_serial = " + hcMFA + "\nrequest_min_compression_size_bytes = 10485760\n", "[u]\n" + hcKeys},
	{"account_id_endpoint_mode not a mode", "[profile u]\nmfa_serial = " + hcMFA + "\naccount_id_endpoint_mode = Preferred\n", "[u]\n" + hcKeys},
	{"request_checksum_calculation not a mode", "[profile u]\nmfa_serial = " + hcMFA + "\nrequest_checksum_calculation = always\n", "[u]\n" + hcKeys},
	{"request_checksum_calculation in capitals", "[profile u]\nmfa_serial = " + hcMFA + "\nrequest_checksum_calculation = WHEN_REQUIRED\n", "[u]\n" + hcKeys},
	{"request_checksum_calculation with a long s, which EqualFold folds", "[profile u]\nmfa_serial = " + hcMFA + "\nrequest_checksum_calculation = when_\u017fupported\n", "[u]\n" + hcKeys},
	{"response_checksum_validation not a mode", "[profile u]\nmfa_serial = " + hcMFA + "\nresponse_checksum_validation = never\n", "[u]\n" + hcKeys},
	{"a bad value only the credentials file gives, for a profile in both", "[profile u]\nmfa_serial = " + hcMFA + "\n", "[u]\n" + hcKeys + "account_id_endpoint_mode = bad\n"},
	{"a bad value in the credentials file alone", "", "[u]\n" + hcKeys + "account_id_endpoint_mode = bad\n"},
	{"a bad value on a role's source with keys", roleDev("u") + "[profile u]\nmfa_serial = " + hcMFA + "\nretry_mode = fast\n", "[u]\n" + hcKeys},
	{"a bad value on a role", roleDev("u") + "max_attempts = x\n", "[u]\n" + hcKeys},
	{"a bad value on a profile met twice", ssoSession + ssoProfile + "role_arn = arn:aws:iam::123456789012:role/a\nsource_profile = dev\ndefaults_mode = x\n[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = sso\n", ""},
	// validateCredentialsRequireARN: source_profile, credential_source
	// and web_identity_token_file need role_arn, on every profile met
	// the first time, even one whose keys end a chain.
	{"credential_source without role_arn", "[profile p]\ncredential_source = Environment\n", ""},
	{"web_identity_token_file without role_arn", "[profile p]\nweb_identity_token_file = /tmp/token\n", ""},
	{"credential_source without role_arn on a source with keys", roleDev("u"), "[u]\n" + hcKeys + "credential_source = Environment\n"},
	{"web_identity_token_file without role_arn on a source with keys", roleDev("u") + "[profile u]\nweb_identity_token_file = /tmp/token\nmfa_serial = " + hcMFA + "\n", "[u]\n" + hcKeys},
	{"source_profile without role_arn in the credentials file", "[profile u]\nmfa_serial = " + hcMFA + "\n", "[u]\n" + hcKeys + "source_profile = u\n"},
	// setFromIniSections: a source with both halves of a key pair ends
	// the chain before its credential types and sso-session are checked;
	// an empty half is no key.
	{"a source with keys and credential_process", roleDev("u") + "[profile u]\ncredential_process = /bin/creds\nmfa_serial = " + hcMFA + "\n", "[u]\n" + hcKeys},
	{"a source with keys and a missing sso-session", roleDev("u") + "[profile u]\nsso_session = nowhere\nmfa_serial = " + hcMFA + "\n", "[u]\n" + hcKeys},
	{"a source with keys and its own role over a process", roleDev("u") + "[profile u]\nrole_arn = arn:aws:iam::123456789012:role/u\nsource_profile = p\nmfa_serial = " + hcMFA + "\n[profile p]\ncredential_process = /bin/creds\n", "[u]\n" + hcKeys},
	{"a source with an empty secret and its own role", roleDev("u") + "[profile u]\nrole_arn = arn:aws:iam::123456789012:role/u\nsource_profile = w\n[profile w]\nmfa_serial = " + hcMFA + "\n", "[u]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key =\n[w]\n" + hcKeys},
	{"a source with an empty key id", roleDev("u"), "[u]\naws_access_key_id =\naws_secret_access_key = s\n"},
	{"the profile asked for with keys and a missing sso-session", "[profile u]\nsso_session = nowhere\nmfa_serial = " + hcMFA + "\n", "[u]\n" + hcKeys},
	{"the profile asked for with keys, a role and credential_process", "[profile u]\nrole_arn = arn:aws:iam::123456789012:role/u\nsource_profile = w\ncredential_process = /bin/creds\n", "[u]\n" + hcKeys + "[w]\n" + hcKeys},
	// setFromIniSections: a profile met again has its role options
	// cleared, and ends the chain by its other credentials, or has none.
	{"a cycle back to a role with keys", "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\nmfa_serial = " + hcMFA + "\n" + "[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = a\n", "[a]\n" + hcKeys},
	{"a cycle back to a role with legacy sso keys", "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\nsso_start_url = https://x.awsapps.com/start\nsso_region = eu-west-1\nsso_account_id = 123456789012\nsso_role_name = Dev\n[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = a\n", ""},
	{"a cycle back to a role with login_session", "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\nlogin_session = arn:aws:iam::123456789012:user/a\n[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = a\n", ""},
	{"a cycle back to the middle of a chain", roleDev("b") + "[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = c\n" + ssoSession + "sso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n[profile c]\nrole_arn = arn:aws:iam::123456789012:role/c\nsource_profile = b\n", ""},
	{"a role over itself with keys", "[profile u]\nrole_arn = arn:aws:iam::123456789012:role/u\nsource_profile = u\nmfa_serial = " + hcMFA + "\n", "[u]\n" + hcKeys},
	{"mfa_serial on a role over its own sso, met twice", ssoSession + ssoProfile + "role_arn = arn:aws:iam::123456789012:role/a\nsource_profile = sso\nmfa_serial = " + hcMFA + "\n", ""},
	{"mfa_serial on a role over sso", ssoSession + ssoProfile + roleDev("sso") + "mfa_serial = " + hcMFA + "\n", ""},
	// validateCredentialType: one of source_profile, credential_source,
	// credential_process, web_identity_token_file per profile.
	{"credential_process and web_identity_token_file", "[profile p]\nrole_arn = arn:aws:iam::123456789012:role/p\ncredential_process = /bin/creds\nweb_identity_token_file = /tmp/token\n", ""},
	{"credential_process on the middle of a chain", roleDev("m") + "[profile m]\nrole_arn = arn:aws:iam::123456789012:role/m\nsource_profile = u\ncredential_process = /bin/creds\n", "[u]\n" + hcKeys},
	{"credential_process on a role, in the credentials file", roleDev("u"), "[dev]\ncredential_process = /bin/creds\n[u]\n" + hcKeys},
	// clearCredentialOptions: a role with source_profile ignores its own
	// keys, credential_process (refused above), legacy sso keys and
	// login_session, but not sso_session, whose section must exist.
	{"a role with keys of its own", roleDev("p") + "[profile p]\ncredential_process = /bin/creds\n", "[dev]\n" + hcKeys},
	{"a role with legacy sso keys of its own", roleDev("u") + "sso_start_url = https://x.awsapps.com/start\nsso_account_id = 123456789012\n", "[u]\n" + hcKeys},
	{"a role with login_session of its own", roleDev("u") + "login_session = arn:aws:iam::123456789012:user/a\n", "[u]\n" + hcKeys},
	{"a role with an sso_session naming no section", roleDev("u") + "sso_session = nowhere\n", "[u]\n" + hcKeys},
	{"a role with a complete sso_session of its own", ssoSession + roleDev("u") + "sso_session = corp\n", "[u]\n" + hcKeys},
	// hasCredentials: a source needs keys, source_profile,
	// credential_source, credential_process, web_identity_token_file or
	// an sso key (login_session is not one: roleOverLogin).
	{"a source with no credentials", roleDev("u") + "[profile u]\nregion = eu-west-1\nmfa_serial = " + hcMFA + "\n", ""},
	{"a source with one legacy sso key", roleDev("u") + "[profile u]\nsso_account_id = 123456789012\n", ""},
	{"a source with credential_source and a role", roleDev("u") + "[profile u]\nrole_arn = arn:aws:iam::123456789012:role/u\ncredential_source = Ec2InstanceMetadata\n", ""},
	{"a source with only login_session", roleDev("u") + "[profile u]\nlogin_session = arn:aws:iam::123456789012:user/a\n", ""},
	// setFromIniSections: sso_session needs its [sso-session] section
	// (found by the trimmed name, in either file), whatever the kind.
	{"sso_session naming no section beside keys", "[profile u]\nsso_session = nowhere\nmfa_serial = " + hcMFA + "\n" + hcKeys, ""},
	{"sso_session naming no section beside credential_process", "[profile p]\nsso_session = nowhere\ncredential_process = /bin/creds\n", ""},
	{"sso_session naming no section beside login_session", "[profile p]\nsso_session = nowhere\nlogin_session = arn:aws:iam::123456789012:user/a\n", ""},
	{"sso_session in the credentials file", ssoSession + "[profile sso]\nsso_account_id = 123456789012\nsso_role_name = Dev\n", "[sso]\nsso_session = corp\n"},
	{"sso-session section in both files", ssoSession + ssoProfile, "[sso-session corp]\nsso_region = us-east-1\n"},
	// validateSSOTokenProviderConfiguration and
	// validateLegacySSOConfiguration (resolveSSOCredentials): the
	// session needs sso_region and sso_start_url, the profile's own must
	// match them; the legacy form needs all four keys.
	{"sso_region differs from the session's", ssoSession + ssoProfile + "sso_region = us-east-1\n", ""},
	{"sso_start_url differs from the session's", ssoSession + ssoProfile + "sso_start_url = https://other.awsapps.com/start\n", ""},
	{"sso-session without sso_start_url", "[sso-session corp]\nsso_region = eu-west-1\n" + ssoProfile, ""},
	{"legacy sso without sso_role_name", "[profile sso]\nsso_start_url = https://x.awsapps.com/start\nsso_region = eu-west-1\nsso_account_id = 123456789012\n", ""},
	{"role over legacy sso without sso_region", roleDev("sso") + "[profile sso]\nsso_start_url = https://x.awsapps.com/start\nsso_account_id = 123456789012\nsso_role_name = Dev\n", ""},
	// resolveCredsFromProfile: keys, credential_source,
	// web_identity_token_file, sso, login_session, credential_process,
	// then the instance's; role_arn assumes a role over what was found.
	{"login_session in the credentials file beats credential_process", "[profile p]\ncredential_process = /bin/creds\n", "[p]\nlogin_session = arn:aws:iam::123456789012:user/a\n"},
	{"keys in the config file beat sso", ssoSession + ssoProfile + hcKeys + "mfa_serial = " + hcMFA + "\n", ""},
	{"role_arn in the credentials file", "[profile dev]\nsource_profile = u\n", "[dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\n[u]\n" + hcKeys},
	{"source_profile in the credentials file", "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\n", "[dev]\nsource_profile = u\n[u]\n" + hcKeys},
	{"role_arn without source_profile over its own keys", "[profile u]\nrole_arn = arn:aws:iam::123456789012:role/u\nmfa_serial = " + hcMFA + "\n", "[u]\n" + hcKeys},
	{"role_arn alone", "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\n", ""},
	{"credential_source = Environment with role_arn", "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\ncredential_source = Environment\n", ""},
	{"credential_source not a source", "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\ncredential_source = Nowhere\n", ""},
	{"a role over web identity", roleDev("w") + "[profile w]\nrole_arn = arn:aws:iam::123456789012:role/w\nweb_identity_token_file = /tmp/token\n", ""},
	{"duration_seconds not a number", roleDev("u") + "duration_seconds = 1h\n", "[u]\n" + hcKeys},
	// resolveCustomCABundle: the profile's ca_bundle is read on load.
	{"ca_bundle naming no file", "[profile u]\nmfa_serial = " + hcMFA + "\nca_bundle = /nonexistent/ca.pem\n", "[u]\n" + hcKeys},
	{"ca_bundle naming no file, in the credentials file", roleDev("u") + "[profile u]\nmfa_serial = " + hcMFA + "\n", "[u]\n" + hcKeys + "ca_bundle = /nonexistent/ca.pem\n"},
	{"mfa-git's own credential_process", "[profile u]\ncredential_process = mfa-git credential-process --profile u\nmfa_serial = " + hcMFA + "\n", ""},
	{"a role over mfa-git's own credential_process", roleDev("u") + "[profile u]\ncredential_process = /usr/bin/mfa-git credential-process --profile u\nmfa_serial = " + hcMFA + "\n", ""},
}

// roleDev is a role profile dev over source.
func roleDev(source string) string {
	return "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = " + source + "\n"
}

// kindGenerated is how many generated cases TestKindsMatchSDK adds.
const kindGenerated = 150

// genKindCase makes profiles p and q of random kinds (p maybe a role
// over q), with only values that can be right.
func genKindCase(seed uint64) diffCase {
	r := rand.New(rand.NewPCG(seed, 0x6b696e6473))
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	var cfg, creds strings.Builder
	if r.IntN(3) > 0 {
		cfg.WriteString("[sso-session corp]\n")
		if r.IntN(5) > 0 {
			cfg.WriteString("sso_start_url = https://corp.awsapps.com/start\n")
		}
		if r.IntN(5) > 0 {
			cfg.WriteString("sso_region = eu-west-1\n")
		}
	}
	// Each profile starts as one kind (or none), complete, and then
	// gets each other key at random.
	kinds := [][]string{
		{"sso_session", "sso_account_id", "sso_role_name"},
		{"sso_start_url", "sso_region", "sso_account_id", "sso_role_name"},
		{"login_session"}, {"credential_process"}, {},
	}
	body := func() string {
		base := kinds[r.IntN(len(kinds))]
		var b strings.Builder
		for _, kv := range [][2]string{
			{"sso_session", pick("corp", "corp", "other")},
			{"sso_start_url", pick("https://corp.awsapps.com/start", "https://old.awsapps.com/start")},
			{"sso_region", pick("eu-west-1", "us-east-1")},
			{"sso_account_id", "123456789012"},
			{"sso_role_name", pick("Dev", "Admin")},
			{"login_session", "arn:aws:iam::123456789012:user/a"},
			{"credential_process", "/bin/creds --" + pick("a", "b")},
		} {
			if slices.Contains(base, kv[0]) || r.IntN(6) == 0 {
				fmt.Fprintf(&b, "%s = %s\n", kv[0], kv[1])
			}
		}
		return b.String() + "mfa_serial = " + hcMFA + "\n"
	}
	if r.IntN(3) == 0 {
		cfg.WriteString("[profile p]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = q\n")
	} else {
		cfg.WriteString("[profile p]\n" + body())
	}
	cfg.WriteString("[profile q]\n" + body())
	for _, n := range []string{"p", "q"} {
		if r.IntN(5) == 0 {
			creds.WriteString("[" + n + "]\n" + hcKeys)
		}
	}
	return diffCase{fmt.Sprintf("generated kinds %d", seed), cfg.String(), creds.String()}
}

// readerKind is what the reader makes of profile name: its kind, "role
// over" its source's kind, "none" for a profile with no credentials,
// or "error" for one it refuses. An IAM user's keys without mfa_serial,
// or a session's keys (ASIA...), are refused by mfa-git's rules
// (ErrNoMFASerial, ErrTemporaryKeys), not by a different reading of the
// files: the kind is still an IAM user's, as the SDK's.
func readerKind(files Files, name string) (string, error) {
	p, r, err := Resolve(context.Background(), name, files, nil)
	switch {
	case errors.Is(err, ErrNoKeys) && RawKeys(files, name)["role_arn"] == "":
		return "none", nil
	case (errors.Is(err, ErrNoMFASerial) || errors.Is(err, ErrTemporaryKeys)) && RawKeys(files, name)["role_arn"] == "":
		return KindUser.String(), nil
	case errors.Is(err, ErrNoMFASerial) || errors.Is(err, ErrTemporaryKeys):
		return "role over " + KindUser.String(), nil
	case err != nil:
		return "error", err
	case r != nil:
		return "role over " + r.Source.Kind.String(), nil
	}
	return p.Kind.String(), nil
}

// sdkKind is what the SDK's config loader makes of profile name: which
// provider it picks ("none" for the instance metadata it falls back to).
func sdkKind(files Files, name string, opts ...func(*config.LoadOptions) error) string {
	// A token provider, as mfa-git is one: without it the SDK refuses a
	// role profile with mfa_serial for want of a way to ask for codes.
	token := config.WithAssumeRoleCredentialOptions(func(o *stscreds.AssumeRoleOptions) {
		o.TokenProvider = func() (string, error) { return "123456", nil }
	})
	cfg, err := config.LoadDefaultConfig(context.Background(), append([]func(*config.LoadOptions) error{config.WithSharedConfigProfile(name), token,
		config.WithSharedConfigFiles([]string{files.Config}), config.WithSharedCredentialsFiles([]string{files.Credentials})}, opts...)...)
	if err != nil {
		return "error"
	}
	sc, err := config.LoadSharedConfigProfile(context.Background(), name, func(o *config.LoadSharedConfigOptions) {
		o.ConfigFiles, o.CredentialsFiles = []string{files.Config}, []string{files.Credentials}
	})
	if err != nil {
		return "error"
	}
	kind := func(sc *config.SharedConfig) string {
		switch {
		case sc.Credentials.HasKeys():
			return KindUser.String()
		case sc.SSOSessionName != "" || sc.SSOStartURL != "" || sc.SSORegion != "" || sc.SSOAccountID != "" || sc.SSORoleName != "":
			return KindSSO.String()
		case sc.LoginSession != "":
			return KindLogin.String()
		case sc.CredentialProcess != "":
			return KindProcess.String()
		}
		return "none"
	}
	for _, c := range []struct {
		target aws.CredentialsProvider
		kind   string
	}{
		{credentials.StaticCredentialsProvider{}, KindUser.String()},
		{(*ssocreds.Provider)(nil), KindSSO.String()},
		{(*logincreds.Provider)(nil), KindLogin.String()},
		{(*processcreds.Provider)(nil), KindProcess.String()},
	} {
		if aws.IsCredentialsProvider(cfg.Credentials, c.target) {
			if c.kind != kind(&sc) {
				return fmt.Sprintf("provider %s, shared config %s", c.kind, kind(&sc))
			}
			return c.kind
		}
	}
	if aws.IsCredentialsProvider(cfg.Credentials, (*stscreds.AssumeRoleProvider)(nil)) && sc.Source != nil {
		src := sc.Source // the end of a chain of roles
		for src.Source != nil {
			src = src.Source
		}
		return "role over " + kind(src)
	}
	return "none"
}

// readerKindValues is the reader's kindKeys of profile name.
func readerKindValues(sf *sharedFiles, name string) map[string]string {
	raw, _ := sf.raw(name)
	out := map[string]string{}
	for _, k := range kindKeys {
		if key, ok := strings.CutPrefix(k, "session "); ok {
			if s := raw.get("sso_session"); s != "" {
				out[k] = sf.profiles[prefixSSOSession+strings.TrimSpace(s)].get(key)
			}
			continue
		}
		out[k] = raw.get(k)
	}
	return out
}

// sdkKindValues is the SDK's kindKeys of profile name, or nil when its
// loader refuses the profile.
func sdkKindValues(files Files, name string) map[string]string {
	sc, err := config.LoadSharedConfigProfile(context.Background(), name, func(o *config.LoadSharedConfigOptions) {
		o.ConfigFiles, o.CredentialsFiles = []string{files.Config}, []string{files.Credentials}
	})
	if err != nil {
		return nil
	}
	out := map[string]string{"sso_session": sc.SSOSessionName, "sso_start_url": sc.SSOStartURL, "sso_region": sc.SSORegion,
		"sso_account_id": sc.SSOAccountID, "sso_role_name": sc.SSORoleName, "login_session": sc.LoginSession, "credential_process": sc.CredentialProcess,
		"session sso_start_url": "", "session sso_region": ""}
	if sc.SSOSession != nil {
		out["session sso_start_url"], out["session sso_region"] = sc.SSOSession.SSOStartURL, sc.SSOSession.SSORegion
	}
	if sc.Source != nil {
		// A role's own credential keys are cleared by the SDK once it
		// follows source_profile: compare those of the role as read.
		return nil
	}
	return out
}

// roleOverLogin is the one documented difference: the SDK for Go's
// loader (config v1.33.15) does not count login_session as credentials
// for a source_profile, and refuses a role over an aws login profile;
// mfa-git serves it (the AWS CLI v2 does too).
func roleOverLogin(reader, sdk string) bool {
	return reader == "role over "+KindLogin.String() && sdk == "error"
}

// ssoOnLoad is the other: the reader refuses on load an IAM Identity
// Center profile without sso_account_id or sso_role_name, or with a
// value that cannot be right; the SDK's loader takes it, and its
// provider fails when asked for credentials.
func ssoOnLoad(files Files, name, reader, sdk string) bool {
	raw := RawKeys(files, name)
	if sdk == "role over "+KindSSO.String() {
		raw = RawKeys(files, raw["source_profile"])
	} else if sdk != KindSSO.String() {
		return false
	}
	return reader == "error" && (raw["sso_account_id"] == "" || raw["sso_role_name"] == "")
}

// caBundleOnUse is the profile's ca_bundle, which the SDK's loader reads
// (and parses) on load (resolveCustomCABundle), and mfa-git when it
// makes a request (awsapi's httpClient: before any request, with a
// message naming the file), so that a cached get reads no more files:
// the SDK fails on a bundle it cannot read where the reader does not,
// and with a bundle it can read agrees.
func caBundleOnUse(files Files, name, reader, sdk string) bool {
	if sdk != "error" || RawKeys(files, name)["ca_bundle"] == "" {
		return false
	}
	return sdkKind(files, name, config.WithCustomCABundle(bytes.NewReader(testCABundle()))) == reader
}

// testCABundle is a PEM bundle of one self-signed certificate.
var testCABundle = sync.OnceValue(func() []byte {
	key, err := ecdsa.GenerateKey(elliptic.P256(), crand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(crand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
})

// ownProcess is a credential_process that runs mfa-git itself
// (RunsMFAGit), at the end of the SDK's chain: the SDK runs it; mfa-git
// reads the profile as the IAM user's whose keys add moved into the
// keystore (kindOf: running itself would never end), and the reader here
// has no keystore, so the profile has no keys ("none", or ErrNoKeys for
// a role over it).
func ownProcess(files Files, name, reader string, err error, sdk string) bool {
	if sdk != KindProcess.String() && sdk != "role over "+KindProcess.String() {
		return false
	}
	sc, lerr := config.LoadSharedConfigProfile(context.Background(), name, func(o *config.LoadSharedConfigOptions) {
		o.ConfigFiles, o.CredentialsFiles = []string{files.Config}, []string{files.Credentials}
	})
	if lerr != nil {
		return false
	}
	end := &sc
	for end.Source != nil {
		end = end.Source
	}
	return RunsMFAGit(end.CredentialProcess) && (reader == "none" || errors.Is(err, ErrNoKeys))
}

// refusedValue reports whether err refuses, by mfa-git's own rule, a
// value that cannot be right (naming the file and line it was read
// from), or a role profile that mfa-git does not serve (role_arn without
// source_profile, credential_source, web_identity_token_file, mfa_serial
// on a role over a profile that is not an IAM user's), which the SDK's
// loader takes and its providers would fail on or resolve otherwise. A
// refusal that mirrors the SDK's loader (errSDKRefuses) is not excused:
// the SDK must refuse the profile too.
func refusedValue(files Files, err error) bool {
	return err != nil && !errors.Is(err, errSDKRefuses) &&
		(strings.Contains(err.Error(), files.Config+":") || strings.Contains(err.Error(), files.Credentials+":"))
}

// compareKinds compares the reader and the SDK on one case, returning
// the differences.
func compareKinds(t testing.TB, c diffCase) []string {
	dir := t.TempDir()
	files := Files{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
	os.WriteFile(files.Config, []byte(c.cfg), 0o600)
	os.WriteFile(files.Credentials, []byte(c.creds), 0o600)
	sf := readShared(files)
	var out []string
	for _, name := range profileNames(sf.profiles) {
		rk, err := readerKind(files, name)
		sk := sdkKind(files, name)
		if rk != sk && !roleOverLogin(rk, sk) && !ssoOnLoad(files, name, rk, sk) && !ownProcess(files, name, rk, err, sk) && !caBundleOnUse(files, name, rk, sk) && !refusedValue(files, err) {
			out = append(out, fmt.Sprintf("profile %q: reader %q, SDK %q", name, rk, sk))
		}
		if sv := sdkKindValues(files, name); sv != nil {
			rv := readerKindValues(sf, name)
			for _, k := range kindKeys {
				if rv[k] != sv[k] {
					out = append(out, fmt.Sprintf("profile %q %s: reader %q, SDK %q", name, k, rv[k], sv[k]))
				}
			}
		}
	}
	return out
}

// TestKindsMatchSDK resolves the hand-written and generated cases with
// the reader and the SDK's loader and compares each profile's kind and
// kind values.
func TestKindsMatchSDK(t *testing.T) {
	testenv.ClearAWSEnv(t)
	cases := append([]diffCase{}, kindHandCases...)
	for seed := range generated(kindGenerated) {
		cases = append(cases, genKindCase(seed))
	}
	kinds := map[string]int{}
	for _, c := range cases {
		for _, d := range compareKinds(t, c) {
			t.Errorf("%s: %s\nconfig:\n%s\ncredentials:\n%s", c.name, d, c.cfg, c.creds)
		}
		dir := t.TempDir()
		files := Files{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
		os.WriteFile(files.Config, []byte(c.cfg), 0o600)
		os.WriteFile(files.Credentials, []byte(c.creds), 0o600)
		for _, n := range Names(files) {
			k, _ := readerKind(files, n)
			kinds[k]++
		}
	}
	t.Logf("%d cases; profiles by kind: %v", len(cases), kinds)
	for _, k := range []Kind{KindUser, KindSSO, KindLogin, KindProcess} {
		if kinds[k.String()] == 0 || kinds["role over "+k.String()] == 0 {
			t.Errorf("no case has a %s profile, or a role over one", k)
		}
	}
}

// FuzzKindsMatchSDK is TestKindsMatchSDK on any pair of files.
func FuzzKindsMatchSDK(f *testing.F) {
	testenv.ClearAWSEnv(f)
	for _, c := range kindHandCases {
		f.Add([]byte(c.cfg), []byte(c.creds))
	}
	f.Fuzz(func(t *testing.T, cfg, creds []byte) {
		defer func() {
			if r := recover(); r != nil {
				t.Skipf("the SDK's loader panicked: %v", r)
			}
		}()
		if d := compareKinds(t, diffCase{"fuzz", string(cfg), string(creds)}); d != nil {
			t.Fatal(strings.Join(d, "\n"))
		}
	})
}

// TestKindsMatchCLI asks the AWS CLI (`aws configure get`) for the keys
// that decide a profile's kind in the same cases: where it reads them
// otherwise than the reader (and the SDK), a documented disagreement
// (cliRules) must explain it.
func TestKindsMatchCLI(t *testing.T) {
	testenv.ClearAWSEnv(t)
	testenv.Require(t, "aws") // before writing hundreds of files for it
	cases := append([]diffCase{}, kindHandCases...)
	for seed := range generated(kindGenerated) {
		cases = append(cases, genKindCase(seed))
	}
	var jobs []cliJob
	var sfs []*sharedFiles
	for _, c := range cases {
		dir := t.TempDir()
		files := Files{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
		os.WriteFile(files.Config, []byte(c.cfg), 0o600)
		os.WriteFile(files.Credentials, []byte(c.creds), 0o600)
		sf := readShared(files)
		job := cliJob{Config: files.Config, Credentials: files.Credentials, Queries: [][2]string{}}
		for _, name := range profileNames(sf.profiles) {
			for _, k := range kindKeys {
				if !strings.HasPrefix(k, "session ") {
					job.Queries = append(job.Queries, [2]string{name, k})
				}
			}
		}
		jobs, sfs = append(jobs, job), append(sfs, sf)
	}
	answers := runCLI(t, jobs)
	asked, explained := 0, map[string]int{}
	for j, job := range jobs {
		for q, query := range job.Queries {
			asked++
			name, key := query[0], query[1]
			state, val := answers[j][q].value()
			rstate, rval := readerRaw(sfs[j], name, key)
			if state == rstate && val == rval {
				continue
			}
			rule := explainCLI(cliDiff{cases[j], name, key, rstate, rval, state, val})
			if rule == "" {
				t.Errorf("%s: profile %q key %s: reader %s %q, CLI %s %q: no documented disagreement explains it\nconfig:\n%s\ncredentials:\n%s",
					cases[j].name, name, key, rstate, rval, state, val, cases[j].cfg, cases[j].creds)
				continue
			}
			explained[rule]++
		}
	}
	t.Logf("reader vs AWS CLI on the kinds' keys: %d keys asked, differences by documented rule: %v", asked, explained)
}
