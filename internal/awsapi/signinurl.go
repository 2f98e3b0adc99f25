package awsapi

import (
	"strings"

	"github.com/mfa-git/mfa-git/internal/profile"
)

// partition is the part of an AWS partition's definition that the IAM
// Identity Center portal's, SSO OIDC's and the sign-in service's default
// endpoints are built from. The SDK's endpoint rules for those services
// build the same URLs (TestSignInURLsMatchSDK compares them for every
// partition, FIPS and dual-stack); mfa-git builds them itself because
// linking those clients costs every start of mfa-git, the cached git
// answer too, their package initialisation (see sso.go).
type partition struct {
	name string
	// prefix starts the partition's region names: "<prefix><word>-<n>"
	// (the SDK's regionRegex, matched without a regexp, which would be
	// compiled at every start).
	prefix    string
	dns, dual string
	// signin is the sign-in service's host suffix after "<region>.".
	signin string
}

// partitions are AWS's, as the SDK for Go v2's partitions.json defines
// them; a region that matches none is in "aws", as there.
var partitions = []partition{
	{"aws-cn", "cn-", "amazonaws.com.cn", "api.amazonwebservices.com.cn", "signin.amazonaws.cn"},
	{"aws-us-gov", "us-gov-", "amazonaws.com", "api.aws", "signin.amazonaws-us-gov.com"},
	{"aws-iso", "us-iso-", "c2s.ic.gov", "api.aws.ic.gov", "signin.c2shome.ic.gov"},
	{"aws-iso-b", "us-isob-", "sc2s.sgov.gov", "api.aws.scloud", "signin.sc2shome.sgov.gov"},
	{"aws-iso-e", "eu-isoe-", "cloud.adc-e.uk", "api.cloud-aws.adc-e.uk", "signin.csphome.adc-e.uk"},
	{"aws-iso-f", "us-isof-", "csp.hci.ic.gov", "api.aws.hci.ic.gov", "signin.csphome.hci.ic.gov"},
	{"aws-eusc", "eusc-de-", "amazonaws.eu", "api.amazonwebservices.eu", "signin.amazonaws-eusc.eu"},
}

// awsPartition is the default partition.
var awsPartition = partition{name: "aws", dns: "amazonaws.com", dual: "api.aws", signin: "signin.aws.amazon.com"}

// partitionOf is region's partition.
func partitionOf(region string) partition {
	for _, p := range partitions {
		if rest, ok := strings.CutPrefix(region, p.prefix); ok && wordDashNumber(rest) {
			return p
		}
	}
	return awsPartition
}

// wordDashNumber reports whether s is `\w+-\d+`.
func wordDashNumber(s string) bool {
	word, num, ok := strings.Cut(s, "-")
	if !ok || word == "" || num == "" {
		return false
	}
	for _, c := range word {
		if !(c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	for _, c := range num {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// suffix is the host suffix for p's settings: dual-stack or not.
func (pt partition) suffix(dual bool) string {
	if dual {
		return pt.dual
	}
	return pt.dns
}

// serviceURL is the default endpoint of a regional service whose host is
// "<name>[-fips].<region>.<suffix>" (the SSO portal, SSO OIDC), as the
// SDK's rules give it: in AWS GovCloud its FIPS endpoint without dual
// stack is the plain one, which is FIPS there.
func serviceURL(name, region string, fips, dual bool) string {
	pt := partitionOf(region)
	if fips && !(pt.name == "aws-us-gov" && !dual) {
		name += "-fips"
	}
	return "https://" + name + "." + region + "." + pt.suffix(dual)
}

// ssoURL is the IAM Identity Center portal's endpoint for p: the
// configured one (AWS_ENDPOINT_URL_SSO, the services section), else the
// portal of the profile's sso_region.
func ssoURL(p *profile.Profile) string {
	if p.SSOEndpoint != "" {
		return p.SSOEndpoint
	}
	return serviceURL("portal.sso", p.SSO.Region, p.UseFIPS, p.UseDualStack)
}

// oidcURL is SSO OIDC's endpoint for p, as ssoURL.
func oidcURL(p *profile.Profile) string {
	if p.OIDCEndpoint != "" {
		return p.OIDCEndpoint
	}
	return serviceURL("oidc", p.SSO.Region, p.UseFIPS, p.UseDualStack)
}

// signinURL is the sign-in service's endpoint for `aws login` profile p
// in region: the configured one (AWS_ENDPOINT_URL_SIGNIN, the services
// section), else the default the SDK's rules give CreateOAuth2Token.
func signinURL(p *profile.Profile, region string) string {
	if p.SigninEndpoint != "" {
		return p.SigninEndpoint
	}
	pt := partitionOf(region)
	switch {
	case p.UseDualStack && p.UseFIPS:
		return "https://signin-fips." + region + "." + pt.dual
	case p.UseDualStack:
		return "https://signin." + region + "." + pt.dual
	case p.UseFIPS && region == "us-gov-west-1":
		return "https://signin-fips.amazonaws-us-gov.com"
	case p.UseFIPS && pt.name == "aws-us-gov":
		return "https://" + region + ".signin-fips.amazonaws-us-gov.com"
	case p.UseFIPS:
		return "https://signin-fips." + region + "." + pt.dns
	}
	return "https://" + region + "." + pt.signin
}
