package sandbox

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const stsNS = "https://sts.amazonaws.com/doc/2011-06-15/"

// sessionTokenBytes makes tokens longer than a keystore entry, so the
// keystore's splitting is exercised end to end (real tokens vary in length).
const sessionTokenBytes = 2100

func (sb *Sandbox) stsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/_sandbox/stats", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(sb.Stats())
	})
	mux.HandleFunc("/_sandbox/code", func(w http.ResponseWriter, r *http.Request) {
		off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		name := r.URL.Query().Get("user")
		if name == "" {
			name = User
		}
		u := sb.UserNamed(name)
		if u == nil {
			http.Error(w, "no such user", http.StatusNotFound)
			return
		}
		if r.URL.Query().Get("unused") != "" {
			if r.URL.Query().Get("to_type") != "" {
				sb.waitForTypingTime()
			}
			fmt.Fprintln(w, sb.UnusedCode(u))
			return
		}
		fmt.Fprintln(w, sb.CodeFor(u, off))
	})
	mux.HandleFunc("/", sb.serveSTS)
	return mux
}

func (sb *Sandbox) serveSTS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Date", sb.Now().UTC().Format(http.TimeFormat))
	if sb.injectFault(w, r) {
		return
	}
	auth, err := parseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		stsError(w, 403, "MissingAuthenticationToken", "Request is missing Authentication Token")
		return
	}
	sb.mu.Lock()
	secret, sess, user, known := sb.lookupKey(auth.AccessKeyID, r.Header.Get("X-Amz-Security-Token"))
	sb.mu.Unlock()
	if !known {
		stsError(w, 403, "InvalidClientTokenId", "The security token included in the request is invalid.")
		return
	}
	if err := verifySigV4(r, auth, secret, sb.Now()); err != nil {
		if errors.Is(err, errSkew) {
			// AWS's words for a request signed too far from its clock.
			stsError(w, 403, "SignatureDoesNotMatch", fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - 15 min.)",
				r.Header.Get("X-Amz-Date"), sb.Now().Add(-15*time.Minute).UTC().Format("20060102T150405Z"), sb.Now().UTC().Format("20060102T150405Z")))
			return
		}
		stsError(w, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. ("+err.Error()+")")
		return
	}
	if sess != nil && sb.Now().After(sess.expires) {
		stsError(w, 403, "ExpiredToken", "The security token included in the request is expired")
		return
	}
	if err := r.ParseForm(); err != nil {
		stsError(w, 400, "MalformedInput", err.Error())
		return
	}
	switch r.PostForm.Get("Action") {
	case "GetSessionToken":
		sb.getSessionToken(w, r, sess, user)
	case "AssumeRole":
		sb.assumeRole(w, r, sess, user)
	case "ListMFADevices":
		if auth.Service != "iam" {
			stsError(w, 400, "InvalidAction", "ListMFADevices is an IAM action")
			return
		}
		sb.listMFADevices(w, r, sess, user)
	case "GetCallerIdentity":
		sb.mu.Lock()
		sb.stats.GetCallerIdentity++
		sb.mu.Unlock()
		arn, userID, account := "", "AIDASANDBOXUSER", Account
		if sess != nil && sess.role != nil {
			// AWS's form for role sessions: the role's unique ID and the
			// session name.
			arn, userID, account = sess.arn(), sess.role.id+":"+sess.roleSession, sess.role.account
		} else {
			arn = user.ARN()
		}
		writeXML(w, "GetCallerIdentity", fmt.Sprintf("<Arn>%s</Arn><UserId>%s</UserId><Account>%s</Account>", xmlEscape(arn), xmlEscape(userID), account))
	default:
		stsError(w, 400, "InvalidAction", "Could not find operation "+r.PostForm.Get("Action"))
	}
}

