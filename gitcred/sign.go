package gitcred

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// PasswordLifetime is how long CodeCommit accepts a signed git password
// (AWS documents "about 15 minutes").
const PasswordLifetime = 15 * time.Minute

// Password computes CodeCommit's git password for one repository: the
// SigV4 scheme the AWS CLI's credential-helper and git-remote-codecommit
// use, with method GIT, service codecommit and an empty payload hash. The
// result is the UTC timestamp YYYYMMDDTHHMMSS, a "Z", and the hex signature.
func Password(secret string, t Target, now time.Time) string {
	now = now.UTC()
	stamp := now.Format("20060102T150405")
	day := stamp[:8]

	canonical := "GIT\n" + t.Path + "\n\nhost:" + t.Host + "\n\nhost\n"
	sum := sha256.Sum256([]byte(canonical))
	scope := day + "/" + t.Region + "/codecommit/aws4_request"
	toSign := "AWS4-HMAC-SHA256\n" + stamp + "\n" + scope + "\n" + hex.EncodeToString(sum[:])

	k := hmacSHA256([]byte("AWS4"+secret), day)
	k = hmacSHA256(k, t.Region)
	k = hmacSHA256(k, "codecommit")
	k = hmacSHA256(k, "aws4_request")
	return stamp + "Z" + hex.EncodeToString(hmacSHA256(k, toSign))
}

// Username is the git username for a set of credentials: the access key id,
// and for temporary credentials "%" and the session token, unencoded.
func Username(accessKeyID, sessionToken string) string {
	if sessionToken == "" {
		return accessKeyID
	}
	return accessKeyID + "%" + sessionToken
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}
