package profile

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// How the AWS SDK for Go v2 turns the two files into profiles (its
// shared_config.go, learnt and written anew):
//
//   - config file: "[profile NAME]" is profile NAME, and replaces a
//     "[NAME]" there (so [profile default] beats [default]); "[default]"
//     (any case), "[sso-session ...]" and "[services ...]" are kept; every
//     other section is ignored. Sections are renamed in sorted order.
//   - credentials file: every section is the profile of its name, except
//     "[profile ...]", which is ignored.
//   - a profile in both files takes from the credentials file only the
//     keys of mergedKeys, and the access key pair (with aws_session_token)
//     only when both halves are there; its other keys (mfa_process,
//     endpoint_url, services, ...) come from the config file alone. A
//     profile only in the credentials file is read whole from there.
//   - a profile whose own section (the credentials file's, when it has
//     one) holds only one half of the access key pair is refused.

// mergedKeys are the keys the SDK takes from the credentials file for a
// profile the config file has too.
var mergedKeys = []string{
	"role_arn", "source_profile", "credential_source", "external_id", "mfa_serial", "role_session_name",
	"region", "endpoint_discovery_enabled", "credential_process", "web_identity_token_file",
	"s3_use_arn_region", "s3_disable_multiregion_access_points", "ec2_metadata_service_endpoint_mode",
	"ec2_metadata_service_endpoint", "ec2_metadata_v1_disabled", "use_dualstack_endpoint", "use_fips_endpoint",
	"defaults_mode", "retry_mode", "ca_bundle", "duration_seconds", "max_attempts",
	"sso_session", "sso_account_id", "sso_region", "sso_role_name", "sso_start_url",
	"auth_scheme_preference", "login_session",
}

// Key names of the access key pair.
const (
	keyAccessKeyID  = "aws_access_key_id"
	keySecretKey    = "aws_secret_access_key"
	keySessionToken = "aws_session_token"
)

// Section name prefixes of the config file.
const (
	prefixProfile    = "profile "
	prefixSSOSession = "sso-session "
	prefixServices   = "services "
)

// resolved is one profile's keys as the SDK merges the two files.
type resolved struct {
	keys map[string]iniValue
	// partial is a lone half of the access key pair in the section the
	// SDK checks (key "" when there is none).
	partial struct {
		key string
		at  iniValue
	}
}

// newResolved is a profile read from section s alone.
func newResolved(s *iniSection, keys map[string]iniValue) resolved {
	r := resolved{keys: keys}
	switch id, secret := s.has(keyAccessKeyID), s.has(keySecretKey); {
	case id && !secret:
		r.partial.key = keyAccessKeyID
	case secret && !id:
		r.partial.key = keySecretKey
	}
	r.partial.at = s.keys[r.partial.key]
	return r
}

// configProfiles applies the config file's naming rules: the sections
// that are profiles (or sso-session and services sections), by name.
func configProfiles(cfg iniFile) map[string]*iniSection {
	out := maps.Clone(cfg)
	done := map[string]bool{}
	for _, name := range slices.Sorted(maps.Keys(cfg)) {
		if done[name] {
			continue
		}
		switch {
		case strings.HasPrefix(name, prefixProfile):
			s := out[name]
			delete(out, name)
			n := strings.TrimPrefix(name, prefixProfile)
			out[n] = s
			done[n] = true
		case strings.HasPrefix(name, prefixSSOSession), strings.HasPrefix(name, prefixServices), strings.EqualFold(name, "default"):
		default:
			delete(out, name)
		}
	}
	return out
}

// mergeShared resolves every profile of the two files as the SDK does.
func mergeShared(cfg, creds iniFile) map[string]resolved {
	out := map[string]resolved{}
	for name, s := range configProfiles(cfg) {
		out[name] = newResolved(s, s.keys)
	}
	for name, s := range creds {
		if strings.HasPrefix(name, prefixProfile) {
			continue
		}
		dst, ok := out[name]
		if !ok {
			out[name] = newResolved(s, s.keys)
			continue
		}
		keys := maps.Clone(dst.keys)
		if s.has(keyAccessKeyID) && s.has(keySecretKey) {
			for _, k := range []string{keyAccessKeyID, keySecretKey, keySessionToken} {
				if v, ok := s.keys[k]; ok {
					keys[k] = iniValue{str: v.str, file: v.file, line: v.line}
				}
			}
		}
		for _, k := range mergedKeys {
			if v, ok := s.keys[k]; ok {
				keys[k] = iniValue{str: v.str, file: v.file, line: v.line}
			}
		}
		out[name] = newResolved(s, keys)
	}
	return out
}

// profileNames lists the profiles among resolved sections: all but
// sso-session and services sections and the nameless one.
func profileNames(all map[string]resolved) []string {
	var names []string
	for n := range all {
		if n != "" && !strings.HasPrefix(n, prefixSSOSession) && !strings.HasPrefix(n, prefixServices) {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names
}

// get returns a key's value as the SDK reads it ("" when unset).
func (r resolved) get(key string) string { return r.keys[key].str }

// commandLine is key's value as written, quotes kept: for mfa-git's own
// keys that hold a command line, where the SDK's stripping of one pair of
// quotes around the whole value would break a quoted program path with a
// space ("C:\Program Files\Yubico\ykman.exe" to cmd.exe, or
// '/home/me/my tools/code' to sh).
func (r resolved) commandLine(key string) string { return r.keys[key].written }

// at names where key was read, as "FILE:LINE", or "" when unset.
func (r resolved) at(key string) string {
	v, ok := r.keys[key]
	if !ok {
		return ""
	}
	return fmt.Sprintf("%s:%d", v.file, v.line)
}

// Names lists the profiles the shared files define, sorted, as the AWS
// SDK for Go v2 finds them: [profile NAME] and [default] in the config
// file, [NAME] in the credentials file (see mergeShared).
func Names(files Files) []string {
	// A file that cannot be read is reported when its profiles are
	// loaded; here what could be read is listed.
	return profileNames(readShared(files).profiles)
}