// issue gives s a new access key, secret and session token, makes STS
// and the git server know it, and runs count while it holds sb.mu; it
// returns the session token.
func (sb *Sandbox) issue(s *stsSession, count func()) string {
	s.accessKeyID, s.secret = "ASIA"+randomUpper(16), randomToken(30)[:40]
	token := "IQoJb3JpZ2luX2VjE" + randomToken(sessionTokenBytes)
	sb.mu.Lock()
	defer sb.mu.Unlock()
	sb.sessions[token] = s
	count()
	return token
}

// arn is the caller ARN AWS reports for s: the user's, or for a role
// session (an Identity Center one too) arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION.
func (s *stsSession) arn() string {
	if s.role == nil {
		return s.user.ARN()
	}
	return assumedRoleARN(s.role.account, s.role.name, s.roleSession)
}

// principal is the ARN a trust policy names to trust s: the user's, or
// the role's for a role session.
func (s *stsSession) principal() string {
	if s.role == nil {
		return s.user.ARN()
	}
	return s.role.ARN
}

// lookupKey finds the secret and user for a long-term key or a session.
// Callers hold sb.mu.
func (sb *Sandbox) lookupKey(akid, token string) (string, *stsSession, *IAMUser, bool) {
	if token == "" {
		if u := sb.users[akid]; u != nil {
			return u.SecretAccessKey, nil, u, true
		}
		return "", nil, nil, false
	}
	s, ok := sb.sessions[token]
	if !ok || s.accessKeyID != akid {
		return "", nil, nil, false
	}
	return s.secret, s, s.user, true
}

func (sb *Sandbox) getSessionToken(w http.ResponseWriter, r *http.Request, caller *stsSession, u *IAMUser) {
	fail := func(status int, code, msg string) {
		sb.mu.Lock()
		sb.stats.GetSessionFailed++
		sb.mu.Unlock()
		stsError(w, status, code, msg)
	}
	if caller != nil {
		fail(403, "AccessDenied", "Cannot call GetSessionToken with session credentials")
		return
	}
	duration := 43200
	if v := r.PostForm.Get("DurationSeconds"); v != "" {
		d, err := strconv.Atoi(v)
		if err != nil || d < 900 || d > 129600 {
			fail(400, "ValidationError", "1 validation error detected: Value at 'durationSeconds' failed to satisfy constraint")
			return
		}
		duration = d
	}
	serial, code := r.PostForm.Get("SerialNumber"), r.PostForm.Get("TokenCode")
	mfa := false
	if serial != "" || code != "" {
		if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
			fail(400, "ValidationError", "1 validation error detected: Value at 'tokenCode' failed to satisfy constraint: Member must have length 6")
			return
		}
		if serial != u.MFASerial {
			fail(403, "AccessDenied", "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.")
			return
		}
		if !sb.spendCode(u, code) {
			fail(403, "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code. ")
			return
		}
		mfa = true
	}
	s := &stsSession{user: u, expires: sb.sessionExpiry(time.Duration(duration) * time.Second), mfa: mfa}
	if f, _ := sb.fault.Load().(string); f == "expired" {
		s.expires = sb.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	}
	token := sb.issue(s, func() { sb.stats.GetSessionToken++ })
	writeXML(w, "GetSessionToken", fmt.Sprintf(
		"<Credentials><AccessKeyId>%s</AccessKeyId><SecretAccessKey>%s</SecretAccessKey><SessionToken>%s</SessionToken><Expiration>%s</Expiration></Credentials>",
		s.accessKeyID, xmlEscape(s.secret), xmlEscape(token), s.expires.Format(time.RFC3339)))
}

