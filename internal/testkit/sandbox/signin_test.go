package sandbox

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/logincreds"
	"github.com/aws/aws-sdk-go-v2/service/signin"
	"github.com/aws/aws-sdk-go-v2/service/signin/types"
)

// The SDK's `aws login` provider is the client: with a token cache file
// written as `aws login` writes it, it hands out the cached credentials
// while they last, renews expired ones with CreateOAuth2Token (with a
// DPoP proof the sandbox checks) and writes the cache back; a sign-in
// that ended gets the error the provider turns into "sign in again".
func TestLoginWithSDKProvider(t *testing.T) {
	tests := []struct {
		name        string
		login       Login
		setup       func(sb *Sandbox)
		noFile      bool
		wantErr     string
		wantRefresh bool
	}{
		{name: "fresh credentials: no call"},
		{name: "expired credentials: refreshed", login: Login{Expired: true}, wantRefresh: true},
		{name: "expired credentials, sign-in revoked", login: Login{Expired: true}, setup: (*Sandbox).RevokeLogins,
			wantErr: "login session has expired, please reauthenticate"},
		{name: "no cache file", noFile: true, wantErr: "token file not found, please reauthenticate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb := start(t)
			home := t.TempDir()
			tok, err := sb.Login(tt.login)
			if err != nil {
				t.Fatal(err)
			}
			file := LoginCachePath(home, tok.LoginSession)
			if !tt.noFile {
				if _, err := WriteLoginCache(home, tok); err != nil {
					t.Fatal(err)
				}
			}
			if tt.setup != nil {
				tt.setup(sb)
			}
			client := signin.New(signin.Options{Region: Region, BaseEndpoint: aws.String(sb.SigninURL), Retryer: aws.NopRetryer{}})
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			got, err := logincreds.New(client, file).Retrieve(ctx)
			st := sb.Stats()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if id := identity(t, sb, creds{got.AccessKeyID, got.SecretAccessKey, got.SessionToken}); id != UserARN() {
				t.Errorf("caller %s, want alice", id)
			}
			refreshes, _ := st.Count("create_oauth2_token:" + User)
			if want := map[bool]int{true: 1}[tt.wantRefresh]; refreshes != want || st.CreateOAuth2Token != want || st.CreateOAuth2TokenFailed != 0 {
				t.Errorf("CreateOAuth2Token calls = %d (alice: %d, refused: %d), want %d", st.CreateOAuth2Token, refreshes, st.CreateOAuth2TokenFailed, want)
			}
			back, err := ReadLoginCache(file)
			if err != nil {
				t.Fatal(err)
			}
			if changed := back.AccessKeyID != tok.AccessKeyID; changed != tt.wantRefresh || back.AccessKeyID != got.AccessKeyID {
				t.Fatalf("cache file rewritten: %v, want %v", changed, tt.wantRefresh)
			}
			if tt.wantRefresh {
				if back.RefreshToken == tok.RefreshToken || back.DPoPKey != tok.DPoPKey || back.AccountID != Account ||
					time.Until(back.ExpiresAt).Round(time.Minute) != 15*time.Minute {
					t.Errorf("refreshed cache: new refresh token %v, same key %v, account %s, expires in %s",
						back.RefreshToken != tok.RefreshToken, back.DPoPKey == tok.DPoPKey, back.AccountID, time.Until(back.ExpiresAt))
				}
			}
		})
	}
}

