package profile

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
)

// The differential test compares, profile by profile and key by key,
// three readings of the same files: mfa-git's reader (readerView), the
// AWS SDK for Go v2's own loader (sdkView) and the AWS CLI's `aws
// configure get` (cli_test.go). This file has the two Go views.

// diffKeys are the keys mfa-git reads, and "sts endpoint" and "iam
// endpoint", the endpoint a profile's settings give each (the services
// section's nested endpoint_url, else endpoint_url).
var diffKeys = []string{
	"aws_access_key_id", "aws_secret_access_key", "aws_session_token",
	"mfa_serial", "mfa_process", "duration_seconds", "region", "ca_bundle",
	"endpoint_url", "services", "ignore_configured_endpoint_urls",
	"use_fips_endpoint", "use_dualstack_endpoint", "sts_regional_endpoints",
	"role_arn", "source_profile", "credential_source", "web_identity_token_file",
	"role_session_name", "external_id", "credential_process",
	"sts endpoint", "iam endpoint",
}

// view is one profile as a reader resolves it: whether it exists,
// whether it is refused for holding half an access key pair, and each
// of diffKeys as the SDK exposes it (see sdkView).
type view struct {
	exists, partial bool
	vals            map[string]string
}

func (v view) String() string {
	switch {
	case !v.exists:
		return "no such profile"
	case v.partial:
		return "refused: half an access key pair"
	}
	return fmt.Sprintf("%q", v.vals)
}

// The SDK's SharedConfig does not expose every key mfa-git reads
// (mfa_process and sts_regional_endpoints are not SDK keys), and four
// keys make it follow or check a credential chain instead of reporting
// what it read. For those, the SDK reads a copy of the files in which the
// key's name is swapped with a key of the same kind (both in the SDK's
// list of keys merged from the credentials file, or both not) that it
// exposes as it was written and acts on no further; every value is
// swapped the same way in both views before they are compared. Two
// passes, as sdk_ua_app_id stands in for two keys.
var swapPasses = []map[string]string{
	{"source_profile": "sso_account_id", "credential_source": "sso_role_name", "web_identity_token_file": "sso_region",
		"credential_process": "sso_start_url", "mfa_process": "sdk_ua_app_id"},
	{"source_profile": "sso_account_id", "credential_source": "sso_role_name", "web_identity_token_file": "sso_region",
		"credential_process": "sso_start_url", "sts_regional_endpoints": "sdk_ua_app_id"},
}

// swapTargets are the stand-in names; files that use them are not
// swapped (swapUsable).
var swapTargets = []string{"sso_account_id", "sso_role_name", "sso_region", "sso_start_url", "sdk_ua_app_id", "sso_session"}

// swapUsable reports whether data can be swapped: it names none of the
// stand-ins (as the SDK lowercases key names).
func swapUsable(data ...[]byte) bool {
	for _, d := range data {
		low := strings.ToLower(string(d))
		for _, t := range swapTargets {
			if strings.Contains(low, t) {
				return false
			}
		}
	}
	return true
}

// swapper renames each key of pass to its stand-in and back, in any
// case the SDK's lowercasing folds to it.
func swapper(pass map[string]string) func(string) string {
	pairs := map[string]string{}
	var alts []string
	for a, b := range pass {
		pairs[a], pairs[b] = b, a
		alts = append(alts, regexp.QuoteMeta(a), regexp.QuoteMeta(b))
	}
	re := regexp.MustCompile("(?i)(" + strings.Join(alts, "|") + ")")
	return func(s string) string {
		return re.ReplaceAllStringFunc(s, func(m string) string {
			if to, ok := pairs[strings.ToLower(m)]; ok {
				return to
			}
			return m
		})
	}
}

// readerView is mfa-git's reader's view of profile name.
func readerView(sf *sharedFiles, name string) view {
	raw, ok := sf.raw(name)
	v := view{exists: ok, partial: ok && raw.partial.key != "", vals: map[string]string{}}
	if !v.exists || v.partial {
		return v
	}
	for _, k := range diffKeys {
		switch k {
		case "aws_access_key_id", "aws_secret_access_key", "aws_session_token":
			// The SDK has the pair (and the token) only when both halves
			// are non-empty.
			if raw.get("aws_access_key_id") != "" && raw.get("aws_secret_access_key") != "" {
				v.vals[k] = raw.get(k)
			}
		case "use_fips_endpoint", "use_dualstack_endpoint", "ignore_configured_endpoint_urls":
			if _, set := raw.keys[k]; set {
				v.vals[k] = strconv.FormatBool(strings.EqualFold(raw.get(k), "true"))
			}
		case "duration_seconds":
			if _, set := raw.keys[k]; set {
				// As the SDK keeps it: a time.Duration of n seconds.
				n, _ := strconv.ParseInt(raw.get(k), 0, 64)
				v.vals[k] = strconv.FormatInt(int64(time.Duration(n)*time.Second/time.Second), 10)
			}
		case "sts endpoint":
			v.vals[k] = serviceEndpoint(sf, raw, "STS", "sts")
		case "iam endpoint":
			v.vals[k] = serviceEndpoint(sf, raw, "IAM", "iam")
		default:
			v.vals[k] = raw.get(k)
		}
	}
	return v
}

// errSDKPanic is a panic of the SDK's loader (it has one for a value
// that is a lone quote).
var errSDKPanic = errors.New("the SDK's loader panicked")

