package awsapi

import (
	"cmp"
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/mfa-git/mfa-git/internal/profile"
)

// loginAccess is the accessToken member of an `aws login` token file:
// the AWS credentials themselves.
type loginAccess struct {
	AccessKeyID     string    `json:"accessKeyId"`
	SecretAccessKey string    `json:"secretAccessKey"`
	SessionToken    string    `json:"sessionToken"`
	AccountID       string    `json:"accountId"`
	ExpiresAt       time.Time `json:"expiresAt"`
}

// loginCredentials are `aws login` profile p's credentials from the token
// file at path: as they are while they last, then renewed with the
// refresh token (signin:CreateOAuth2Token, with a DPoP proof made with
// the file's key) and written back, as the SDK's logincreds provider
// does.
func (cl Client) loginCredentials(ctx context.Context, p *profile.Profile, path string) (*Credentials, error) {
	t, err := readTokenFile(path)
	if err != nil {
		return nil, err
	}
	var a loginAccess
	client, refresh, key := t.str("clientId"), t.str("refreshToken"), t.str("dpopKey")
	if json.Unmarshal(t["accessToken"], &a) != nil || a.AccessKeyID == "" || a.SecretAccessKey == "" || a.SessionToken == "" ||
		a.AccountID == "" || a.ExpiresAt.IsZero() || client == "" || refresh == "" || key == "" {
		return nil, fmt.Errorf("%w: %s is not a complete aws login token", errTokenEnded, path)
	}
	if time.Now().Before(a.ExpiresAt) {
		return &Credentials{AccessKeyID: a.AccessKeyID, SecretAccessKey: a.SecretAccessKey, SessionToken: a.SessionToken, Expiration: a.ExpiresAt.UTC()}, nil
	}
	priv, err := dpopKey(key)
	if err != nil {
		return nil, fmt.Errorf("%w: the DPoP key in %s: %v", errTokenEnded, path, err)
	}
	base := signinURL(p, cmp.Or(p.Region, defaultRegion))
	body, _ := json.Marshal(map[string]string{"clientId": client, "grantType": "refresh_token", "refreshToken": refresh})
	var out struct {
		AccessToken struct {
			AccessKeyID     string `json:"accessKeyId"`
			SecretAccessKey string `json:"secretAccessKey"`
			SessionToken    string `json:"sessionToken"`
		} `json:"accessToken"`
		ExpiresIn    *int64 `json:"expiresIn"`
		RefreshToken string `json:"refreshToken"`
	}
	call := restCall{Service: "Signin", Op: "CreateOAuth2Token", Method: "POST", URL: base + "/v1/token", Body: body,
		Header: func(url string) (http.Header, error) {
			proof, err := dpopProof(priv, "POST", url, time.Now())
			return http.Header{"Dpop": {proof}}, err
		}}
	if err := cl.doREST(ctx, p, call, &out); err != nil {
		return nil, &callError{url: base, op: "CreateOAuth2Token", err: err}
	}
	n := out.AccessToken
	if n.AccessKeyID == "" || n.SecretAccessKey == "" || n.SessionToken == "" || out.ExpiresIn == nil || out.RefreshToken == "" {
		return nil, &callError{url: base, op: "CreateOAuth2Token", err: &malformedAnswer{op: "CreateOAuth2Token", err: errors.New("incomplete credentials or no refresh token")}}
	}
	a.AccessKeyID, a.SecretAccessKey, a.SessionToken = n.AccessKeyID, n.SecretAccessKey, n.SessionToken
	a.ExpiresAt = time.Now().Add(time.Duration(*out.ExpiresIn) * time.Second).UTC()
	t.set("accessToken", a)
	t.set("refreshToken", out.RefreshToken)
	if err := t.write(path); err != nil {
		return nil, fmt.Errorf("write the renewed aws login token back to %s: %w", path, err)
	}
	return &Credentials{AccessKeyID: a.AccessKeyID, SecretAccessKey: a.SecretAccessKey, SessionToken: a.SessionToken, Expiration: a.ExpiresAt}, nil
}

// dpopKey reads the P-256 key an `aws login` token file holds (a SEC1
// "EC PRIVATE KEY" PEM block).
func dpopKey(text string) (*ecdsa.PrivateKey, error) {
	block, _ := pem.Decode([]byte(text))
	if block == nil {
		return nil, errors.New("no PEM block")
	}
	return x509.ParseECPrivateKey(block.Bytes)
}

// dpopProof is an RFC 9449 DPoP proof for a method call to url at now:
// an ES256 JWT over a fresh jti, htm, htu and iat, with the public key
// in its header.
func dpopProof(key *ecdsa.PrivateKey, method, url string, now time.Time) (string, error) {
	pub, err := key.PublicKey.ECDH() // checks the key is on its curve
	if err != nil {
		return "", err
	}
	raw := pub.Bytes() // 0x04 || X || Y
	if len(raw) != 65 {
		return "", errors.New("the DPoP key is not P-256")
	}
	b64 := base64.RawURLEncoding.EncodeToString
	header, _ := json.Marshal(map[string]any{"typ": "dpop+jwt", "alg": "ES256",
		"jwk": map[string]string{"kty": "EC", "crv": "P-256", "x": b64(raw[1:33]), "y": b64(raw[33:])}})
	id := make([]byte, 16)
	if _, err := rand.Read(id); err != nil {
		return "", err
	}
	id[6], id[8] = id[6]&0x0f|0x40, id[8]&0x3f|0x80 // a version 4 UUID
	payload, _ := json.Marshal(map[string]any{"jti": fmt.Sprintf("%x-%x-%x-%x-%x", id[:4], id[4:6], id[6:8], id[8:10], id[10:]),
		"htm": method, "htu": url, "iat": now.Unix()})
	msg := b64(header) + "." + b64(payload)
	sum := sha256.Sum256([]byte(msg))
	r, s, err := ecdsa.Sign(rand.Reader, key, sum[:])
	if err != nil {
		return "", err
	}
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return msg + "." + b64(sig), nil
}