// dpopProof signs a DPoP proof with key as RFC 9449 describes, with the
// claims given (an independent signer: the SDK's is not exported).
func dpopProof(t *testing.T, key *ecdsa.PrivateKey, claims map[string]any) string {
	t.Helper()
	x, y := make([]byte, 32), make([]byte, 32)
	pub, err := key.PublicKey.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	copy(x, pub[1:33])
	copy(y, pub[33:])
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	msg := enc(map[string]any{"typ": "dpop+jwt", "alg": "ES256", "jwk": map[string]string{
		"kty": "EC", "crv": "P-256", "x": base64.RawURLEncoding.EncodeToString(x), "y": base64.RawURLEncoding.EncodeToString(y)}}) +
		"." + enc(claims)
	sum := sha256.Sum256([]byte(msg))
	r, s, err := ecdsa.Sign(rand.Reader, key, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return msg + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// swapSignature is proof a with the signature of proof b.
func swapSignature(a, b string) string {
	return a[:strings.LastIndex(a, ".")] + b[strings.LastIndex(b, "."):]
}

// CreateOAuth2Token checks the DPoP proof: present once, signed by the
// key in its header, for this method and URL, fresh, not replayed, and
// by the key the refresh token is bound to.
func TestCreateOAuth2TokenChecksDPoP(t *testing.T) {
	sb := start(t)
	tok, err := sb.Login(Login{})
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode([]byte(tok.DPoPKey))
	key, err := x509.ParseECPrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	url := sb.SigninURL + "/v1/token"
	claims := func(change ...any) map[string]any {
		c := map[string]any{"jti": randomUUID(), "htm": "POST", "htu": url, "iat": time.Now().Unix()}
		for i := 0; i+1 < len(change); i += 2 {
			c[change[i].(string)] = change[i+1]
		}
		return c
	}
	replayed := dpopProof(t, key, claims())
	refresh := tok.RefreshToken
	tests := []struct {
		name      string
		proofs    []string
		wantType  string // x-amzn-ErrorType's name; "" for 200
		wantError string // the body's error member
	}{
		{name: "no proof", wantType: "ValidationException", wantError: "INVALID_REQUEST"},
		{name: "two proofs", proofs: []string{dpopProof(t, key, claims()), dpopProof(t, key, claims())}, wantType: "ValidationException", wantError: "INVALID_REQUEST"},
		{name: "signature of another proof", proofs: []string{swapSignature(dpopProof(t, key, claims()), dpopProof(t, key, claims()))}, wantType: "ValidationException", wantError: "INVALID_REQUEST"},
		{name: "another method", proofs: []string{dpopProof(t, key, claims("htm", "GET"))}, wantType: "ValidationException", wantError: "INVALID_REQUEST"},
		{name: "another URL", proofs: []string{dpopProof(t, key, claims("htu", sb.STSURL+"/v1/token"))}, wantType: "ValidationException", wantError: "INVALID_REQUEST"},
		{name: "ten minutes old", proofs: []string{dpopProof(t, key, claims("iat", time.Now().Add(-10*time.Minute).Unix()))}, wantType: "ValidationException", wantError: "INVALID_REQUEST"},
		{name: "another key than the sign-in's", proofs: []string{dpopProof(t, other, claims())}, wantType: "InvalidGrantException", wantError: "invalid_grant"},
		{name: "good proof", proofs: []string{replayed}},
		{name: "the same proof again", proofs: []string{replayed}, wantType: "ValidationException", wantError: "INVALID_REQUEST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, _ := json.Marshal(map[string]string{"clientId": LoginClientID, "grantType": "refresh_token", "refreshToken": refresh})
			req, _ := http.NewRequest("POST", url, strings.NewReader(string(body)))
			req.Header.Set("Content-Type", "application/json")
			for _, p := range tt.proofs {
				req.Header.Add("DPoP", p)
			}
			resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var out struct {
				Error, Message, RefreshToken string
			}
			b, _ := io.ReadAll(resp.Body)
			json.Unmarshal(b, &out)
			errType, _, _ := strings.Cut(resp.Header.Get("X-Amzn-Errortype"), ":")
			if errType != tt.wantType || out.Error != tt.wantError || (tt.wantType == "") != (resp.StatusCode == 200) {
				t.Fatalf("%d %s error %q (%s); want %q %q", resp.StatusCode, errType, out.Error, out.Message, tt.wantType, tt.wantError)
			}
			if resp.StatusCode == 200 {
				refresh = out.RefreshToken
			}
		})
	}
}

// The signin client of the SDK reads the sandbox's refusals as the
// modelled errors: an ended sign-in is an AccessDeniedException whose
// error is TOKEN_EXPIRED, the one code logincreds maps to "sign in again".
func TestCreateOAuth2TokenErrorsAsModelled(t *testing.T) {
	sb := start(t)
	client := signin.New(signin.Options{Region: Region, BaseEndpoint: aws.String(sb.SigninURL), Retryer: aws.NopRetryer{}})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	_, err := client.CreateOAuth2Token(ctx, &signin.CreateOAuth2TokenInput{TokenInput: &types.CreateOAuth2TokenRequestBody{
		ClientId: aws.String(LoginClientID), GrantType: aws.String("refresh_token"), RefreshToken: aws.String("unknown")}},
		func(o *signin.Options) {
			o.HTTPClient = dpopClient{t, key}
		})
	var denied *types.AccessDeniedException
	if !errors.As(err, &denied) || denied.Error_ != types.OAuth2ErrorCodeTokenExpired {
		t.Fatalf("error %v, want AccessDeniedException with TOKEN_EXPIRED", err)
	}
	if st := sb.Stats(); st.CreateOAuth2TokenFailed != 1 || st.CreateOAuth2Token != 0 {
		t.Fatalf("stats %+v", st)
	}
}

// dpopClient sends requests with a DPoP proof of key for their URL.
type dpopClient struct {
	t   *testing.T
	key *ecdsa.PrivateKey
}

func (c dpopClient) Do(req *http.Request) (*http.Response, error) {
	req.Header.Set("DPoP", dpopProof(c.t, c.key, map[string]any{"jti": randomUUID(), "htm": req.Method, "htu": req.URL.String(), "iat": time.Now().Unix()}))
	return (&http.Client{Timeout: 10 * time.Second}).Do(req)
}