// UnusedCode returns a code of u's device that STS will accept when it is
// spent a moment later and that was not used yet: the current step's, else
// the next one's, else the previous one's if the step has more than 5 s
// left (it stops being accepted when the step ends); otherwise it waits
// for the next step. Tests that need several sessions in one 30-second
// step use it, as a person would wait for the next code.
func (sb *Sandbox) UnusedCode(u *IAMUser) string {
	for {
		now := sb.Now()
		step := now.Unix() / int64(TOTPStep/time.Second)
		left := time.Unix((step+1)*int64(TOTPStep/time.Second), 0).Sub(now)
		sb.mu.Lock()
		for _, d := range []int64{0, 1, -1} {
			if d == -1 && left < 5*time.Second {
				break
			}
			code := hotp(u.MFASecret, uint64(step+d))
			if !sb.used[u.Name+"/"+strconv.FormatInt(step+d, 10)+"/"+code] {
				sb.mu.Unlock()
				return code
			}
		}
		sb.mu.Unlock()
		time.Sleep(left + 10*time.Millisecond)
	}
}

// TypingTime is how long a code shown to a person must stay the device's
// current code, so that it can be read and typed.
const TypingTime = 10 * time.Second

// waitForTypingTime waits for the next 30-second step when fewer than
// TypingTime remain in this one, as a person watching an authenticator's
// countdown would.
func (sb *Sandbox) waitForTypingTime() {
	now := sb.Now()
	step := now.Unix() / int64(TOTPStep/time.Second)
	if left := time.Unix((step+1)*int64(TOTPStep/time.Second), 0).Sub(now); left < TypingTime {
		time.Sleep(left + 10*time.Millisecond)
	}
}

// spendCode accepts a code of u's device from the current step or one
// either side, once.
func (sb *Sandbox) spendCode(u *IAMUser, code string) bool {
	sb.mu.Lock()
	defer sb.mu.Unlock()
	now := sb.Now()
	step := now.Unix() / int64(TOTPStep/time.Second)
	for d := int64(-1); d <= 1; d++ {
		if hotp(u.MFASecret, uint64(step+d)) != code {
			continue
		}
		k := u.Name + "/" + strconv.FormatInt(step+d, 10) + "/" + code
		if sb.used[k] {
			return false
		}
		sb.used[k] = true
		return true
	}
	return false
}

func writeXML(w http.ResponseWriter, action, result string) { writeXMLNS(w, stsNS, action, result) }

func writeXMLNS(w http.ResponseWriter, ns, action, result string) {
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<%sResponse xmlns="%s"><%sResult>%s</%sResult><ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata></%sResponse>`,
		action, ns, action, result, action, randomUpper(8), action)
}

func stsError(w http.ResponseWriter, status int, code, msg string) {
	errorNS(w, stsNS, status, code, msg)
}

func errorNS(w http.ResponseWriter, ns string, status int, code, msg string) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	kind := "Sender"
	if status >= 500 {
		kind = "Receiver"
	}
	fmt.Fprintf(w, `<ErrorResponse xmlns="%s"><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>%s</RequestId></ErrorResponse>`,
		ns, kind, code, xmlEscape(msg), randomUpper(8))
}

func xmlEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// injectFault answers r with the configured fault, if any.
func (sb *Sandbox) injectFault(w http.ResponseWriter, r *http.Request) bool {
	f, _ := sb.fault.Load().(string)
	if f == "" || f == "expired" {
		return false
	}
	sb.mu.Lock()
	sb.stats.Faulted++
	sb.mu.Unlock()
	switch f {
	case "hang":
		<-r.Context().Done()
	case "5xx":
		stsError(w, 500, "InternalFailure", "The request processing has failed because of an unknown error.")
	case "throttle":
		stsError(w, 400, "Throttling", "Rate exceeded")
	case "malformed":
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprint(w, `<GetSessionTokenResponse><GetSessionTokenResult><Credentials><AccessKeyId>ASIA</Acc`)
	case "truncated":
		w.Header().Set("Content-Length", "4096")
		fmt.Fprint(w, `<GetSessionTokenResponse xmlns="`+stsNS+`"><GetSessionTokenResult>`)
	case "empty":
		w.WriteHeader(200)
	}
	return true
}
