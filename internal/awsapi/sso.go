package awsapi

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/mfa-git/mfa-git/gitcred"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/profile"
)

// ErrSignInNeeded is wrapped by the error of a source whose sign-in (an
// IAM Identity Center or aws login token) is missing or has ended and
// cannot be refreshed: only a person can sign in again, in a browser,
// which a git helper never opens.
var ErrSignInNeeded = errors.New("sign-in needed")

// SSOCredentials gets IAM Identity Center profile p's role credentials
// (sso:GetRoleCredentials) with the access token `aws sso login` cached
// in tokenFile. In the sso_session form an expired token is refreshed
// with the cached refresh token (sso-oidc:CreateToken) and the file
// written back, as the SDK's ssocreds provider and the AWS CLI do. A
// missing or ended token that cannot be refreshed is an error wrapping
// ErrSignInNeeded, whose hint is the one command to run.
//
// mfa-git makes these calls itself instead of through the SDK's sso,
// ssooidc and signin clients and its ssocreds and logincreds providers:
// linked, their package initialisation (endpoint tables, serde schemas)
// runs at every start of mfa-git, the cached git answer too, and cost
// about 100 page faults and 1.5 ms there (measured interleaved, same
// machine, same minute), which put the cached get over its budget of
// 2.3 times a trivial helper. The tests run the SDK's providers against
// the same token files and the sandbox and compare (sdkoracle_test.go).
func (cl Client) SSOCredentials(ctx context.Context, p *profile.Profile, tokenFile string) (*Credentials, error) {
	ctx, cancel := context.WithTimeout(ctx, cl.call())
	defer cancel()
	what := fmt.Sprintf("the IAM Identity Center sign-in of profile %q", p.Name)
	access, err := cl.ssoToken(ctx, p, tokenFile)
	if err != nil {
		return nil, cl.explainSignIn(err, p, "SSO_OIDC", tokenFile, p.SSO.LoginHint(p.Name), what)
	}
	c, err := cl.roleCredentials(ctx, p, access)
	if err != nil {
		return nil, cl.explainSignIn(err, p, "SSO", tokenFile, p.SSO.LoginHint(p.Name), what)
	}
	return checked("sso:GetRoleCredentials", c)
}

// LoginCredentials gets `aws login` profile p's credentials from the
// token the AWS CLI cached in tokenFile: while its access token lasts
// from the file alone, then refreshed with its refresh token
// (signin:CreateOAuth2Token, with a DPoP proof) and the file written
// back, as the SDK's logincreds provider does. An ended sign-in is an
// error wrapping ErrSignInNeeded.
func (cl Client) LoginCredentials(ctx context.Context, p *profile.Profile, tokenFile string) (*Credentials, error) {
	ctx, cancel := context.WithTimeout(ctx, cl.call())
	defer cancel()
	c, err := cl.loginCredentials(ctx, p, tokenFile)
	if err != nil {
		return nil, cl.explainSignIn(err, p, "SIGNIN", tokenFile, "run: aws login --profile "+profile.ShellQuote(p.Name),
			fmt.Sprintf("the aws login sign-in of profile %q", p.Name))
	}
	return checked("aws login", c)
}

// signInCodes are the error codes with which the SSO portal, SSO OIDC
// and sign-in refuse a token that only a new sign-in replaces.
var signInCodes = []string{"UnauthorizedException", "InvalidGrantException", "ExpiredTokenException", "InvalidClientException",
	"UnauthorizedClientException", "AccessDeniedException"}

// explainSignIn turns a failure into one a person can act on: a sign-in
// only they can renew (ErrSignInNeeded, with login as the hint), or a
// call that failed (explain), naming the endpoint it went to.
func (cl Client) explainSignIn(err error, p *profile.Profile, service, tokenFile, login, what string) error {
	var api *APIError
	switch {
	case errors.Is(err, errNoToken):
		return hint.New(ErrSignInNeeded, fmt.Sprintf("%s has no cached token (%s)", what, tokenFile), login)
	case errors.Is(err, errTokenEnded):
		return hint.New(ErrSignInNeeded, fmt.Sprintf("%s has ended", what), login)
	case errors.As(err, &api) && slices.Contains(signInCodes, api.Code):
		return hint.New(ErrSignInNeeded, fmt.Sprintf("%s was refused (%s)", what, api), login)
	}
	var call *callError
	if !errors.As(err, &call) {
		// The token file could not be read or written back: its error
		// says which; a new sign-in writes a new one.
		return hint.Or(err, login)
	}
	var bad *malformedAnswer
	if errors.As(err, &bad) {
		return hint.New(err, fmt.Sprintf("%s answered %s with %v", gitcred.ShowURL(call.url), call.op, bad.err),
			fmt.Sprintf("try again; if it persists, check that AWS_ENDPOINT_URL_%s or the profile's services section points at it", service))
	}
	return cl.explain(call.err, p, service, call.op, call.url)
}

// checked refuses incomplete credentials or ones already expired here.
func checked(from string, c *Credentials) (*Credentials, error) {
	if c.AccessKeyID == "" || c.SecretAccessKey == "" || c.SessionToken == "" || c.Expiration.IsZero() {
		return nil, hint.New(nil, fmt.Sprintf("%s answered without complete credentials", from), "try again; if it persists, check the endpoint settings")
	}
	if !c.Expiration.After(time.Now()) {
		return nil, hint.New(nil, fmt.Sprintf("%s answered with credentials that expire at %s, which is already past here", from, c.Expiration.UTC().Format(time.RFC3339)),
			"check this computer's clock (mfa-git doctor shows the offset)")
	}
	return c, nil
}
