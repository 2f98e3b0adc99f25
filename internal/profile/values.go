package profile

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/mfa-git/mfa-git/gitcred"
	"github.com/mfa-git/mfa-git/internal/hint"
)

// CheckName reports whether name can be a profile mfa-git writes
// about: into a section header of the AWS config file, and as an argument
// in the command lines it writes (git's helper, credential_process). A name
// with a control character (CR, LF, NUL, ...) or a bracket, spaces at
// either end or in a row (which the AWS readers fold), or a leading "-"
// (which would read as a flag) is refused with a hint.
func CheckName(name string) error {
	why := ""
	switch {
	case name == "":
		why = "it is empty"
	case strings.ContainsFunc(name, isControl):
		why = "it holds a control character (such as a line break)"
	case strings.ContainsAny(name, "[]"):
		why = "it holds a square bracket, which ends a section header"
	case strings.ContainsAny(name, ";#"):
		why = "it holds ; or #, which the AWS SDKs read as the start of a comment in a section header"
	case strings.Join(strings.Fields(name), " ") != name:
		why = "it has spaces at either end, a tab, or spaces in a row, which the AWS config readers fold"
	case name[0] == '-':
		why = "it starts with \"-\", so it would read as a flag"
	case len(name) > 256:
		why = "it is longer than 256 bytes"
	}
	if why == "" {
		return nil
	}
	return hint.New(nil, fmt.Sprintf("cannot use the profile name %q: %s", name, why),
		"rename the profile in ~/.aws/config and ~/.aws/credentials to letters, digits and - _ . (e.g. [profile dev])")
}

// isControl reports ASCII control characters and DEL.
func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// ShellQuote returns s as one word for a POSIX shell, which is how git
// runs credential helpers and how the AWS SDKs split credential_process:
// as it is when it holds only characters no shell treats specially, else
// in single quotes.
func ShellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./_-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// CredentialProcess is the credential_process line that runs mfa-git for
// profile (a name CheckName accepts). It refuses a name that
// cannot be written safely there on this system (CheckCredentialProcessName).
func CredentialProcess(profile string) (string, error) {
	if err := CheckCredentialProcessName(runtime.GOOS, profile); err != nil {
		return "", err
	}
	return "mfa-git credential-process --profile " + ShellQuote(profile), nil
}

// CheckCredentialProcessName reports whether profile can be written into
// a credential_process line read on goos. On Windows the AWS SDKs run
// that line through cmd.exe, which ignores single quotes and acts on
// & | < > ^ % " and more, so there the name must be made only of
// letters, digits and . _ - ; elsewhere CheckName's rules hold.
func CheckCredentialProcessName(goos, profile string) error {
	if err := CheckName(profile); err != nil {
		return err
	}
	if goos != "windows" || strings.Trim(profile, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == "" {
		return nil
	}
	return hint.New(nil, fmt.Sprintf("cannot write the profile name %q into credential_process: on Windows cmd.exe runs that line, and would act on its characters other than letters, digits and . _ -", profile),
		"rename the profile in ~/.aws/config and ~/.aws/credentials to letters, digits and - _ . (e.g. [profile dev]), then run the command again")
}

// CheckMFASerial reports whether s can be an MFA device's serial number
// or ARN as STS accepts it ([\w+=/:,.@-], 9 to 256 characters). A serial
// from IAM's answer is checked too before it is shown or written.
func CheckMFASerial(s string) error {
	if len(s) >= 9 && len(s) <= 256 && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+=/:,.@-") == "" {
		return nil
	}
	return hint.New(nil, fmt.Sprintf("%q is not an MFA device serial number or ARN", s),
		"copy the device's ARN from IAM → Users → Security credentials (arn:aws:iam::ACCOUNT:mfa/NAME)")
}

// checkINIValue refuses what would change a shared file's structure when
// written as "key = value" under [section].
func checkINIValue(section, key, value string) error {
	switch {
	case section == "" || strings.ContainsFunc(section, isControl) || strings.ContainsAny(section, "[]"):
		return fmt.Errorf("section name %q cannot be written", section)
	case key == "" || strings.Trim(key, "abcdefghijklmnopqrstuvwxyz0123456789_") != "":
		return fmt.Errorf("key name %q cannot be written", key)
	case strings.ContainsFunc(value, isControl):
		return fmt.Errorf("the value for %s holds a control character (such as a line break), which would add lines to the file", key)
	}
	return nil
}

// valueError refuses a value of the shared files that cannot be right,
// naming the profile, the key, the file and line it was read from, and
// the value as read (quoted, so a stray comment or quote shows).
func valueError(name, key string, raw rawProfile, why, fix string) error {
	return hint.New(nil, valueMessage(name, key, raw, why), fix)
}

// valueMessage is valueError's sentence.
func valueMessage(name, key string, raw rawProfile, why string) string {
	return fmt.Sprintf("profile %q: %s = %q (%s) %s", name, key, raw.get(key), raw.at(key), why)
}

// errSDKRefuses is wrapped by the refusals that are the Go SDK's
// loader's own (sdkValueError, and roleStep's credential_process), as
// opposed to mfa-git's rules: the differential test holds these to the
// SDK's answer.
var errSDKRefuses = errors.New("the AWS SDK for Go refuses to load this profile")

