package sandbox

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// dpopWindow is how far a proof's iat may be from the server's clock.
const dpopWindow = 5 * time.Minute

// startSignin creates the sign-in service's state and the key it signs
// ID tokens with.
func (sb *Sandbox) startSignin() error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return fmt.Errorf("sign-in service key: %w", err)
	}
	sb.logins = loginState{sessions: map[string]*loginSession{}, proofs: map[string]bool{}, idKey: key}
	return nil
}

// checkDPoP checks r's DPoP header, a proof of possession (RFC 9449) as
// `aws login` clients send it: a JWT typed dpop+jwt, signed ES256 by the
// P-256 key its header's jwk carries, whose htm and htu are this request's
// method and URL, whose iat is within dpopWindow of now, and whose jti was
// not seen before. It returns the key that signed it.
func (sb *Sandbox) checkDPoP(r *http.Request, now time.Time) (*ecdsa.PublicKey, error) {
	proofs := r.Header.Values("DPoP")
	if len(proofs) != 1 {
		return nil, errors.New("the request needs exactly one DPoP header")
	}
	parts := strings.Split(proofs[0], ".")
	if len(parts) != 3 {
		return nil, errors.New("not a JWT")
	}
	var header struct {
		Typ string `json:"typ"`
		Alg string `json:"alg"`
		JWK struct {
			Kty string `json:"kty"`
			Crv string `json:"crv"`
			X   string `json:"x"`
			Y   string `json:"y"`
		} `json:"jwk"`
	}
	var claims struct {
		Jti string `json:"jti"`
		Htm string `json:"htm"`
		Htu string `json:"htu"`
		Iat int64  `json:"iat"`
	}
	if err := decodeJWTPart(parts[0], &header); err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	if err := decodeJWTPart(parts[1], &claims); err != nil {
		return nil, fmt.Errorf("claims: %w", err)
	}
	if header.Typ != "dpop+jwt" || header.Alg != "ES256" || header.JWK.Kty != "EC" || header.JWK.Crv != "P-256" {
		return nil, fmt.Errorf("typ %q, alg %q, key %s %s: want dpop+jwt, ES256, EC P-256", header.Typ, header.Alg, header.JWK.Kty, header.JWK.Crv)
	}
	key, err := p256Key(header.JWK.X, header.JWK.Y)
	if err != nil {
		return nil, err
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || len(sig) != 64 {
		return nil, errors.New("the signature is not 64 bytes of base64url")
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if !ecdsa.Verify(key, sum[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		return nil, errors.New("the signature does not match its key")
	}
	if claims.Htm != r.Method {
		return nil, fmt.Errorf("htm %q is not the request's method %s", claims.Htm, r.Method)
	}
	if u, err := url.Parse(claims.Htu); err != nil || u.Host != r.Host || u.Path != r.URL.Path {
		return nil, fmt.Errorf("htu %q is not this request's URL", claims.Htu)
	}
	if d := now.Sub(time.Unix(claims.Iat, 0)); d > dpopWindow || d < -dpopWindow {
		return nil, fmt.Errorf("iat is %s from the server's clock", d.Round(time.Second))
	}
	if claims.Jti == "" {
		return nil, errors.New("no jti")
	}
	sb.mu.Lock()
	defer sb.mu.Unlock()
	if sb.logins.proofs[claims.Jti] {
		return nil, errors.New("the proof was used before")
	}
	sb.logins.proofs[claims.Jti] = true
	return key, nil
}

func decodeJWTPart(part string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(part)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// p256Key is the P-256 public key with coordinates x and y (base64url),
// refused if the point is not on the curve.
func p256Key(x, y string) (*ecdsa.PublicKey, error) {
	xb, errX := base64.RawURLEncoding.DecodeString(x)
	yb, errY := base64.RawURLEncoding.DecodeString(y)
	if errX != nil || errY != nil || len(xb) > 32 || len(yb) > 32 {
		return nil, errors.New("the jwk's x and y are not P-256 coordinates")
	}
	point := make([]byte, 65)
	point[0] = 4 // uncompressed
	copy(point[33-len(xb):33], xb)
	copy(point[65-len(yb):], yb)
	key, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), point)
	if err != nil {
		return nil, errors.New("the jwk is not a point on P-256")
	}
	return key, nil
}
