package sandbox

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// errSkew means a request was signed more than 15 minutes from now.
var errSkew = errors.New("signed more than 15 minutes from the server's clock")

// sigv4Auth is a parsed "Authorization: AWS4-HMAC-SHA256 ..." header.
type sigv4Auth struct {
	AccessKeyID   string
	Date          string // YYYYMMDD
	Region        string
	Service       string
	SignedHeaders []string
	Signature     string
}

func parseAuthorization(h string) (*sigv4Auth, error) {
	rest, ok := strings.CutPrefix(h, "AWS4-HMAC-SHA256 ")
	if !ok {
		return nil, errors.New("not an AWS4-HMAC-SHA256 authorization")
	}
	a := &sigv4Auth{}
	for _, part := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			f := strings.Split(v, "/")
			if len(f) != 5 || f[4] != "aws4_request" {
				return nil, errors.New("malformed credential scope")
			}
			a.AccessKeyID, a.Date, a.Region, a.Service = f[0], f[1], f[2], f[3]
		case "SignedHeaders":
			a.SignedHeaders = strings.Split(v, ";")
		case "Signature":
			a.Signature = v
		}
	}
	if a.AccessKeyID == "" || a.Signature == "" || len(a.SignedHeaders) == 0 {
		return nil, errors.New("incomplete authorization")
	}
	return a, nil
}

// verifySigV4 checks r's header signature against secret. It reads and
// restores r.Body. Requests more than 15 minutes from now are refused, as
// AWS does.
func verifySigV4(r *http.Request, a *sigv4Auth, secret string, now time.Time) error {
	amzDate := r.Header.Get("X-Amz-Date")
	t, err := time.Parse("20060102T150405Z", amzDate)
	if err != nil {
		return errors.New("missing or malformed X-Amz-Date")
	}
	if d := now.Sub(t); d > 15*time.Minute || d < -15*time.Minute {
		return fmt.Errorf("%w: %s", errSkew, amzDate)
	}
	if !strings.HasPrefix(amzDate, a.Date) {
		return errors.New("credential scope date does not match X-Amz-Date")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return err
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	payload := r.Header.Get("X-Amz-Content-Sha256")
	if payload == "" {
		payload = sha256Hex(body)
	}
	var hdrs strings.Builder
	for _, name := range a.SignedHeaders {
		var v string
		if name == "host" {
			v = r.Host
		} else {
			v = strings.Join(r.Header.Values(name), ",")
		}
		hdrs.WriteString(name + ":" + strings.Join(strings.Fields(v), " ") + "\n")
	}
	canonical := strings.Join([]string{
		r.Method,
		escapePath(r.URL.EscapedPath()),
		canonicalQuery(r.URL.Query()),
		hdrs.String(),
		strings.Join(a.SignedHeaders, ";"),
		payload,
	}, "\n")
	scope := a.Date + "/" + a.Region + "/" + a.Service + "/aws4_request"
	toSign := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + sha256Hex([]byte(canonical))
	want := hex.EncodeToString(mac(signingKey(secret, a.Date, a.Region, a.Service), toSign))
	if !hmac.Equal([]byte(want), []byte(a.Signature)) {
		return errors.New("signature does not match")
	}
	return nil
}

func escapePath(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

func canonicalQuery(q url.Values) string {
	var parts []string
	for k, vs := range q {
		for _, v := range vs {
			parts = append(parts, awsEscape(k)+"="+awsEscape(v))
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, "&")
}

func awsEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

func signingKey(secret, date, region, service string) []byte {
	k := mac([]byte("AWS4"+secret), date)
	k = mac(k, region)
	k = mac(k, service)
	return mac(k, "aws4_request")
}

func mac(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// codecommitPassword is the sandbox's own computation of CodeCommit's git
// password, written independently of package gitcred so that the two check
// each other (and the AWS CLI checks both).
func codecommitPassword(secret, host, region, path string, t time.Time) string {
	stamp := t.UTC().Format("20060102T150405")
	req := fmt.Sprintf("GIT\n%s\n\nhost:%s\n\nhost\n", path, host)
	scope := fmt.Sprintf("%s/%s/codecommit/aws4_request", stamp[:8], region)
	toSign := fmt.Sprintf("AWS4-HMAC-SHA256\n%s\n%s\n%s", stamp, scope, sha256Hex([]byte(req)))
	return stamp + "Z" + hex.EncodeToString(mac(signingKey(secret, stamp[:8], region, "codecommit"), toSign))
}
