package gitcred

import (
	"net"
	"strings"
)

// Target is the CodeCommit repository a request is for.
type Target struct {
	// Host is the host name used in the signature: the request's host
	// without any port.
	Host string
	// Region is the AWS region the host belongs to.
	Region string
	// Path is the repository path with a leading slash, e.g. /v1/repos/demo.
	Path string
}

// Region returns the AWS region of a CodeCommit git host, and false when
// host is not one. The match is anchored at both ends and covers
//
//	git-codecommit[-fips].REGION.amazonaws.com[.cn]
//	vpce-ID.git-codecommit[-fips].REGION.vpce.amazonaws.com[.cn]
//
// GovCloud regions (us-gov-west-1) are ordinary REGION labels. A port on
// host is ignored.
func Region(host string) (string, bool) {
	host = strings.ToLower(stripPort(host))
	labels := strings.Split(host, ".")
	// Drop the partition suffix.
	switch {
	case strings.HasSuffix(host, ".amazonaws.com"):
		labels = labels[:len(labels)-2]
	case strings.HasSuffix(host, ".amazonaws.com.cn"):
		labels = labels[:len(labels)-3]
	default:
		return "", false
	}
	// VPC endpoint: vpce-...  git-codecommit  REGION  vpce; the first is
	// a DNS label.
	if id := labels[0]; len(labels) == 4 && labels[3] == "vpce" {
		if !strings.HasPrefix(id, "vpce-") || len(id) > 63 || strings.HasSuffix(id, "-") ||
			strings.Trim(id, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
			return "", false
		}
		labels = labels[1:3]
	}
	if len(labels) != 2 {
		return "", false
	}
	if labels[0] != "git-codecommit" && labels[0] != "git-codecommit-fips" {
		return "", false
	}
	if !ValidRegion(labels[1]) {
		return "", false
	}
	return labels[1], true
}

// ValidRegion reports whether s has the shape of an AWS region name, as
// git-remote-codecommit checks it (^[a-z]{2}-\w*.*-\d), but whole: two
// letters, one or more words, and a number, joined by "-": us-east-1,
// us-gov-west-1, cn-north-1, ap-southeast-3.
func ValidRegion(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) < 3 || len(parts[0]) != 2 || len(s) > 63 {
		return false
	}
	for i, p := range parts {
		if p == "" {
			return false
		}
		for _, c := range p {
			letter, digit := c >= 'a' && c <= 'z', c >= '0' && c <= '9'
			if i == 0 && !letter || i == len(parts)-1 && !digit || !letter && !digit {
				return false
			}
		}
	}
	return true
}

// stripPort removes a :port suffix, keeping bracketed IPv6 literals whole.
func stripPort(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return host
}

// IsCodeCommitHost reports whether host (with or without a port) is a
// CodeCommit git host.
func IsCodeCommitHost(host string) bool {
	_, ok := Region(host)
	return ok
}

// HostPatterns returns git credential URL patterns covering every
// CodeCommit host form: in a pattern "*" matches exactly one host label.
func HostPatterns() []string {
	return []string{
		"https://git-codecommit.*.amazonaws.com",
		"https://git-codecommit-fips.*.amazonaws.com",
		"https://git-codecommit.*.amazonaws.com.cn",
		"https://*.git-codecommit.*.vpce.amazonaws.com",
		"https://*.git-codecommit-fips.*.vpce.amazonaws.com",
	}
}