// sdkValueError is valueError for a value the Go SDK's loader refuses.
func sdkValueError(name, key string, raw rawProfile, why, fix string) error {
	return hint.New(errSDKRefuses, valueMessage(name, key, raw, why), fix)
}

// envError refuses a value of the environment variable env that cannot
// be right.
func envError(name, env, value, why, fix string) error {
	return hint.New(nil, fmt.Sprintf("profile %q: %s=%q %s", name, env, value, why), fix)
}

// checkValues refuses a profile's values that cannot be right, before
// anything is asked or sent: a source_profile, credential_source or
// web_identity_token_file without role_arn, a value the SDK refuses to
// load (sdkValues), an mfa_serial that is not an MFA device's serial
// number or ARN, and a region (AWS_REGION, AWS_DEFAULT_REGION or the
// profile's) that is not an AWS region.
func checkValues(name string, raw rawProfile) error {
	for _, key := range []string{"source_profile", "credential_source", "web_identity_token_file"} {
		if raw.get(key) != "" && raw.get("role_arn") == "" {
			// As the Go SDK (CredentialRequiresARNError): each is the
			// source of a role, and means nothing without one.
			return sdkValueError(name, key, raw, "has no role_arn beside it (the AWS SDKs refuse such a profile)",
				"add role_arn = arn:aws:iam::ACCOUNT:role/NAME beside "+key+", or remove "+key)
		}
	}
	for _, v := range sdkValues {
		if val, ok := raw.keys[v.key]; ok && !v.ok(val.str) {
			return sdkValueError(name, v.key, raw, "is not "+v.want+" (the AWS SDK for Go refuses to load such a profile)",
				"set "+v.key+" to "+v.want+", or remove it")
		}
	}
	if s := raw.get("mfa_serial"); s != "" && CheckMFASerial(s) != nil {
		return valueError(name, "mfa_serial", raw, "is not an MFA device serial number or ARN (9 to 256 letters, digits or _+=/:,.@-)",
			"set mfa_serial to the device's ARN from IAM → Users → Security credentials (arn:aws:iam::ACCOUNT:mfa/NAME); a comment after it needs a space before the # or ;")
	}
	for _, env := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		if v := os.Getenv(env); v != "" {
			if gitcred.ValidRegion(v) {
				return nil
			}
			return envError(name, env, v, "is not an AWS region", "set "+env+" to a region such as eu-west-1, or unset it")
		}
	}
	if r := raw.get("region"); r != "" && !gitcred.ValidRegion(r) {
		return valueError(name, "region", raw, "is not an AWS region", "set region to a region such as eu-west-1 (a comment after it needs a space before the # or ;)")
	}
	return nil
}

// sdkValues are the settings whose value the AWS SDK for Go's loader
// checks when it reads a profile (config's setFromIniSection): one it
// does not take fails the profile, and every profile of a role's chain,
// even one mfa-git does not read the setting of. A key that is present
// counts, even with an empty value.
var sdkValues = []struct {
	key, want string
	ok        func(string) bool
}{
	{"retry_mode", "standard or adaptive", func(v string) bool { return v == "standard" || v == "adaptive" }},
	{"max_attempts", "a whole number", func(v string) bool { _, err := strconv.ParseInt(v, 0, 64); return err == nil }},
	{"defaults_mode", "standard, in-region, cross-region, mobile, auto or legacy", func(v string) bool {
		return v == "" || slices.ContainsFunc([]string{"standard", "in-region", "cross-region", "mobile", "auto", "legacy"}, func(m string) bool { return strings.EqualFold(v, m) })
	}},
	{"ec2_metadata_service_endpoint_mode", "IPv4 or IPv6", func(v string) bool {
		v = strings.TrimSpace(v)
		return v == "" || strings.EqualFold(v, "IPv4") || strings.EqualFold(v, "IPv6")
	}},
	{"disable_request_compression", "true or false (in lower case)", isTrueOrFalse},
	{"disable_clock_skew_correction", "true or false (in lower case)", isTrueOrFalse},
	{"request_min_compression_size_bytes", "a whole number from 0 to 10485760", func(v string) bool {
		n, err := strconv.ParseInt(v, 0, 64)
		return err == nil && n >= 0 && n <= 10485760
	}},
	{"account_id_endpoint_mode", "preferred, required or disabled", func(v string) bool {
		return v == "preferred" || v == "required" || v == "disabled"
	}},
	{"request_checksum_calculation", "when_supported or when_required", isChecksumMode},
	{"response_checksum_validation", "when_supported or when_required", isChecksumMode},
}

// isTrueOrFalse is the SDK's test of a setting that must be "true" or
// "false", exactly.
func isTrueOrFalse(v string) bool { return v == "true" || v == "false" }

// isChecksumMode is the SDK's test of a checksum setting, in any case.
func isChecksumMode(v string) bool {
	v = strings.ToLower(v) // as the SDK: not EqualFold, which folds "ſ" to "s"
	return v == "when_supported" || v == "when_required"
}