// sdkLoad runs the SDK's loader on the files, turning a panic into an
// error.
func sdkLoad(files Files, name string) (sc config.SharedConfig, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", errSDKPanic, r)
		}
	}()
	return config.LoadSharedConfigProfile(context.Background(), name, func(o *config.LoadSharedConfigOptions) {
		o.ConfigFiles, o.CredentialsFiles = []string{files.Config}, []string{files.Credentials}
	})
}

// sdkFiles writes each of the swapPasses of the files cfg and creds to
// dir, for sdkView: once per case, whatever the number of profiles in it.
func sdkFiles(dir string, cfg, creds []byte) ([]Files, error) {
	out := make([]Files, len(swapPasses))
	for i, pass := range swapPasses {
		swap := swapper(pass)
		out[i] = Files{Config: filepath.Join(dir, fmt.Sprintf("config.%d", i)), Credentials: filepath.Join(dir, fmt.Sprintf("credentials.%d", i))}
		if err := os.WriteFile(out[i].Config, []byte(swap(string(cfg))), 0o600); err != nil {
			return nil, err
		}
		if err := os.WriteFile(out[i].Credentials, []byte(swap(string(creds))), 0o600); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// sdkView is the SDK's view of profile name in passes, the files
// sdkFiles wrote. Values are compared with readerView's after the same
// swap. An error is one the reader has no counterpart of (such as a
// panic).
func sdkView(passes []Files, name string) (view, error) {
	v := view{vals: map[string]string{}}
	for i, files := range passes {
		swap := swapper(swapPasses[i])
		sc, err := sdkLoad(files, swap(name))
		var notExist config.SharedConfigProfileNotExistError
		switch {
		case errors.As(err, &notExist) || err != nil && strings.Contains(err.Error(), "could not find profile section name"):
			return v, nil
		case err != nil && strings.Contains(err.Error(), "partial credentials found"):
			v.exists, v.partial = true, true
			return v, nil
		case err != nil:
			return v, err
		}
		v.exists = true
		// Values stay as the SDK read them from the swapped files:
		// swappedReaderView swaps the reader's the same way. (Swapping
		// them back instead made a value naming a swapped key, such as
		// aws_secret_access_key = mfa_process, differ from the reader's.)
		back := func(k, s string) {
			if _, done := v.vals[k]; !done {
				v.vals[k] = s
			}
		}
		if sc.Credentials.HasKeys() {
			back("aws_access_key_id", sc.Credentials.AccessKeyID)
			back("aws_secret_access_key", sc.Credentials.SecretAccessKey)
			back("aws_session_token", sc.Credentials.SessionToken)
		}
		back("mfa_serial", sc.MFASerial)
		back("region", sc.Region)
		back("ca_bundle", sc.CustomCABundle)
		back("endpoint_url", sc.BaseEndpoint)
		back("services", sc.ServicesSectionName)
		back("role_arn", sc.RoleARN)
		back("role_session_name", sc.RoleSessionName)
		back("external_id", sc.ExternalID)
		if sc.IgnoreConfiguredEndpoints != nil {
			back("ignore_configured_endpoint_urls", strconv.FormatBool(*sc.IgnoreConfiguredEndpoints))
		}
		switch sc.UseFIPSEndpoint {
		case aws.FIPSEndpointStateEnabled:
			back("use_fips_endpoint", "true")
		case aws.FIPSEndpointStateDisabled:
			back("use_fips_endpoint", "false")
		}
		switch sc.UseDualStackEndpoint {
		case aws.DualStackEndpointStateEnabled:
			back("use_dualstack_endpoint", "true")
		case aws.DualStackEndpointStateDisabled:
			back("use_dualstack_endpoint", "false")
		}
		if sc.RoleDurationSeconds != nil {
			back("duration_seconds", strconv.FormatInt(int64(*sc.RoleDurationSeconds/time.Second), 10))
		}
		// The stand-ins.
		back("source_profile", sc.SSOAccountID)
		back("credential_source", sc.SSORoleName)
		back("web_identity_token_file", sc.SSORegion)
		back("credential_process", sc.SSOStartURL)
		if i == 0 {
			back("mfa_process", sc.AppID)
		} else {
			back("sts_regional_endpoints", sc.AppID)
		}
		endpoint := func(svc string) string {
			if sc.IgnoreConfiguredEndpoints != nil && *sc.IgnoreConfiguredEndpoints {
				return ""
			}
			if e := sc.Services.ServiceValues[svc]["endpoint_url"]; e != "" {
				return e
			}
			return sc.BaseEndpoint
		}
		back("sts endpoint", endpoint("sts"))
		back("iam endpoint", endpoint("iam"))
	}
	return v, nil
}

// swappedReaderView is readerView with every value swapped as sdkView's
// files were, for comparing with it.
func swappedReaderView(v view) view {
	out := view{exists: v.exists, partial: v.partial, vals: map[string]string{}}
	swaps := []func(string) string{swapper(swapPasses[0]), swapper(swapPasses[1])}
	for k, s := range v.vals {
		swap := swaps[0]
		if k == "sts_regional_endpoints" {
			swap = swaps[1]
		}
		out.vals[k] = swap(s)
	}
	return out
}

// diffViews lists the keys where a and b differ.
func diffViews(a, b view) []string {
	if a.exists != b.exists || a.partial != b.partial {
		return []string{fmt.Sprintf("profile: reader %v, SDK %v", a, b)}
	}
	var out []string
	for _, k := range diffKeys {
		if a.vals[k] != b.vals[k] {
			out = append(out, fmt.Sprintf("%s: reader %q, SDK %q", k, a.vals[k], b.vals[k]))
		}
	}
	return out
}
