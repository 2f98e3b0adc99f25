package sandbox

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// EndpointEnv is the environment that points the AWS SDKs and the AWS CLI
// at the sandbox's services, by service ID: AWS_ENDPOINT_URL_STS,
// AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL_SSO_OIDC and
// AWS_ENDPOINT_URL_SIGNIN (each a service's ID, upper case, spaces as _).
// Service-specific variables win over every configured endpoint.
func (sb *Sandbox) EndpointEnv() []string {
	return []string{
		"AWS_ENDPOINT_URL_STS=" + sb.STSURL,
		"AWS_ENDPOINT_URL_SSO=" + sb.SSOURL,
		"AWS_ENDPOINT_URL_SSO_OIDC=" + sb.OIDCURL,
		"AWS_ENDPOINT_URL_SIGNIN=" + sb.SigninURL,
	}
}

// SSOProfile returns ~/.aws/config text for an IAM Identity Center
// profile name with the demo permission set in the demo account: with
// session, the sso_session form (the profile names session; add the
// session's section once, with SSOSession); with session "", the legacy
// form (sso_start_url and sso_region in the profile). Then a [services
// name] section the profile names, which points STS, SSO and SSO OIDC at
// the sandbox. extra's keys replace or add to the profile's keys
// (sso_account_id, sso_role_name, region, ...); an empty value leaves a
// key out.
func (sb *Sandbox) SSOProfile(name, session string, extra map[string]string) string {
	keys := map[string]string{"sso_account_id": Account, "sso_role_name": SSOPermissionSet, "region": Region}
	if session != "" {
		keys["sso_session"] = session
	} else {
		keys["sso_start_url"], keys["sso_region"] = SSOStartURL, SSORegion
	}
	return profileSection(name, keys, extra) + servicesSection(name, "sts", sb.STSURL, "sso", sb.SSOURL, "sso_oidc", sb.OIDCURL)
}

// SSOSession returns the [sso-session name] section of the demo
// organisation's Identity Center, as `aws configure sso` writes it: the
// start URL, the region, and the scope that makes its tokens refreshable.
func SSOSession(name string) string {
	return fmt.Sprintf("[sso-session %s]\nsso_start_url = %s\nsso_region = %s\nsso_registration_scopes = sso:account:access\n",
		name, SSOStartURL, SSORegion)
}

// LoginProfile returns ~/.aws/config text for an `aws login` profile name
// signed in as session (a LoginToken's LoginSession), as `aws login`
// writes it (login_session, region), and a [services name] section that
// points STS and the sign-in service at the sandbox. extra is as for
// SSOProfile.
func (sb *Sandbox) LoginProfile(name, session string, extra map[string]string) string {
	text := profileSection(name, map[string]string{"login_session": session, "region": Region}, extra)
	return text + servicesSection(name, "sts", sb.STSURL, "signin", sb.SigninURL)
}

// profileSection is the [profile name] section (or [default]) with keys
// and extra's changes, the credential keys first, the rest sorted.
func profileSection(name string, keys, extra map[string]string) string {
	keys = maps.Clone(keys)
	keys["services"] = name
	maps.Copy(keys, extra)
	section := "profile " + name
	if name == "default" {
		section = name
	}
	var b strings.Builder
	fmt.Fprintf(&b, "[%s]\n", section)
	first := []string{"sso_session", "sso_start_url", "sso_region", "sso_account_id", "sso_role_name", "login_session"}
	rest := slices.Sorted(maps.Keys(keys))
	for _, k := range append(first, rest...) {
		if v, ok := keys[k]; ok {
			if v != "" {
				fmt.Fprintf(&b, "%s = %s\n", k, v)
			}
			delete(keys, k)
		}
	}
	return b.String()
}

// servicesSection is a [services name] section with each service key's
// endpoint_url, from pairs of key and URL.
func servicesSection(name string, pairs ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n[services %s]\n", name)
	for i := 0; i+1 < len(pairs); i += 2 {
		fmt.Fprintf(&b, "%s =\n  endpoint_url = %s\n", pairs[i], pairs[i+1])
	}
	return b.String()
}
