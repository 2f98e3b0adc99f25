package sandbox

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var (
	sessionNamePattern = regexp.MustCompile(`^[\w+=,.@-]*$`)
	externalIDPattern  = regexp.MustCompile(`^[\w+=,.@:/-]*$`)
	serialPattern      = regexp.MustCompile(`^[\w+=/:,.@-]*$`)
	digitsPattern      = regexp.MustCompile(`^\d*$`)
)

// assumeRole answers sts:AssumeRole as AWS does: parameter validation
// (400 ValidationError, AWS's "N validation error(s) detected" text), the
// MFA code if one is passed, the role's trust policy (403 AccessDenied
// with AWS's one message for every refusal, so a caller cannot tell a
// missing role from an untrusting one), then the duration: at most the
// role's maximum, and at most one hour when the caller uses temporary
// credentials (role chaining, which AWS also applies to GetSessionToken
// sessions). The session's MFA context is the caller's, or set by a code
// passed in this request.
func (sb *Sandbox) assumeRole(w http.ResponseWriter, r *http.Request, caller *stsSession, u *IAMUser) {
	fail := func(status int, code, msg string) {
		sb.mu.Lock()
		sb.stats.AssumeRoleFailed++
		sb.mu.Unlock()
		stsError(w, status, code, msg)
	}
	f := r.PostForm
	if problems := validateAssumeRole(f); len(problems) > 0 {
		s := ""
		if len(problems) > 1 {
			s = "s"
		}
		fail(400, "ValidationError", fmt.Sprintf("%d validation error%s detected: %s", len(problems), s, strings.Join(problems, "; ")))
		return
	}
	duration := 3600
	if v := f.Get("DurationSeconds"); v != "" {
		duration, _ = strconv.Atoi(v) // validated above
	}

	mfa := caller != nil && caller.mfa
	if serial, code := f.Get("SerialNumber"), f.Get("TokenCode"); serial != "" || code != "" {
		if u == nil || serial != u.MFASerial {
			fail(403, "AccessDenied", "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.")
			return
		}
		if code == "" || !sb.spendCode(u, code) {
			fail(403, "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code. ")
			return
		}
		mfa = true
	}

	var callerARN, principal string
	if caller != nil {
		callerARN, principal = caller.arn(), caller.principal()
	} else {
		callerARN, principal = u.ARN(), u.ARN()
	}
	roleARN := f.Get("RoleArn")
	sb.mu.Lock()
	rl := sb.roles[roleARN]
	sb.mu.Unlock()
	if rl == nil || !rl.trusts(principal) || (rl.RequireMFA && !mfa) ||
		(rl.ExternalID != "" && f.Get("ExternalId") != rl.ExternalID) {
		fail(403, "AccessDenied", fmt.Sprintf("User: %s is not authorized to perform: sts:AssumeRole on resource: %s", callerARN, roleARN))
		return
	}
	d := time.Duration(duration) * time.Second
	if d > rl.MaxDuration {
		fail(400, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
		return
	}
	if caller != nil && d > RoleChainingLimit {
		fail(400, "ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
		return
	}

	s := &stsSession{user: u, role: rl, roleSession: f.Get("RoleSessionName"), expires: sb.sessionExpiry(d), mfa: mfa}
	if life := time.Duration(sb.roleLife.Load()); life > 0 {
		s.expires = sb.Now().Add(life).UTC().Truncate(time.Second)
	}
	if f, _ := sb.fault.Load().(string); f == "expired" {
		s.expires = sb.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	}
	token := sb.issue(s, func() {
		sb.stats.AssumeRole++
		countBy(&sb.stats.AssumeRoleByRole, rl.name)
	})
	writeXML(w, "AssumeRole", fmt.Sprintf(
		"<AssumedRoleUser><Arn>%s</Arn><AssumedRoleId>%s:%s</AssumedRoleId></AssumedRoleUser>"+
			"<Credentials><AccessKeyId>%s</AccessKeyId><SecretAccessKey>%s</SecretAccessKey><SessionToken>%s</SessionToken><Expiration>%s</Expiration></Credentials>",
		xmlEscape(s.arn()), rl.id, xmlEscape(s.roleSession),
		s.accessKeyID, xmlEscape(s.secret), xmlEscape(token), s.expires.Format(time.RFC3339)))
}

// validateAssumeRole checks the request's parameters against the
// constraints of the AssumeRole API reference, in AWS's words. Values
// that may be secret (token code, external ID) are not repeated.
func validateAssumeRole(f url.Values) []string {
	var problems []string
	// add records a failed constraint; value is how AWS shows the value:
	// "Value null" for a missing member, "Value 'x'", or "Value" for a
	// secret the sandbox does not repeat.
	add := func(value, field, constraint string) {
		problems = append(problems, fmt.Sprintf("%s at '%s' failed to satisfy constraint: %s", value, field, constraint))
	}
	check := func(name, field string, lo, hi int, pattern *regexp.Regexp, patternText string, required, secret bool) {
		if !f.Has(name) {
			if required {
				add("Value null", field, "Member must not be null")
			}
			return
		}
		v := f.Get(name)
		shown := "Value '" + v + "'"
		if secret {
			shown = "Value"
		}
		if len(v) < lo {
			add(shown, field, fmt.Sprintf("Member must have length greater than or equal to %d", lo))
		}
		if len(v) > hi {
			add(shown, field, fmt.Sprintf("Member must have length less than or equal to %d", hi))
		}
		if pattern != nil && !pattern.MatchString(v) {
			add(shown, field, "Member must satisfy regular expression pattern: "+patternText)
		}
	}
	check("RoleArn", "roleArn", 20, 2048, nil, "", true, false)
	check("RoleSessionName", "roleSessionName", 2, 64, sessionNamePattern, `[\w+=,.@-]*`, true, false)
	check("ExternalId", "externalId", 2, 1224, externalIDPattern, `[\w+=,.@:\/-]*`, false, true)
	check("SerialNumber", "serialNumber", 9, 256, serialPattern, `[\w+=/:,.@-]*`, false, false)
	check("TokenCode", "tokenCode", 6, 6, digitsPattern, `[\d]*`, false, true)
	if f.Has("DurationSeconds") {
		v := f.Get("DurationSeconds")
		shown := "Value '" + v + "'"
		switch d, err := strconv.Atoi(v); {
		case err != nil:
			add(shown, "durationSeconds", "Member must be a number")
		case d < 900:
			add(shown, "durationSeconds", "Member must have value greater than or equal to 900")
		case d > 43200:
			add(shown, "durationSeconds", "Member must have value less than or equal to 43200")
		}
	}
	return problems
}
