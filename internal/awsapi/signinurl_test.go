package awsapi

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/signin"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"

	"github.com/mfa-git/mfa-git/internal/profile"
)

// TestSignInURLsMatchSDK compares the default endpoints mfa-git builds
// for the IAM Identity Center portal, SSO OIDC and the sign-in service
// with those the SDK's endpoint rules give (the rules of the clients
// mfa-git does not link), for regions of every partition, regions that
// only look like one, FIPS and dual-stack.
func TestSignInURLsMatchSDK(t *testing.T) {
	ctx := context.Background()
	regions := []string{"us-east-1", "eu-west-1", "ap-southeast-2", "il-central-1", "mx-central-1",
		"cn-north-1", "cn-northwest-1", "us-gov-west-1", "us-gov-east-1", "us-iso-east-1", "us-iso-west-1",
		"us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1", "us-isof-east-1", "eusc-de-east-1",
		"xx-foo-1", "mars", "cn-north", "us-gov-west", "us-isob-east-x", "eusc-fr-east-1", "aws-global"}
	for _, r := range regions {
		for _, fips := range []bool{false, true} {
			for _, dual := range []bool{false, true} {
				p := &profile.Profile{Region: r, UseFIPS: fips, UseDualStack: dual, SSO: profile.SSO{Region: r}}
				region, f, d := r, fips, dual
				want := func(e interface{ String() string }, err error) string {
					if err != nil {
						t.Fatalf("%s fips=%v dual=%v: the SDK resolves no endpoint: %v", r, fips, dual, err)
					}
					return e.String()
				}
				portal, err := sso.NewDefaultEndpointResolverV2().ResolveEndpoint(ctx, sso.EndpointParameters{Region: &region, UseFIPS: &f, UseDualStack: &d})
				if got, w := ssoURL(p), want(&portal.URI, err); got != w {
					t.Errorf("portal %s fips=%v dual=%v: %s, the SDK %s", r, fips, dual, got, w)
				}
				oidc, err := ssooidc.NewDefaultEndpointResolverV2().ResolveEndpoint(ctx, ssooidc.EndpointParameters{Region: &region, UseFIPS: &f, UseDualStack: &d})
				if got, w := oidcURL(p), want(&oidc.URI, err); got != w {
					t.Errorf("oidc %s fips=%v dual=%v: %s, the SDK %s", r, fips, dual, got, w)
				}
				control := false // CreateOAuth2Token's binding (api_op_CreateOAuth2Token.go)
				in, err := signin.NewDefaultEndpointResolverV2().ResolveEndpoint(ctx, signin.EndpointParameters{Region: &region, UseFIPS: &f, UseDualStack: &d, IsControlPlane: &control})
				if got, w := signinURL(p, r), want(&in.URI, err); got != w {
					t.Errorf("signin %s fips=%v dual=%v: %s, the SDK %s", r, fips, dual, got, w)
				}
			}
		}
	}
	// A configured endpoint is used as it is.
	p := &profile.Profile{SSOEndpoint: "http://127.0.0.1:1", OIDCEndpoint: "http://127.0.0.1:2", SigninEndpoint: "http://127.0.0.1:3", UseFIPS: true}
	if ssoURL(p) != "http://127.0.0.1:1" || oidcURL(p) != "http://127.0.0.1:2" || signinURL(p, "us-east-1") != "http://127.0.0.1:3" {
		t.Errorf("configured endpoints not used: %s %s %s", ssoURL(p), oidcURL(p), signinURL(p, "us-east-1"))
	}
}
